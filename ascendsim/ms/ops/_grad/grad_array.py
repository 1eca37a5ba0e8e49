"""Rules for array, state, control and communication ops.

Slicing and gathering follow r1.6's rules with the ops ascendsim has (see
:mod:`._util`): StridedSlice and Slice put ``dout`` back in place with zeros around it
(r1.6's ``StridedSliceGrad``/``SliceGrad``); Gather adds the rows of repeated indices and
drops out-of-range ones (``UnsortedSegmentSum``); GatherNd scatters with ``ScatterNd``.
Concat/Split, Stack/Unstack are each other's gradients; a multi-output op's unused outputs
contribute zeros.
"""

from __future__ import annotations

from typing import Any

from ...common import dtype as mstype
from .. import operations as P
from . import register_bprop
from ._util import fit, is_tensor, place, prod, reduce_to, segment_sum


def _none(inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(None for _ in inputs)


@register_bprop("Cast")
def _cast(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x = inputs[0]
    if not is_tensor(x):
        return None, None
    return (P.Cast()(dout, x.dtype) if dout.dtype != x.dtype else dout), None


@register_bprop("Reshape", "Flatten", "ExpandDims", "Squeeze")
def _reshape(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x = inputs[0]
    return (P.Reshape()(dout, tuple(x.shape)),) + _none(inputs[1:])


@register_bprop("Transpose")
def _transpose(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    _, perm = inputs
    inverse = tuple(sorted(range(len(perm)), key=lambda i: perm[i]))
    return P.Transpose()(dout, inverse), None


@register_bprop("Select")
def _select(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    cond, x, y = inputs
    zeros = P.ZerosLike()(dout)
    select = P.Select()
    return None, select(cond, dout, zeros), select(cond, zeros, dout)


@register_bprop("BroadcastTo")
def _broadcast_to(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (reduce_to(dout, tuple(inputs[0].shape)),)


@register_bprop("Identity")
def _identity(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (dout,)


@register_bprop("Depend")
def _depend(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (dout,) + _none(inputs[1:])


@register_bprop("Assign", "AssignAdd", "AssignSub")
def _assign(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    # r1.6: the variable receives dout, the value nothing
    return fit(dout, inputs[0]), None


# no gradient flows through these (constants, state updates, status ops, output)
@register_bprop("OnesLike", "ZerosLike", "Fill", "Shape", "DType", "OneHot", "ApplyMomentum",
                "SGD", "NPUAllocFloatStatus", "NPUClearFloatStatus", "NPUGetFloatStatus",
                "FloatStatus", "Print")  # fmt: skip
def _no_grad(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return _none(inputs)


@register_bprop("AllReduce")
def _all_reduce(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    if prim.op != "sum":
        return (None,)  # r1.6 defines the gradient of a sum all-reduce only
    return (P.AllReduce(prim.op, prim.group)(dout),)


@register_bprop("Broadcast")
def _broadcast(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return tuple(dout) if isinstance(dout, tuple) else (dout,)


def _filled(douts: tuple[Any, ...], outs: tuple[Any, ...]) -> tuple[Any, ...]:
    """A multi-output op's output gradients, zeros where none arrived."""
    return tuple(P.ZerosLike()(o) if d is None else d for d, o in zip(douts, outs, strict=True))


@register_bprop("StridedSlice")
def _strided_slice(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, begin, end, strides = inputs
    shape = tuple(x.shape)
    plan = prim.plan(shape, begin, end, strides)
    picks = []  # per input dimension, the positions read (a shrunk dimension reads one)
    for entry in plan.index:
        if entry is None:  # a new axis
            continue
        dim = shape[len(picks)]
        picks.append(range(*entry.indices(dim)) if isinstance(entry, slice) else [entry])
    g = dout
    kept = tuple(len(p) for p in picks)
    if tuple(g.shape) != kept:
        g = P.Reshape()(g, kept)
    for axis, picked in enumerate(picks):
        g = place(g, axis, picked, shape[axis])
    return g, None, None, None


@register_bprop("Slice")
def _slice(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, begin, size = inputs
    g = dout
    for axis, (b, n, dim) in enumerate(zip(begin, size, x.shape, strict=True)):
        g = place(g, axis, range(b, dim if n == -1 else b + n), dim)
    return g, None, None


@register_bprop("Gather")
def _gather(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, indices, axis = inputs
    shape = tuple(x.shape)
    axis %= len(shape)
    n, lead, rest = prod(indices.shape), shape[:axis], shape[axis + 1 :]
    # r1.6: the index dimensions first, then UnsortedSegmentSum over the rows, then back
    g = dout
    k = len(indices.shape)
    if axis:
        perm = tuple(range(axis, axis + k)) + tuple(range(axis)) + tuple(
            range(axis + k, len(dout.shape)))  # fmt: skip
        g = P.Transpose()(g, perm)
    g = P.Reshape()(g, (n,) + lead + rest)
    ids = P.Reshape()(indices, (n,))
    g = segment_sum(g, ids, shape[axis])
    if axis:
        g = P.Transpose()(g, tuple(range(1, axis + 1)) + (0,) + tuple(range(axis + 1, len(shape))))
    return g, None, None


@register_bprop("GatherNd")
def _gather_nd(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, indices = inputs
    return P.ScatterNd()(indices, dout, tuple(x.shape)), None  # r1.6's rule


@register_bprop("Concat")
def _concat(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    shapes = [tuple(x.shape) for x in inputs]
    rank = len(shapes[0])
    axis = prim.axis % rank
    if all(s == shapes[0] for s in shapes):  # r1.6: one Split when the inputs are alike
        return tuple(P.Split(prim.axis, len(inputs))(dout))
    grads, offset = [], 0
    for s in shapes:
        begin = tuple(offset if i == axis else 0 for i in range(rank))
        grads.append(P.Slice()(dout, begin, s))
        offset += s[axis]
    return tuple(grads)


@register_bprop("Split")
def _split(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (P.Concat(prim.axis)(_filled(dout, out)),)


@register_bprop("Stack")
def _stack(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return tuple(P.Unstack(prim.axis)(dout))


@register_bprop("Unstack")
def _unstack(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (P.Stack(prim.axis)(_filled(dout, out)),)


@register_bprop("Tile")
def _tile(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, multiples = inputs
    shape = tuple(x.shape)
    padded = (1,) * (len(multiples) - len(shape)) + shape
    # r1.6: (m0, d0, m1, d1, ...) and a sum over the copies
    split = tuple(v for m, d in zip(multiples, padded, strict=True) for v in (m, d))
    g = P.Reshape()(dout, split)
    dtype = g.dtype
    if dtype in (mstype.int16, mstype.int32, mstype.int64):  # r1.6 sums those in float32
        g = P.Cast()(g, mstype.float32)
    g = P.ReduceSum()(g, tuple(range(0, len(split), 2)))
    if g.dtype != dtype:
        g = P.Cast()(g, dtype)
    return P.Reshape()(g, shape), None


@register_bprop("TensorSetItem")
def _tensor_set_item(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    """``x[index] = value``: ``x`` gets ``dout`` with the assigned part zeroed, ``value`` the
    assigned part of ``dout`` summed back to its shape; the index tensors get nothing."""
    from .._tensor_index import getitem

    x, value, *index_tensors = inputs
    dx = type(prim)(prim.index)(dout, P.ZerosLike()(value), *index_tensors)
    if value.dtype not in (mstype.float16, mstype.float32, mstype.float64):
        return (dx, None, *([None] * len(index_tensors)))
    masks = [t for t in index_tensors if t.dtype == mstype.bool_]
    if masks:  # x[mask] = value: a scalar-like value collects dout where the mask holds
        picked = P.Select()(P.BroadcastTo(tuple(dout.shape))(masks[0]), dout, P.ZerosLike()(dout))
        dvalue = P.ReduceSum(keep_dims=False)(picked, ())
    else:
        dvalue = getitem(dout, prim._numpy_index(tuple(index_tensors)))
    return (dx, fit(dvalue, value), *([None] * len(index_tensors)))
