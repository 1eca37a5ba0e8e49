"""``mindspore.ops.functional`` (conventionally ``F``): ready-made op instances and helpers.

As in r1.6, most names are primitive *instances* (``F.cast`` is ``P.Cast()``, ``F.depend`` is
``P.Depend()``), so ``F.cast(x, mstype.float16)`` is one op call. The few functions
(``select``, ``identity``, ``partial``, ``rank``, ``size``,
``scalar_to_tensor``) behave as r1.6's. ``stop_gradient`` is r1.6's ``stop_gradient`` primitive:
the identity forward, no gradient backward (a non-tensor argument is returned as is).
"""

from __future__ import annotations

import functools as _functools
from collections.abc import Callable as _Callable
from typing import Any as _Any

from ...errors import MsTypeError as _MsTypeError
from ...errors import MsValueError as _MsValueError
from ..common import dtype as mstype
from ..common.tensor import Tensor
from . import operations as P
from ._custom import constexpr
from .operations.array_ops3 import StopGradient as _StopGradient
from .primitive import Primitive  # noqa: F401  (r1.6 F exposes it)

__all__ = [
    "depend", "tensor_add", "add", "tensor_sub", "sub", "tensor_mul", "mul", "tensor_div", "div",
    "neg_tensor", "tensor_lt", "less", "tensor_le", "le", "tensor_gt", "gt", "tensor_ge", "ge",
    "equal", "not_equal", "maximum", "minimum", "logical_not", "logical_and", "logical_or",
    "cast", "reshape", "fill", "shape", "dtype", "isfinite", "square", "sqrt", "tensor_exp", "exp",
    "log", "absolute", "addn", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min",
    "assign", "assign_add", "assign_sub", "ones_like", "zeros_like", "expand_dims", "squeeze",
    "transpose", "print_", "select", "identity", "partial", "stop_gradient", "rank", "size",
    "scalar_to_tensor", "mstype",
    "tensor_pow", "pows", "tensor_floordiv", "floordiv", "tensor_mod", "floormod", "tile",
    "tensor_slice", "strided_slice", "reduce_prod", "floor", "sin", "cos", "tanh", "erf",
    "gather", "gather_nd", "stack", "cumsum", "constexpr", "P", "Tensor",
    "isnan", "sort", "scatter_nd", "gather_d", "tensor_scatter_update", "eye",
]  # fmt: skip

depend = P.Depend()
tensor_add = P.Add()
add = tensor_add
tensor_sub = P.Sub()
sub = tensor_sub
tensor_mul = P.Mul()
mul = tensor_mul
tensor_div = P.RealDiv()
div = tensor_div
neg_tensor = P.Neg()
tensor_lt = P.Less()
less = tensor_lt
tensor_le = P.LessEqual()
le = tensor_le
tensor_gt = P.Greater()
gt = tensor_gt
tensor_ge = P.GreaterEqual()
ge = tensor_ge
equal = P.Equal()
not_equal = P.NotEqual()
maximum = P.Maximum()
minimum = P.Minimum()
logical_not = P.LogicalNot()
logical_and = P.LogicalAnd()
logical_or = P.LogicalOr()
cast = P.Cast()
reshape = P.Reshape()
fill = P.Fill()
shape = P.Shape()
dtype = P.DType()
isfinite = P.IsFinite()
square = P.Square()
sqrt = P.Sqrt()
tensor_exp = P.Exp()
exp = tensor_exp
log = P.Log()
absolute = P.Abs()
addn = P.AddN()
reduce_sum = P.ReduceSum()
reduce_mean = P.ReduceMean()
reduce_max = P.ReduceMax()
reduce_min = P.ReduceMin()
assign = P.Assign()
assign_add = P.AssignAdd()
assign_sub = P.AssignSub()
ones_like = P.OnesLike()
zeros_like = P.ZerosLike()
expand_dims = P.ExpandDims()
squeeze = P.Squeeze()
transpose = P.Transpose()
print_ = P.Print()
_select = P.Select()
tensor_pow = P.Pow()
pows = tensor_pow
tensor_floordiv = P.FloorDiv()
floordiv = tensor_floordiv
tensor_mod = P.FloorMod()
floormod = tensor_mod
tile = P.Tile()
tensor_slice = P.Slice()
strided_slice = P.StridedSlice()
reduce_prod = P.ReduceProd()
floor = P.Floor()
sin = P.Sin()
cos = P.Cos()
tanh = P.Tanh()
erf = P.Erf()
gather = P.Gather()
gather_nd = P.GatherNd()
stack = P.Stack()
cumsum = P.CumSum()
isnan = P.IsNan()
sort = P.Sort()
scatter_nd = P.ScatterNd()
gather_d = P.GatherD()
tensor_scatter_update = P.TensorScatterUpdate()
eye = P.Eye()
stop_gradient = _StopGradient()


def _is_tensor(x: _Any) -> bool:
    return hasattr(x, "shape") and isinstance(getattr(x, "dtype", None), mstype.Type)


def select(cond: _Any, x: _Any, y: _Any) -> _Any:
    """``x`` where ``cond`` else ``y``; one of ``x``/``y`` may be a Python int or float, which
    r1.6 broadcasts to the other's shape as Int32 / Float32.

    Raises:
        MsTypeError: ``cond`` not a Tensor, both ``x`` and ``y`` scalars, a float scalar with an
            integer tensor.
        MsValueError: the tensor's shape differs from ``cond``'s.
    """
    x_scalar = isinstance(x, int | float) and not isinstance(x, bool)
    y_scalar = isinstance(y, int | float) and not isinstance(y, bool)
    if (
        not _is_tensor(cond)
        or (x_scalar and y_scalar)
        or not ((x_scalar or _is_tensor(x)) and (y_scalar or _is_tensor(y)))
    ):
        raise _MsTypeError(
            "For 'select', 'cond' must be a Tensor and 'x', 'y' must be Tensors, or one of them "
            f"an int or float, but got cond {type(cond).__name__}, x {type(x).__name__}, "
            f"y {type(y).__name__}."
        )

    def expand(scalar: _Any, other: _Any, sname: str, oname: str) -> _Any:
        if tuple(other.shape) != tuple(cond.shape):
            raise _MsValueError(
                f"For 'select', the shape of '{oname}' {tuple(other.shape)} must equal the shape "
                f"of 'cond' {tuple(cond.shape)} when '{sname}' is a number."
            )
        if isinstance(scalar, float) and not isinstance(other.dtype, mstype.Float):
            raise _MsTypeError(
                f"For 'select', '{sname}' is a float but '{oname}' is Tensor[{other.dtype}]."
            )
        filled = tensor_add(zeros_like(other), scalar)
        return cast(filled, mstype.int32 if isinstance(scalar, int) else mstype.float32)

    if x_scalar:
        x = expand(x, y, "x", "y")
    if y_scalar:
        y = expand(y, x, "y", "x")
    return _select(cond, x, y)


def identity(x: _Any) -> _Any:
    """Returns ``x`` (r1.6's ``F.identity``, used as a no-op gradient reducer)."""
    return x


def partial(fn: _Callable[..., _Any], *args: _Any) -> _Callable[..., _Any]:
    """``fn`` with leading arguments bound (r1.6's ``F.partial``)."""
    return _functools.partial(fn, *args)


def rank(x: _Any) -> int:
    """Number of dimensions of a tensor."""
    return len(x.shape)


def size(x: _Any) -> int:
    """Number of elements of a tensor."""
    n = 1
    for d in x.shape:
        n *= int(d)
    return n


def scalar_to_tensor(value: _Any, dtype: mstype.Type = mstype.float32) -> _Any:
    """A 0-d Tensor of ``dtype`` holding ``value``."""
    from ..common.tensor import Tensor

    return Tensor(value, dtype=dtype)
