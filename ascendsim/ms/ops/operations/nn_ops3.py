"""More nn ops: LogSoftmax, L2Normalize, ArgMaxWithValue, ArgMinWithValue.

Attributes, checks and messages follow r1.6 (captured from 1.6.1 on CPU, recorded in
``tests/ops/test_ops_added.py``). Where r1.6 accepts a dtype at inference but its CPU kernel
selection rejects it (ArgMaxWithValue on integers), ascendsim raises r1.6's kernel-selection
``TypeError`` at inference.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsTypeError
from ...common import dtype as mstype
from .._checks import (
    check_cpp_tensor,
    check_int_range,
    check_is_tensor,
    check_tensor_dtype,
    check_value_type,
)
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["LogSoftmax", "L2Normalize", "ArgMaxWithValue", "ArgMinWithValue",
           "kernel_not_supported"]  # fmt: skip

_F16_F32 = (mstype.float16, mstype.float32)


def kernel_not_supported(prim: str, ins: list[mstype.Type], outs: list[mstype.Type]) -> MsTypeError:
    """r1.6's CPU kernel-selection error (``KernelNotSupportException``) for these dtypes."""

    def names(ts: list[mstype.Type]) -> str:
        return ",".join(f"kNumberType{t}" for t in ts)

    return MsTypeError(
        f"Operator[{prim}]  input({names(ins)}) output({names(outs)}) is not supported. This "
        "error means the current input type is not supported, please refer to the MindSpore "
        "doc for supported types."
    )


@register_op
class LogSoftmax(Primitive):
    """``x - max - log(sum(exp(x - max)))`` along ``axis`` (float16/float32; float16 is
    computed in float32 and rounded once).

    Raises:
        MsTypeError: ``axis`` not an int (construction); a non-float or non-tensor input.
        MsValueError: ``axis`` out of ``[-rank, rank)``.
    """

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        check_value_type(self.name, "axis", axis, [int])

    def infer(self, x: Any) -> Spec:
        from ....errors import MsValueError

        check_cpp_tensor(self.name, "x", x, _F16_F32)
        rank = len(x.shape)
        if not -rank <= self.axis < rank:
            raise MsValueError(
                f"For primitive[{self.name}], the axis must in [{-rank},{rank}) ,but got "
                f"{self.axis}."
            )
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        w = x.astype(np.float32)
        with np.errstate(all="ignore"):
            shifted = w - np.max(w, axis=self.axis, keepdims=True)
            out = shifted - np.log(np.sum(np.exp(shifted), axis=self.axis, keepdims=True))
        return out.astype(x.dtype)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(5 * outs[0].size, io_bytes(ins, outs), "vector")


@register_op
class L2Normalize(Primitive):
    """``x / sqrt(max(sum(x**2, axis), epsilon))`` (r1.6's CPU kernel: the sum of squares is
    accumulated in order in the input dtype and clamped below by ``epsilon``).

    ``axis`` is stored as r1.6 stores it: an int becomes a one-element list.

    Raises:
        MsTypeError: ``axis`` not an int/list/tuple or with more than one entry; ``epsilon``
            not an int or float; an input that is not a float16/float32 tensor.
        MsValueError: the axis out of ``[-rank, rank)``.
    """

    def __init__(self, axis: int | list[int] | tuple[int, ...] = 0, epsilon: float = 1e-4) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        self.add_prim_attr("epsilon", epsilon)
        axis = [axis] if isinstance(axis, int) and not isinstance(axis, bool) else axis
        check_value_type(self.name, "axis", axis, [list, tuple])
        check_value_type(self.name, "epsilon", epsilon, [int, float])
        self.add_prim_attr("axis", axis)
        if len(axis) != 1:
            raise MsTypeError(
                f"For '{self.name}', the length of 'axis' must be 1, but got {len(axis)}, later "
                "will support multiple axis!"
            )

    def infer(self, x: Any) -> Spec:
        check_tensor_dtype(self.name, "input_x", x, _F16_F32)
        rank = len(x.shape)
        check_int_range(self.name, "axis value", self.axis[0], -rank, rank, "[)")
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        moved = np.moveaxis(x, self.axis[0], 0)
        acc = np.zeros(moved.shape[1:], x.dtype)
        with np.errstate(all="ignore"):
            for row in moved:  # in order, in the input dtype (as the CPU kernel)
                acc = acc + row * row
            eps = x.dtype.type(self.epsilon)
            denom = np.sqrt(np.where(acc > eps, acc, eps)).astype(x.dtype)
            out = np.moveaxis(moved / denom, 0, self.axis[0])
        return np.ascontiguousarray(out.astype(x.dtype))

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(3 * outs[0].size, io_bytes(ins, outs), "vector")


@register_op
class ArgMaxWithValue(Primitive):
    """``(index, value)`` of the first maximum along ``axis``: Int32 indices and the input's
    dtype for the values (r1.6's CPU kernel runs float16/float32 only).

    Raises:
        MsTypeError: ``axis`` not an int or ``keep_dims`` not a bool (construction); a
            non-tensor input; an input dtype the CPU kernel lacks.
        MsValueError: ``axis`` out of ``[-rank, rank)``.
    """

    def __init__(self, axis: int = 0, keep_dims: bool = False) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        self.add_prim_attr("keep_dims", keep_dims)
        check_value_type(self.name, "axis", axis, [int])
        check_value_type(self.name, "keep_dims", keep_dims, [bool])
        self.init_prim_io_names(inputs=["x"], outputs=["index", "output"])

    def infer(self, x: Any) -> tuple[Spec, Spec]:
        check_is_tensor(self.name, "input_x", x)
        rank = len(x.shape)
        check_int_range(self.name, "axis", self.axis, -rank, rank, "[)")
        if x.dtype not in _F16_F32:
            raise kernel_not_supported(self.name, [x.dtype], [mstype.int32, x.dtype])
        axis = self.axis % rank if rank else 0
        if self.keep_dims:
            shape = tuple(1 if i == axis else d for i, d in enumerate(x.shape))
        else:
            shape = tuple(d for i, d in enumerate(x.shape) if i != axis)
        return Spec(shape, mstype.int32), Spec(shape, x.dtype)

    @staticmethod
    def _pick(x: np.ndarray, axis: int) -> np.ndarray:
        return np.argmax(x, axis=axis)

    def kernel(self, ctx: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(x)
        if x.ndim == 0:
            return np.asarray(0, np.int32), x.copy()
        idx = self._pick(x, self.axis)
        val = np.take_along_axis(x, np.expand_dims(idx, self.axis), self.axis)
        if not self.keep_dims:
            val = np.squeeze(val, self.axis)
        else:
            idx = np.expand_dims(idx, self.axis)
        return np.array(idx, np.int32), np.array(val, x.dtype)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(ins[0].size, io_bytes(ins, outs), "vector")


@register_op
class ArgMinWithValue(ArgMaxWithValue):
    """``(index, value)`` of the first minimum along ``axis`` (see :class:`ArgMaxWithValue`)."""

    @staticmethod
    def _pick(x: np.ndarray, axis: int) -> np.ndarray:
        return np.argmin(x, axis=axis)
