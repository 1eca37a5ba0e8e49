"""The float-status (overflow) register of one device.

On Ascend, any AI-core kernel whose result overflows (inf/NaN, which saturation mode hides in
the data) sets a status word; ``NPUGetFloatStatus`` copies the register out as ``words`` float32
values and ``NPUClearFloatStatus`` zeroes it. The register is *sticky*: every overflow since the
last clear is reported. Here a set makes word 0 equal to ``1.0`` (the other words stay zero),
so ``sum(status) > 0`` means "overflow happened", which is how MindSpore's loss-scale cells test
it. Each operation is an instantaneous event at ``clock()`` with a trace record
(``float_status_set`` / ``float_status_clear`` / ``float_status_read`` on track
``"float_status"``) and an entry in :attr:`FloatStatusRegister.history`.

Checking that the ops run in the order the guide requires (Alloc, Clear, Get) is the job of the
backend, which sees the ops; the register only keeps time-stamped facts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ascendsim.errors import MsValueError

__all__ = ["FloatStatusRegister"]

_TRACK = "float_status"


class FloatStatusRegister:
    """A sticky overflow register of ``words`` float32 words (see the module docstring).

    Raises:
        MsValueError: ``words`` < 1.
    """

    __slots__ = ("words", "trace", "clock", "device", "_value", "history", "last_clear_time")

    def __init__(
        self,
        words: int,
        *,
        trace: Any = None,
        clock: Callable[[], int] = lambda: 0,
        device: int | None = None,
    ) -> None:
        if words < 1:
            raise MsValueError(f"float-status register needs at least one word, got {words}")
        self.words = int(words)
        self.trace = trace
        self.clock = clock
        self.device = device
        self._value = np.zeros(self.words, dtype=np.float32)
        #: ``(time ns, op, cause)`` for every set, clear and read, in order
        self.history: list[tuple[int, str, str]] = []
        #: simulated time of the last clear (``None`` if never cleared)
        self.last_clear_time: int | None = None

    @property
    def is_set(self) -> bool:
        """True if an overflow happened since the last clear."""
        return bool(self._value.any())

    def _log(self, op: str, cause: str, name: str, keys: tuple[str, ...], vals: tuple) -> int:
        now = self.clock()
        self.history.append((now, op, cause))
        if self.trace is not None:
            self.trace.append_row(
                "float_status_" + op, now, now, self.device, _TRACK, name, cause, 0, keys, vals
            )
        return now

    def set(self, cause: str, *, node: str = "") -> None:
        """Record an overflow caused by ``cause`` (a kernel name); ``node`` is its graph node."""
        was_set = self.is_set
        self._value[0] = 1.0
        self._log("set", cause, node or cause, ("node", "was_set"), (node, was_set))

    def clear(self, cause: str) -> None:
        """Zero the register (``NPUClearFloatStatus``)."""
        was_set = self.is_set
        self._value[:] = 0.0
        self.last_clear_time = self._log("clear", cause, cause, ("was_set",), (was_set,))

    def read(self, cause: str) -> np.ndarray:
        """A float32 copy of the ``words`` words (``NPUGetFloatStatus``)."""
        value = self._value.copy()
        self._log("read", cause, cause, ("is_set",), (bool(value.any()),))
        return value

    def __repr__(self) -> str:
        return f"<FloatStatusRegister device={self.device} set={self.is_set}>"
