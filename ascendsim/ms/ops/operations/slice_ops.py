"""Slicing and gathering ops: StridedSlice, Slice, Gather, GatherNd (r1.6 names, checks, messages).

These are what r1.6's ``Tensor.__getitem__`` lowers to (:mod:`ascendsim.ms.ops._tensor_index`):
an int or slice index becomes a ``StridedSlice`` with masks, an int tensor or list a
``Gather`` on axis 0, and a mix of tensors and slices a ``GatherNd``. ``begin``/``end``/
``strides`` and ``Slice``'s ``begin``/``size`` must be constant tuples (r1.6's dynamic-shape
variant with Tensor bounds is not emulated). All four only move data: costed as bytes read +
written on the vector unit.

Out-of-range indices: r1.6's CPU Gather counts a negative index from the end and writes zeros
for an index still out of range (measured); ascendsim's Gather does the same and GatherNd
writes zeros for any out-of-range index (r1.6's GatherNd reads stray memory there).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsIndexError, MsTypeError, MsValueError
from ...common import dtype as mstype
from .._checks import check_int_rel, check_value_type, shape_str, type_name
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["StridedSlice", "Slice", "Gather", "GatherNd"]

#: index dtypes r1.6's C++ infers accept for Gather/GatherNd (its own order)
INDEX_TYPES = (mstype.int16, mstype.int8, mstype.int32, mstype.int64)


def _contiguous(a: object) -> np.ndarray:
    """A C-ordered copy that keeps 0-d results 0-d (``np.ascontiguousarray`` makes them 1-d)."""
    return np.array(a, order="C", copy=True)


class _Move(Primitive):
    """Only moves data: no arithmetic, bytes read + written."""

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


def _bits(mask: int) -> str:
    """r1.6 reads masks as reversed binary strings: bit j is ``_bits(m)[j]``."""
    return bin(mask)[-1:1:-1]


def _on(bits: str, j: int) -> bool:
    return j < len(bits) and bits[j] == "1"


def _dim_slice(
    prim: str, begin: int, end: int, stride: int, shape: tuple[int, ...], i: int
) -> slice:
    """One dimension's range as a Python slice (r1.6's ``_compute_slicing_length`` rules)."""
    if i >= len(shape):
        raise MsValueError(
            f"For 'StridedSlice', the index must be less than the dimension of 'input_x', but got "
            f"the dimension of 'input_x': {len(shape)} and the index: {i}."
        )
    dim = shape[i]
    if stride > 0:
        if begin >= dim or end < -dim:
            return slice(0, 0, 1)
        begin = begin + dim if -dim <= begin < 0 else max(begin, 0)
        end = end + dim if -dim <= end < 0 else min(end, dim)
        return slice(begin, max(end, begin), stride)
    if begin < -dim or end >= dim:
        return slice(0, 0, 1)
    begin = -1 if begin >= dim else (begin - dim if begin >= 0 else begin)
    end = end - dim if 0 <= end < dim else max(end, -dim - 1)
    b, e = begin + dim, end + dim
    if b <= e:
        return slice(0, 0, 1)
    return slice(b, None if e < 0 else e, stride)


class _Plan:
    """How a StridedSlice call indexes its input: a numpy index tuple and the output shape."""

    def __init__(
        self,
        prim: StridedSlice,
        shape: tuple[int, ...],
        begin: tuple[int, ...],
        end: tuple[int, ...],
        strides: tuple[int, ...],
    ) -> None:
        self.prim, self.shape = prim, shape
        self.index: list[Any] = []
        self.out: list[int] = []
        bits = {
            k: _bits(getattr(prim, k))
            for k in (
                "begin_mask",
                "end_mask",
                "ellipsis_mask",
                "new_axis_mask",
                "shrink_axis_mask",
            )
        }
        rank, n = len(shape), len(begin)
        i = j = 0
        while i < rank or j < n:
            if j < n and _on(bits["ellipsis_mask"], j):
                new_after = sum(_on(bits["new_axis_mask"], k) for k in range(j + 1, n))
                occupied = rank - i - (n - (j + 1)) + new_after
                for d in range(i, i + occupied):
                    self._full(d)
                i, j = i + occupied, j + 1
                continue
            if j < n:
                if self._special(bits, j, i, begin[j], end[j], strides[j]):
                    i, j = (i, j + 1) if _on(bits["new_axis_mask"], j) else (i + 1, j + 1)
                    continue
                b, e, s = begin[j], end[j], strides[j]
                if _on(bits["begin_mask"], j):
                    b = -1 if s < 0 else 0
                if _on(bits["end_mask"], j) and i < rank:
                    e = -(shape[i] + 1) if s < 0 else shape[i]
            else:
                b, e, s = 0, shape[i], 1
            sl = _dim_slice(prim.name, b, e, s, shape, i)
            self.index.append(sl)
            self.out.append(len(range(*sl.indices(shape[i]))))
            i, j = i + 1, j + 1

    def _full(self, d: int) -> None:
        self.index.append(slice(None))
        self.out.append(self.shape[d])

    def _special(self, bits: dict[str, str], j: int, i: int, b: int, e: int, s: int) -> bool:
        """New-axis and shrink entries; returns True when entry ``j`` was one of them."""
        if _on(bits["new_axis_mask"], j):
            self.index.append(None)
            self.out.append(1)
            return True
        if not _on(bits["shrink_axis_mask"], j):
            return False
        if _on(bits["begin_mask"], j):
            b = -1 if s < 0 else 0
        dim = self.shape[i] if i < len(self.shape) else 0
        if not -dim <= b < dim or s < 0:
            raise MsIndexError(
                f"For '{self.prim.name}', the 'strides[{i}]' cannot be negative number and "
                f"'begin[{i}]' should be in [-{dim}, {dim}) when 'shrink_axis_mask' is greater than "
                f"0, but got 'shrink_axis_mask': {self.prim.shrink_axis_mask}, 'strides[{i}]': {s}, "
                f"'begin[{i}]': {b}."
            )
        self.index.append(b % dim)
        return True


@register_op
class StridedSlice(_Move):
    """``StridedSlice(begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    (x, begin, end, strides)``: TensorFlow-style strided slicing with r1.6's mask rules."""

    def __init__(
        self,
        begin_mask: int = 0,
        end_mask: int = 0,
        ellipsis_mask: int = 0,
        new_axis_mask: int = 0,
        shrink_axis_mask: int = 0,
    ) -> None:
        super().__init__()
        masks = (
            ("begin_mask", begin_mask),
            ("end_mask", end_mask),
            ("ellipsis_mask", ellipsis_mask),
            ("new_axis_mask", new_axis_mask),
            ("shrink_axis_mask", shrink_axis_mask),
        )
        for name, value in masks:
            self.add_prim_attr(name, value)
        self.init_prim_io_names(inputs=["x", "begin", "end", "strides"], outputs=["output"])
        for name, value in masks[:3]:
            check_int_rel(self.name, name, value, ">=", 0)
            if name == "ellipsis_mask" and _bits(value).count("1") > 1:
                raise MsValueError(
                    f"For '{self.name}', only support one ellipsis in the index, but got "
                    f"{end_mask}."
                )
        for name, value in masks[3:]:
            check_int_rel(self.name, name, value, ">=", 0)

    def _values(self, arg: Any, name: str) -> tuple[int, ...]:
        if not isinstance(arg, tuple):
            raise MsTypeError(
                f"For '{self.name}', both the 'begin', 'end', and 'strides' must be a tuple or "
                f"Tensor, but got '{name}': {arg}."
            )
        if any(not isinstance(v, int) or isinstance(v, bool) for v in arg):
            raise MsTypeError(
                f"For '{self.name}', the elements of 'begin', 'end', and 'strides' must be int, but "
                f"got {name}: {arg}."
            )
        return arg

    def plan(self, shape: tuple[int, ...], begin: Any, end: Any, strides: Any) -> _Plan:
        """Validate the bounds (r1.6's errors) and work out the indexing."""
        b, e, s = (
            self._values(v, n) for v, n in ((begin, "begin"), (end, "end"), (strides, "strides"))
        )
        if 0 in s:
            raise MsValueError(
                f"For '{self.name}', the 'strides' cannot contain 0, but got 'strides': {s}."
            )
        if not len(b) == len(e) == len(s):
            raise MsValueError(
                f"For '{self.name}', 'begin', 'end' and 'strides' must be the same length, but got "
                f"'begin' length: {len(b)}, 'end' length: {len(e)}, 'strides' length: {len(s)}."
            )
        return _Plan(self, tuple(shape), b, e, s)

    def infer(self, x: Any, begin: Any, end: Any, strides: Any) -> Spec:
        if not isinstance(x, Spec):
            raise MsTypeError(
                f"For '{self.name}', the 'input_x' must be a Tensor, but got {type_name(x)}."
            )
        return Spec(tuple(self.plan(x.shape, begin, end, strides).out), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, begin: Any, end: Any, strides: Any) -> np.ndarray:
        x = np.asarray(x)
        return _contiguous(x[tuple(self.plan(x.shape, begin, end, strides).index)])


@register_op
class Slice(_Move):
    """``Slice()(x, begin, size)``: the block of ``size`` starting at ``begin`` (``-1`` in
    ``size`` takes the rest of that dimension)."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x", "begin", "size"], outputs=["output"])

    def infer(self, x: Any, begin: Any, size: Any) -> Spec:
        if not isinstance(x, Spec):
            raise MsTypeError(
                f"For '{self.name}', the 'input_x' must be a Tensor, but got {type_name(x)}."
            )
        check_value_type(self.name, "input begin", begin, [tuple, list])
        check_value_type(self.name, "input size", size, [tuple, list])
        rank = len(x.shape)
        for key, value in (("begin", begin), ("size", size)):
            if len(value) != rank:
                raise MsValueError(
                    f"The 'len of {key}' should be = len x's dim: {rank}, but got {len(value)}."
                )
        out = list(size)
        for i in range(rank):
            if out[i] == -1:
                out[i] = x.shape[i] - begin[i]
            _positive(f"input size[{i}]", out[i], ">", 0)
            _positive(f"input begin[{i}]", begin[i], ">=", 0)
            if x.shape[i] < begin[i] + out[i]:
                raise MsValueError(
                    f"For '{self.name}', the sliced shape can not be greater than origin shape, "
                    f"but got sliced shape is {begin[i] + out[i]}, and origin shape is "
                    f"{shape_str(x.shape)}."
                )
        return Spec(tuple(out), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, begin: Any, size: Any) -> np.ndarray:
        x = np.asarray(x)
        index = tuple(
            slice(b, x.shape[i] if s == -1 else b + s)
            for i, (b, s) in enumerate(zip(begin, size, strict=True))
        )
        return _contiguous(x[index])


def _positive(arg: str, value: Any, rel: str, bound: int) -> None:
    """r1.6's bare ``check_positive_int``/``check_non_negative_int`` (no prim name)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise MsTypeError(f"`{arg}` must be int, but got `{type(value).__name__}`")
    if not (value > bound if rel == ">" else value >= bound):
        raise MsValueError(
            f"`{arg}` should be int and must {rel} {bound}, but got `{value}` with type `int`."
        )


def _take(x: np.ndarray, idx: np.ndarray, axis: int) -> np.ndarray:
    """``np.take`` along ``axis``; negative indices count from the end, and an index still
    outside ``[0, dim)`` gives zeros (r1.6's CPU Gather)."""
    dim = x.shape[axis]
    idx = np.asarray(idx, np.int64)
    idx = np.where(idx < 0, idx + dim, idx)
    bad = (idx < 0) | (idx >= dim)
    out = np.take(x, np.where(bad, 0, idx), axis=axis)
    if bad.any():
        mask = bad.reshape((1,) * axis + idx.shape + (1,) * (x.ndim - axis - 1))
        out = np.where(mask, np.zeros((), x.dtype), out)
    return _contiguous(out)


@register_op
class Gather(_Move):
    """``Gather()(params, indices, axis)``: slices of ``params`` along ``axis`` at ``indices``;
    output shape ``params.shape[:axis] + indices.shape + params.shape[axis+1:]``."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["params", "indices", "axis"], outputs=["output"])

    def infer(self, params: Any, indices: Any, axis: Any) -> Spec:
        for i, arg in enumerate((params, indices)):
            if not isinstance(arg, Spec):
                raise MsTypeError(
                    f"For primitive[{self.name}], the input[{i}] should be a Tensor, but got "
                    f"{_cpp_value_name(arg)}."
                )
        if indices.dtype not in INDEX_TYPES:
            listed = "".join(f" Tensor[{t}]," for t in INDEX_TYPES)
            raise MsTypeError(
                f"For primitive[{self.name}], the input argument[index_type] must be a type of "
                f"{{{listed}}}, but got Tensor[{indices.dtype}]."
            )
        if not isinstance(axis, int) or isinstance(axis, bool):
            listed = "".join(f" {t}," for t in INDEX_TYPES)
            raise MsTypeError(
                f"For primitive[{self.name}], the input argument[axis_type] must be a type of "
                f"{{{listed}}}, but got {type_name(axis)}."
            )
        rank = len(params.shape)
        if not -rank <= axis < rank:
            raise MsValueError(
                f"For primitive[{self.name}], the axis must in [{-rank},{rank}) ,but got {axis}."
            )
        axis %= rank
        shape = params.shape[:axis] + tuple(indices.shape) + params.shape[axis + 1 :]
        return Spec(tuple(shape), params.dtype)

    def kernel(self, ctx: Any, params: np.ndarray, indices: np.ndarray, axis: int) -> np.ndarray:
        params = np.asarray(params)
        return _take(params, np.asarray(indices), axis % params.ndim)


def _cpp_value_name(value: Any) -> str:
    """How r1.6's C++ names a non-tensor value: ``List[Int64*2]``, ``Float32`` ..."""
    if isinstance(value, list | tuple) and value:
        kind = "List" if isinstance(value, list) else "Tuple"
        return f"{kind}[{type_name(value[0])}*{len(value)}]"
    return type_name(value)


@register_op
class GatherNd(_Move):
    """``GatherNd()(x, indices)``: ``indices[..., k]`` address the first ``k`` dimensions of
    ``x``; output shape ``indices.shape[:-1] + x.shape[k:]``."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["input_x", "indices"], outputs=["y"])

    def infer(self, x: Any, indices: Any) -> Spec:
        for i, arg in enumerate((x, indices)):
            if not isinstance(arg, Spec):
                raise MsTypeError(
                    f"For primitive[{self.name}], the input[{i}] should be a Tensor, but got "
                    f"{_cpp_value_name(arg)}."
                )
        if indices.dtype not in INDEX_TYPES:
            listed = "".join(f" Tensor[{t}]," for t in INDEX_TYPES)
            raise MsTypeError(
                f"For primitive[{self.name}], the input argument[indices] must be a type of "
                f"{{{listed}}}, but got Tensor[{indices.dtype}]."
            )
        k = indices.shape[-1] if indices.shape else 0
        if len(x.shape) < k:
            raise MsValueError(
                f"For primitive[{self.name}], the Input of indices data must be greater than or "
                f"equal to {k}, but got {len(x.shape)}."
            )
        return Spec(tuple(indices.shape[:-1]) + tuple(x.shape[k:]), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, indices: np.ndarray) -> np.ndarray:
        x, indices = np.asarray(x), np.asarray(indices, np.int64)
        k = indices.shape[-1]
        lead = indices.reshape(-1, k)
        dims = np.array(x.shape[:k], np.int64)
        bad = ((lead < 0) | (lead >= dims)).any(axis=1)
        safe = np.where(bad[:, None], 0, lead)
        out = x[tuple(safe.T)] if k else np.broadcast_to(x, (lead.shape[0],) + x.shape)
        out = np.array(out, copy=True)
        out[bad] = 0
        return _contiguous(out.reshape(indices.shape[:-1] + x.shape[k:]))
