"""``Tensor.__getitem__`` and ``Tensor.item`` as r1.6 lowers them to primitives.

r1.6 (``ops/composite/multitype_ops/_compile_utils.py``) turns an index into ops, and so does
this module, so indexing runs on the simulated device in PyNative and traces into GRAPH_MODE
graphs (only shapes are needed to pick the ops):

* ``x[i]`` (int): ``StridedSlice`` with ``shrink_axis_mask=1``; ``x[a:b:c]``: ``StridedSlice``
  with begin/end masks for omitted bounds; ``x[None]``: ``ExpandDims``; ``x[True]``:
  ``ExpandDims``; ``x[...]``: ``x`` itself.
* ``x[t]`` (int tensor) and ``x[[0, 2]]`` (list of ints or bools): ``Gather`` on axis 0.
* a tuple: ``...`` expands to full slices, ``None``/``True`` insert axes (``ExpandDims``);
  then ints, slices and ``...`` alone give one ``StridedSlice``; any tensor or list in it
  gives a ``GatherNd`` whose index tensor is built from constant grids for the slices and
  ``Cast``/``Reshape``/``BroadcastTo`` of the tensor indices (NumPy advanced indexing).

Errors are r1.6's: ``IndexError`` for out-of-range ints, bad types and empty lists,
``ValueError`` for a rank outside the supported range. A Python scalar cannot be iterated:
``iter(x)`` uses ``x[0]``, ``x[1]``, ... until ``IndexError``, as in r1.6.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import MsIndexError, MsTypeError, MsValueError
from ..common import dtype as mstype
from . import operations as P

__all__ = ["getitem", "item"]

_OP = "tensor getitem"


def _tensor_cls() -> Any:
    from ..common.tensor import Tensor

    return Tensor


def _judge_dim(ndim: int, low: int, high: int) -> None:
    if not low <= ndim <= high:
        raise MsValueError(
            f"The input data's dim should in the range of[{low}, {high}], bug actually is '{ndim}'"
        )


def _check_range(i: int, dim: int) -> int:
    if i >= dim or i < -dim:
        raise MsIndexError(f"index {i} is out of bounds for dimension with size {dim}")
    return i % dim


def _full_masks(start: int, rank: int) -> int:
    return sum(1 << i for i in range(start, rank))


def getitem(x: Any, index: Any) -> Any:
    """``x[index]`` (see the module docstring)."""
    Tensor = _tensor_cls()
    if isinstance(index, Tensor):
        return _by_tensor(x, index)
    if isinstance(index, list):
        return _by_list(x, index)
    if isinstance(index, tuple):
        return _by_tuple(x, index)
    if isinstance(index, bool):
        _judge_dim(x.ndim, 0, 7)
        if not index:
            raise MsIndexError(
                "When tensor is indexed by a bool object, the value only support 'True'."
            )
        return P.ExpandDims()(x, 0)
    if isinstance(index, int):
        return _by_int(x, index)
    if isinstance(index, slice):
        return _by_slice(x, index)
    if index is None:
        return P.ExpandDims()(x, 0)
    if index is ...:
        return x
    raise MsIndexError(
        "Only support integers, slices(`:`), ellipsis(`...`), None, bool, tensor with int, list "
        f"and tuple ,but got {index} with type {type(index)}."
    )


def _by_int(x: Any, i: int) -> Any:
    if not 1 <= x.ndim <= 8:
        raise MsValueError("Expect Tensor to have dimension between 1 and 8.")
    shape = tuple(x.shape)
    i = _check_range(i, shape[0])
    begin, end, step = (i,) + (0,) * (len(shape) - 1), (i + 1,) + shape[1:], (1,) * len(shape)
    mask = _full_masks(1, len(shape))
    return P.StridedSlice(mask, mask, 0, 0, 1)(x, begin, end, step)


def _slice_bounds(s: slice, dim: int) -> tuple[int, int, int]:
    for part in (s.start, s.stop, s.step):
        if part is not None and not isinstance(part, int):
            raise MsIndexError(
                f"For '{_OP}', the slice bounds must be ints or None (a slice with Tensor bounds "
                f"is not emulated by ascendsim), but got {s}."
            )
    step = 1 if s.step is None else s.step
    start = (-1 if step < 0 else 0) if s.start is None else s.start
    stop = (-(dim + 1) if step < 0 else dim) if s.stop is None else s.stop
    return start, stop, step


def _by_slice(x: Any, s: slice) -> Any:
    _judge_dim(x.ndim, 1, 8)
    shape = tuple(x.shape)
    start, stop, step = _slice_bounds(s, shape[0])
    begin = (start,) + (0,) * (len(shape) - 1)
    end = (stop,) + shape[1:]
    strides = (step,) + (1,) * (len(shape) - 1)
    rest = _full_masks(1, len(shape))
    begin_mask = (1 if s.start is None else 0) + rest
    end_mask = (1 if s.stop is None else 0) + rest
    return P.StridedSlice(begin_mask, end_mask, 0, 0, 0)(x, begin, end, strides)


def _by_tensor(x: Any, t: Any) -> Any:
    _judge_dim(x.ndim, 0, 7)
    if t.dtype not in mstype.int_type:
        raise MsIndexError(f"The tensor index must be int type, but got ({t.dtype!r},).")
    return P.Gather()(x, t, 0)


def _sequence_to_index(seq: list[Any] | tuple[Any, ...], dim: int) -> Any:
    """r1.6's ``sequence_to_index``: an Int64 tensor of the positions, or None when empty."""
    if not seq:
        return None
    if all(isinstance(i, bool) for i in seq):
        if len(seq) != dim:
            raise MsIndexError(
                f"dimension is {dim} but corresponding boolean dimension is {len(seq)}"
            )
        seq = [i for i, keep in enumerate(seq) if keep]
        if not seq:
            return None
    values = [_check_range(int(i), dim) for i in seq]
    return _tensor_cls()(np.array(values, np.int64))


def _by_list(x: Any, index: list[Any]) -> Any:
    _judge_dim(x.ndim, 1, 8)
    if all(isinstance(i, int) for i in index):
        t = _sequence_to_index(index, x.shape[0])
        if t is None:
            raise MsIndexError("When tensor is indexed by list, the list can't be empty.")
        return P.Gather()(x, t, 0)
    return _by_tuple(x, tuple(index))


def _kind(index: Any) -> str:
    Tensor = _tensor_cls()
    if isinstance(index, slice):
        return "slice"
    if index is ...:
        return "ellipsis"
    if index is None:
        return "none"
    if isinstance(index, bool):
        return "bool"
    if isinstance(index, int):
        return "int"
    if isinstance(index, Tensor):
        return "tensor"
    if isinstance(index, list | tuple):
        return "sequence"
    raise MsTypeError(
        f"For '{_OP}', the types only support 'Slice', 'Ellipsis', 'None', 'Tensor', 'int', "
        f"'List', 'Tuple', 'bool', but got {type(index).__name__}."
    )


def _by_tuple(x: Any, index: tuple[Any, ...]) -> Any:
    if not index:
        return x
    kinds = [_kind(i) for i in index]
    if kinds.count("ellipsis") > 1:
        raise MsIndexError(f"For '{_OP}, an index can only have a single ellipsis('...')")
    used = sum(k in ("slice", "int", "tensor", "sequence") for k in kinds)
    occupy = x.ndim - used
    if occupy < 0:  # what r1.6 raises in PyNative (more indices than dimensions)
        raise MsIndexError("tuple index out of range")
    expanded: list[Any] = []
    for i, k in zip(index, kinds, strict=True):
        expanded.extend([slice(None)] * occupy if k == "ellipsis" else [i])
    new_index: list[Any] = []
    for pos, i in enumerate(expanded):
        if i is None or isinstance(i, bool):
            if i is False:
                raise MsIndexError("Bool element of tuple index must be 'True', but got 'False'.")
            x = P.ExpandDims()(x, pos)
            new_index.append(slice(None) if i is None else [0])
        else:
            new_index.append(i)
    _judge_dim(x.ndim, 1, 8)
    if all(
        isinstance(i, slice) or (isinstance(i, int) and not isinstance(i, bool)) for i in new_index
    ):
        return _basic(x, new_index)
    return _advanced(x, new_index)


def _basic(x: Any, index: list[Any]) -> Any:
    """Ints and slices only: one StridedSlice (r1.6's ``_tensor_getitem_by_tuple_slice``)."""
    shape = tuple(x.shape)
    begin, end, step = [], [], []
    begin_mask = end_mask = shrink = 0
    for j, (i, dim) in enumerate(zip(index, shape, strict=False)):
        if isinstance(i, slice):
            b, e, s = _slice_bounds(i, dim)
            begin_mask += (1 << j) if i.start is None else 0
            end_mask += (1 << j) if i.stop is None else 0
        else:
            b, e, s = i, i + 1, 1
            shrink += 1 << j
        begin.append(b)
        end.append(e)
        step.append(s)
    for j in range(len(index), len(shape)):
        begin.append(0)
        end.append(shape[j])
        step.append(1)
        begin_mask += 1 << j
        end_mask += 1 << j
    op = P.StridedSlice(begin_mask, end_mask, 0, 0, shrink)
    return op(x, tuple(begin), tuple(end), tuple(step))


def _advanced(x: Any, index: list[Any]) -> Any:
    """Tensors/lists mixed with ints and slices: one GatherNd (NumPy advanced indexing)."""
    Tensor = _tensor_cls()
    shape = tuple(x.shape)
    tensors: list[tuple[int, Any]] = []  # (position, int64 index tensor)
    slices: list[tuple[int, list[int]]] = []
    for pos, (i, dim) in enumerate(zip(index, shape, strict=False)):
        if isinstance(i, Tensor):
            if i.dtype not in mstype.int_type:
                raise MsIndexError(
                    f"The tensor element in tuple index must be int type, but got ({i.dtype!r},)."
                )
            tensors.append((pos, i if i.dtype == mstype.int64 else P.Cast()(i, mstype.int64)))
        elif isinstance(i, int):
            tensors.append((pos, Tensor(np.array(_check_range(i, dim), np.int64))))
        elif isinstance(i, list | tuple):
            t = _sequence_to_index(i, dim)
            if t is None:
                raise MsIndexError(
                    "The sequence element(tuple/list) in tuple index can't be empty."
                )
            tensors.append((pos, t))
        else:
            elems = list(range(*i.indices(dim)))
            if not elems:
                raise MsIndexError(f"An empty slice is not supported, got {i}")
            slices.append((pos, elems))
    positions = [p for p, _ in tensors]
    contiguous = positions == list(range(positions[0], positions[0] + len(positions)))
    fancy = positions[0] if contiguous else 0
    try:
        bshape = tuple(np.broadcast_shapes(*(tuple(t.shape) for _, t in tensors)))
    except ValueError as exc:
        raise MsIndexError(f"For '{_OP}', the tensor indices can not broadcast: {exc}") from None
    slice_shapes = [len(e) for _, e in slices]
    final = tuple(slice_shapes[:fancy]) + bshape + tuple(slice_shapes[fancy:])
    lead = (1,) * len(slice_shapes[:fancy])
    trail = (1,) * len(slice_shapes[fancy:])
    parts: dict[int, Any] = {}
    for pos, t in tensors:
        if tuple(t.shape) != bshape:
            t = P.BroadcastTo(bshape)(t)
        t = P.Reshape()(t, lead + bshape + trail)
        parts[pos] = P.BroadcastTo(final)(t) if lead + bshape + trail != final else t
    for cnt, (pos, elems) in enumerate(slices):
        grid = [1] * len(slice_shapes)
        grid[cnt] = len(elems)
        grid = grid[:fancy] + [1] * len(bshape) + grid[fancy:]
        values = np.broadcast_to(np.array(elems, np.int64).reshape(grid), final)
        parts[pos] = Tensor(np.ascontiguousarray(values))
    stacked = P.Stack(-1)(tuple(parts[p] for p in sorted(parts)))
    return P.GatherNd()(x, stacked)


def item(x: Any, index: Any = None) -> Any:
    """r1.6's ``Tensor.item(index=None)``: a 0-d Tensor (not a Python number).

    ``index`` None needs a ``(1,)``-shaped tensor (r1.6 refuses a 0-d one); an int indexes the
    flattened tensor; a tuple of ints, one per dimension, picks one element.
    """
    args = index if isinstance(index, tuple) else (index,)
    if not args or args[0] is None:
        if tuple(x.shape) == (1,):
            return x
        raise MsValueError("Can only convert an array of size 1 to a Python scalar")
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        raise MsTypeError("The index object cannot be interpreted as an integer")
    if len(args) == x.ndim:
        return _basic(x, list(args))
    if len(args) > 1:
        raise MsValueError("Incorrect number of indices for array")
    return _by_int(P.Reshape()(x, (-1,)), args[0])
