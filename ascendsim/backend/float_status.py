"""Ordering checks for the float-status ops (the hazard the guide warns about).

The three ops are side-effect free in MindSpore's classification, so only data edges and
``Depend`` order them. This monitor watches them at simulated time, per device:

* every kernel that runs is remembered with its time and whether it overflowed, until the
  register is cleared;
* ``NPUGetFloatStatus`` on a status tensor whose ``NPUAllocFloatStatus`` ran at time ``ta`` reads
  a register that should only hold overflows of the checked computation. If kernels ran after
  the last ``NPUClearFloatStatus`` but before ``ta`` (the register was not cleared since earlier
  kernels ran), the reading is *stale*: it can report an overflow that belongs to other work;
* ``NPUClearFloatStatus`` or ``NPUGetFloatStatus`` on a tensor that no ``NPUAllocFloatStatus``
  produced is out of order (Clear before Alloc);
* in a graph, a Get whose status input depends (through data and ``Depend`` edges) on kernels
  that ran *before* the last Clear reads a register that lost their overflows: the Clear was not
  ordered before the computation it was meant to precede.

A hazard is always a ``hazard`` trace record naming both nodes, the simulated time and any stale
overflow picked up. Then, by ``float_status_check``: ``"warn"`` (default) prints a one-line
warning on stderr, ``"error"`` raises :class:`~ascendsim.errors.FloatStatusOrderError`,
``"off"`` does nothing more.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from ascendsim.errors import FloatStatusOrderError, MsValueError, format_ns

__all__ = ["FloatStatusMonitor", "CHECK_MODES"]

CHECK_MODES = ("warn", "error", "off")


def _stderr(message: str) -> None:
    print(f"ascendsim: warning: {message}", file=sys.stderr)


class FloatStatusMonitor:
    """Per-device history of kernels since the last clear, and the hazard checks."""

    def __init__(
        self, trace: Any, *, mode: str = "warn", warn: Callable[[str], None] | None = None
    ) -> None:
        if mode not in CHECK_MODES:
            raise MsValueError(f"float_status_check must be one of {CHECK_MODES}, got {mode!r}")
        self.trace = trace
        self.mode = mode
        self.warn = warn or _stderr
        #: device -> [(end time, node name, overflowed)] of kernels since the last clear
        self._since_clear: dict[int, list[tuple[int, str, bool]]] = {}
        self._last_clear: dict[int, tuple[int, str]] = {}
        self.hazards: list[str] = []
        #: (device, node) -> (end time, overflowed) of the node's latest kernel
        self._last_run: dict[tuple[int, str], tuple[int, bool]] = {}
        #: the pending FloatStatusOrderError in "error" mode
        self.error: FloatStatusOrderError | None = None

    def raise_pending(self) -> None:
        """Raise the pending FloatStatusOrderError (once)."""
        err, self.error = self.error, None
        if err is not None:
            raise err

    def kernel_ran(self, device: int, time: int, node: str, overflowed: bool) -> None:
        self._since_clear.setdefault(device, []).append((time, node, overflowed))
        self._last_run[(device, node)] = (time, overflowed)

    def cleared(self, device: int, time: int, node: str, origin: str | None) -> None:
        if origin is None:
            self._hazard(
                device,
                time,
                node,
                "",
                f"{node} clears the float status through a tensor that no "
                "NPUAllocFloatStatus produced (Clear before Alloc); pass it the output "
                "of NPUAllocFloatStatus",
                stale=[],
            )
        self._since_clear[device] = []
        self._last_clear[device] = (time, node)

    def read(
        self,
        device: int,
        time: int,
        node: str,
        origin: str | None,
        alloc_time: int | None,
        *,
        checked: frozenset[str] = frozenset(),
    ) -> None:
        if origin is None or alloc_time is None:
            self._hazard(
                device,
                time,
                node,
                "",
                f"{node} reads the float status into a tensor that no "
                "NPUAllocFloatStatus produced; pass it the output of "
                "NPUAllocFloatStatus",
                stale=[],
            )
            return
        self._check_cleared_computation(device, time, node, checked)
        stale = [(t, n, o) for (t, n, o) in self._since_clear.get(device, []) if t <= alloc_time]
        if not stale:
            return
        last = self._last_clear.get(device)
        since = (
            f"since {last[1]} cleared it at {format_ns(last[0])}"
            if last
            else "since the device started (it was never cleared)"
        )
        overflowed = [n for (_, n, o) in stale if o]
        picked = (
            f"; it picks up a stale overflow from {', '.join(overflowed)}"
            if overflowed
            else "; no stale overflow this time, but one would be reported"
        )
        names = ", ".join(n for (_, n, _) in stale[:5]) + (" ..." if len(stale) > 5 else "")
        self._hazard(
            device,
            time,
            node,
            origin,
            f"{node} reads the float-status register at {format_ns(time)} on npu{device}, but "
            f"the register was not cleared {since} and kernels ran before {origin} allocated the "
            f"status ({names}){picked}. Run NPUClearFloatStatus after NPUAllocFloatStatus and "
            f"before the computation, ordered with ops.depend",
            stale=[n for (_, n, _) in stale],
            stale_overflow=overflowed,
        )

    def _check_cleared_computation(
        self, device: int, time: int, node: str, checked: frozenset[str]
    ) -> None:
        """The Get's status depends on ``checked`` kernels; if one of them ran before the last
        Clear, that Clear wiped its overflow before this Get could read it."""
        last = self._last_clear.get(device)
        if not checked or last is None:
            return
        wiped = sorted(
            (run[0], n, run[1])
            for n in checked
            if (run := self._last_run.get((device, n))) is not None and run[0] <= last[0]
        )
        if not wiped:
            return
        lost = [n for (_, n, o) in wiped if o]
        what = (
            f"; the overflow of {', '.join(lost)} is lost (the reading says no overflow)"
            if lost
            else "; an overflow there would be lost"
        )
        self._hazard(
            device,
            time,
            node,
            last[1],
            f"{node} checks {', '.join(n for (_, n, _) in wiped)}, but {last[1]} cleared the "
            f"float-status register at {format_ns(last[0])}, after "
            f"{'they' if len(wiped) > 1 else 'it'} ran{what}. Order the Clear before the "
            f"computation with ops.depend (compute_input = depend(compute_input, clear))",
            stale=[n for (_, n, _) in wiped],
            stale_overflow=lost,
        )

    def _hazard(
        self,
        device: int,
        time: int,
        node: str,
        other: str,
        message: str,
        *,
        stale: list[str],
        stale_overflow: list[str] | None = None,
    ) -> None:
        self.trace.add(
            "hazard",
            start=time,
            end=time,
            device=device,
            track="float_status",
            name="float_status_order",
            cause=node,
            other=other,
            stale_nodes=tuple(stale),
            stale_overflow=tuple(stale_overflow or ()),
            message=message,
        )
        self.hazards.append(message)
        if self.mode == "error":
            # raised by the runtime once the clock stops (raising inside a simpy callback
            # would leave the model half-updated); the first hazard wins
            if self.error is None:
                self.error = FloatStatusOrderError(message)
            return
        if self.mode == "warn":
            self.warn(message)
