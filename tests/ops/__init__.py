"""Tests of ascendsim.ms.ops; shared helpers (a fake kernel context, spec/digest shortcuts)."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops.primitive import Spec


class FakeCtx:
    """A KernelContext for kernel tests: a settable register, a log of register actions."""

    overflow_mode = "saturation"

    def __init__(self, register: Any = None) -> None:
        self.register = (
            np.zeros(8, np.float32) if register is None else np.asarray(register, np.float32)
        )
        self.log: list[str] = []
        self.emitted: list[str] = []
        self.rng = np.random.default_rng(0)

    def float_status_read(self) -> np.ndarray:
        self.log.append("read")
        return self.register.copy()

    def float_status_clear(self) -> None:
        self.log.append("clear")
        self.register[:] = 0

    def emit(self, text: str) -> None:
        self.emitted.append(text)


def S(shape: tuple[int, ...] = (), dtype: Any = mstype.float32) -> Spec:
    """A Spec shortcut."""
    return Spec(tuple(shape), dtype)


def digest(arr: np.ndarray) -> str:
    """First 32 hex digits of the SHA-256 of an array's bytes (as golden_r16 records them)."""
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()[:32]
