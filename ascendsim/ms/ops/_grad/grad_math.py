"""Rules for arithmetic, comparison, reduction and matrix-product ops."""

from __future__ import annotations

from typing import Any

from .. import operations as P
from ..operations.reduce_ops import normalize_axis
from . import register_bprop
from ._util import fit, is_tensor, keep_dims_shape, reduce_to


@register_bprop("Add")
def _add(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, y = inputs
    return fit(dout, x), fit(dout, y)


@register_bprop("Sub")
def _sub(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, y = inputs
    return fit(dout, x), (fit(P.Neg()(dout), y) if is_tensor(y) else None)


@register_bprop("Mul")
def _mul(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, y = inputs
    mul = P.Mul()
    return (fit(mul(dout, y), x) if is_tensor(x) else None,
            fit(mul(dout, x), y) if is_tensor(y) else None)  # fmt: skip


@register_bprop("RealDiv", "Div")
def _div(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, y = inputs
    div = P.RealDiv()
    dx = fit(div(dout, y), x) if is_tensor(x) else None
    dy = fit(P.Neg()(div(P.Mul()(dout, out), y)), y) if is_tensor(y) else None
    return dx, dy


def _pick(cond: Any, dout: Any) -> tuple[Any, Any]:
    zeros = P.ZerosLike()(dout)
    select = P.Select()
    return select(cond, dout, zeros), select(cond, zeros, dout)


@register_bprop("Maximum", "Minimum")
def _max_min(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, y = inputs
    cmp = P.GreaterEqual() if prim.name == "Maximum" else P.LessEqual()
    cond = cmp(x, y)
    if tuple(cond.shape) != tuple(dout.shape):
        cond = P.BroadcastTo(tuple(dout.shape))(cond)
    to_x, to_y = _pick(cond, dout)
    return fit(to_x, x), fit(to_y, y)


@register_bprop("AddN")
def _addn(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return tuple(dout for _ in inputs)


@register_bprop("Neg")
def _neg(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (P.Neg()(dout),)


@register_bprop("Square")
def _square(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    (x,) = inputs
    return (P.Mul()(dout, P.Mul()(x, 2.0)),)


@register_bprop("Sqrt")
def _sqrt(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (P.RealDiv()(dout, P.Mul()(out, 2.0)),)


@register_bprop("Exp")
def _exp(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (P.Mul()(dout, out),)


@register_bprop("Log")
def _log(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (P.RealDiv()(dout, inputs[0]),)


@register_bprop("Reciprocal")
def _reciprocal(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    mul = P.Mul()
    return (P.Neg()(mul(dout, mul(out, out))),)


@register_bprop("Abs")
def _abs(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    (x,) = inputs
    cast = P.Cast()
    sign = P.Sub()(cast(P.Greater()(x, 0), x.dtype), cast(P.Less()(x, 0), x.dtype))
    return (P.Mul()(dout, sign),)


# ops whose outputs carry no gradient back (comparisons, logic, finiteness)
@register_bprop("Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual",
                "LogicalAnd", "LogicalOr", "LogicalNot", "IsFinite")  # fmt: skip
def _no_grad(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return tuple(None for _ in inputs)


def _expand_back(prim: Any, x: Any, g: Any, axis: Any) -> tuple[Any, tuple[int, ...]]:
    """``g`` (a reduction's output gradient) reshaped to keep-dims and broadcast to ``x``."""
    axes = normalize_axis(prim.name, axis, len(x.shape))
    kept = keep_dims_shape(tuple(x.shape), axes)
    if tuple(g.shape) != kept:
        g = P.Reshape()(g, kept)
    return P.BroadcastTo(tuple(x.shape))(g), axes


@register_bprop("ReduceSum")
def _reduce_sum(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, axis = (inputs + ((),))[:2]
    g, _ = _expand_back(prim, x, dout, axis)
    return g, None


@register_bprop("ReduceMean")
def _reduce_mean(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, axis = (inputs + ((),))[:2]
    g, axes = _expand_back(prim, x, dout, axis)
    n = 1
    for a in axes:
        n *= x.shape[a]
    return P.Mul()(g, 1.0 / max(n, 1)), None


@register_bprop("ReduceMax", "ReduceMin")
def _reduce_extreme(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, axis = (inputs + ((),))[:2]
    full_out, axes = _expand_back(prim, x, out, axis)
    full_dout, _ = _expand_back(prim, x, dout, axis)
    hits = P.Cast()(P.Equal()(x, full_out), x.dtype)
    count = P.ReduceSum(keep_dims=True)(hits, axes)
    share = P.RealDiv()(hits, P.BroadcastTo(tuple(x.shape))(count))
    return P.Mul()(share, full_dout), None


@register_bprop("MatMul", "BatchMatMul")
def _matmul(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    a, b = inputs
    ta, tb = prim.transpose_a, prim.transpose_b
    mm = P.BatchMatMul if prim.name == "BatchMatMul" else P.MatMul
    if not ta and not tb:
        da, db = mm(False, True)(dout, b), mm(True, False)(a, dout)
    elif not ta and tb:
        da, db = mm(False, False)(dout, b), mm(True, False)(dout, a)
    elif ta and not tb:
        da, db = mm(False, True)(b, dout), mm(False, False)(a, dout)
    else:
        da, db = mm(True, True)(b, dout), mm(True, True)(dout, a)
    return _batch_fit(da, a), _batch_fit(db, b)


def _batch_fit(g: Any, x: Any) -> Any:
    if tuple(g.shape) == tuple(x.shape):
        return g
    return reduce_to(g, tuple(x.shape))
