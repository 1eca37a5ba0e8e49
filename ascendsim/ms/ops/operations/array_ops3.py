"""More array ops: Eye, Rank, Size, TopK, Sort, GatherD, ScatterNd, TensorScatterUpdate.

r1.6 names, checks and messages (captured from 1.6.1 on CPU; see
``tests/ops/test_ops_added.py``). ``Rank`` and ``Size`` are folded to Python ints at once, as
r1.6 folds them. ``TopK`` and ``Sort`` keep the first of equal elements first (stable), as
r1.6's CPU kernels do. ``ScatterNd`` adds the updates of repeated indices.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsRuntimeError, MsTypeError, MsValueError
from ...common import dtype as mstype
from .._checks import check_cpp_tensor, check_int_rel, check_is_tensor, check_value_type
from .._promote import np_dtype
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op
from .array_ops import _Folded
from .nn_ops3 import kernel_not_supported

__all__ = ["Eye", "Rank", "Size", "TopK", "Sort", "GatherD", "ScatterNd", "StopGradient",
           "TensorScatterUpdate"]  # fmt: skip

_F16_F32 = (mstype.float16, mstype.float32)
_INDEX = (mstype.int32, mstype.int64)


@register_op
class Eye(Primitive):
    """``Eye()(n, m, dtype)``: an ``(n, m)`` tensor with ones on the diagonal.

    Raises:
        MsTypeError: ``n`` or ``m`` not an int; ``dtype`` not a number or bool type.
        MsValueError: ``n`` or ``m`` not positive.
    """

    def __init__(self) -> None:
        super().__init__()

    def infer(self, n: Any, m: Any, t: Any) -> Spec:
        check_int_rel(self.name, "n", n, ">", 0)
        check_int_rel(self.name, "m", m, ">", 0)
        if not (isinstance(t, mstype.Type) and t in mstype.number_type + (mstype.bool_,)):
            raise MsTypeError(
                f"For '{self.name}', the type of 't' should be a number or bool type, but got {t}."
            )
        return Spec((n, m), t)

    def kernel(self, ctx: Any, n: int, m: int, t: Any) -> np.ndarray:
        return np.eye(n, m, dtype=np_dtype(t))

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, outs[0].nbytes, "vector")


@register_op
class Rank(_Folded):
    """The number of dimensions of a tensor, as a Python int (folded)."""

    def infer(self, x: Any) -> Any:
        check_is_tensor(self.name, "x", x)
        return len(x.shape)

    def kernel(self, ctx: Any, x: Any) -> int:
        return len(x.shape)


@register_op
class Size(_Folded):
    """The number of elements of a tensor, as a Python int (folded)."""

    def infer(self, x: Any) -> Any:
        check_is_tensor(self.name, "input_x", x)
        return int(np.prod(x.shape, dtype=np.int64))

    def kernel(self, ctx: Any, x: Any) -> int:
        return int(np.prod(x.shape, dtype=np.int64))


@register_op
class TopK(Primitive):
    """``TopK(sorted=True)(x, k)``: ``(values, indices)`` of the ``k`` largest entries along the
    last axis (Int32 indices; equal values keep their order; float16/float32 on CPU).

    Raises:
        MsTypeError: ``sorted`` not a bool, ``k`` not an int, an input dtype the CPU kernel lacks.
        MsRuntimeError: ``k`` larger than the last dimension (r1.6 fails at kernel launch).
    """

    def __init__(self, sorted: bool = True) -> None:  # noqa: A002  (r1.6's argument name)
        super().__init__()
        self.add_prim_attr("sorted", sorted)
        check_value_type(self.name, "sorted", sorted, [bool])
        self.init_prim_io_names(inputs=["input", "k"], outputs=["values", "indices"])

    def infer(self, x: Any, k: Any) -> tuple[Spec, Spec]:
        check_value_type(self.name, "k", k, [int])
        check_is_tensor(self.name, "input_x", x)
        if x.dtype not in _F16_F32:
            raise kernel_not_supported(self.name, [x.dtype, mstype.int64], [x.dtype, mstype.int32])
        if not x.shape:
            raise MsValueError(f"For '{self.name}', the input must have at least one dimension.")
        if not 0 <= k <= x.shape[-1]:
            raise MsRuntimeError(f"For '{self.name}', address size of output error.")
        shape = tuple(x.shape[:-1]) + (k,)
        return Spec(shape, x.dtype), Spec(shape, mstype.int32)

    def kernel(self, ctx: Any, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(x)
        order = np.argsort(-x.astype(np.float64), axis=-1, kind="stable")[..., :k]
        return np.take_along_axis(x, order, -1).copy(), order.astype(np.int32)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(2 * ins[0].size, io_bytes(ins, outs), "vector")


@register_op
class Sort(Primitive):
    """``Sort(axis=-1, descending=False)(x)``: ``(sorted values, Int32 indices)`` along ``axis``
    (float16/float32; equal values keep their order).

    Raises:
        MsTypeError: ``axis`` not an int or ``descending`` not a bool; a non-float input.
    """

    def __init__(self, axis: int = -1, descending: bool = False) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        self.add_prim_attr("descending", descending)
        check_value_type(self.name, "axis", axis, [int])
        check_value_type(self.name, "descending", descending, [bool])

    def infer(self, x: Any) -> tuple[Spec, Spec]:
        check_cpp_tensor(self.name, "inputx", x, _F16_F32)
        rank = len(x.shape)
        if not -rank <= self.axis < rank:
            raise MsValueError(
                f"For '{self.name}', the 'axis' must be in [{-rank}, {rank}), but got {self.axis}."
            )
        return Spec(x.shape, x.dtype), Spec(x.shape, mstype.int32)

    def kernel(self, ctx: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(x)
        key = x.astype(np.float64)
        order = np.argsort(-key if self.descending else key, axis=self.axis, kind="stable")
        return np.take_along_axis(x, order, self.axis).copy(), order.astype(np.int32)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(2 * ins[0].size, io_bytes(ins, outs), "vector")


@register_op
class GatherD(Primitive):
    """``GatherD()(x, dim, index)``: ``out[i][j] = x[index[i][j]][j]`` (dim 0) and so on; the
    output has ``index``'s shape (Int32/Int64 indices).

    Raises:
        MsTypeError: non-tensor ``x``/``index``, an index dtype other than Int32/Int64, ``dim``
            not an int.
        MsValueError: ranks differ or ``dim`` out of range.
        MsRuntimeError: an index out of range (at kernel launch).
    """

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x", "dim", "index"], outputs=["output"])

    def infer(self, x: Any, dim: Any, index: Any) -> Spec:
        check_is_tensor(self.name, "x", x)
        check_cpp_tensor(self.name, "index", index, _INDEX)
        check_value_type(self.name, "dim", dim, [int])
        rank = len(x.shape)
        if len(index.shape) != rank:
            raise MsValueError(
                f"For '{self.name}', the rank of 'index' ({len(index.shape)}) must equal the rank "
                f"of 'x' ({rank})."
            )
        if not -rank <= dim < rank:
            raise MsValueError(
                f"For '{self.name}', 'dim' must be in [{-rank}, {rank}), but got {dim}."
            )
        return Spec(tuple(index.shape), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        x, index = np.asarray(x), np.asarray(index)
        n = x.shape[dim]
        if index.size and (index.min() < -n or index.max() >= n):
            raise MsRuntimeError(
                f"For '{self.name}', an index is out of range [{-n}, {n}) along dim {dim}."
            )
        return np.take_along_axis(x, np.where(index < 0, index + n, index), dim).copy()

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


def _check_scatter(prim: str, indices: Spec, updates: Spec, shape: tuple[int, ...]) -> None:
    check_cpp_tensor(prim, "indices", indices, _INDEX)
    if not indices.shape:
        raise MsValueError(f"For '{prim}', 'indices' must have at least one dimension.")
    depth = indices.shape[-1]
    want = tuple(indices.shape[:-1]) + tuple(shape[depth:])
    if depth > len(shape) or tuple(updates.shape) != want:
        raise MsValueError(
            f"For '{prim}', the shape of 'updates' must be {list(want)} (indices.shape[:-1] + "
            f"shape[indices.shape[-1]:]), but got {list(updates.shape)}."
        )


def _flat_targets(indices: np.ndarray, shape: tuple[int, ...], prim: str) -> np.ndarray:
    depth = indices.shape[-1]
    idx = indices.reshape(-1, depth).astype(np.int64)
    lim = np.asarray(shape[:depth], np.int64)
    if idx.size and ((idx < 0).any() or (idx >= lim).any()):
        raise MsRuntimeError(f"For '{prim}', an index in 'indices' is out of range of {shape}.")
    return idx


@register_op
class ScatterNd(Primitive):
    """``ScatterNd()(indices, updates, shape)``: zeros of ``shape`` with ``updates`` added at
    ``indices`` (repeated indices accumulate)."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["indices", "update", "shape"], outputs=["output"])

    def infer(self, indices: Any, updates: Any, shape: Any) -> Spec:
        check_value_type(self.name, "shape", shape, [tuple])
        check_is_tensor(self.name, "updates", updates)
        _check_scatter(self.name, indices, updates, tuple(shape))
        return Spec(tuple(shape), updates.dtype)

    def kernel(self, ctx: Any, indices: np.ndarray, updates: np.ndarray, shape: Any) -> np.ndarray:
        updates = np.asarray(updates)
        out = np.zeros(tuple(shape), updates.dtype)
        idx = _flat_targets(np.asarray(indices), tuple(shape), self.name)
        flat = updates.reshape((idx.shape[0],) + tuple(shape[idx.shape[1] :]))
        with np.errstate(all="ignore"):
            for i, where in enumerate(idx):
                out[tuple(where)] += flat[i]
        return out

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(ins[1].size, io_bytes(ins, outs), "vector")


@register_op
class TensorScatterUpdate(Primitive):
    """``TensorScatterUpdate()(x, indices, updates)``: a copy of ``x`` with ``updates`` written
    at ``indices`` (the last write of a repeated index wins)."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["input_x", "indices", "updates"], outputs=["y"])

    def infer(self, x: Any, indices: Any, updates: Any) -> Spec:
        check_is_tensor(self.name, "input_x", x)
        check_is_tensor(self.name, "updates", updates)
        if x.dtype != updates.dtype:
            raise MsTypeError(
                f"For '{self.name}', the dtype of 'updates' Tensor[{updates.dtype}] must be the "
                f"same as the dtype of 'input_x' Tensor[{x.dtype}]."
            )
        _check_scatter(self.name, indices, updates, tuple(x.shape))
        return Spec(tuple(x.shape), x.dtype)

    def kernel(
        self, ctx: Any, x: np.ndarray, indices: np.ndarray, updates: np.ndarray
    ) -> np.ndarray:
        out = np.array(x, copy=True)
        idx = _flat_targets(np.asarray(indices), out.shape, self.name)
        flat = np.asarray(updates).reshape((idx.shape[0],) + out.shape[idx.shape[1] :])
        for i, where in enumerate(idx):
            out[tuple(where)] = flat[i]
        return out

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


@register_op
class StopGradient(Primitive):
    """``F.stop_gradient``: returns its input; differentiation treats it as a constant.

    r1.6 names this primitive ``stop_gradient``. A non-tensor argument, or any argument outside
    a traced graph (plain PyNative, where nothing can be recording a gradient), is returned as
    is; inside one it is a node whose differentiation rule passes nothing back.
    """

    def __init__(self) -> None:
        super().__init__("stop_gradient")

    def __call__(self, x: Any) -> Any:  # type: ignore[override]
        from ... import _dispatch

        if not (hasattr(x, "shape") and isinstance(getattr(x, "dtype", None), mstype.Type)):
            return x
        if _dispatch.current_tracer() is None:
            return x
        return super().__call__(x)

    def infer(self, x: Any) -> Spec:
        return Spec(tuple(x.shape), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        return np.array(x, copy=True)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, 0, "none")
