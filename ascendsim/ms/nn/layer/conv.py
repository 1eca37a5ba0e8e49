"""``nn.Conv2d`` (r1.6 defaults: ``pad_mode='same'``, no bias, ``weight_init='normal'``)."""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common.initializer import Initializer, initializer
from ascendsim.ms.common.parameter import Parameter
from ascendsim.ms.common.tensor import Tensor
from ascendsim.ms.nn.cell import Cell

__all__ = ["Conv2d"]


def _pair(value: Any, what: str, *, allow_zero: bool = False) -> tuple[int, int]:
    vals = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    if (
        not isinstance(vals, tuple)
        or len(vals) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in vals)
    ):
        raise MsTypeError(
            f"For 'Conv2d', the '{what}' should be an int or a tuple of two ints, "
            f"but got {value!r}."
        )
    if any(v < 0 or (v == 0 and not allow_zero) for v in vals):
        raise MsValueError(f"For 'Conv2d', the '{what}' should be positive, but got {value!r}.")
    return vals


def _positive_int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise MsTypeError(
            f"For 'Conv2d', the '{what}' should be an int, but got {type(value).__name__}."
        )
    if value <= 0:
        raise MsValueError(f"For 'Conv2d', the '{what}' should be positive, but got {value}.")
    return value


class Conv2d(Cell):
    """2-D convolution layer over NCHW input; weight ``(out, in/group, kh, kw)``."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        pad_mode: str = "same",
        padding: Any = 0,
        dilation: Any = 1,
        group: int = 1,
        has_bias: bool = False,
        weight_init: Any = "normal",
        bias_init: Any = "zeros",
        data_format: str = "NCHW",
    ) -> None:
        super().__init__()
        from ascendsim.ms.ops import operations as P

        self.in_channels = _positive_int(in_channels, "in_channels")
        self.out_channels = _positive_int(out_channels, "out_channels")
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.dilation = _pair(dilation, "dilation")
        self.group = _positive_int(group, "group")
        if pad_mode not in ("same", "valid", "pad"):
            raise MsValueError(
                f"For 'Conv2d', the 'pad_mode' should be one of ['same', 'valid', "
                f"'pad'], but got {pad_mode}."
            )
        if data_format != "NCHW":
            raise MsValueError(
                f"For 'Conv2d', the 'data_format' should be 'NCHW' here (NHWC "
                f"runs only on GPU in r1.6), but got {data_format}."
            )
        self.pad_mode = pad_mode
        self.padding = padding
        self.data_format = data_format
        if self.in_channels % self.group or self.out_channels % self.group:
            raise MsValueError(
                f"For 'Conv2d', the 'in_channels' ({in_channels}) and 'out_channels' "
                f"({out_channels}) must be divisible by 'group' ({group})."
            )
        if pad_mode != "pad" and padding != 0:
            raise MsValueError(
                f"For 'Conv2d', the 'padding' must be zero when 'pad_mode' is "
                f"not 'pad', but got {padding} with pad_mode '{pad_mode}'."
            )
        self.has_bias = bool(has_bias)
        self.weight_init = weight_init
        self.bias_init = bias_init
        shape = [self.out_channels, self.in_channels // self.group, *self.kernel_size]
        if isinstance(weight_init, Tensor) and tuple(weight_init.shape) != tuple(shape):
            raise MsValueError(
                f"For 'Conv2d', the shape of 'weight_init' should be "
                f"{tuple(shape)}, but got {tuple(weight_init.shape)}."
            )
        self.weight = Parameter(initializer(weight_init, shape), name="weight")
        self.bias = (
            Parameter(initializer(bias_init, [self.out_channels]), name="bias")
            if self.has_bias
            else None
        )
        self.conv2d = P.Conv2D(
            out_channel=self.out_channels,
            kernel_size=self.kernel_size,
            mode=1,
            pad_mode=pad_mode,
            pad=padding,
            stride=self.stride,
            dilation=self.dilation,
            group=self.group,
            data_format=data_format,
        )
        self.bias_add = P.BiasAdd(data_format=data_format)

    def construct(self, x: Any) -> Any:
        output = self.conv2d(x, self.weight)
        if self.has_bias:
            output = self.bias_add(output, self.bias)
        return output

    def extend_repr(self) -> str:
        def name(init: Any) -> str:
            if isinstance(init, str):
                return init
            if isinstance(init, Initializer):
                return type(init).__name__.lower()
            return str(init) if not isinstance(init, Tensor) else "Tensor"

        return (
            f"input_channels={self.in_channels}, output_channels={self.out_channels}, "
            f"kernel_size={self.kernel_size}, stride={self.stride}, "
            f"pad_mode={self.pad_mode}, padding={self.padding}, dilation={self.dilation}, "
            f"group={self.group}, has_bias={self.has_bias}, "
            f"weight_init={name(self.weight_init)}, bias_init={name(self.bias_init)}, "
            f"format={self.data_format}"
        )
