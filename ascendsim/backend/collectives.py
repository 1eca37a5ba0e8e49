"""Collective communication over the device links: ring AllReduce and Broadcast timing.

A :class:`CollectiveGroup` is the communicator of a data-parallel run: ``N`` devices in a ring
(``d0 -> d1 -> ... -> d(N-1) -> d0``; each hop is :meth:`System.d2d_link`, HCCS inside a group
of the preset's ``hccs.group_size``, the network between groups). It runs one collective at a
time, as HCCL runs the collectives of one communicator in order: a collective becomes *ready*
when its inputs are ready on every rank (a rendezvous of all ranks) and starts when the
communicator is free, the earliest-ready first (ties by submission order).

Timing (integer ns, per-step barrier):

* **AllReduce** of ``B`` bytes: ring reduce-scatter then all-gather, ``2(N-1)`` steps; in each
  step every rank sends ``ceil(B/N)`` bytes to the next rank, all hops at once, and the step
  ends when the slowest hop arrives. On an idle ring it takes
  ``2(N-1) * (latency + ceil(ceil(B/N) / bandwidth))`` with the slowest hop's latency and
  bandwidth (:func:`ring_allreduce_ns`), i.e. ``2(N-1)/N * B / bandwidth`` plus latency terms.
* **Broadcast** of ``B`` bytes from the root: pipelined along the ring in ``N-1`` chunks,
  ``2N-3`` steps of ``ceil(B/(N-1))`` bytes.

Left out: the reduction arithmetic (a vector add per received chunk, hidden behind the
transfer at HBM speed) and HCCL's hierarchical algorithms for multi-server rings.

Each link transfer is a ``copy`` record on its link's track; each collective adds one
``collective`` record per rank (track ``hccl``) spanning its start and end, with ``bytes``,
``algorithm``, ``steps`` and ``ranks``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import simpy

from ascendsim.device.cost import ceil_ns

__all__ = ["CollectiveGroup", "Collective", "ring_allreduce_ns", "ring_hops"]


def ring_hops(system: Any, devices: Sequence[int]) -> list[Any]:
    """The links of the ring ``devices[0] -> devices[1] -> ... -> devices[0]``."""
    n = len(devices)
    return [system.d2d_link(devices[i], devices[(i + 1) % n]) for i in range(n)] if n > 1 else []


def ring_allreduce_ns(nbytes: int, links: Sequence[Any]) -> int:
    """Duration of a ring AllReduce of ``nbytes`` over ``links`` (one per rank) on an idle
    ring: ``2(N-1)`` steps of ``latency + ceil(chunk / bandwidth)``, slowest hop."""
    n = len(links)
    if n < 2:
        return 0
    chunk = -(-nbytes // n)
    step = max(link.latency + ceil_ns(chunk / link.bandwidth) for link in links)
    return 2 * (n - 1) * step


@dataclass
class Collective:
    """One collective operation of a group (an AllReduce or a Broadcast, possibly fused)."""

    name: str
    kind: str  # "allreduce" | "broadcast"
    nbytes: int
    cause: str = ""
    root: int = 0
    on_done: Callable[[Collective], None] | None = None
    seq: int = 0
    ready_at: int | None = None
    start: int | None = None
    end: int | None = None
    done: simpy.Event | None = None
    steps: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class CollectiveGroup:
    """The communicator of ``devices`` on ``system`` (see the module docstring)."""

    def __init__(self, system: Any, devices: Sequence[int], name: str = "hccl_world_group") -> None:
        self.system = system
        self.env = system.env
        self.devices = list(devices)
        self.name = name
        self.links = ring_hops(system, self.devices)
        self._queue: list[tuple[int, int, Collective]] = []
        self._busy = False
        self._seq = 0
        #: every finished collective, in completion order
        self.history: list[Collective] = []

    @property
    def size(self) -> int:
        """Number of ranks."""
        return len(self.devices)

    def submit(self, op: Collective, ready: Sequence[simpy.Event]) -> simpy.Event:
        """Queue ``op`` to start once every event in ``ready`` has triggered (the rendezvous of
        all ranks); returns the event that succeeds when it has finished."""
        op.seq = self._seq
        self._seq += 1
        op.done = self.env.event()
        pending = [e for e in ready if e.callbacks is not None]
        if pending:
            simpy.AllOf(self.env, pending).callbacks.append(lambda _ev: self._ready(op))
        else:
            self._ready(op)
        return op.done

    def _ready(self, op: Collective) -> None:
        op.ready_at = self.env.now
        heapq.heappush(self._queue, (op.ready_at, op.seq, op))
        self._try_start()

    def _try_start(self) -> None:
        if self._busy or not self._queue:
            return
        _, _, op = heapq.heappop(self._queue)
        self._busy = True
        op.start = self.env.now
        n = self.size
        if op.kind == "allreduce":
            op.steps = 2 * (n - 1)
            chunk = -(-op.nbytes // n) if n else 0
            plan = [[(i, chunk) for i in range(n)] for _ in range(op.steps)]
        else:  # pipelined ring broadcast from the root, N-1 chunks
            chunks = max(n - 1, 1)
            op.steps = 2 * n - 3 if n > 1 else 0
            chunk = -(-op.nbytes // chunks)
            root = self.devices.index(op.root) if op.root in self.devices else 0
            plan = []
            for s in range(op.steps):
                hops = [(root + h) % n for h in range(n - 1) if 0 <= s - h < chunks]
                plan.append([(i, chunk) for i in hops])
        self._step(op, plan, 0)

    def _step(self, op: Collective, plan: list[list[tuple[int, int]]], k: int) -> None:
        if k >= len(plan) or self.size < 2:
            self._finish(op)
            return
        events = [
            self.links[i].transfer(nbytes, cause=op.cause or op.name,
                                   name=f"{op.name} step {k + 1}/{len(plan)}")
            for i, nbytes in plan[k]
        ]  # fmt: skip
        simpy.AllOf(self.env, events).callbacks.append(lambda _ev: self._step(op, plan, k + 1))

    def _finish(self, op: Collective) -> None:
        op.end = self.env.now
        trace = self.system.trace
        for dev in self.devices:
            trace.add(
                "collective",
                start=op.start,
                end=op.end,
                device=dev,
                track="hccl",
                name=op.name,
                cause=op.cause or op.name,
                nbytes=op.nbytes,
                algorithm=f"ring {op.kind}",
                steps=op.steps,
                ranks=self.size,
                group=self.name,
            )
        self.history.append(op)
        self._busy = False
        if op.on_done is not None:
            op.on_done(op)
        assert op.done is not None
        op.done.succeed(op)
        self._try_start()


# --- collectives of one graph run on every rank ---------------------------------------------------


class _Bucket:
    """Collective nodes that run as one collective (a fused AllReduce, or a single node)."""

    def __init__(self, name: str, kind: str, members: list[Any], env: simpy.Environment) -> None:
        self.name = name
        self.kind = kind
        self.members = members
        self.ready: list[simpy.Event] = []
        self.outs: dict[tuple[int, int], Any] = {}
        self.waits: dict[int, Any] = {}
        self.arrived = 0
        self.done = env.event()


class GraphCollectives:
    """The collective nodes of one graph run on every rank of ``group``.

    AllReduce nodes sharing a nonzero ``fusion`` attribute form one fused collective (as
    MindSpore's AllReduce fusion does); every other collective node is its own. A collective is
    submitted to the group once every rank has reached all of its member nodes; its rendezvous
    waits for the tasks producing the inputs on every rank. Use :meth:`hook` as the executor's
    ``collective`` argument of rank ``r``.
    """

    def __init__(self, group: CollectiveGroup, compiled: Any) -> None:
        self.group = group
        self.cg = compiled
        self.env = group.env
        self.executions: dict[int, Any] = {}
        self.bucket_of: dict[int, _Bucket] = {}
        buckets: dict[Any, _Bucket] = {}
        for node in compiled.graph.nodes:
            kind = getattr(node.op, "collective", None)
            if not kind:
                continue
            fusion = int(getattr(node.op, "fusion", 0) or 0) if kind == "allreduce" else 0
            key = ("fusion", fusion) if fusion > 0 else ("node", node.id)
            b = buckets.get(key)
            if b is None:
                b = buckets[key] = _Bucket(node.name, kind, [], self.env)
            b.members.append(node)
            self.bucket_of[node.id] = b
        for (tag, fusion), b in buckets.items():
            if tag == "fusion" and len(b.members) > 1:
                b.name = f"AllReduce fusion {fusion} ({len(b.members)} tensors)"

    def hook(self, rank: int) -> _RankHook:
        """The executor hook of ``rank`` (its index in the group)."""
        return _RankHook(self, rank)

    def _nbytes(self, b: _Bucket) -> int:
        total = 0
        for node in b.members:
            for shape, dtype in self.cg.out_types[node.id]:
                n = 1
                for d in shape:
                    n *= int(d)
                total += n * int(dtype.itemsize)
        return total

    def _arrive(self, b: _Bucket) -> None:
        b.arrived += 1
        if b.arrived < self.group.size * len(b.members):
            return
        root = self.group.devices[int(getattr(b.members[0].op, "root_rank", 0) or 0)]
        op = Collective(b.name, b.kind, self._nbytes(b), cause=b.members[0].name, root=root,
                        on_done=lambda _op, b=b: self._complete(b))  # fmt: skip
        self.group.submit(op, b.ready)

    def _complete(self, b: _Bucket) -> None:
        from ascendsim.backend.overflow import check_overflow

        for node in b.members:
            ranks = sorted(self.executions)
            ins = [[_value(self.executions[r]._resolve(ref)) for ref in node.inputs]
                   for r in ranks]  # fmt: skip
            if any(v is None for vals in ins for v in vals):
                continue  # shape-only: nothing to compute
            if b.kind == "allreduce":
                results = [(_reduce(getattr(node.op, "op", "sum"), [v[0] for v in ins]),)] * len(
                    ranks
                )
            else:
                root = int(getattr(node.op, "root_rank", 0) or 0)
                results = [tuple(ins[root])] * len(ranks)
            for r, res in zip(ranks, results, strict=True):
                rt = self.executions[r].rt
                for buf, arr in zip(b.outs.get((r, node.id)) or (), res, strict=False):
                    fixed, over = check_overflow(arr.astype(buf.dtype), rt.overflow_mode)
                    buf.device_value = fixed
                    if over:
                        rt.system.device(rt.device).float_status.set(node.name, node=node.name)
        b.done.succeed()


class _RankHook:
    """What the executor of one rank calls for each collective node (see GraphCollectives)."""

    def __init__(self, owner: GraphCollectives, rank: int) -> None:
        self.owner = owner
        self.rank = rank

    def submit(self, execution: Any, node: Any, outs: list[Any] | None, ready: int) -> Any:
        owner = self.owner
        owner.executions[self.rank] = execution
        b = owner.bucket_of[node.id]
        for ref in node.inputs:
            b.ready.extend(_ready_events(execution, ref))
        if outs is not None:
            b.outs[(self.rank, node.id)] = outs
        wait = b.waits.get(self.rank)
        if wait is None:
            wait = b.waits[self.rank] = execution.rt.stream.wait_for(
                b.done, name=f"wait {b.name}", cause=node.name, ready_at=ready
            )
        owner._arrive(b)
        return wait


def _ready_events(execution: Any, ref: Any) -> list[simpy.Event]:
    """Events that trigger when the value ``ref`` names is ready on this rank's device."""
    if ref.kind == "node":
        task = execution.node_tasks.get(ref.index)
        if task is not None:
            return [task.done]
        events = []
        for r in execution.graph.nodes[ref.index].inputs:  # Depend and bookkeeping nodes
            events.extend(_ready_events(execution, r))
        return events
    if ref.kind in ("param", "input"):
        producer = getattr(execution._resolve(ref), "producer", None)
        return [producer.done] if producer is not None else []
    return []


def _value(buf: Any) -> Any:
    value = getattr(buf, "value", None)
    if value is None and not hasattr(buf, "shape"):
        return buf  # a plain constant
    return value


def _reduce(op: str, values: list[Any]) -> Any:
    import numpy as np

    acc = np.array(values[0], copy=True)
    with np.errstate(all="ignore"):
        for v in values[1:]:
            if op == "max":
                acc = np.maximum(acc, v)
            elif op == "min":
                acc = np.minimum(acc, v)
            elif op == "prod":
                acc = acc * v
            else:
                acc = acc + v
    return acc.astype(np.asarray(values[0]).dtype)
