"""MindSpore r1.6's implicit type conversion of op arguments (its op *signatures*).

Ops such as ``Add`` declare that their inputs share one dtype group; r1.6 then converts the
arguments of a call to one dtype before inference (measured with r1.6 on CPU, see the tests):

* among tensors the highest type wins in the order
  ``Bool < Int8 < UInt8 < Int16 < Int32 < Int64 < Float16 < Float32 < Float64 < Complex64 <
  Complex128``, except that ``Int8`` with ``UInt8`` gives ``Int16``;
* Python scalars do not raise a float tensor's type; a ``float`` scalar turns an integer or
  bool tensor group into ``Float32``; an ``int`` scalar turns a ``Bool`` group into ``Int64``;
  a ``bool`` scalar never changes the group;
* ``UInt16``/``UInt32``/``UInt64`` are outside that order: a group mixing them with other
  types is not converted (the op's own check then reports the mismatch);
* with no tensor at all nothing is converted (the op reports the scalar's type).

The same rules serve ``infer`` (on :class:`Spec`) and the kernels (on numpy arrays), so both
agree on the dtype a mixed call computes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..common import dtype as mstype
from .primitive import Spec

__all__ = ["promote", "as_spec", "np_dtype", "value_dtype"]

_ORDER = {
    t: i
    for i, t in enumerate(
        (
            mstype.bool_,
            mstype.int8,
            mstype.uint8,
            mstype.int16,
            mstype.int32,
            mstype.int64,
            mstype.float16,
            mstype.float32,
            mstype.float64,
            mstype.complex64,
            mstype.complex128,
        )
    )
}


def np_dtype(dtype: mstype.Type) -> np.dtype:
    """numpy dtype of a MindSpore tensor dtype."""
    return np.dtype(mstype.dtype_to_nptype(dtype))


def value_dtype(value: Any) -> mstype.Type | None:
    """MindSpore dtype of a Spec or numpy array (None for Python scalars and other values)."""
    if isinstance(value, Spec):
        return value.dtype
    if isinstance(value, np.ndarray):
        return mstype.nptype_to_dtype(value.dtype)
    return None


def _is_float_scalar(v: Any) -> bool:
    return isinstance(v, float | np.floating)


def _is_int_scalar(v: Any) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


def promote(args: Sequence[Any]) -> mstype.Type | None:
    """The dtype the arguments of one signature group convert to (None: no conversion).

    ``args`` are Specs or numpy arrays (tensors) and Python scalars; other values are ignored.
    """
    dtypes = [d for d in (value_dtype(a) for a in args) if d is not None]
    if not dtypes:
        return None
    if any(d not in _ORDER for d in dtypes):
        return dtypes[0] if all(d == dtypes[0] for d in dtypes) else None
    top = max(dtypes, key=lambda d: _ORDER[d])
    if top == mstype.uint8 and mstype.int8 in dtypes:
        top = mstype.int16
    is_float = isinstance(top, mstype.Float | mstype.Complex)
    if not is_float:
        if any(_is_float_scalar(a) for a in args):
            top = mstype.float32
        elif top == mstype.bool_ and any(_is_int_scalar(a) for a in args):
            top = mstype.int64
    return top


def as_spec(arg: Any, dtype: mstype.Type | None) -> Any:
    """``arg`` converted to ``dtype``: a Spec keeps its shape, a scalar becomes a 0-d Spec.

    With ``dtype`` None the argument is returned unchanged.
    """
    if dtype is None:
        return arg
    if isinstance(arg, Spec):
        return arg if arg.dtype == dtype else Spec(arg.shape, dtype)
    if isinstance(arg, bool | int | float | np.bool_ | np.integer | np.floating):
        return Spec((), dtype)
    return arg


def as_array(value: Any, dtype: mstype.Type) -> np.ndarray:
    """A kernel argument (array or scalar) as an array of ``dtype`` (r1.6's C++ cast rules)."""
    from ..common._cast import cast_array

    target = np_dtype(dtype)
    arr = np.asarray(value)
    if arr.dtype == target:
        return arr
    return cast_array(arr, target)
