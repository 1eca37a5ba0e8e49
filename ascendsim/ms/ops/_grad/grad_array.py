"""Rules for array, state, control and communication ops."""

from __future__ import annotations

from typing import Any

from .. import operations as P
from . import register_bprop
from ._util import fit, is_tensor, reduce_to


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
