"""A point-to-point link (PCIe direction, HCCS, RoCE) with fair bandwidth sharing.

A transfer of ``n`` bytes first spends the link's ``latency`` (DMA setup: it uses no
bandwidth), then joins the link's *active set*. The active transfers share the bandwidth
equally (processor sharing): whenever the set changes, each one's remaining bytes are brought
up to date and the next completion is rescheduled. An uncontended transfer therefore takes
exactly ``latency + ceil(n / bandwidth)`` ns, and two equal transfers started together both
finish after ``latency + ceil(2n / bandwidth)``. Times are integer ns, rounded up.

Each transfer appends one ``copy`` record (start = request time, end = finish) on the link's
track when it finishes. Links are directional: a full-duplex connection is two links.
"""

from __future__ import annotations

from typing import Any

import simpy

from ascendsim.device.cost import ceil_ns
from ascendsim.errors import MsValueError

__all__ = ["Link", "Transfer"]


class Transfer:
    """One transfer on a link: its request time, bytes and (once finished) end time."""

    __slots__ = ("nbytes", "name", "cause", "start", "end", "remaining", "event", "args")

    def __init__(
        self, nbytes: int, name: str, cause: str, start: int, event: simpy.Event, args: tuple
    ) -> None:
        self.nbytes = nbytes
        self.name = name
        self.cause = cause
        self.start = start
        self.end: int | None = None
        self.remaining = float(nbytes)
        self.event = event
        self.args = args

    def __repr__(self) -> str:
        return f"<Transfer {self.name!r} {self.nbytes} B start={self.start} end={self.end}>"


class Link:
    """A link of ``bandwidth`` bytes/ns and ``latency`` ns shared fairly by its transfers.

    Args:
        name: scoped name for messages (``"npu0.pcie.h2d"``).
        bandwidth: bytes per ns (1 GB/s == 1.0).
        latency: ns per transfer before its bytes move.
        env: the system's simpy environment.
        trace: the system's TraceLog (``None``: record nothing).
        device: device index of the records (``None``: the host).
        track: track name of the records (default: ``name``).

    Raises:
        MsValueError: a bandwidth <= 0 or a negative latency.
    """

    def __init__(
        self,
        name: str,
        bandwidth: float,
        latency: int,
        *,
        env: simpy.Environment,
        trace: Any = None,
        device: int | None = None,
        track: str | None = None,
    ) -> None:
        if not bandwidth > 0 or latency < 0:
            raise MsValueError(
                f"link {name!r}: needs bandwidth > 0 and latency >= 0, got "
                f"bandwidth={bandwidth}, latency={latency}"
            )
        self.name = name
        self.bandwidth = float(bandwidth)
        self.latency = int(latency)
        self.env = env
        self.trace = trace
        self.device = device
        self.track = track or name
        self._active: list[Transfer] = []
        self._last = 0
        self._gen = 0
        #: total bytes of finished transfers, and their count
        self.bytes_moved = 0
        self.transfers_done = 0

    @property
    def active(self) -> int:
        """Transfers currently moving bytes (past their latency)."""
        return len(self._active)

    def transfer(
        self, nbytes: int, *, cause: str = "", name: str = "", args: tuple = ()
    ) -> simpy.Event:
        """Start moving ``nbytes`` now; the returned event succeeds with the :class:`Transfer`
        when the last byte has arrived. ``args``: extra sorted ``(key, value)`` pairs for the
        ``copy`` record.

        Raises:
            MsValueError: ``nbytes`` is negative.
        """
        if nbytes < 0:
            raise MsValueError(f"link {self.name!r}: cannot transfer {nbytes} bytes ({name!r})")
        env = self.env
        x = Transfer(int(nbytes), name, cause, env.now, env.event(), args)
        if self.latency:
            env.timeout(self.latency).callbacks.append(lambda _ev: self._join(x))
        else:
            self._join(x)
        return x.event

    def _progress(self) -> None:
        now = self.env.now
        active = self._active
        if active and now > self._last:
            share = (now - self._last) * self.bandwidth / len(active)
            for x in active:
                x.remaining -= share
        self._last = now

    def _join(self, x: Transfer) -> None:
        self._progress()
        self._active.append(x)
        self._reschedule()

    def _reschedule(self) -> None:
        self._gen += 1
        active = self._active
        if not active:
            return
        least = min(x.remaining for x in active)
        delay = ceil_ns(max(least, 0.0) * len(active) / self.bandwidth)
        gen = self._gen
        self.env.timeout(delay).callbacks.append(lambda _ev: self._complete(gen))

    def _complete(self, gen: int) -> None:
        if gen != self._gen:  # the active set changed since this completion was scheduled
            return
        self._progress()
        active = self._active
        # a transfer is done when less than a millionth of a ns of work is left (float noise)
        limit = 1e-6 * self.bandwidth / len(active)
        done = [x for x in active if x.remaining <= limit]
        if not done:  # rounding left a sliver: finish it in the next ns
            self.env.timeout(1).callbacks.append(lambda _ev: self._complete(gen))
            return
        self._active = [x for x in active if x.remaining > limit]
        now = self.env.now
        for x in done:
            x.end = now
            x.remaining = 0.0
            self.bytes_moved += x.nbytes
            self.transfers_done += 1
            if self.trace is not None:
                self.trace.append_row(
                    "copy",
                    x.start,
                    now,
                    self.device,
                    self.track,
                    x.name,
                    x.cause,
                    x.nbytes,
                    None,
                    x.args,
                )
        self._reschedule()
        for x in done:
            x.event.succeed(x)

    def __repr__(self) -> str:
        return (
            f"<Link {self.name} {self.bandwidth} B/ns latency={self.latency} ns "
            f"active={len(self._active)}>"
        )
