"""The host: the CPU that runs the Python program, launches work and owns host memory.

The host is not a simpy process. It keeps its own timeline, ``busy_until``: in PyNative mode
the Python program runs ahead of the device, so each launch occupies the host for
``host.launch_overhead`` ns starting at ``max(now, busy_until)`` and returns the time the launch
is complete, which the caller passes to a stream as the task's ``ready_at``. A synchronisation
makes the host wait (``wait_until``) for a device time. Each piece of host work is one ``host``
record on track ``"host"`` with ``args`` ``op`` (``launch``, ``memcpy``, ``sync`` ...).

Host memory is tracked by a :class:`~ascendsim.device.memory.MemoryPool` without alignment
(track ``"memory"``, device ``None``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ascendsim.device.cost import ceil_ns
from ascendsim.device.memory import MemoryPool
from ascendsim.errors import MsValueError

if TYPE_CHECKING:
    from ascendsim.device.system import System

__all__ = ["Host"]

_TRACK = "host"
_OP_KEYS = ("op",)


class Host:
    """The host CPU of a System (see the module docstring)."""

    def __init__(self, system: System) -> None:
        cfg = system.config.host
        self.system = system
        self.name = "host"
        self.launch_overhead = int(cfg.launch_overhead)
        self.memcpy_bandwidth = float(cfg.memcpy_bandwidth)
        self.memory = MemoryPool(
            int(cfg.memory),
            1,
            0,
            trace=system.trace,
            clock=system.clock,
            device=None,
            track="memory",
            name="host.memory",
        )
        #: simulated ns until which the host is busy with work already issued
        self.busy_until = 0
        self._env = system.env
        self._rows = system.trace._rows  # appended to directly: one row per launch

    def work(
        self,
        name: str,
        duration: int,
        *,
        cause: str = "",
        op: str = "work",
        not_before: int | None = None,
    ) -> int:
        """Occupy the host for ``duration`` ns from ``max(now, busy_until, not_before)``;
        return the end time and append a ``host`` record.

        Raises:
            MsValueError: a negative duration.
        """
        if duration < 0:
            raise MsValueError(f"host work {name!r}: negative duration {duration}")
        start = self._env._now
        if self.busy_until > start:
            start = self.busy_until
        if not_before is not None and not_before > start:
            start = not_before
        end = start + int(duration)
        self.busy_until = end
        self._rows.append(("host", start, end, None, _TRACK, name, cause, 0, _OP_KEYS, op))
        return end

    def launch(self, name: str, *, cause: str = "") -> int:
        """Launch one task (``host.launch_overhead``); returns when the device may start it."""
        return self.work(name, self.launch_overhead, cause=cause, op="launch")

    def memcpy(self, nbytes: int, name: str, *, cause: str = "") -> int:
        """A host-side copy of ``nbytes`` at ``host.memcpy_bandwidth``; returns its end."""
        return self.work(name, ceil_ns(nbytes / self.memcpy_bandwidth), cause=cause, op="memcpy")

    def wait_until(self, time: int, name: str = "sync", *, cause: str = "") -> int:
        """The host blocks until simulated ``time`` (e.g. a stream drained); returns the time
        the host is free again. Records the blocked span (possibly empty)."""
        start = max(self.system.env.now, self.busy_until)
        end = max(start, int(time))
        self.busy_until = end
        self.system.trace.append_row(
            "host", start, end, None, _TRACK, name, cause, 0, ("op",), ("sync",)
        )
        return end

    def __repr__(self) -> str:
        return f"<Host busy_until={self.busy_until} {self.memory!r}>"
