"""Tensor operators and methods that r1.6 implements with primitives.

r1.6's Tensor looks these up in ``tensor_operator_registry``; here :func:`install` sets them
on :class:`~ascendsim.ms.common.tensor.Tensor` (done when ``ascendsim.ms.ops`` is imported).
Every one is an op call, so it is traced inside a graph and launched on the device in
PyNative, as in MindSpore.

Operators: ``+ - * /`` (and reflected/in-place forms, which return new tensors as r1.6's do),
unary ``-`` (Neg), ``~`` (LogicalNot), ``+x`` (the tensor), ``< <= > >=``, ``==`` / ``!=``
(Equal/NotEqual; with a Bool operand r1.6 compares on the host with numpy, and any other
right operand than int/float/Tensor compares unequal). Lists and tuples on the other side are
converted to a Tensor of this tensor's dtype. r1.6 Tensors have no ``@``: ``x @ y`` raises
``TypeError``.

Methods: ``sum``, ``mean``, ``max``, ``min``, ``abs``, ``reshape``, ``view``, ``ravel``,
``flatten``, ``transpose``, ``squeeze``, ``expand_dims`` and ``astype`` (through ``Cast``);
indexing, ``** % //`` and the NumPy-style methods live in :mod:`._tensor_index` and
:mod:`._tensor_numpy`. A numpy scalar operand (``x * np.float32(2)``) raises ``TypeError``, as
r1.6's implicit conversion refuses it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import MsTypeError, MsValueError
from ..common import dtype as mstype
from . import operations as P
from ._checks import check_int_range

__all__ = ["install"]


def _tensor_cls() -> Any:
    from ..common.tensor import Tensor

    return Tensor


def _other(self: Any, other: Any, op: str) -> Any:
    if isinstance(other, list | tuple):
        return _tensor_cls()(other, dtype=self.dtype)
    if isinstance(other, np.generic) and not isinstance(other, float):  # np.float64 is a float
        raise MsTypeError(
            f"For '{op}', the 1th input var is a not support implicit conversion. Its type is "
            f"{type(other).__name__}, and the value is {other}. Only support Tensor or Scalar."
        )
    return other


def _binary(op_cls: type, reflected: bool = False) -> Any:
    op = op_cls().name

    def method(self: Any, other: Any) -> Any:
        other = _other(self, other, op)
        return op_cls()(other, self) if reflected else op_cls()(self, other)

    method.__name__ = op_cls.__name__
    return method


def _compare(op_cls: type, host: Any, unknown: bool) -> Any:
    def method(self: Any, other: Any) -> Any:
        Tensor = _tensor_cls()
        if not isinstance(other, int | float | Tensor):
            return unknown
        if self.dtype == mstype.bool_ or (
            isinstance(other, Tensor) and other.dtype == mstype.bool_
        ):
            rhs = other.asnumpy() if isinstance(other, Tensor) else other
            return Tensor(np.array(host(self.asnumpy(), rhs)))
        return op_cls()(self, other)

    return method


def _axis_tuple(axis: Any) -> Any:
    if axis is None:
        return ()
    return tuple(axis) if isinstance(axis, list) else axis


def _check_axes_in(axis: Any, ndim: int, what: str) -> None:
    """r1.6's Tensor methods check int axes first: ``The axis 2 is out of bounds for ...``."""
    for a in axis if isinstance(axis, tuple | list) else (axis,):
        if isinstance(a, int) and not isinstance(a, bool) and not -ndim <= a < ndim:
            raise MsValueError(f"The axis {a} is out of bounds for {what} of dimension {ndim}")


def _sum(
    self: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, initial: Any = None
) -> Any:
    """Sum over ``axis`` (all if None), as r1.6's ``Tensor.sum`` (Bool sums as Int32)."""
    x = self.astype(mstype.int32) if self.dtype == mstype.bool_ else self
    dtype = x.dtype if dtype is None else dtype
    if not isinstance(keepdims, int):
        raise MsTypeError(
            "For 'Tensor.sum', the type of the argument 'keepdims' must be int, but got "
            f"{type(keepdims)}."
        )
    if initial is not None and not isinstance(initial, int | float | bool):
        raise MsTypeError(
            "For 'Tensor.sum', when the argument 'initial' is not None, it must be int, float or "
            f"bool, but got {type(initial)}."
        )
    if axis is not None:
        _check_axes_in(axis, len(x.shape), "array")
    res = P.ReduceSum(bool(keepdims))(x, _axis_tuple(axis))
    if initial is not None:
        res = res + initial
    return res if res.dtype == dtype else res.astype(dtype)


def _mean(self: Any, axis: Any = (), keep_dims: bool = False) -> Any:
    """Mean over ``axis`` (all if empty or None)."""
    return P.ReduceMean(keep_dims)(self, _axis_tuple(axis))


def _extreme(op_cls: type, cmp_cls: type) -> Any:
    def method(
        self: Any, axis: Any = None, keepdims: bool = False, initial: Any = None, where: Any = True
    ) -> Any:
        if where is not True:
            raise MsValueError(
                "Tensor.max/min with a 'where' mask is not emulated by ascendsim; reduce a "
                "Select-ed tensor instead."
            )
        if axis is not None:
            _check_axes_in(axis, len(self.shape), "array")
        res = op_cls(bool(keepdims))(self, _axis_tuple(axis))
        if initial is not None:
            res = cmp_cls()(res, initial)
        return res

    return method


def _abs(self: Any) -> Any:
    """Absolute value."""
    return P.Abs()(self)


def _shape_arg(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    elif len(shape) == 1 and isinstance(shape[0], int):
        shape = (shape[0],)
    for i, d in enumerate(shape):
        if not isinstance(d, int) or isinstance(d, bool):
            raise MsTypeError(
                f"For 'Reshape', the type of `shape[{i}]` should be 'int', but got '{d}' with "
                f"type '{type(d).__name__}'."
            )
    return tuple(shape)


def _reshape(self: Any, *shape: Any) -> Any:
    """``x.reshape(2, 3)`` or ``x.reshape((2, 3))``."""
    return P.Reshape()(self, _shape_arg(shape))


def _view(self: Any, *shape: Any) -> Any:
    """Alias of :func:`_reshape` (r1.6 raises ValueError for an empty shape)."""
    if not shape:
        raise MsValueError("The shape variable should not be empty")
    return P.Reshape()(self, _shape_arg(shape))


def _ravel(self: Any) -> Any:
    """A 1-D tensor of the elements."""
    return P.Reshape()(self, (-1,))


def _flatten(self: Any, order: str = "C") -> Any:
    """A 1-D tensor of the elements (``order`` 'C' only)."""
    if order not in ("C", "F"):
        raise MsValueError(f"only `C` and `F` are supported as order, but got {order}")
    if order == "F":
        rev = tuple(range(len(self.shape) - 1, -1, -1))
        return P.Reshape()(P.Transpose()(self, rev), (-1,))
    return P.Reshape()(self, (-1,))


def _transpose(self: Any, *axes: Any) -> Any:
    """Permute axes (reverse them when none are given)."""
    if not axes or (len(axes) == 1 and axes[0] is None):
        perm = tuple(range(len(self.shape) - 1, -1, -1))
    elif len(axes) == 1 and isinstance(axes[0], tuple | list):
        perm = tuple(axes[0])
    elif len(axes) == 1:
        raise MsTypeError(
            f"The `axes` should be a tuple/list, or series of int, but got {type(axes[0])}"
        )
    else:
        perm = tuple(axes)
    rank = len(self.shape)
    perm = tuple(a + rank if isinstance(a, int) and a < 0 else a for a in perm)
    return P.Transpose()(self, perm)


def _squeeze(self: Any, axis: Any = None) -> Any:
    """Remove size-1 axes (all, or those in ``axis``)."""
    if axis is None:
        return P.Squeeze()(self)
    _check_axes_in(axis, len(self.shape), "tensor")
    return P.Squeeze(tuple(axis) if isinstance(axis, list) else axis)(self)


def _expand_dims(self: Any, axis: int) -> Any:
    """Insert a size-1 axis at ``axis``."""
    n = len(self.shape) + 1
    if not isinstance(axis, int) or isinstance(axis, bool):
        check_int_range("Tensor.expand_dims", "axis", axis, -n, n - 1, "[]")  # the type error
    if not -n <= axis < n:
        raise MsValueError(
            f"`axis`  should be in range of [{-n}, {n}), but got {axis} with type `int`."
        )
    return P.ExpandDims()(self, axis)


def _astype(self: Any, dtype: Any, copy: bool = True) -> Any:
    """A copy converted to ``dtype`` by the ``Cast`` op (names and Python types accepted)."""
    from ..common.tensor import _astype_dtype

    dtype = _astype_dtype(dtype)
    if not copy and dtype == self.dtype:
        return self
    return P.Cast()(self, dtype)


def install() -> None:
    """Set the operators and methods on the Tensor class (idempotent)."""
    Tensor = _tensor_cls()
    table: dict[str, Any] = {
        "__add__": _binary(P.Add),
        "__radd__": _binary(P.Add),
        "__iadd__": _binary(P.Add),
        "__sub__": _binary(P.Sub),
        "__rsub__": _binary(P.Sub, reflected=True),
        "__isub__": _binary(P.Sub),
        "__mul__": _binary(P.Mul),
        "__rmul__": _binary(P.Mul),
        "__imul__": _binary(P.Mul),
        "__truediv__": _binary(P.RealDiv),
        "__rtruediv__": _binary(P.RealDiv, reflected=True),
        "__itruediv__": _binary(P.RealDiv),
        "__neg__": lambda self: P.Neg()(self),
        "__invert__": lambda self: P.LogicalNot()(self),
        "__pos__": lambda self: self,
        "__pow__": _binary(P.Pow),
        "__mod__": _binary(P.FloorMod),
        "__rmod__": _binary(P.FloorMod, reflected=True),
        "__imod__": _binary(P.FloorMod),
        "__floordiv__": _binary(P.FloorDiv),
        "__rfloordiv__": _binary(P.FloorDiv, reflected=True),
        "__ifloordiv__": _binary(P.FloorDiv),
        "__lt__": _binary(P.Less),
        "__le__": _binary(P.LessEqual),
        "__gt__": _binary(P.Greater),
        "__ge__": _binary(P.GreaterEqual),
        "__eq__": _compare(P.Equal, np.equal, False),
        "__ne__": _compare(P.NotEqual, np.not_equal, True),
        "sum": _sum,
        "mean": _mean,
        "max": _extreme(P.ReduceMax, P.Maximum),
        "min": _extreme(P.ReduceMin, P.Minimum),
        "abs": _abs,
        "reshape": _reshape,
        "view": _view,
        "ravel": _ravel,
        "flatten": _flatten,
        "transpose": _transpose,
        "squeeze": _squeeze,
        "expand_dims": _expand_dims,
        "astype": _astype,
    }
    from ._tensor_numpy import METHODS

    table.update(METHODS)
    for name, fn in table.items():
        setattr(Tensor, name, fn)
    # defining __eq__ after class creation keeps the explicit __hash__ (identity by uid)
