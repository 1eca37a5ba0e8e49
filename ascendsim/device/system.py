"""The System: one simpy clock and all the hardware on it.

A :class:`System` owns a ``simpy.Environment``, the trace, a seeded random generator, id
counters, the host, ``devices`` NPUs and the links between them: there is no module-level
state, so two systems in one process never interfere. Constructing it starts no process and
writes no file; links are created on first use (deterministically named).

Topology: each device has a PCIe link per direction to the host (``pcie.h2d`` / ``pcie.d2h``
tracks). Devices are fully meshed by HCCS inside groups of ``hccs.group_size``
(``hccs.<i>-<j>``, directional); devices in different groups talk over the RoCE network
(``net.<i>-<j>``). :meth:`System.network_link` gives RoCE links to other hosts (e.g. a
parameter server). Links are recorded on the source device's track (``None``: the host).

After :meth:`System.run` drains the event queue, any stream still holding tasks is stuck (a
simpy deadlock otherwise ends silently) and :class:`~ascendsim.errors.UnfinishedWork` names it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from ascendsim.device.host import Host
from ascendsim.device.link import Link
from ascendsim.device.npu import Npu
from ascendsim.device.stream import Stream
from ascendsim.device.task import StreamEvent
from ascendsim.errors import MsValueError, UnfinishedWork, format_ns
from ascendsim.trace.log import TraceLog

__all__ = ["System"]

_INF = float("inf")


class System:
    """A host with ``devices`` NPUs sharing one simulated clock.

    Args:
        config: a :class:`~ascendsim.config.HardwareConfig` (or any object of that shape).
        devices: number of NPUs (``npu0`` ... ``npu<devices-1>``).
        seed: seed of :attr:`rng` (``numpy.random.default_rng``).
        max_device_memory: cap of each device's memory pool in bytes (MindSpore's context key).

    Raises:
        MsValueError: ``devices`` < 1.
        ConfigError: the config leaves no HBM for the pool.
    """

    def __init__(
        self, config: Any, devices: int = 1, seed: int = 0, *, max_device_memory: int | None = None
    ) -> None:
        if int(devices) < 1:
            raise MsValueError(f"a System needs at least one device, got devices={devices}")
        self.config = config
        self.env = simpy.Environment()
        #: the simulated time in ns, as a callable (for pools and registers); a C-level
        #: getattr, as pools call it on every alloc and free
        self.clock: Callable[[], int] = functools.partial(getattr, self.env, "_now")
        self.trace = TraceLog()
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self._ids: dict[str, int] = {}
        self._links: dict[str, Link] = {}
        self.host = Host(self)
        self.devices = [Npu(self, i, max_device_memory) for i in range(int(devices))]
        #: set when the program running on this system has ended (the backend's end of run):
        #: memory its objects still release afterwards is no longer simulated
        self.program_ended = False

    # --- clock and ids --------------------------------------------------------------------
    @property
    def now(self) -> int:
        """The simulated time in ns."""
        return self.env._now

    def next_id(self, kind: str) -> int:
        """0, 1, 2 ... per ``kind``, for this system only."""
        n = self._ids.get(kind, 0)
        self._ids[kind] = n + 1
        return n

    # --- parts ----------------------------------------------------------------------------
    def device(self, index: int) -> Npu:
        """The NPU ``index``.

        Raises:
            MsValueError: no such device.
        """
        if not 0 <= index < len(self.devices):
            raise MsValueError(
                f"device {index} does not exist: this system has {len(self.devices)} device(s), "
                f"npu0..npu{len(self.devices) - 1}; build System(config, devices=N) with more"
            )
        return self.devices[index]

    def _link(
        self, key: str, bandwidth: float, latency: int, device: int | None, track: str
    ) -> Link:
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = Link(
                key,
                bandwidth,
                latency,
                env=self.env,
                trace=self.trace,
                device=device,
                track=track,
            )
        return link

    def pcie_h2d(self, index: int) -> Link:
        """The host-to-device PCIe link of NPU ``index``."""
        pcie = self.config.pcie
        dev = self.device(index)
        return self._link(
            f"{dev.name}.pcie.h2d", pcie.h2d_bandwidth, pcie.h2d_latency, index, "pcie.h2d"
        )

    def pcie_d2h(self, index: int) -> Link:
        """The device-to-host PCIe link of NPU ``index``."""
        pcie = self.config.pcie
        dev = self.device(index)
        return self._link(
            f"{dev.name}.pcie.d2h", pcie.d2h_bandwidth, pcie.d2h_latency, index, "pcie.d2h"
        )

    def same_group(self, i: int, j: int) -> bool:
        """True if NPUs ``i`` and ``j`` are in the same HCCS full-mesh group."""
        size = int(self.config.hccs.group_size)
        return i // size == j // size

    def d2d_link(self, src: int, dst: int) -> Link:
        """The directional link from NPU ``src`` to NPU ``dst``: HCCS inside a group, the
        RoCE network between groups.

        Raises:
            MsValueError: ``src == dst`` or a device that does not exist.
        """
        self.device(src), self.device(dst)
        if src == dst:
            raise MsValueError(f"no device-to-device link from npu{src} to itself")
        if self.same_group(src, dst):
            hccs = self.config.hccs
            track = f"hccs.{src}-{dst}"
            return self._link(f"npu{src}.{track}", hccs.bandwidth, hccs.latency, src, track)
        net = self.config.network
        track = f"net.{src}-{dst}"
        return self._link(f"npu{src}.{track}", net.bandwidth, net.latency, src, track)

    def network_link(self, name: str) -> Link:
        """A RoCE link from the host to ``name`` (e.g. ``"ps0"``), created on first use."""
        if not name:
            raise MsValueError("a network link needs a name, e.g. 'ps0'")
        net = self.config.network
        track = f"net.{name}"
        return self._link(f"host.{track}", net.bandwidth, net.latency, None, track)

    @property
    def links(self) -> list[Link]:
        """Every link created so far, in creation order."""
        return list(self._links.values())

    @property
    def streams(self) -> list[Stream]:
        """Every stream of every device (device order, then creation order)."""
        return [s for d in self.devices for s in d.streams]

    def create_event(self, name: str, device: int | None = None) -> StreamEvent:
        """A new ACL event (record it on one stream, wait on it from others)."""
        return StreamEvent(name, self.next_id("event"), device)

    # --- running --------------------------------------------------------------------------
    def unfinished(self) -> list[str]:
        """One line per stream that still holds tasks (empty when all are idle)."""
        return [s.describe_stuck() for s in self.streams if not s.idle]

    def _raise_unfinished(self, what: str) -> None:
        lines = self.unfinished()
        detail = "\n  ".join(lines) if lines else "every stream is idle"
        raise UnfinishedWork(
            f"{what} at {format_ns(self.now)}: no scheduled event can make progress "
            f"(a deadlock: check the record/wait order of the streams below)\n  {detail}"
        )

    def run(self, until: int | None = None) -> None:
        """Run the clock: to completion (``until=None``) or through every event at times
        ``<= until`` (inclusive, unlike ``simpy``).

        Raises:
            UnfinishedWork: the event queue ran dry while a stream still had tasks.
            MsValueError: ``until`` lies in the past.
        """
        env = self.env
        if until is None:
            env.run()
        else:
            until = int(until)
            if until < env._now:
                raise MsValueError(
                    f"run(until={until}) is before the current time {format_ns(env._now)}"
                )
            if until > env._now:
                env.run(until=until)
            while env.peek() == until:
                env.step()
        if env.peek() == _INF and self.unfinished():
            self._raise_unfinished("simulation ran out of events with unfinished work")

    def run_until(self, event: simpy.Event, what: str = "") -> Any:
        """Run just until ``event`` has been processed (e.g. a stream's ``sync_event()`` for a
        PyNative synchronisation); return its value. ``what`` names it in errors.

        Raises:
            UnfinishedWork: the queue ran dry before the event triggered (names stuck streams).
        """
        env = self.env
        queue = env._queue  # simpy's event heap (peek() without the call: once per event)
        while event.callbacks is not None:
            if not queue:
                name = what or f"a {type(event).__name__}"
                self._raise_unfinished(f"waited for {name}, which never triggered,")
            env.step()
        return event.value

    def __repr__(self) -> str:
        return (
            f"<System {getattr(self.config, 'name', '?')} devices={len(self.devices)} "
            f"t={self.now} ns records={len(self.trace)}>"
        )
