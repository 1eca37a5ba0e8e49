"""The NumPy-style Tensor methods of r1.6 that are compositions of primitives.

Each follows r1.6's ``Tensor`` method (``mindspore/common/tensor.py``): the same argument
checks and error messages, the same primitives (so they run on the simulated device and trace
into graphs): ``all``/``any`` (ReduceAll/ReduceAny, Bool only), ``argmax``/``argmin`` (through
float32 and ``Argmax``; argmin is argmax of the negation, as r1.6), ``cumsum``, ``clip``,
``var``/``std`` (mean, subtract, ``Pow``, sum, divide), ``fill``, ``repeat``, ``swapaxes``,
``expand_as``, ``ptp``, ``item`` and the operators ``** % //`` (``Pow``, ``FloorMod``,
``FloorDiv``; r1.6 has no reflected ``**``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import MsTypeError, MsValueError
from ..common import dtype as mstype
from . import operations as P

__all__ = ["METHODS"]


def _tensor_cls() -> Any:
    from ..common.tensor import Tensor

    return Tensor


def _axis_in_range(axis: Any, ndim: int) -> int:
    """r1.6's ``check_axis_in_range``."""
    if not isinstance(axis, int):
        raise MsTypeError(f"The axes should be integers, not {type(axis)}")
    if not -ndim <= axis < ndim:
        raise MsValueError(f"The axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _canonical_axes(axes: Any, ndim: int) -> tuple[int, ...]:
    """r1.6's ``check_and_canonicalize_axes``."""
    axes = axes if isinstance(axes, tuple) else (axes,)
    out: tuple[int, ...] = ()
    for ax in axes:
        if not isinstance(ax, int):
            raise MsTypeError(f"Each axis should be integer, but got {type(ax)} in {axes}.")
        if not -ndim <= ax < ndim:
            raise MsValueError(f"The axis {ax} is out of bounds for array of dimension {ndim}")
        out += (ax % ndim,)
    if len(set(out)) != len(out):
        raise MsValueError('duplicate value in "axis"')
    return out


def _all(self: Any, axis: Any = (), keep_dims: bool = False) -> Any:
    """Whether every element is True (over ``axis``; Bool tensors only)."""
    return P.ReduceAll(keep_dims)(self, () if axis is None else axis)


def _any(self: Any, axis: Any = (), keep_dims: bool = False) -> Any:
    """Whether any element is True (over ``axis``; Bool tensors only)."""
    return P.ReduceAny(keep_dims)(self, () if axis is None else axis)


def _arg(self: Any, axis: Any, negate: bool) -> Any:
    a = self.astype(mstype.float32)
    if axis is None:
        a, axis = P.Reshape()(a, (-1,)), 0
    else:
        axis = _axis_in_range(axis, a.ndim)
    return P.Argmax(axis)(P.Neg()(a) if negate else a)


def _argmax(self: Any, axis: Any = None) -> Any:
    """Index of the maximum (of the flattened tensor when ``axis`` is None), Int32."""
    return _arg(self, axis, False)


def _argmin(self: Any, axis: Any = None) -> Any:
    """Index of the minimum: ``Argmax`` of the negation, as r1.6 (which lacks Argmin on CPU)."""
    return _arg(self, axis, True)


def _cumsum(self: Any, axis: Any = None, dtype: Any = None) -> Any:
    """Running sums along ``axis`` (of the flattened tensor when None); small ints as Int32."""
    x, original = self, self.dtype
    if x.dtype in (mstype.bool_, mstype.int8, mstype.int16, mstype.uint8):
        x = x.astype(mstype.int32)
    if axis is None:
        x, axis = P.Reshape()(x, (-1,)), 0
    _axis_in_range(axis, x.ndim)
    out = P.CumSum()(x, axis)
    if dtype is not None and original != dtype:
        return out.astype(dtype, copy=False)
    return out


def _clip(self: Any, xmin: Any, xmax: Any, dtype: Any = None) -> Any:
    """Limit the values to ``[xmin, xmax]`` (either may be None, not both)."""
    if xmin is None and xmax is None:
        raise MsValueError("For 'Tensor.clip', the argument 'xmin' and 'xman' cannot all be None.")
    Tensor = _tensor_cls()
    x = self
    for bound, op in ((xmin, P.Maximum), (xmax, P.Minimum)):
        if bound is None:
            continue
        b = (bound if isinstance(bound, Tensor) else Tensor(bound)).astype(x.dtype)
        if x.ndim == 0 and b.ndim == 0:
            x = P.Squeeze()(op()(P.Reshape()(x, (1,)), b))
        else:
            x = op()(x, b)
    if dtype is not None and dtype != x.dtype:
        return x.astype(dtype)
    return x


def _var(self: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """Variance ``sum((x - mean)**2) / (n - ddof)`` over ``axis`` (all when None)."""
    Tensor = _tensor_cls()
    if 0 in self.shape:
        return Tensor(float("nan"), self.dtype)
    if not isinstance(ddof, int):
        raise MsTypeError(
            f"For 'Tensor.var', the type of the argument 'ddof' must be int, but got {type(ddof)}."
        )
    if not isinstance(keepdims, bool):
        raise MsTypeError(
            "For 'Tensor.var', the type of the argument 'keepdims' must be bool, but got "
            f"{type(keepdims)}."
        )
    axes = () if axis is None else _canonical_axes(axis, self.ndim)
    mean = P.ReduceMean(True)(self, axes)
    square = P.Pow()(P.Sub()(self, mean), 2)
    total = P.ReduceSum(bool(keepdims))(square, axes)
    n = self.size if axes == () else int(np.prod([self.shape[a] for a in axes]))
    return P.RealDiv()(total, n - ddof)


def _std(self: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """Standard deviation: ``var(...) ** 0.5``."""
    return P.Pow()(_var(self, axis, ddof, keepdims), 0.5)


def _fill(self: Any, value: Any) -> Any:
    """A new tensor of this shape and dtype filled with ``value`` (NaN when None: floats only)."""
    Tensor = _tensor_cls()
    if value is None:
        if self.dtype not in mstype.float_type:
            raise MsTypeError(
                "For 'Tensor.fill', if the argument 'value' is None, the type of the original "
                f"tensor must be float, but got {self.dtype}."
            )
        nan = Tensor(float("nan")).astype("float32")
        return P.Tile()(nan, tuple(self.shape)).astype(self.dtype)
    if not isinstance(value, int | float | bool):
        raise MsTypeError(
            "For 'Tensor.fill', the type of the argument 'value' must be int, float or bool, but "
            f"got {type(value)}."
        )
    return P.Fill()(self.dtype, tuple(self.shape), value)


def _repeat_elements(x: Any, rep: int, axis: int) -> Any:
    """r1.6's ``repeat_elements``: ExpandDims, Tile, Reshape."""
    if not isinstance(rep, int) or isinstance(rep, bool) or rep <= 0:
        raise MsValueError(
            f"`rep` in `repeat_elements` should be int and must > 0, but got `{rep}` with type "
            f"`{type(rep).__name__}`."
        )
    rank = x.ndim
    expanded = P.ExpandDims()(x, axis + 1)
    reps = [1] * (rank + 1)
    reps[axis + 1] = rep
    tiled = P.Tile()(expanded, tuple(reps))
    shape = list(x.shape)
    shape[axis] *= rep
    return P.Reshape()(tiled, tuple(shape))


def _repeat(self: Any, repeats: Any, axis: Any = None) -> Any:
    """Repeat each element ``repeats`` times along ``axis`` (of the flattened tensor if None)."""
    if not isinstance(repeats, tuple | list):
        repeats = (repeats,)
    for i, element in enumerate(repeats):
        if not isinstance(element, int):
            raise MsTypeError(
                f"For 'Tensor.repeat', each element in {repeats} should be int, but got "
                f"{type(element)} at index {i}."
            )
    x = self
    if axis is None:
        x, axis = P.Reshape()(self, (-1,)), 0
    if not isinstance(axis, int):
        raise MsTypeError(
            f"For 'Tensor.repeat', the argument 'axis' should be int, but got {type(axis)}."
        )
    axis = _axis_in_range(axis, x.ndim)
    if len(repeats) == 1:
        if repeats[0] == 0:  # r1.6: an empty 1-D tensor
            return _tensor_cls()._of_array(np.zeros((0,), mstype.dtype_to_nptype(x.dtype)))
        return _repeat_elements(x, repeats[0], axis)
    size = x.shape[axis]
    if len(repeats) != size:
        raise MsValueError(
            "For 'Tensor.repeat', the length of 'repeats' must be the same as the shape of the "
            f"original tensor in the 'axis' dimension, but got the length of 'repeats' "
            f"{len(repeats)}, the shape of the original tensor in the 'axis' dimension {size}."
        )
    subs = P.Split(axis, size)(x)
    parts = [_repeat_elements(s, r, axis) for s, r in zip(subs, repeats, strict=True) if r != 0]
    return P.Concat(axis)(parts)


def _swapaxes(self: Any, axis1: int, axis2: int) -> Any:
    """Exchange two axes (a Transpose)."""
    a1, a2 = (_axis_in_range(a, self.ndim) for a in (axis1, axis2))
    if a1 == a2:
        return self
    perm = list(range(self.ndim))
    perm[a1], perm[a2] = perm[a2], perm[a1]
    return P.Transpose()(self, tuple(perm))


def _expand_as(self: Any, x: Any) -> Any:
    """Broadcast to ``x``'s shape."""
    return P.BroadcastTo(tuple(x.shape))(self)


def _ptp(self: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``max - min`` over ``axis``."""
    if not isinstance(keepdims, bool):
        raise MsTypeError(
            "For 'Tensor.ptp', the type of the argument 'keepdims' must be bool, but got "
            f"{type(keepdims)}."
        )
    axes = () if axis is None else _canonical_axes(axis, self.ndim)
    return P.Sub()(P.ReduceMax(keepdims)(self, axes), P.ReduceMin(keepdims)(self, axes))


def _item(self: Any, index: Any = None) -> Any:
    """r1.6's ``Tensor.item``: a 0-d Tensor (see :func:`._tensor_index.item`)."""
    from ._tensor_index import item

    return item(self, index)


def _transposed(self: Any) -> Any:
    """``x.T``: the axes reversed."""
    return P.Transpose()(self, tuple(range(self.ndim - 1, -1, -1)))


def _setitem(self: Any, index: Any, value: Any) -> None:
    from ._tensor_setitem import setitem

    setitem(self, index, value)


def _getitem(self: Any, index: Any) -> Any:
    from ._tensor_index import getitem

    return getitem(self, index)


#: name -> function, set on Tensor by :func:`._tensor_methods.install`
METHODS: dict[str, Any] = {
    "all": _all,
    "any": _any,
    "argmax": _argmax,
    "argmin": _argmin,
    "cumsum": _cumsum,
    "clip": _clip,
    "var": _var,
    "std": _std,
    "fill": _fill,
    "repeat": _repeat,
    "swapaxes": _swapaxes,
    "expand_as": _expand_as,
    "ptp": _ptp,
    "item": _item,
    "T": property(_transposed),
    "__getitem__": _getitem,
    "__setitem__": _setitem,
}

for _name, _fn in METHODS.items():  # error messages name the method as r1.6's do: item() ...
    if callable(_fn):
        _fn.__name__ = _fn.__qualname__ = _name
