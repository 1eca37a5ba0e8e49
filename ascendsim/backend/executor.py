"""Run a traced graph sunk on the device, in a given node order.

Graph sink: the host launches the whole graph once (one ``host.launch_overhead``), then every
node that does real work becomes a task on the device's compute stream, in the schedule's order;
device-side per-task cost comes from the cost model (``runtime.task_overhead`` included).
Bookkeeping nodes (cost unit ``"none"``: ``Depend``, ``Shape`` ...) run no task; ``Depend``'s
output is its input 0's buffer.

Memory follows MindSpore's graph mode, which plans activation memory when it compiles: each
order gets a :class:`Plan` whose activation workspace is the peak of the live (aligned) node
outputs along that order; a run allocates the workspace and the graph's outputs from the dynamic
region when it is launched and frees the workspace when its last task ends. Parameters live in
their own (persistent) blocks: on GE the init graph put them there and the compute stream waits
for each parameter's ``param_synced`` event before its first reader; on other backends the first
reader's stream copies them host-to-device.

In a values run, each task computes its node at its simulated end
(:meth:`~ascendsim.backend.runtime.Runtime.run_kernel`); in a shape-only run a task carries no
computation, except the float-status ops and nodes declared to overflow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ascendsim.backend.buffers import Buffer, nbytes_of
from ascendsim.backend.compiled import CompiledGraph

__all__ = ["Plan", "GraphExecution", "execute", "plan_for"]


@dataclass
class Plan:
    """What running a graph in one order needs, computed once per order."""

    order: tuple[int, ...]
    #: node ids that run a device task, in order
    tasks: list[int]
    #: aligned bytes of the activation workspace (peak of live intermediate outputs)
    workspace: int
    #: alias root (node id, output) of every graph output that a node produces
    output_roots: list[tuple[int, int]]
    #: node id -> dtype name of its first output (for the cost model)
    dtype_names: dict[int, str]
    #: node id -> parameter uids it reads
    param_reads: dict[int, list[int]]
    #: NPUGetFloatStatus node id -> names of the kernels it checks (see _checked_kernels)
    checked: dict[int, frozenset[str]]
    #: uids of the parameters the graph writes (in-place inputs of its ops)
    written: list[int]


def _alias_root(graph: Any, ref: Any) -> Any:
    while ref.kind == "node" and graph.nodes[ref.index].op.name == "Depend":
        ref = graph.nodes[ref.index].inputs[0]
    return ref


def plan_for(cg: CompiledGraph, order: Sequence[int], size_for: Any) -> Plan:
    """The plan of ``cg`` in ``order`` (cached on ``cg``); ``size_for`` aligns a byte count."""
    key = tuple(order)
    plan = cg.plans.get(key)
    if plan is not None:
        return plan
    g = cg.graph
    tasks = [nid for nid in key if cg.costs[nid].unit != "none"]
    outputs = []
    for r in g.outputs:
        root = _alias_root(g, r)
        if root.kind == "node":
            outputs.append((root.index, root.output))
    out_set = set(outputs)
    # liveness of intermediate outputs along the order -> the workspace a static plan needs
    last_use: dict[tuple[int, int], int] = {}
    for step, nid in enumerate(key):
        for r in g.nodes[nid].inputs:
            root = _alias_root(g, r)
            if root.kind == "node":
                last_use[(root.index, root.output)] = step
    live = peak = 0
    frees: dict[int, int] = {}
    for step, nid in enumerate(key):
        if cg.costs[nid].unit != "none":
            for i, (shape, dtype) in enumerate(cg.out_types[nid]):
                if (nid, i) in out_set:
                    continue
                size = size_for(nbytes_of(shape, dtype))
                live += size
                end = last_use.get((nid, i), step)
                frees[end] = frees.get(end, 0) + size
        peak = max(peak, live)
        live -= frees.pop(step, 0)
    dtype_names = {
        nid: np.dtype(cg.out_types[nid][0][1]).name if cg.out_types[nid] else "float16"
        for nid in tasks
    }
    param_reads = {
        nid: [r.index for r in g.nodes[nid].inputs if r.kind == "param"] for nid in tasks
    }
    written = sorted(
        {
            root.index
            for n in g.nodes
            for i in n.op.inplace
            if i < len(n.inputs)
            for root in [_alias_root(g, n.inputs[i])]
            if root.kind == "param"
        }
    )
    plan = Plan(key, tasks, peak, outputs, dtype_names, param_reads, _checked_kernels(cg), written)
    cg.plans[key] = plan
    return plan


def _ancestors(graph: Any, nid: int) -> set[int]:
    seen: set[int] = set()
    stack = list(graph.preds(nid))
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(graph.preds(n))
    return seen


def _checked_kernels(cg: CompiledGraph) -> dict[int, frozenset[str]]:
    """For each NPUGetFloatStatus: the kernels it checks, i.e. its ancestors that the graph
    does not order before the NPUClearFloatStatus of the same status buffer. If one of them
    runs before that Clear anyway, the Clear wipes its overflow (a hazard)."""
    g = cg.graph
    gets = [n for n in g.nodes if n.op.float_status == "get"]
    if not gets:
        return {}
    clears = [n for n in g.nodes if n.op.float_status == "clear"]
    out: dict[int, frozenset[str]] = {}
    for get in gets:
        root = _alias_root(g, get.inputs[0])
        anc = _ancestors(g, get.id)
        # Clears of the same status buffer that may run before this Get (not its descendants)
        mine = [
            c
            for c in clears
            if _alias_root(g, c.inputs[0]) == root and get.id not in _ancestors(g, c.id)
        ]
        if not mine:
            continue
        before: set[int] = set()
        for c in mine:
            before |= _ancestors(g, c.id) | {c.id}
        out[get.id] = frozenset(
            g.nodes[n].name
            for n in anc - before
            if cg.costs[n].unit != "none" and g.nodes[n].op.float_status is None
        )
    return out


class GraphExecution:
    """One run of a compiled graph: its buffers and the tasks it submitted."""

    def __init__(
        self,
        runtime: Any,
        compiled: CompiledGraph,
        inputs: Sequence[Buffer],
        *,
        param_waits: dict[int, Any] | None = None,
        collective: Any = None,
    ) -> None:
        self.rt = runtime
        #: multi-device runs only: the rank's collective hook (ascendsim.backend.collectives)
        #: and the task of each node submitted so far
        self.collective = collective
        self.node_tasks: dict[int, Any] = {}
        self.cg = compiled
        self.graph = compiled.graph
        self.inputs = list(inputs)
        self.param_waits = param_waits or {}
        #: (node id, output index) -> Buffer (or a plain value of a bookkeeping node)
        self.buffers: dict[tuple[int, int], Any] = {}
        self.workspace: Any = None
        self.plan: Plan | None = None
        #: parameter-server parameters pulled for this run, and their device buffers
        self.pulled: list[Any] = []
        self.ps_buffers: dict[int, Buffer] = {}

    def _resolve(self, ref: Any) -> Any:
        """The Buffer (or plain constant) a ValueRef names, following Depend aliases."""
        kind = ref.kind
        if kind == "const":
            return self.graph.constants[ref.index]
        if kind == "input":
            return self.inputs[ref.index]
        if kind == "param":
            pulled = self.ps_buffers.get(ref.index)
            return pulled if pulled is not None else self.rt.param_buffers[ref.index]
        key = (ref.index, ref.output)
        buf = self.buffers.get(key)
        if buf is None:
            node = self.graph.nodes[ref.index]
            if node.op.name == "Depend":
                buf = self._resolve(node.inputs[0])
            else:  # a bookkeeping node, evaluated on demand
                buf = self._evaluate_bookkeeping(node)[ref.output]
            self.buffers[key] = buf
        return buf

    def _evaluate_bookkeeping(self, node: Any) -> list[Any]:
        vals = []
        for a in (self._resolve(r) for r in node.inputs):
            if isinstance(a, Buffer):
                vals.append(a.value if a.value is not None else np.zeros(a.shape, a.dtype))
            else:
                vals.append(a)
        res = node.op.kernel(None, *vals)
        res = res if isinstance(res, tuple) and len(self.cg.out_types[node.id]) > 1 else (res,)
        return [
            Buffer(r.shape, r.dtype, name=node.name, host=r) if isinstance(r, np.ndarray) else r
            for r in res
        ]

    def submit(self, order: Sequence[int], *, launch: bool = True) -> list[Any]:
        rt, g, cg = self.rt, self.graph, self.cg
        stream = rt.stream
        pool = rt.npu.memory
        plan = self.plan = plan_for(cg, order, pool.size_for)
        for i, b in enumerate(self.inputs):
            if isinstance(b, Buffer) and b.block is None:
                rt.to_device(b, owner=b.name or f"{cg.name}.input{i}")
        ready = (
            rt.host_work(f"launch graph {cg.name}", rt.config.host.launch_overhead, cause=cg.name)
            if launch
            else rt.host_time
        )
        rt._catch_up()
        values = self._values_run()
        out_roots = set(plan.output_roots)
        for nid, i in plan.output_roots:
            shape, dtype = cg.out_types[nid][i]
            b = Buffer(shape, dtype, name=f"{cg.name}:{g.nodes[nid].name}")
            rt.alloc_device(b, owner=b.name)
            self.buffers[(nid, i)] = b
        if plan.workspace:
            self.workspace = pool.alloc(
                plan.workspace, owner=f"{cg.name} activations", persistent=False
            )
        waited: set[int] = set()
        device = rt.device
        last = None
        declared = rt.declared_overflow
        launch_kernel = stream.launch_kernel
        for nid in plan.tasks:
            node = g.nodes[nid]
            cost = cg.costs[nid]
            reads = plan.param_reads[nid]
            if reads:
                for uid in reads:
                    if uid in waited:
                        continue
                    waited.add(uid)
                    ev = self.param_waits.get(uid)
                    if ev is not None:
                        stream.wait(ev, ready_at=ready)
                    elif (
                        cg.params[uid].ps
                        or uid not in rt.param_buffers
                        or rt.param_buffers[uid].block is None
                    ):
                        self._param_to_device(uid, ready)
            outs = None
            if values or node.op.float_status is not None or (declared and node.name in declared):
                outs = []
                for i, (shape, dtype) in enumerate(cg.out_types[nid]):
                    b = self.buffers.get((nid, i)) if (nid, i) in out_roots else None
                    if b is None:
                        b = Buffer(shape, dtype, name=node.name)
                        self.buffers[(nid, i)] = b
                    outs.append(b)
                on_done = _Compute(self, node, outs, device)
            else:
                on_done = None
            if self.collective is not None and node.op.collective:
                last = self.collective.submit(self, node, outs, ready)
            else:
                last = launch_kernel(
                    node.name,
                    flops=cost.flops,
                    nbytes=cost.nbytes,
                    unit=cost.unit,
                    dtype=plan.dtype_names[nid],
                    cause=node.name,
                    ready_at=ready,
                    on_done=on_done,
                )
            if self.collective is not None:
                self.node_tasks[nid] = last
            for b in outs or ():
                b.producer = last
        for key in plan.output_roots:
            self.buffers[key].producer = last
        if last is not None:  # reading a parameter the graph wrote waits for the graph
            for uid in plan.written:
                buf = self.ps_buffers.get(uid) or self.rt.param_buffers.get(uid)
                if buf is not None:
                    buf.producer = last
        self._push_to_ps(ready)
        if self.workspace is not None:
            ws = self.workspace
            if last is None:
                pool.free(ws)
            else:  # the workspace lives until the graph's last task ends
                last.done.callbacks.append(lambda _ev: pool.free(ws))
        return [self._resolve(r) for r in g.outputs]

    def _values_run(self) -> bool:
        """Values are computed if any input or parameter of the graph has values."""
        if any(isinstance(b, Buffer) and b.value is not None for b in self.inputs):
            return True
        if any(isinstance(c, Buffer) and c.value is not None for c in self.graph.constants):
            return True
        return any(p.values is not None for p in self.cg.params.values())

    def _param_to_device(self, uid: int, ready: int) -> None:
        info = self.cg.params[uid]
        if info.ps:
            self._pull_from_ps(info, ready)
            return
        buf = self.rt.param_buffers.get(uid)
        if buf is None:
            buf = Buffer(info.shape, info.dtype, name=info.name, host=info.values)
            self.rt.param_buffers[uid] = buf
        self.rt.to_device(buf, owner=info.name, persistent=True, ready_at=ready)

    def _pull_from_ps(self, info: Any, ready: int) -> None:
        """A parameter-server parameter: every run pulls it over the network into a dynamic
        block before its first reader, and pushes it back after the run (see submit)."""
        rt = self.rt
        buf = Buffer(info.shape, info.dtype, name=info.name, host=info.values)
        self.ps_buffers[info.uid] = buf
        rt.alloc_device(buf, owner=f"{info.name} (pulled from ps0)")
        link = rt.system.network_link(f"ps0->npu{rt.device}")
        rt.stream.copy(link, info.nbytes, cause=info.name, name=f"pull {info.name}", ready_at=ready)
        self.pulled.append(info)

    def _push_to_ps(self, ready: int) -> None:
        rt = self.rt
        for info in self.pulled:
            buf = self.ps_buffers[info.uid]
            link = rt.system.network_link(f"npu{rt.device}->ps0")
            rt.stream.copy(
                link,
                info.nbytes,
                cause=info.name,
                name=f"push {info.name}",
                ready_at=ready,
                on_done=lambda _t, b=buf: rt.release(b),
            )


class _Compute:
    """A task's ``on_done``: compute its node at simulated time."""

    __slots__ = ("run", "node", "outs", "device")

    def __init__(self, run: GraphExecution, node: Any, outs: list[Buffer], device: int) -> None:
        self.run, self.node, self.outs, self.device = run, node, outs, device

    def __call__(self, _task: Any) -> None:
        run = self.run
        args = [run._resolve(r) for r in self.node.inputs]
        run.rt.run_kernel(
            self.node.op,
            self.node.name,
            args,
            self.outs,
            self.device,
            run.plan.checked.get(self.node.id, frozenset()),
        )


def execute(
    runtime: Any,
    compiled: CompiledGraph,
    inputs: Sequence[Buffer],
    order: Sequence[int],
    *,
    param_waits: dict[int, Any] | None = None,
    collective: Any = None,
    launch: bool = True,
) -> list[Any]:
    """Submit one run of ``compiled`` in ``order``; returns the output Buffers/values.
    ``collective``: the rank's hook in a multi-device run (None on one device)."""
    run = GraphExecution(runtime, compiled, inputs, param_waits=param_waits, collective=collective)
    return run.submit(order, launch=launch)
