"""Reductions: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceAll, ReduceAny
(r1.6 names, checks, messages).

``op(x, axis=())``: ``axis`` is an int, a tuple or a list of ints in ``[-rank, rank)``; an
empty axis reduces every dimension; repeated axes count once. ``keep_dims`` (constructor)
keeps reduced dimensions as size 1.

Sums and means accumulate in float32 (float16 inputs too, rounded at the end) in r1.6's CPU
order, which reproduces its results bit for bit (:mod:`ascendsim.ms.ops._accumulate`: in order,
except a float32 2-D input reduced over axis 1, which r1.6 sums in 8 vector lanes). Products
multiply in order. ReduceAll/ReduceAny take Bool tensors only. Integer
means divide with truncation toward zero, as r1.6 does.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ....errors import MsValueError
from ...common import dtype as mstype
from .._accumulate import seq_sum
from .._checks import check_int_range, check_tensors_same, check_value_type
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = [
    "ReduceSum",
    "ReduceMean",
    "ReduceMax",
    "ReduceMin",
    "ReduceProd",
    "ReduceAll",
    "ReduceAny",
    "normalize_axis",
]


def normalize_axis(prim: str, axis: Any, rank: int) -> tuple[int, ...]:
    """Validate ``axis`` as r1.6 does and return the sorted, non-negative, unique axes.

    An empty tuple/list means every axis. Raises MsTypeError / MsValueError (r1.6 wording).
    """
    check_value_type(prim, "axis", axis, [int, tuple, list])
    items = [axis] if isinstance(axis, int) else list(axis)
    if not isinstance(axis, int) and not items:
        return tuple(range(rank))
    out = set()
    for i, a in enumerate(items):
        if not isinstance(axis, int):
            check_value_type(prim, f"axis[{i}]", a, [int])
        check_int_range(prim, "axis", a, -rank, rank, "[)")
        out.add(a + rank if a < 0 else a)
    return tuple(sorted(out))


class _Reduce(Primitive):
    """Common part of the reductions (``keep_dims`` attribute, axis handling, cost)."""

    _valid: ClassVar[tuple[mstype.Type, ...]] = mstype.number_type

    def __init__(self, keep_dims: bool = False) -> None:
        super().__init__()
        self.add_prim_attr("keep_dims", keep_dims)
        check_value_type(self.name, "keep_dims", keep_dims, [bool])
        self.init_prim_io_names(inputs=["input_x", "axis"], outputs=["y"])

    def __call__(self, x: Any, axis: Any = ()) -> Any:  # type: ignore[override]
        return super().__call__(x, axis)

    def infer(self, x: Any, axis: Any = ()) -> Spec:
        check_tensors_same(self.name, {"input_x": x}, self._valid)
        if axis is None:
            raise MsValueError(
                f"For '{self.name}', the 'axis' cannot be None, but got "
                "{'shape': None, 'dtype': None, 'value': None}."
            )
        axes = normalize_axis(self.name, axis, len(x.shape))
        shape = tuple(
            1 if i in axes else d for i, d in enumerate(x.shape) if self.keep_dims or i not in axes
        )
        return Spec(shape, x.dtype)

    def _axes(self, x: np.ndarray, axis: Any) -> tuple[int, ...]:
        return normalize_axis(self.name, axis, x.ndim)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(ins[0].size, io_bytes(ins, outs), "vector")


def _acc_dtype(dtype: np.dtype) -> np.dtype:
    if dtype.kind == "f":
        return np.dtype(np.float64) if dtype.itemsize == 8 else np.dtype(np.float32)
    if dtype.kind == "b":
        return np.dtype(np.int64)
    return dtype


@register_op
class ReduceSum(_Reduce):
    """Sum over ``axis`` (Bool inputs allowed by inference: the result is ``any``)."""

    _valid = mstype.number_type + (mstype.bool_,)

    def kernel(self, ctx: Any, x: np.ndarray, axis: Any = ()) -> np.ndarray:
        x = np.asarray(x)
        res = seq_sum(x, self._axes(x, axis), self.keep_dims, _acc_dtype(x.dtype))
        with np.errstate(all="ignore"):  # a float16 result may overflow: inf, as on the device
            return res.astype(x.dtype)


@register_op
class ReduceMean(_Reduce):
    """Mean over ``axis`` (integer means truncate toward zero)."""

    def kernel(self, ctx: Any, x: np.ndarray, axis: Any = ()) -> np.ndarray:
        x = np.asarray(x)
        axes = self._axes(x, axis)
        acc = _acc_dtype(x.dtype)
        total = seq_sum(x, axes, self.keep_dims, acc)
        n = 1
        for a in axes:
            n *= x.shape[a]
        with np.errstate(all="ignore"):
            if acc.kind == "f":
                return (total / acc.type(max(n, 1))).astype(x.dtype)
            q = np.abs(total) // max(n, 1)
            return (np.sign(total) * q).astype(x.dtype)


@register_op
class ReduceMax(_Reduce):
    """Maximum over ``axis`` (NaN propagates)."""

    def kernel(self, ctx: Any, x: np.ndarray, axis: Any = ()) -> np.ndarray:
        x = np.asarray(x)
        return np.asarray(np.max(x, axis=self._axes(x, axis), keepdims=self.keep_dims))


@register_op
class ReduceMin(_Reduce):
    """Minimum over ``axis`` (NaN propagates)."""

    def kernel(self, ctx: Any, x: np.ndarray, axis: Any = ()) -> np.ndarray:
        x = np.asarray(x)
        return np.asarray(np.min(x, axis=self._axes(x, axis), keepdims=self.keep_dims))


@register_op
class ReduceProd(_Reduce):
    """Product over ``axis``, multiplied in order (float16 in float32, rounded at the end)."""

    def kernel(self, ctx: Any, x: np.ndarray, axis: Any = ()) -> np.ndarray:
        x = np.asarray(x)
        axes = self._axes(x, axis)
        keep = [i for i in range(x.ndim) if i not in axes]
        acc = _acc_dtype(x.dtype)
        flat = np.transpose(x, keep + list(axes)).reshape([x.shape[i] for i in keep] + [-1])
        with np.errstate(all="ignore"):
            if flat.shape[-1] == 0:
                res = np.ones(flat.shape[:-1], acc)
            elif acc.kind == "f":
                res = np.cumprod(flat.astype(acc), axis=-1, dtype=acc)[..., -1]
            else:
                res = np.prod(flat, axis=-1, dtype=acc)
            if self.keep_dims:
                res = np.reshape(res, [1 if i in axes else d for i, d in enumerate(x.shape)])
            return np.asarray(res).astype(x.dtype)


@register_op
class ReduceAll(_Reduce):
    """Logical AND over ``axis`` (Bool tensors only)."""

    _valid = (mstype.bool_,)

    def kernel(self, ctx: Any, x: np.ndarray, axis: Any = ()) -> np.ndarray:
        x = np.asarray(x)
        return np.asarray(np.all(x, axis=self._axes(x, axis), keepdims=self.keep_dims))


@register_op
class ReduceAny(ReduceAll):
    """Logical OR over ``axis`` (Bool tensors only)."""

    def kernel(self, ctx: Any, x: np.ndarray, axis: Any = ()) -> np.ndarray:
        x = np.asarray(x)
        return np.asarray(np.any(x, axis=self._axes(x, axis), keepdims=self.keep_dims))
