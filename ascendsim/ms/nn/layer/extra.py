"""More r1.6 layers: Dropout, Softmax, Sigmoid, Tanh, GELU, LayerNorm, Embedding, Conv1d.

Each is a Cell around the primitives r1.6 uses (``nn/layer/basic.py``, ``activation.py``,
``normalization.py``, ``embedding.py``, ``conv.py``), with r1.6's argument checks:

* ``Dropout(keep_prob=0.5, dtype=mstype.float32)``: the identity unless the cell is training
  (``set_train()``) and ``keep_prob < 1``; then ``P.Dropout`` draws its mask from the simulated
  system's seeded generator.
* ``LayerNorm(normalized_shape, begin_norm_axis=-1, begin_params_axis=-1, gamma_init='ones',
  beta_init='zeros', epsilon=1e-7)``: parameters ``gamma``/``beta`` of ``normalized_shape``.
* ``Embedding(vocab_size, embedding_size, use_one_hot=False, embedding_table='normal',
  dtype=mstype.float32, padding_idx=None)``: ``Gather`` of ``embedding_table`` rows (or OneHot
  and MatMul), reshaped to ``ids.shape + (embedding_size,)``.
* ``Conv1d(in_channels, out_channels, kernel_size, stride=1, pad_mode='same', padding=0,
  dilation=1, group=1, has_bias=False, weight_init='normal', bias_init='zeros')``: a Conv2D over
  ``(N, C, 1, W)`` with a ``(out, in/group, 1, k)`` weight, as r1.6 computes it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.initializer import initializer
from ascendsim.ms.common.parameter import Parameter
from ascendsim.ms.common.tensor import Tensor
from ascendsim.ms.nn.cell import Cell
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops._checks import check_int_range, check_value_type

__all__ = ["Dropout", "Softmax", "Sigmoid", "Tanh", "GELU", "LayerNorm", "Embedding", "Conv1d"]


def _cls(cell: Cell) -> str:
    return type(cell).__name__


class Dropout(Cell):
    """Randomly zero elements with probability ``1 - keep_prob`` while training (scaled by
    ``1 / keep_prob``); the identity in eval mode."""

    def __init__(self, keep_prob: float = 0.5, dtype: Any = mstype.float32) -> None:
        super().__init__()
        check_value_type(_cls(self), "keep_prob", keep_prob, [float])
        if keep_prob <= 0 or keep_prob > 1:
            raise MsValueError(
                f"For '{_cls(self)}', the 'keep_prob' should be a number in range (0, 1], but got "
                f"{keep_prob}."
            )
        if dtype not in mstype.number_type:
            raise MsTypeError(
                f"For '{_cls(self)}', the type of 'dtype' should be subclass of Number, but got "
                f"{dtype}."
            )
        self.keep_prob = keep_prob
        self.dropout = P.Dropout(keep_prob)

    def construct(self, x: Any) -> Any:
        if not self.training or self.keep_prob == 1:
            return x
        out, _ = self.dropout(x)
        return out

    def extend_repr(self) -> str:
        return f"keep_prob={self.keep_prob}"


class Softmax(Cell):
    """``P.Softmax(axis)``."""

    def __init__(self, axis: int | tuple[int, ...] = -1) -> None:
        super().__init__()
        self.softmax = P.Softmax(axis)

    def construct(self, x: Any) -> Any:
        return self.softmax(x)


class Sigmoid(Cell):
    """``P.Sigmoid``."""

    def __init__(self) -> None:
        super().__init__()
        self.sigmoid = P.Sigmoid()

    def construct(self, x: Any) -> Any:
        return self.sigmoid(x)


class Tanh(Cell):
    """``P.Tanh``."""

    def __init__(self) -> None:
        super().__init__()
        self.tanh = P.Tanh()

    def construct(self, x: Any) -> Any:
        return self.tanh(x)


class GELU(Cell):
    """``P.GeLU`` (tanh approximation) or, with ``approximate=False``, the erf form
    ``x * 0.5 * (1 + erf(x / sqrt(2)))`` (r1.6 has no CPU Erf kernel)."""

    def __init__(self, approximate: bool = True) -> None:
        super().__init__()
        if not isinstance(approximate, bool):
            raise MsTypeError(
                f"For '{_cls(self)}', the type of 'approximate' should be bool, but got "
                f"{type(approximate).__name__}."
            )
        self.approximate = approximate
        self.gelu = P.GeLU()
        self.erf = P.Erf()
        self.sqrt = P.Sqrt()
        self.cast = P.Cast()
        self.const0 = Tensor(0.5, mstype.float32)
        self.const1 = Tensor(1.0, mstype.float32)
        self.const2 = Tensor(2.0, mstype.float32)

    def construct(self, x: Any) -> Any:
        if self.approximate:
            return self.gelu(x)
        half = self.cast(self.const0, x.dtype)
        one = self.cast(self.const1, x.dtype)
        root = self.sqrt(self.cast(self.const2, x.dtype))
        return x * half * (one + self.erf(x / root))


class LayerNorm(Cell):
    """Layer normalisation over the dimensions from ``begin_norm_axis``."""

    def __init__(
        self,
        normalized_shape: Any,
        begin_norm_axis: int = -1,
        begin_params_axis: int = -1,
        gamma_init: Any = "ones",
        beta_init: Any = "zeros",
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__()
        if not isinstance(normalized_shape, tuple | list):
            raise MsTypeError(
                f"For '{_cls(self)}', the type of 'normalized_shape' should be tuple[int] or "
                f"list[int], but got {normalized_shape} and the type is {type(normalized_shape)}."
            )
        self.normalized_shape = normalized_shape
        self.begin_norm_axis = begin_norm_axis
        self.begin_params_axis = begin_params_axis
        self.epsilon = epsilon
        self.gamma = Parameter(initializer(gamma_init, normalized_shape), name="gamma")
        self.beta = Parameter(initializer(beta_init, normalized_shape), name="beta")
        self.layer_norm = P.LayerNorm(begin_norm_axis, begin_params_axis, epsilon)

    def construct(self, input_x: Any) -> Any:
        y, _, _ = self.layer_norm(input_x, self.gamma, self.beta)
        return y

    def extend_repr(self) -> str:
        return (
            f"normalized_shape={self.normalized_shape}, begin_norm_axis="
            f"{self.begin_norm_axis}, begin_params_axis={self.begin_params_axis}, "
            f"gamma{self.gamma}, beta={self.beta}"
        )


class Embedding(Cell):
    """A lookup table of ``vocab_size`` vectors of ``embedding_size``."""

    def __init__(
        self,
        vocab_size: int,
        embedding_size: int,
        use_one_hot: bool = False,
        embedding_table: Any = "normal",
        dtype: Any = mstype.float32,
        padding_idx: int | None = None,
    ) -> None:
        super().__init__()
        name = _cls(self)
        self.vocab_size = check_value_type(name, "vocab_size", vocab_size, [int])
        self.embedding_size = check_value_type(name, "embedding_size", embedding_size, [int])
        check_value_type(name, "use_one_hot", use_one_hot, [bool])
        if dtype not in mstype.number_type:
            raise MsTypeError(
                f"For '{name}', the type of 'dtype' should be subclass of Number, but got {dtype}."
            )
        self.use_one_hot = use_one_hot
        self.dtype = dtype
        table = initializer(embedding_table, [vocab_size, embedding_size])
        self.padding_idx = padding_idx
        if padding_idx is not None:
            self.padding_idx = check_int_range(
                name, "padding_idx", padding_idx, 0, vocab_size, "[]"
            )
            if table.has_init:
                table = table.init_data()
            values = np.array(table.asnumpy(), copy=True)
            values[self.padding_idx] = 0
            table = Tensor(values)
        self.embedding_table = Parameter(table, name="embedding_table")
        self.gather = P.Gather()
        self.one_hot = P.OneHot()
        self.on_value = Tensor(1.0, dtype)
        self.off_value = Tensor(0.0, dtype)
        self.matmul = P.MatMul()
        self.reshape = P.Reshape()
        self.expand = P.ExpandDims()

    def construct(self, ids: Any) -> Any:
        out_shape = tuple(ids.shape) + (self.embedding_size,)
        flat = self.reshape(self.expand(ids, -1), (-1,))
        if self.use_one_hot:
            one_hot = self.one_hot(flat, self.vocab_size, self.on_value, self.off_value)
            rows = self.matmul(one_hot, self.embedding_table)
        else:
            rows = self.gather(self.embedding_table, flat, 0)
        return self.reshape(rows, out_shape)

    def extend_repr(self) -> str:
        return (
            f"vocab_size={self.vocab_size}, embedding_size={self.embedding_size}, "
            f"use_one_hot={self.use_one_hot}, embedding_table={self.embedding_table}, "
            f"dtype={self.dtype}, padding_idx={self.padding_idx}"
        )


def _int_ge(name: str, what: str, value: Any, low: int) -> int:
    check_value_type(name, what, value, [int])
    if value < low:
        raise MsValueError(
            f"`{what}` in `{name}` should be int and must >= {low}, but got `{value}` with type "
            "`int`."
        )
    return value


class Conv1d(Cell):
    """1-D convolution over ``(N, C, W)`` input (a Conv2D over ``(N, C, 1, W)``)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        pad_mode: str = "same",
        padding: int = 0,
        dilation: int = 1,
        group: int = 1,
        has_bias: bool = False,
        weight_init: Any = "normal",
        bias_init: Any = "zeros",
    ) -> None:
        super().__init__()
        name = _cls(self)
        _int_ge(name, "kernel_size", kernel_size, 1)
        _int_ge(name, "stride", stride, 1)
        _int_ge(name, "padding", padding, 0)
        _int_ge(name, "dilation", dilation, 1)
        _int_ge(name, "in_channels", in_channels, 1)
        _int_ge(name, "out_channels", out_channels, 1)
        _int_ge(name, "group", group, 1)
        if pad_mode not in ("valid", "same", "pad"):
            raise MsValueError(
                f"For '{name}', the 'pad_mode' should be one of ['valid', 'same', 'pad'], but got "
                f"{pad_mode}."
            )
        if in_channels % group or out_channels % group:
            raise MsValueError(
                f"For '{name}', the 'in_channels' ({in_channels}) and 'out_channels' "
                f"({out_channels}) must be divisible by 'group' ({group})."
            )
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.dilation = (1, kernel_size), (1, stride), (1, dilation)
        self.pad_mode, self.group, self.has_bias = pad_mode, group, bool(has_bias)
        self.padding = (0, 0, padding, padding)
        if isinstance(weight_init, Tensor):
            if len(weight_init.shape) != 3:
                raise MsValueError(
                    f"For '{name}', the 'weight_init_shape' should be = 3, but got "
                    f"{len(weight_init.shape)}."
                )
            weight_init = Tensor(np.expand_dims(weight_init.asnumpy(), 2), weight_init.dtype)
        shape = [out_channels, in_channels // group, 1, kernel_size]
        self.weight = Parameter(initializer(weight_init, shape), name="weight")
        self.bias = (
            Parameter(initializer(bias_init, [out_channels]), name="bias")
            if self.has_bias
            else None
        )
        self.conv2d = P.Conv2D(
            out_channel=out_channels,
            kernel_size=self.kernel_size,
            mode=1,
            pad_mode=pad_mode,
            pad=self.padding,
            stride=self.stride,
            dilation=self.dilation,
            group=group,
        )
        self.bias_add = P.BiasAdd()
        self.expand_dims = P.ExpandDims()
        self.squeeze = P.Squeeze(2)

    def construct(self, x: Any) -> Any:
        if len(x.shape) != 3:
            raise MsValueError(
                f"For '{_cls(self)}', the dimension of input should be 3d, but got {len(x.shape)}."
            )
        out = self.conv2d(self.expand_dims(x, 2), self.weight)
        if self.has_bias:
            out = self.bias_add(out, self.bias)
        return self.squeeze(out)
