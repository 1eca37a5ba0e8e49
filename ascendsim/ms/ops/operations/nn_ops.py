"""Neural-network ops: Conv2D, BiasAdd, ReLU, Softmax (r1.6 attributes, checks, messages).

Conv2D computes through im2col and the cube accumulation order of
:mod:`ascendsim.ms.ops._accumulate`, which reproduces r1.6's float32 results bit for bit
(the guide's ``nn.Conv2d`` examples print exactly the published values). Its cost is
``2*N*Cout*Ho*Wo*(Cin/group)*kh*kw`` FLOPs on ``"cube"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsRuntimeError, MsTypeError, MsValueError
from ...common import dtype as mstype
from .._accumulate import cube_matmul
from .._checks import check_cpp_tensor, check_int_rel, check_value_type, shape_str
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op
from .unary_ops import CPP_COMMON, REAL, _UnaryOp

__all__ = ["Conv2D", "BiasAdd", "ReLU", "Softmax", "conv_out_size", "same_pads"]

_CONV_VALID = (mstype.int8, mstype.int32, mstype.int64, mstype.float16, mstype.float32)


def _device_target() -> str:
    from ...context import get_context

    return str(get_context("device_target"))


def _check_string(prim: str, arg: str, value: Any, valid: list[str]) -> str:
    if not isinstance(value, str) or value not in valid:
        raise MsValueError(
            f"For '{prim}' the '{arg}' should be str and must be in '{valid}', but got '{value}'."
        )
    return value


def _pos_int_or_tuple(prim: str, arg: str, value: Any, allow_four: bool) -> tuple[int, ...]:
    """r1.6 ``_check_positive_int_or_tuple``: (h, w), or (1, 1, h, w) when ``allow_four``."""
    check_value_type(prim, arg, value, [int, tuple])
    four = "or four " if allow_four else ""

    def fail() -> MsValueError:
        return MsValueError(
            f"For '{prim}' attr '{arg}' should be an positive int number or a tuple of two "
            f"{four}positive int numbers, but got {value}"
        )

    if isinstance(value, int):
        ret = (1, 1, value, value) if allow_four else (value, value)
    elif len(value) == 2:
        ret = (1, 1, value[0], value[1]) if allow_four else tuple(value)
    elif len(value) == 4 and allow_four:
        ret = tuple(value)
    else:
        raise fail()
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in ret):
        raise fail()
    return ret


def conv_out_size(
    size: int, k: int, stride: int, dil: int, pad_mode: str, pads: tuple[int, int]
) -> int:
    """Output length along one spatial axis (r1.6 / TensorFlow formulas)."""
    eff = dil * (k - 1) + 1
    if pad_mode == "same":
        return -(-size // stride)
    if pad_mode == "valid":
        return (size - eff) // stride + 1
    return (size + pads[0] + pads[1] - eff) // stride + 1


def same_pads(size: int, k: int, stride: int, dil: int) -> tuple[int, int]:
    """Padding before/after for ``pad_mode='same'`` (the extra element goes after)."""
    eff = dil * (k - 1) + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + eff - size, 0)
    return total // 2, total - total // 2


@register_op
class Conv2D(Primitive):
    """2-D convolution, NCHW, weight ``(out_channel, in_channel/group, kh, kw)``.

    Raises (at construction): MsTypeError/MsValueError for attributes r1.6 rejects; (at
    inference): MsTypeError for non-tensor or mismatched dtypes, MsValueError for ranks other
    than 4 and empty outputs, MsRuntimeError for channel or kernel-size mismatches (as r1.6).
    """

    def __init__(
        self,
        out_channel: int,
        kernel_size: int | tuple[int, int],
        mode: int = 1,
        pad_mode: str = "valid",
        pad: int | tuple[int, int, int, int] = 0,
        stride: int | tuple[int, ...] = 1,
        dilation: int | tuple[int, ...] = 1,
        group: int = 1,
        data_format: str = "NCHW",
    ) -> None:
        super().__init__()
        for k, v in (("out_channel", out_channel), ("kernel_size", kernel_size), ("mode", mode),
                     ("pad_mode", pad_mode), ("pad", pad), ("stride", stride),
                     ("dilation", dilation), ("group", group), ("data_format", data_format)):  # fmt: skip
            self.add_prim_attr(k, v)
        self.init_prim_io_names(inputs=["x", "w"], outputs=["output"])
        name = self.name
        ks = _pos_int_or_tuple(name, "kernel_size", kernel_size, False)
        self.add_prim_attr("stride", _pos_int_or_tuple(name, "stride", stride, True))
        self.add_prim_attr("dilation", _pos_int_or_tuple(name, "dilation", dilation, True))
        check_value_type(name, "pad", pad, [int, tuple])
        check_value_type(name, "pad_mode", pad_mode, [str])
        if isinstance(pad, int):
            pad = (pad,) * 4
        else:
            check_int_rel(name, "pad size", len(pad), "==", 4)
        _check_string(name, "pad_mode", pad_mode, ["valid", "same", "pad"])
        if pad_mode != "pad" and pad != (0, 0, 0, 0):
            raise MsValueError(
                f"For '{name}', the 'pad' must be zero when 'pad_mode' is not 'pad', but got "
                f"'pad': {self.attrs['pad']} and 'pad_mode': {pad_mode}."
            )
        self.add_prim_attr("pad", tuple(pad))
        if pad_mode == "pad":
            for item in pad:
                check_int_rel(name, "pad item", item, ">=", 0)
        check_int_rel(name, "mode", mode, "==", 1)
        _check_string(name, "format", data_format, ["NCHW", "NHWC"])
        if data_format == "NHWC" and _device_target() != "GPU":
            raise MsValueError(
                f"For '{name}', the 'NHWC' format is only supported in GPU target, but got the "
                f"'data_format' is NHWC and platform is {_device_target()}."
            )
        check_int_rel(name, "out_channel", out_channel, ">", 0)
        check_int_rel(name, "group", group, ">", 0)
        self.add_prim_attr("groups", group)
        self.kernel_size = ks
        self.padding = tuple(pad)
        self.format = data_format

    # --- geometry ------------------------------------------------------------------------------
    def _pads(self, h: int, w: int) -> tuple[int, int, int, int]:
        kh, kw = self.kernel_size
        sh, sw = self.stride[2:]
        dh, dw = self.dilation[2:]
        if self.pad_mode == "same":
            return same_pads(h, kh, sh, dh) + same_pads(w, kw, sw, dw)
        if self.pad_mode == "pad":
            return tuple(self.padding)  # type: ignore[return-value]
        return (0, 0, 0, 0)

    def infer(self, x: Any, w: Any) -> Spec:
        name = self.name
        if not (isinstance(x, Spec) and isinstance(w, Spec)):
            raise MsTypeError(f"The primitive[{name}]'s input arguments must be all tensor.")
        for arg, spec in (("x", x), ("w", w)):
            if len(spec.shape) != 4:
                raise MsValueError(
                    f"For primitive[{name}], the {arg} shape size must be equal to 4, but got "
                    f"{len(spec.shape)}."
                )
        if x.dtype != w.dtype:
            raise MsTypeError(
                f"For primitive[{name}], the input type must be same (x: Tensor[{x.dtype}], "
                f"w: Tensor[{w.dtype}])."
            )
        check_cpp_tensor(name, "w", w, _CONV_VALID)
        n, c, h, wd = x.shape
        o, cg, kh, kw = w.shape
        if c // self.group != cg or c != cg * self.group:
            raise MsRuntimeError(
                f"For '{name}', 'C_in' of input 'x' shape divide by parameter 'group' should be "
                f"equal to 'C_in' of input 'weight' shape: {cg}, but got 'C_in' of input 'x' "
                f"shape: {c}, and 'group': {self.group}"
            )
        if o != self.out_channel:
            raise MsRuntimeError(
                f"For '{name}', w_shape[0] = {o} must be equal to out_channel: {self.out_channel}"
            )
        for label, got, want, i in (("height", kh, self.kernel_size[0], 0),
                                    ("width", kw, self.kernel_size[1], 1)):  # fmt: skip
            if got != want:
                raise MsRuntimeError(
                    f"For '{name}', weight {label} = {got}, must be equal to kernel_size[{i}]: {want}"
                )
        if o % self.group:
            raise MsValueError(
                f"For '{name}', out_channel {o} must be divisible by 'group' {self.group}."
            )
        pads = self._pads(h, wd)
        ho = conv_out_size(h, kh, self.stride[2], self.dilation[2], self.pad_mode, pads[:2])
        wo = conv_out_size(wd, kw, self.stride[3], self.dilation[3], self.pad_mode, pads[2:])
        if ho <= 0 or wo <= 0:  # r1.6's RuntimeError and sentence, then why
            bad = 2 if ho <= 0 else 3
            raise MsRuntimeError(
                f"{name} output_shape_max shape element [{bad}] must be positive integer, but got "
                f"{[n, o, ho, wo][bad]} (the output shape would be {[n, o, ho, wo]}: input "
                f"{shape_str(x.shape)} is too small for kernel {shape_str(w.shape[2:])} with "
                f"dilation {self.dilation[2:]}, pad_mode '{self.pad_mode}' and pad {pads})."
            )
        out_dtype = mstype.int32 if x.dtype == mstype.int8 else x.dtype
        return Spec((n, o, ho, wo), out_dtype)

    def kernel(self, ctx: Any, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        x, w = np.asarray(x), np.asarray(w)
        n, c, h, wd = x.shape
        o, cg, kh, kw = w.shape
        sh, sw = self.stride[2:]
        dh, dw = self.dilation[2:]
        t, b, left, r = self._pads(h, wd)
        xp = np.pad(x, ((0, 0), (0, 0), (t, b), (left, r)))
        ho = (h + t + b - dh * (kh - 1) - 1) // sh + 1
        wo = (wd + left + r - dw * (kw - 1) - 1) // sw + 1
        cols = np.empty((n, c, kh, kw, ho, wo), x.dtype)
        for i in range(kh):
            for j in range(kw):
                cols[:, :, i, j] = xp[:, :, i * dh : i * dh + sh * (ho - 1) + 1 : sh,
                                      j * dw : j * dw + sw * (wo - 1) + 1 : sw]  # fmt: skip
        out_dtype = np.dtype(np.int32) if x.dtype == np.int8 else x.dtype
        out = np.empty((n, o, ho * wo), out_dtype)
        og = o // self.group
        for g in range(self.group):
            col = cols[:, g * cg : (g + 1) * cg].reshape(n, cg * kh * kw, ho * wo)
            wg = w[g * og : (g + 1) * og].reshape(1, og, cg * kh * kw)
            out[:, g * og : (g + 1) * og] = cube_matmul(wg, col, out_dtype)
        return out.reshape(n, o, ho, wo)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        x, w, out = ins[0], ins[1], outs[0]
        n, o, ho, wo = out.shape
        cin = x.shape[1]
        flops = 2 * n * o * ho * wo * (cin // self.group) * w.shape[2] * w.shape[3]
        return Cost(flops, io_bytes(ins, outs), "cube")


@register_op
class BiasAdd(Primitive):
    """``x + b`` with the 1-D bias along the channel axis (axis 1 for NCHW/NCDHW, last for
    NHWC, which r1.6 supports only on GPU)."""

    def __init__(self, data_format: str = "NCHW") -> None:
        super().__init__()
        self.add_prim_attr("data_format", data_format)
        self.init_prim_io_names(inputs=["x", "b"], outputs=["output"])
        _check_string(self.name, "format", data_format, ["NCHW", "NHWC", "NCDHW"])
        if data_format == "NHWC" and _device_target() != "GPU":
            raise MsValueError(
                f"For '{self.name}', the 'NHWC' format is only supported in GPU target, but got "
                f"the 'data_format' is NHWC and the platform is {_device_target()}."
            )
        self.format = data_format

    def _axis(self, rank: int) -> int:
        return rank - 1 if self.format == "NHWC" else 1

    def infer(self, x: Any, b: Any) -> Spec:
        check_cpp_tensor(self.name, "input_x", x, None)
        check_cpp_tensor(self.name, "bias", b, None)
        if not 2 <= len(x.shape) <= 5:
            raise MsValueError(
                f"For primitive[BiasAdd], the dims of input_x must in [2,5] ,but got {len(x.shape)}."
            )
        if len(b.shape) != 1:
            raise MsValueError(
                f"For primitive[BiasAdd], the bias rank must be equal to 1, but got {len(b.shape)}."
            )
        channel = x.shape[self._axis(len(x.shape))]
        if b.shape[0] != channel:
            raise MsValueError(
                f"BiasAdd shape error, data format is {self.format}, got bias_shape[0]: "
                f"{b.shape[0]}, x_channel: {channel}."
            )
        if x.dtype != b.dtype:
            raise MsTypeError(
                f"For primitive[BiasAdd], the input type must be same (input_x: Tensor[{x.dtype}], "
                f"bias: Tensor[{b.dtype}])."
            )
        check_cpp_tensor(self.name, "bias", b, REAL)
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, b: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        shape = [1] * x.ndim
        shape[self._axis(x.ndim)] = -1
        with np.errstate(all="ignore"):
            return np.add(x, np.asarray(b).reshape(shape)).astype(x.dtype)


@register_op
class ReLU(_UnaryOp):
    """``max(x, 0)`` (NaN stays NaN)."""

    _err_arg = "input_x"
    _check = "cpp"
    _valid = CPP_COMMON

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, x.dtype.type(0))


@register_op
class Softmax(Primitive):
    """Softmax over ``axis`` (an int or a tuple of ints; float inputs).

    Values use numpy's float32 ``exp``: r1.6's CPU kernel uses an approximate exp, so its
    results can differ from these in the last bit or two.
    """

    def __init__(self, axis: int | tuple[int, ...] = -1) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        self.init_prim_io_names(inputs=["x"], outputs=["output"])
        check_value_type(self.name, "axis", axis, [int, tuple])
        if isinstance(axis, int):
            self.add_prim_attr("axis", (axis,))
        for item in self.axis:
            check_value_type(self.name, "item of axis", item, [int])

    def _axes(self, rank: int) -> tuple[int, ...]:
        return tuple(sorted({a + rank if a < 0 else a for a in self.axis}))

    def infer(self, x: Any) -> Spec:
        check_cpp_tensor(self.name, "x", x, mstype.float_type)
        rank = len(x.shape)
        if not self.axis:
            raise MsValueError(f"For primitive[{self.name}], the axis must not be empty.")
        for a in self.axis:
            if not -rank <= a < rank:
                raise MsValueError(
                    f"For primitive[{self.name}], the axis must in [{-rank},{rank}) ,but got {a}."
                )
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        axes = self._axes(x.ndim)
        with np.errstate(all="ignore"):
            e = np.exp(x - np.max(x, axis=axes, keepdims=True))
            return (e / np.sum(e, axis=axes, keepdims=True)).astype(x.dtype)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(5 * outs[0].size, io_bytes(ins, outs), "vector")
