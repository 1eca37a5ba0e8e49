"""Element conversions with MindSpore r1.6's C++ semantics, on numpy arrays.

r1.6 converts tensor data with C++ ``static_cast`` (``Tensor(data, dtype)``, ``astype``,
``set_data``'s implicit cast). Where that differs from numpy's ``astype`` it is reproduced:

* to ``float16`` r1.6 goes through ``float`` first (its float16 type is built from a float), so
  a float64 or int64 value is rounded twice: ``1 + 2**-11 + 2**-40`` becomes ``1.0``, not
  numpy's ``1.001``;
* float to integer truncates toward zero; NaN and values out of range give the x86 "integer
  indefinite" value (the most negative int32 for types up to 32 bits, then wrapped to the
  target width; the most negative int64 for 64-bit types), e.g. ``-1.5 -> uint8`` is 255 and
  ``300.7 -> uint8`` is 44;
* complex to real keeps the real part.

Integer narrowing wraps around, as in both C++ and numpy.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cast_array"]

_INT32_MIN = -(2**31)


def _float_to_int(values: np.ndarray, target: np.dtype) -> np.ndarray:
    t = np.trunc(values.astype(np.float64))
    finite = np.isfinite(t)
    t = np.where(finite, t, 0.0)
    if target.itemsize == 8:
        if target.kind == "u":
            ok = finite & (t > -(2.0**63)) & (t < 2.0**64)
            big = ok & (t >= 2.0**63)
            low = (
                np.where(big, t - 2.0**63, np.where(ok, t, 0.0)).astype(np.int64).astype(np.uint64)
            )
            low = np.where(big, low + np.uint64(2**63), low)
            return np.where(ok, low, np.uint64(2**63)).astype(target)
        ok = finite & (t >= -(2.0**63)) & (t < 2.0**63)
        return np.where(ok, t, -(2.0**63)).astype(np.int64)
    if target == np.uint32:  # converted through a 64-bit signed integer
        ok = finite & (t >= -(2.0**63)) & (t < 2.0**63)
        return np.where(ok, t, 0.0).astype(np.int64).astype(np.uint32)
    ok = finite & (t >= _INT32_MIN) & (t < 2.0**31)
    return np.where(ok, t, float(_INT32_MIN)).astype(np.int64).astype(np.int32).astype(target)


def cast_array(values: np.ndarray, target: type | np.dtype) -> np.ndarray:
    """``values`` converted to numpy dtype ``target`` as r1.6's C++ would (a new array)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _cast(values, np.dtype(target))


def _cast(values: np.ndarray, target: np.dtype) -> np.ndarray:
    src = values.dtype
    if src == target:
        return values.copy()
    if src.kind == "c" and target.kind != "c":
        values = values.real
        src = values.dtype
    if target == np.float16 and src != np.float16 and src.kind in "fiu":
        return values.astype(np.float32).astype(np.float16)
    if src.kind == "f" and target.kind in "iu":
        return _float_to_int(values, target)
    return values.astype(target)
