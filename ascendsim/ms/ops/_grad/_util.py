"""Helpers shared by the differentiation rules (they emit primitive calls).

r1.6 expresses several gradients with dedicated kernels ascendsim does not have as ops
(``StridedSliceGrad``, ``SliceGrad``, ``UnsortedSegmentSum``, ``CumProd``, ...); the helpers
here rebuild them from ops it has, with the same values: :func:`place` puts a selection's
gradient back in place (concatenated zeros, or a gather from a zero-padded copy),
:func:`segment_sum` adds rows by id (``ScatterNd``), :func:`running_total` sums along an axis in
order, as a C loop does (the last step of a ``CumSum``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...common import dtype as mstype
from .. import operations as P

__all__ = ["is_tensor", "reduce_to", "fit", "keep_dims_shape", "first", "zeros", "place",
           "segment_sum", "running_total", "prod"]  # fmt: skip


def is_tensor(x: Any) -> bool:
    """A Tensor or Parameter (symbolic or concrete)."""
    return hasattr(x, "shape") and isinstance(getattr(x, "dtype", None), mstype.Type)


def reduce_to(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``g`` over the axes that broadcasting added or stretched to reach ``shape``."""
    gshape = tuple(g.shape)
    shape = tuple(shape)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = list(range(lead))
    axes += [lead + i for i, d in enumerate(shape) if d == 1 and gshape[lead + i] != 1]
    if axes:
        g = P.ReduceSum(keep_dims=False)(g, tuple(axes))
    if tuple(g.shape) != shape:
        g = P.Reshape()(g, shape)
    return g


def fit(g: Any, x: Any) -> Any:
    """The gradient ``g`` made to fit input ``x``: None for non-tensors, summed over
    broadcast axes, cast to ``x``'s dtype."""
    if g is None or not is_tensor(x):
        return None
    g = reduce_to(g, tuple(x.shape))
    if g.dtype != x.dtype:
        g = P.Cast()(g, x.dtype)
    return g


def keep_dims_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    """``shape`` with the reduced ``axes`` kept as size 1."""
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


def first(dout: Any) -> Any:
    """The gradient of output 0 of a (possibly multi-output) op."""
    return dout[0] if isinstance(dout, tuple) else dout


def prod(dims: Any) -> int:
    """The product of ``dims`` (1 for none)."""
    n = 1
    for d in dims:
        n *= int(d)
    return n


def zeros(shape: tuple[int, ...], dtype: Any) -> Any:
    """A tensor of zeros."""
    return P.Zeros()(tuple(shape), dtype)


def place(g: Any, axis: int, picked: Any, dim: int) -> Any:
    """The gradient of picking the distinct positions ``picked`` (in ``g``'s order along
    ``axis``) out of ``dim``: ``g`` put back at those positions, zeros elsewhere.

    A contiguous ascending run is padded with concatenated zeros (SliceGrad); any other pick
    (strides, reversal) gathers from ``g`` with one zero slice appended, each position reading
    its own slice or the zeros."""
    picked = list(picked)
    if picked == list(range(dim)):
        return g

    def block(n: int) -> Any:
        shape = list(g.shape)
        shape[axis] = n
        return zeros(tuple(shape), g.dtype)

    if not picked:
        return block(dim)
    lo, n = picked[0], len(picked)
    if picked == list(range(lo, lo + n)):
        parts = ([block(lo)] if lo else []) + [g] + ([block(dim - lo - n)] if lo + n < dim else [])
        return P.Concat(axis)(tuple(parts))
    from ...common.tensor import Tensor

    where = {p: i for i, p in enumerate(picked)}
    index = Tensor(np.array([where.get(i, n) for i in range(dim)], np.int32))
    return P.Gather()(P.Concat(axis)((g, block(1))), index, axis)


def segment_sum(values: Any, ids: Any, depth: int) -> Any:
    """r1.6's ``UnsortedSegmentSum``: row ``k`` of the result (``depth`` rows, each shaped like
    ``values.shape[1:]``) adds, in order, the rows ``i`` of ``values`` with ``ids[i] == k``;
    rows whose id is outside ``[0, depth)`` are dropped (``ids`` is 1-d)."""
    if ids.dtype not in (mstype.int32, mstype.int64):
        ids = P.Cast()(ids, mstype.int32)
    rest = tuple(values.shape[1:])
    # out-of-range ids go to one extra row, cut off afterwards
    inside = P.LogicalAnd()(P.GreaterEqual()(ids, 0), P.Less()(ids, depth))
    ids = P.Select()(inside, ids, P.Fill()(ids.dtype, tuple(ids.shape), depth))
    total = P.ScatterNd()(P.ExpandDims()(ids, -1), values, (depth + 1,) + rest)
    return P.Slice()(total, (0,) * (1 + len(rest)), (depth,) + rest)


def running_total(g: Any, axis: int) -> Any:
    """The sum of ``g`` along ``axis`` added in order, as r1.6's CPU kernels accumulate
    (``for j: total += g[j]``), kept as a dimension of size 1."""
    n = g.shape[axis]
    begin = [0] * len(g.shape)
    begin[axis] = n - 1
    size = list(g.shape)
    size[axis] = 1
    return P.Slice()(P.CumSum()(g, axis), tuple(begin), tuple(size))
