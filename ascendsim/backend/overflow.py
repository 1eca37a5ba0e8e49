"""Overflow detection after a kernel, and the overflow mode of the chip.

Kernels compute in IEEE arithmetic. After every kernel with floating outputs, the runtime checks
the results: any Inf or NaN (a float16 result beyond +-65504 is already Inf in IEEE float16) means
the kernel overflowed, which sets the device's float-status register. What the *result* then
holds depends on the chip's overflow mode (CANN ``aclrtFloatOverflowMode``):

* ``saturation`` (the only mode of Ascend 910A): Inf becomes the largest finite value of the
  dtype with its sign, NaN becomes 0, so only the register shows that anything happened;
* ``inf_nan`` (Ascend 910B's default): results stay IEEE Inf/NaN, as on CPU and GPU.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_overflow", "is_float"]


def is_float(arr: np.ndarray) -> bool:
    return arr.dtype.kind == "f"


def check_overflow(arr: np.ndarray, mode: str) -> tuple[np.ndarray, bool]:
    """Return ``(result, overflowed)``: the array as the chip would hold it, and whether the
    kernel that produced it overflowed."""
    if not isinstance(arr, np.ndarray) or arr.dtype.kind != "f":
        return arr, False
    finite = np.isfinite(arr)
    if finite.all():
        return arr, False
    if mode == "saturation":
        big = np.finfo(arr.dtype).max
        out = np.where(np.isnan(arr), arr.dtype.type(0), np.clip(arr, -big, big)).astype(arr.dtype)
        return out, True
    return arr, True
