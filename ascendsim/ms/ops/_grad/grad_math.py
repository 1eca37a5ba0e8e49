"""Rules for arithmetic, comparison, reduction and matrix-product ops.

As r1.6: ``Floor`` and ``FloorDiv`` give no gradient (zeros); ``FloorMod`` gives ``dout`` to
``x`` and ``-dout * (x // y)`` to ``y``; ``Pow`` gives ``y * x**(y-1) * dout`` to ``x`` and
``out * log(x) * dout`` to ``y``, with ``log(1)`` where ``x < 0``. ``ReduceProd``'s rule is
r1.6's exclusive running products from both sides, which r1.6 runs with ``CumProd``: that op
has no CPU kernel in r1.6, so on the CPU target the rule raises r1.6's error; like r1.6's, it
treats ``axis=()`` (reduce everything) as reducing nothing in its products, so that gradient is
``dout`` itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsRuntimeError
from ... import context
from .. import operations as P
from ..operations.reduce_ops import normalize_axis
from . import register_bprop
from ._util import fit, is_tensor, keep_dims_shape, prod, reduce_to


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


@register_bprop("Pow")
def _pow(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, power = inputs
    mul = P.Mul()
    dx = dpower = None
    if is_tensor(x):
        less_one = P.Sub()(power, 1.0) if is_tensor(power) else power - 1.0
        dx = fit(mul(mul(P.Pow()(x, less_one), power), dout), x)
    if is_tensor(power):
        if is_tensor(x):  # r1.6: log(1) where x < 0
            base = P.Select()(P.Less()(x, 0), P.OnesLike()(x), x)
        else:
            base = P.Fill()(out.dtype, (), x if x >= 0 else 1)
        dpower = fit(mul(mul(out, P.Log()(base)), dout), power)
    return dx, dpower


@register_bprop("Floor", "stop_gradient")
def _floor(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (None,)  # r1.6: zeros (stop_gradient: nothing flows back through it)


@register_bprop("FloorDiv")
def _floor_div(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return None, None  # r1.6: zeros


@register_bprop("FloorMod")
def _floor_mod(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, y = inputs
    dy = fit(P.Mul()(P.Neg()(dout), P.FloorDiv()(x, y)), y) if is_tensor(y) else None
    return fit(dout, x), dy


@register_bprop("Sin")
def _sin(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (P.Mul()(dout, P.Cos()(inputs[0])),)


@register_bprop("Cos")
def _cos(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (P.Mul()(dout, P.Neg()(P.Sin()(inputs[0]))),)


#: r1.6's ``2 / sqrt(pi)``, computed in float32
_TWO_OVER_ROOT_PI = float(np.float32(2) / np.sqrt(np.float32(np.pi)))


@register_bprop("Erf")
def _erf(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    (x,) = inputs
    mul = P.Mul()
    return (mul(mul(dout, _TWO_OVER_ROOT_PI), P.Exp()(P.Neg()(P.Square()(x)))),)


@register_bprop("CumSum")
def _cumsum(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    _, axis = inputs
    return P.CumSum(prim.exclusive, not prim.reverse)(dout, axis), None


@register_bprop("ReduceProd")
def _reduce_prod(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, axis = (inputs + ((),))[:2]
    target = context.get_context("device_target")
    if target == "CPU":
        raise MsRuntimeError(
            "For 'CumProd, the CPU platform is not supported! (the gradient of ReduceProd "
            "takes CumProd, which r1.6 runs only on Ascend or GPU: set "
            'context.set_context(device_target="Ascend"))'
        )
    grad, _ = _expand_back(prim, x, dout, axis)
    shape = tuple(x.shape)
    rank = len(shape)
    # r1.6's _split_shape_index: the reduced axes first, packed into one (none for axis=())
    reduced = tuple(a % rank for a in ((axis,) if isinstance(axis, int) else tuple(axis)))
    perm = reduced + tuple(i for i in range(rank) if i not in reduced)
    pack = (prod(shape[a] for a in reduced), prod(shape[a] for a in perm[len(reduced) :]))
    moved = P.Transpose()(x, perm) if perm != tuple(range(rank)) else x
    rows = P.Reshape()(moved, pack)
    others = _exclusive_products(rows, pack)
    others = P.Reshape()(others, tuple(moved.shape))
    if perm != tuple(range(rank)):
        others = P.Transpose()(others, tuple(sorted(range(rank), key=lambda i: perm[i])))
    return P.Mul()(others, grad), None


def _exclusive_products(rows: Any, pack: tuple[int, int]) -> Any:
    """Each row's product of the other rows: the exclusive running products from the front
    times those from the back (r1.6's two ``CumProd``), each multiplied in order."""
    n, width = pack
    if n == 1:
        return P.OnesLike()(rows)
    mul = P.Mul()
    each = P.Split(0, n)(rows)
    ones = P.Ones()((1, width), rows.dtype)
    front, back = [ones, each[0]], [ones, each[n - 1]]
    for i in range(1, n - 1):
        front.append(mul(front[-1], each[i]))
        back.append(mul(back[-1], each[n - 1 - i]))
    return mul(P.Concat(0)(tuple(front)), P.Concat(0)(tuple(back[::-1])))
