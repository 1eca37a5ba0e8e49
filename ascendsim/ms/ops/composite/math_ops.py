"""r1.6's composite helpers built from primitives: ``clip_by_value``, ``clip_by_global_norm``,
``matmul``, ``repeat_elements``.

Each makes the primitive calls r1.6's version makes (so values, dtypes and the errors of the
primitives are theirs) and r1.6's own argument checks with its messages (captured from 1.6.1
on CPU, recorded in ``tests/ops/test_ops_added.py``).
"""

from __future__ import annotations

from typing import Any

from ....errors import MsTypeError, MsValueError
from ...common import dtype as mstype
from .. import operations as P
from .._checks import check_int_range, check_int_rel

__all__ = ["clip_by_value", "clip_by_global_norm", "matmul", "repeat_elements"]


def clip_by_value(x: Any, clip_value_min: Any, clip_value_max: Any) -> Any:
    """``max(min(x, clip_value_max), clip_value_min)`` (so ``min > max`` gives ``min``)."""
    x_min = P.Minimum()(x, clip_value_max)
    return P.Maximum()(x_min, clip_value_min)


def clip_by_global_norm(x: Any, clip_norm: float = 1.0, use_norm: Any = None) -> tuple[Any, ...]:
    """Scale the tensors of ``x`` by ``clip_norm / max(global_norm, clip_norm)``, where
    ``global_norm`` is the L2 norm of all of them together (computed in float32); each result
    keeps its tensor's dtype.

    Raises:
        MsValueError: ``clip_norm`` <= 0; ``use_norm`` not None.
        MsTypeError: ``clip_norm`` not a number; ``x`` not a tuple or list of tensors.
    """
    if isinstance(clip_norm, bool) or not isinstance(clip_norm, int | float):
        raise MsTypeError(
            f"For 'clip_by_global_norm', the type of `clip_norm` should be one of '['int', "
            f"'float']', but got '{clip_norm}' with type '{type(clip_norm).__name__}'."
        )
    if not clip_norm > 0.0:
        raise MsValueError(
            f"For 'clip_by_global_norm' the `clip_norm` must > 0.0, but got {clip_norm}."
        )
    if use_norm is not None:
        raise MsValueError(
            "For '_ClipByGlobalNorm', input 'use_norm' only supports None currently, but got "
            f"'use_norm': {use_norm}"
        )
    if not isinstance(x, tuple | list):
        raise MsTypeError("The input of AddN must be list or tuple of tensors.")
    from ...common.tensor import Tensor

    clip = Tensor([float(clip_norm)], mstype.float32)
    squares = []
    for t in x:
        norm = P.ReduceSum(False)(P.Square()(t), ())
        squares.append(P.ExpandDims()(P.Cast()(norm, mstype.float32), 0))
    global_norm = P.Sqrt()(P.AddN()(tuple(squares)))
    cond = P.GreaterEqual()(global_norm, clip)
    global_norm = P.Select()(cond, global_norm, clip)
    return tuple(P.Cast()(P.RealDiv()(P.Mul()(t, clip), global_norm), t.dtype) for t in x)


def _broadcast(a: tuple[int, ...], b: tuple[int, ...], prim: str) -> tuple[int, ...]:
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da != db and 1 not in (da, db):
            raise MsValueError(
                f"For '{prim}', the batch dimensions of the inputs {a} and {b} cannot be broadcast."
            )
        out.append(max(da, db))
    return tuple(reversed(out))


def matmul(x1: Any, x2: Any, dtype: Any = None) -> Any:
    """NumPy-style matrix product (1-D operands, broadcast batch dimensions), through
    ``MatMul`` or ``BatchMatMul`` as r1.6 does; mixed dtypes are computed in float32.

    Raises:
        MsValueError: the contracted dimensions differ; the batch dimensions do not broadcast.
    """
    if x1.dtype != x2.dtype:
        x1 = P.Cast()(x1, mstype.float32)
        x2 = P.Cast()(x2, mstype.float32)
    s1, s2 = tuple(x1.shape), tuple(x2.shape)
    n1, n2 = len(s1), len(s2)
    if n1 == 0 or n2 == 0:
        raise MsValueError("For 'matmul', the input tensors must not be scalars.")
    transpose_b = n2 == 1
    if n2 >= 2 and s1[-1] != s2[-2]:
        raise MsValueError(
            "For 'matmul', the shape1[-1] should be equal to shape2[-2] when the length of shape2 "
            f"is greater than or equal to 2, but got shape1[-1]: {s1[-1]}, shape2[-2]: {s2[-2]}."
        )
    if n2 == 1 and s1[-1] != s2[0]:
        raise MsValueError(
            "For 'matmul', the shape1[-1] should be equal to shape2[0] when the length of shape2 "
            f"is 1, but got shape1[-1]: {s1[-1]}, shape2[0]: {s2[0]}."
        )
    backbone = _broadcast(s1[:-2], s2[:-2], "matmul")
    rem = ((s1[-2],) if n1 >= 2 else ()) + ((s2[-1],) if n2 >= 2 else ())
    shape_out = backbone + rem
    if n1 < 2:
        x1 = P.Reshape()(x1, (1,) + s1)
    if n2 < 2:
        x2 = P.Reshape()(x2, (1,) + s2)
    if len(x2.shape) == 2:
        if len(x1.shape) > 2:
            x1 = P.Reshape()(x1, (-1, s1[-1]))
        res = P.MatMul(False, transpose_b)(x1, x2)
    else:
        nd = max(len(x1.shape), len(x2.shape))
        x1 = P.Reshape()(x1, (1,) * (nd - len(x1.shape)) + tuple(x1.shape))
        x2 = P.Reshape()(x2, (1,) * (nd - len(x2.shape)) + tuple(x2.shape))
        if tuple(x1.shape[:-2]) != backbone:
            x1 = P.BroadcastTo(backbone + tuple(x1.shape[-2:]))(x1)
        if tuple(x2.shape[:-2]) != backbone:
            x2 = P.BroadcastTo(backbone + tuple(x2.shape[-2:]))(x2)
        res = P.BatchMatMul(False, transpose_b)(x1, x2)
    if dtype is not None:
        res = P.Cast()(res, dtype)
    return P.Reshape()(res, shape_out)


def repeat_elements(x: Any, rep: int, axis: int = 0) -> Any:
    """Repeat each element of ``x`` ``rep`` times along ``axis`` (``ExpandDims``, ``Tile``,
    ``Reshape``, as r1.6).

    Raises:
        MsTypeError: ``x`` of a non-number dtype; ``rep`` or ``axis`` not an int.
        MsValueError: ``rep`` <= 0; ``axis`` out of ``[-rank, rank)``.
    """
    if x.dtype not in mstype.number_type:
        listed = ", ".join(repr(t) for t in mstype.number_type)
        raise MsTypeError(
            f"The 'input x' doesn't support {x.dtype}' and expect to receive ({listed})."
        )
    check_int_rel("repeat_elements", "rep", rep, ">", 0)
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise MsTypeError(
            f"For 'repeat_elements', the type of 'axis' must be int, but got "
            f"`{type(axis).__name__}`"
        )
    rank = len(x.shape)
    check_int_range("repeat_elements", "axis", axis, -rank, rank, "[)")
    axis = axis % rank
    expanded = P.ExpandDims()(x, axis + 1)
    reps = tuple(rep if i == axis + 1 else 1 for i in range(rank + 1))
    tiled = P.Tile()(expanded, reps)
    shape = tuple(d * rep if i == axis else d for i, d in enumerate(x.shape))
    return P.Reshape()(tiled, shape)
