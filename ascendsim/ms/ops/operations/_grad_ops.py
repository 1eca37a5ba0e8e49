"""Gradient primitives the differentiation rules emit (r1.6's ``operations/_grad_ops.py``
names): ReluGrad, Conv2DBackpropInput, Conv2DBackpropFilter, BiasAddGrad, MaxPoolGrad,
AvgPoolGrad and BatchNormGrad.

They compute in float32 (float64 stays float64) and round to the output dtype. Both
convolution backprops cost what the forward convolution costs (``2*N*Cout*Ho*Wo*Cin/g*kh*kw``
FLOPs on the cube unit); the rest are vector ops.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ascendsim.errors import MsNotImplementedError

from ....errors import MsValueError
from ...common import dtype as mstype
from .._checks import check_tensor_dtype, check_value_type, shape_str
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op
from .nn_ops import Conv2D
from .pool_ops import _Pool, pool_geometry, pool_windows
from .train_ops import FLOATS

__all__ = ["ReluGrad", "Conv2DBackpropInput", "Conv2DBackpropFilter", "BiasAddGrad",
           "MaxPoolGrad", "AvgPoolGrad", "BatchNormGrad"]  # fmt: skip


def _work(x: Any) -> np.ndarray:
    x = np.asarray(x)
    return x if x.dtype == np.float64 else x.astype(np.float32, copy=False)


@register_op
class ReluGrad(Primitive):
    """``ReluGrad()(dout, out)``: ``dout`` where ``out > 0``, else 0."""

    def infer(self, dout: Any, out: Any) -> Spec:
        check_tensor_dtype(self.name, "y_backprop", dout, mstype.float_type)
        check_tensor_dtype(self.name, "x", out, mstype.float_type)
        return Spec(dout.shape, dout.dtype)

    def kernel(self, ctx: Any, dout: np.ndarray, out: np.ndarray) -> np.ndarray:
        dout = np.asarray(dout)
        return np.where(np.asarray(out) > 0, dout, dout.dtype.type(0))


# --- convolution ---------------------------------------------------------------------------------


class _ConvBackprop(Primitive):
    """Shared geometry: a Conv2D with the same attributes does the padding arithmetic."""

    def __init__(self, out_channel: int, kernel_size: Any, pad_mode: str = "valid", pad: Any = 0,
                 pad_list: Any = None, mode: int = 1, stride: Any = 1, dilation: Any = 1,
                 group: int = 1, data_format: str = "NCHW") -> None:  # fmt: skip
        super().__init__()
        self.conv = Conv2D(out_channel, kernel_size, mode=mode, pad_mode=pad_mode, pad=pad,
                           stride=stride, dilation=dilation, group=group,
                           data_format=data_format)  # fmt: skip
        for k in ("out_channel", "kernel_size", "pad_mode", "pad", "mode", "stride", "dilation",
                  "group", "data_format"):  # fmt: skip
            self.add_prim_attr(k, self.conv.attrs[k])
        self.add_prim_attr("pad_list", pad_list)

    @classmethod
    def like(cls, conv: Conv2D) -> _ConvBackprop:
        """The backprop op of a forward Conv2D (same attributes)."""
        a = conv.attrs
        return cls(a["out_channel"], a["kernel_size"], a["pad_mode"], a["pad"], None, a["mode"],
                   a["stride"], a["dilation"], a["group"], a["data_format"])  # fmt: skip

    def _cols(self, x: np.ndarray, ho: int, wo: int) -> np.ndarray:
        """im2col of ``x``: (N, C, kh, kw, Ho, Wo)."""
        conv = self.conv
        n, c, h, w = x.shape
        kh, kw = conv.kernel_size
        sh, sw = conv.stride[2:]
        dh, dw = conv.dilation[2:]
        t, b, left, r = conv._pads(h, w)
        xp = np.pad(x, ((0, 0), (0, 0), (t, b), (left, r)))
        cols = np.empty((n, c, kh, kw, ho, wo), x.dtype)
        for i in range(kh):
            for j in range(kw):
                cols[:, :, i, j] = xp[:, :, i * dh : i * dh + sh * (ho - 1) + 1 : sh,
                                      j * dw : j * dw + sw * (wo - 1) + 1 : sw]  # fmt: skip
        return cols

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        dout = ins[0]
        n, o, ho, wo = dout.shape
        kh, kw = self.conv.kernel_size
        cin = self._x_shape(ins, outs)[1]
        flops = 2 * n * o * ho * wo * (cin // self.conv.group) * kh * kw
        return Cost(flops, io_bytes(ins, outs), "cube")

    def _x_shape(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> tuple[int, ...]:
        raise MsNotImplementedError(f"{type(self).__name__} defines no _x_shape()")

    def _check(self, dout: Any, x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> None:
        got = self.conv.infer(Spec(tuple(x_shape), dout.dtype), Spec(tuple(w_shape), dout.dtype))
        if tuple(got.shape) != tuple(dout.shape):
            raise MsValueError(
                f"For '{self.name}', 'dout' must have the forward output's shape "
                f"{shape_str(got.shape)} (input {shape_str(x_shape)}, weight "
                f"{shape_str(w_shape)}), but got {shape_str(dout.shape)}."
            )


@register_op
class Conv2DBackpropInput(_ConvBackprop):
    """``Conv2DBackpropInput(...)(dout, w, x_shape)``: the gradient of a Conv2D's input."""

    def infer(self, dout: Any, w: Any, x_shape: Any) -> Spec:
        check_tensor_dtype(self.name, "dout", dout, FLOATS)
        check_value_type(self.name, "input_size", x_shape, [tuple])
        self._check(dout, tuple(x_shape), tuple(w.shape))
        return Spec(tuple(x_shape), dout.dtype)

    def _x_shape(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> tuple[int, ...]:
        return tuple(outs[0].shape)

    def kernel(self, ctx: Any, dout: np.ndarray, w: np.ndarray, x_shape: Any) -> np.ndarray:
        conv = self.conv
        d, wt = _work(dout), _work(w)
        n, c, h, wd = x_shape
        o, cg, kh, kw = wt.shape
        _, _, ho, wo = d.shape
        g, og = conv.group, o // conv.group
        dcols = np.empty((n, c, kh, kw, ho, wo), d.dtype)
        for k in range(g):
            wg = wt[k * og : (k + 1) * og].reshape(og, cg * kh * kw)
            dg = d[:, k * og : (k + 1) * og].reshape(n, og, ho * wo)
            dcols[:, k * cg : (k + 1) * cg] = np.matmul(wg.T, dg).reshape(n, cg, kh, kw, ho, wo)
        sh, sw = conv.stride[2:]
        dh, dw = conv.dilation[2:]
        t, b, left, r = conv._pads(h, wd)
        dxp = np.zeros((n, c, h + t + b, wd + left + r), d.dtype)
        for i in range(kh):
            for j in range(kw):
                dxp[:, :, i * dh : i * dh + sh * (ho - 1) + 1 : sh,
                    j * dw : j * dw + sw * (wo - 1) + 1 : sw] += dcols[:, :, i, j]  # fmt: skip
        return dxp[:, :, t : t + h, left : left + wd].astype(np.asarray(dout).dtype)


@register_op
class Conv2DBackpropFilter(_ConvBackprop):
    """``Conv2DBackpropFilter(...)(dout, x, w_shape)``: the gradient of a Conv2D's weight."""

    def infer(self, dout: Any, x: Any, w_shape: Any) -> Spec:
        check_tensor_dtype(self.name, "dout", dout, FLOATS)
        check_value_type(self.name, "filter_size", w_shape, [tuple])
        self._check(dout, tuple(x.shape), tuple(w_shape))
        return Spec(tuple(w_shape), dout.dtype)

    def _x_shape(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> tuple[int, ...]:
        return tuple(ins[1].shape)

    def kernel(self, ctx: Any, dout: np.ndarray, x: np.ndarray, w_shape: Any) -> np.ndarray:
        conv = self.conv
        d, xv = _work(dout), _work(x)
        o, cg, kh, kw = w_shape
        n, _, ho, wo = d.shape
        cols = self._cols(xv, ho, wo)
        g, og = conv.group, o // conv.group
        dw = np.empty((o, cg * kh * kw), d.dtype)
        for k in range(g):
            dg = d[:, k * og : (k + 1) * og].reshape(n, og, ho * wo)
            cg_cols = cols[:, k * cg : (k + 1) * cg].reshape(n, cg * kh * kw, ho * wo)
            dw[k * og : (k + 1) * og] = np.einsum("nop,nkp->ok", dg, cg_cols)
        return dw.reshape(o, cg, kh, kw).astype(np.asarray(dout).dtype)


@register_op
class BiasAddGrad(Primitive):
    """``BiasAddGrad(data_format)(dout)``: ``dout`` summed over every axis but the channel."""

    def __init__(self, data_format: str = "NCHW") -> None:
        super().__init__()
        self.add_prim_attr("data_format", data_format)

    def _axis(self, rank: int) -> int:
        return rank - 1 if self.data_format == "NHWC" else 1

    def infer(self, dout: Any) -> Spec:
        check_tensor_dtype(self.name, "dout", dout, mstype.float_type)
        return Spec((dout.shape[self._axis(len(dout.shape))],), dout.dtype)

    def kernel(self, ctx: Any, dout: np.ndarray) -> np.ndarray:
        d = np.asarray(dout)
        axis = self._axis(d.ndim)
        axes = tuple(i for i in range(d.ndim) if i != axis)
        return _work(d).sum(axis=axes).astype(d.dtype)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(ins[0].size, io_bytes(ins, outs), "vector")


# --- pooling ---------------------------------------------------------------------------------------


class _PoolGrad(_Pool):
    """``(x, out, dout) -> dx`` of a pooling op with the same window attributes."""

    @classmethod
    def like(cls, pool: _Pool) -> _PoolGrad:
        """The gradient op of a forward MaxPool/AvgPool (same window)."""
        return cls(tuple(pool.kernel_size[2:]), tuple(pool.strides[2:]), pool.pad_mode)

    def infer(self, x: Any, out: Any, dout: Any) -> Spec:  # type: ignore[override]
        expect = super().infer(x)
        if tuple(dout.shape) != tuple(expect.shape):
            raise MsValueError(
                f"For '{self.name}', 'dout' must have the pooled shape "
                f"{shape_str(expect.shape)}, but got {shape_str(dout.shape)}."
            )
        return Spec(x.shape, x.dtype)

    def _scatter(self, x: np.ndarray, per_window: np.ndarray) -> np.ndarray:
        """Add per-window contributions (kh*kw, N, C, Ho, Wo) back onto the input grid."""
        n, c, h, w = x.shape
        (kh, kw), (sh, sw) = self.window
        ho, wo, (t, b, left, r) = pool_geometry(h, w, (kh, kw), (sh, sw), self.pad_mode)
        dxp = np.zeros((n, c, h + t + b, w + left + r), per_window.dtype)
        for i in range(kh):
            for j in range(kw):
                dxp[:, :, i : i + sh * (ho - 1) + 1 : sh,
                    j : j + sw * (wo - 1) + 1 : sw] += per_window[i * kw + j]  # fmt: skip
        return dxp[:, :, t : t + h, left : left + w]

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        (kh, kw), _ = self.window
        return Cost(ins[2].size * kh * kw, io_bytes(ins, outs), "vector")


@register_op
class MaxPoolGrad(_PoolGrad):
    """Routes each window's gradient to its maximum (the first one in window order on ties)."""

    def kernel(self, ctx: Any, x: np.ndarray, out: np.ndarray, dout: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        kernel, strides = self.window
        wins, _ = pool_windows(x, kernel, strides, self.pad_mode, -np.inf)
        first = np.argmax(wins == np.asarray(out)[None], axis=0)
        routed = (np.arange(wins.shape[0])[:, None, None, None, None] == first[None]) * _work(dout)[
            None
        ]
        return self._scatter(x, routed).astype(x.dtype)


@register_op
class AvgPoolGrad(_PoolGrad):
    """Spreads each window's gradient evenly over its non-padding inputs."""

    def kernel(self, ctx: Any, x: np.ndarray, out: np.ndarray, dout: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        kernel, strides = self.window
        _, mask = pool_windows(x[:1, :1], kernel, strides, self.pad_mode, 0.0)
        share = _work(dout)[None] * mask / mask.sum(axis=0)
        return self._scatter(x, share).astype(x.dtype)


# --- batch norm ------------------------------------------------------------------------------------


@register_op
class BatchNormGrad(Primitive):
    """``BatchNormGrad(is_training, epsilon)(dout, x, scale, save_mean, save_variance)`` ->
    ``(dx, dscale, dbias)``; the saved statistics are BatchNorm's reserve outputs (training) or
    the moving statistics (inference)."""

    def __init__(self, is_training: bool = False, epsilon: float = 1e-5) -> None:
        super().__init__()
        self.add_prim_attr("is_training", is_training)
        self.add_prim_attr("epsilon", epsilon)

    def infer(self, dout: Any, x: Any, scale: Any, mean: Any, var: Any) -> tuple[Spec, ...]:
        check_tensor_dtype(self.name, "dout", dout, FLOATS)
        stat = Spec(tuple(scale.shape), mstype.float32)
        return Spec(x.shape, x.dtype), stat, stat

    def kernel(self, ctx: Any, dout: np.ndarray, x: np.ndarray, scale: np.ndarray,
               mean: np.ndarray, var: np.ndarray) -> tuple[np.ndarray, ...]:  # fmt: skip
        d, xv = _work(dout), _work(x)
        axes = (0,) if xv.ndim == 2 else (0, 2, 3)
        shape = (1, -1) + (1,) * (xv.ndim - 2)
        m = 1
        for a in axes:
            m *= xv.shape[a]
        with np.errstate(all="ignore"):
            inv = (1.0 / np.sqrt(_work(var) + np.float32(self.epsilon))).reshape(shape)
            xhat = (xv - _work(mean).reshape(shape)) * inv
            dbias = d.sum(axis=axes)
            dscale = (d * xhat).sum(axis=axes)
            g = _work(scale).reshape(shape) * inv
            if self.is_training:
                dx = g / m * (m * d - dbias.reshape(shape) - xhat * dscale.reshape(shape))
            else:
                dx = g * d
        dt = np.asarray(x).dtype
        return dx.astype(dt), dscale.astype(np.float32), dbias.astype(np.float32)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(10 * ins[1].size, io_bytes(ins, outs) + ins[1].nbytes, "vector")
