"""Overflow-status ops: NPUAllocFloatStatus, NPUClearFloatStatus, NPUGetFloatStatus (Ascend)
and FloatStatus (GPU).

The three NPU ops are Ascend-only (``ascend_only``; the runtime raises r1.6's RuntimeError on
other targets) and, as MindSpore defines them, *without* side effects: only data edges and
``Depend`` order them, which is the hazard the guide describes. Their ``float_status``
attribute tells the runtime which register action they perform:

* ``NPUAllocFloatStatus()()``: a float32 ``(8,)`` tensor of zeros;
* ``NPUClearFloatStatus()(x)``: clears the device register (``ctx.float_status_clear()``) and
  returns zeros;
* ``NPUGetFloatStatus()(x)``: copies the register (``ctx.float_status_read()``) into its
  input ``x`` *in place* and returns zeros, so overflow shows in ``x`` (the loss-scale code
  sums the input after ``depend``).

Inputs of Clear and Get must be float16/float32 tensors of shape ``(8,)`` (r1.6's checks and
messages). As r1.6 infers, the outputs of Clear and Get are float32 ``(8,)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...common import dtype as mstype
from .._checks import check_int_rel, check_tensor_dtype
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["NPUAllocFloatStatus", "NPUClearFloatStatus", "NPUGetFloatStatus", "FloatStatus"]

_STATUS = Spec((8,), mstype.float32)


class _NpuStatusOp(Primitive):
    ascend_only = True

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


@register_op
class NPUAllocFloatStatus(_NpuStatusOp):
    """Allocate the status tensor: float32 zeros of shape (8,)."""

    float_status = "alloc"

    def infer(self) -> Spec:
        return _STATUS

    def kernel(self, ctx: Any) -> np.ndarray:
        return np.zeros((8,), np.float32)


class _StatusInput(_NpuStatusOp):
    def infer(self, x: Any) -> Spec:
        check_tensor_dtype(self.name, "x", x, (mstype.float16, mstype.float32))
        check_int_rel(self.name, "len(x_shape)", len(x.shape), "==", 1)
        check_int_rel(self.name, "x_shape[0]", x.shape[0], "==", 8)
        return _STATUS


@register_op
class NPUClearFloatStatus(_StatusInput):
    """Clear the device's overflow register; returns float32 zeros of shape (8,)."""

    float_status = "clear"

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.float_status_clear()
        return np.zeros((8,), np.float32)


@register_op
class NPUGetFloatStatus(_StatusInput):
    """Write the register into ``x`` in place; returns float32 zeros of shape (8,)."""

    float_status = "get"
    inplace = (0,)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        # the op's tensor is (8,) (r1.6's contract); the register has the preset's
        # ``float_status.words``: copy what fits, zero the rest
        words = np.asarray(ctx.float_status_read(), np.float32).ravel()
        n = min(words.size, x.size)
        x[...] = 0
        x.flat[:n] = words[:n].astype(x.dtype)
        return np.zeros((8,), np.float32)


@register_op
class FloatStatus(Primitive):
    """GPU overflow check of one tensor: ``[1.]`` if it holds inf/NaN, else ``[0.]``."""

    #: r1.6 has a GPU kernel only (on CPU: "For 'FloatStatus, the CPU platform is not
    #: supported!")
    platforms = ("GPU",)

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x"], outputs=["output"])

    def infer(self, x: Any) -> Spec:
        check_tensor_dtype(self.name, "x", x, (mstype.float32, mstype.float16, mstype.float64))
        return Spec((1,), mstype.float32)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        bad = not bool(np.all(np.isfinite(x)))
        return np.array([1.0 if bad else 0.0], np.float32)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(ins[0].size, io_bytes(ins, outs), "vector")
