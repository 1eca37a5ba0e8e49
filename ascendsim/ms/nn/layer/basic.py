"""``nn.Dense`` (r1.6: weight ``(out, in)``, ``transpose_b`` MatMul, bias, activation)."""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common.initializer import initializer
from ascendsim.ms.common.parameter import Parameter
from ascendsim.ms.common.tensor import Tensor
from ascendsim.ms.nn.cell import Cell

__all__ = ["Dense"]


class Dense(Cell):
    """Fully connected layer: ``activation(x @ weight.T + bias)``."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        weight_init: Any = "normal",
        bias_init: Any = "zeros",
        has_bias: bool = True,
        activation: Any = None,
    ) -> None:
        super().__init__()
        from ascendsim.ms.ops import operations as P

        for what, v in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not isinstance(v, int) or isinstance(v, bool):
                raise MsTypeError(
                    f"For 'Dense', the '{what}' should be an int, but got {type(v).__name__}."
                )
            if v <= 0:
                raise MsValueError(f"For 'Dense', the '{what}' should be positive, but got {v}.")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.has_bias = bool(has_bias)
        if isinstance(weight_init, Tensor) and tuple(weight_init.shape) != (
            out_channels,
            in_channels,
        ):
            raise MsValueError(
                f"For 'Dense', weight init shape error: expected "
                f"{(out_channels, in_channels)}, got {tuple(weight_init.shape)}."
            )
        self.weight = Parameter(
            initializer(weight_init, [out_channels, in_channels]), name="weight"
        )
        self.bias = (
            Parameter(initializer(bias_init, [out_channels]), name="bias")
            if self.has_bias
            else None
        )
        self.matmul = P.MatMul(transpose_b=True)
        self.bias_add = P.BiasAdd()
        self.reshape = P.Reshape()
        self.activation = _activation(activation)
        self.activation_flag = self.activation is not None

    def construct(self, x: Any) -> Any:
        shape = x.shape
        if len(shape) < 2:
            raise MsValueError(
                f"For 'Dense', the dimension of 'x' should not be less than 2, but got {len(shape)}."
            )
        if len(shape) != 2:
            x = self.reshape(x, (-1, shape[-1]))
        x = self.matmul(x, self.weight)
        if self.has_bias:
            x = self.bias_add(x, self.bias)
        if self.activation_flag:
            x = self.activation(x)
        if len(shape) != 2:
            x = self.reshape(x, (*shape[:-1], self.out_channels))
        return x

    def extend_repr(self) -> str:
        s = f"input_channels={self.in_channels}, output_channels={self.out_channels}"
        if self.has_bias:
            s += f", has_bias={self.has_bias}"
        if self.activation_flag:
            s += f", activation={self.activation}"
        return s


def _activation(activation: Any) -> Any:
    from ascendsim.ms.nn.layer.activation import get_activation
    from ascendsim.ms.ops.primitive import Primitive

    if isinstance(activation, str):
        return get_activation(activation)
    if activation is None or isinstance(activation, Cell | Primitive):
        return activation
    raise MsTypeError(
        f"For 'Dense', the 'activation' must be str or Cell or Primitive, but got "
        f"{type(activation).__name__}."
    )
