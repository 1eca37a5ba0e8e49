"""Pooling primitives: MaxPool and AvgPool (r1.6's ``_Pool``: names, attributes, checks).

``pad_mode`` is ``"VALID"`` or ``"SAME"`` (case-insensitive), NCHW only. Padded positions
never win a max and are not counted in an average (TensorFlow's ``SAME`` semantics, which
Ascend's kernels follow). Cost: ``kh*kw`` operations per output element on the vector unit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ....errors import MsValueError
from .._checks import check_int_rel, check_tensor_dtype, check_value_type, shape_str
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op
from .nn_ops import _check_string, _pos_int_or_tuple, same_pads
from .train_ops import FLOATS, _f32

__all__ = ["MaxPool", "AvgPool", "pool_geometry", "pool_windows"]


def pool_geometry(
    h: int, w: int, kernel: tuple[int, int], strides: tuple[int, int], pad_mode: str
) -> tuple[int, int, tuple[int, int, int, int]]:
    """Output height, width and (top, bottom, left, right) padding of a 2-D pooling window."""
    (kh, kw), (sh, sw) = kernel, strides
    if pad_mode == "SAME":
        return -(-h // sh), -(-w // sw), same_pads(h, kh, sh, 1) + same_pads(w, kw, sw, 1)
    return math.ceil((h - (kh - 1)) / sh), math.ceil((w - (kw - 1)) / sw), (0, 0, 0, 0)


def pool_windows(
    x: np.ndarray, kernel: tuple[int, int], strides: tuple[int, int], pad_mode: str, fill: float
) -> tuple[np.ndarray, np.ndarray]:
    """Windows of ``x`` (N, C, H, W) as an array (kh*kw, N, C, Ho, Wo) plus a validity mask
    (kh*kw, 1, 1, Ho, Wo) that is False where the window reads padding (filled with ``fill``)."""
    n, c, h, w = x.shape
    ho, wo, (t, b, left, r) = pool_geometry(h, w, kernel, strides, pad_mode)
    (kh, kw), (sh, sw) = kernel, strides
    xp = np.pad(x, ((0, 0), (0, 0), (t, b), (left, r)), constant_values=fill)
    valid = np.pad(np.ones((h, w), bool), ((t, b), (left, r)))
    wins = np.empty((kh * kw, n, c, ho, wo), x.dtype)
    mask = np.empty((kh * kw, 1, 1, ho, wo), bool)
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + sh * (ho - 1) + 1, sh)
            cols = slice(j, j + sw * (wo - 1) + 1, sw)
            wins[i * kw + j] = xp[:, :, rows, cols]
            mask[i * kw + j, 0, 0] = valid[rows, cols]
    return wins, mask


class _Pool(Primitive):
    """Common part of MaxPool and AvgPool (r1.6 ``_Pool``)."""

    def __init__(self, kernel_size: Any = 1, strides: Any = 1, pad_mode: str = "valid",
                 data_format: str = "NCHW") -> None:  # fmt: skip
        super().__init__()
        for k, v in (("kernel_size", kernel_size), ("strides", strides), ("pad_mode", pad_mode),
                     ("data_format", data_format)):  # fmt: skip
            self.add_prim_attr(k, v)  # r1.6's attribute order (values normalised below)
        self.init_prim_io_names(inputs=["x"], outputs=["output"])
        name = self.name
        check_value_type(name, "kernel_size", kernel_size, [int, tuple])
        check_value_type(name, "strides", strides, [int, tuple])
        check_value_type(name, "pad_mode", pad_mode, [str])
        self.add_prim_attr(
            "pad_mode", _check_string(name, "pad_mode", pad_mode.upper(), ["VALID", "SAME"])
        )
        _check_string(name, "format", data_format, ["NCHW", "NHWC"])
        if data_format == "NHWC":
            raise MsValueError(
                f"For '{name}', the 'NHWC' format is only supported in GPU target; ascendsim's "
                "pooling runs NCHW: transpose the input to NCHW."
            )
        self.add_prim_attr("data_format", data_format)
        self.add_prim_attr("kernel_size", _pos_int_or_tuple(name, "kernel_size", kernel_size, True))
        self.add_prim_attr("strides", _pos_int_or_tuple(name, "strides", strides, True))

    @property
    def window(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """((kh, kw), (sh, sw))."""
        return tuple(self.kernel_size[2:]), tuple(self.strides[2:])  # type: ignore[return-value]

    def infer(self, x: Any) -> Spec:
        check_tensor_dtype(self.name, "input", x, FLOATS)
        check_int_rel(self.name, "x rank", len(x.shape), "==", 4)
        n, c, h, w = x.shape
        (kh, kw), strides = self.window
        ho, wo, _ = pool_geometry(h, w, (kh, kw), strides, self.pad_mode)
        if ho <= 0 or wo <= 0:
            raise MsValueError(
                f"For '{self.name}', the input {shape_str(x.shape)} is too small for kernel "
                f"{(kh, kw)} with pad_mode '{self.pad_mode}' (output {[n, c, ho, wo]}); use a "
                "smaller kernel_size or pad_mode='same'."
            )
        return Spec((n, c, ho, wo), x.dtype)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        (kh, kw), _ = self.window
        return Cost(outs[0].size * kh * kw, io_bytes(ins, outs), "vector")


@register_op
class MaxPool(_Pool):
    """Max over each ``kernel_size`` window (NCHW)."""

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        kernel, strides = self.window
        wins, _ = pool_windows(x, kernel, strides, self.pad_mode, -np.inf)
        return wins.max(axis=0).astype(x.dtype)


@register_op
class AvgPool(_Pool):
    """Mean over each ``kernel_size`` window (NCHW; padding not counted)."""

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        kernel, strides = self.window
        wins, mask = pool_windows(_f32(x), kernel, strides, self.pad_mode, 0.0)
        return (wins.sum(axis=0) / mask.sum(axis=0)).astype(x.dtype)
