"""Run a traced graph sunk on the device, in a given node order.

Graph sink: the host launches the whole graph once (one ``host.launch_overhead``), then every
node that does real work becomes a task on the device's compute stream, in the schedule's order;
device-side per-task cost comes from the cost model (``runtime.task_overhead`` included). A
node's output memory is allocated from the dynamic region when its task starts and freed when
its last consumer finishes; bookkeeping nodes (cost unit ``"none"``: ``Depend``, ``Shape`` ...)
run no task (``Depend``'s output is its input 0's buffer). Parameters are read from their device
buffers: on GE the init graph put them there (the compute stream waits for each parameter's
``param_synced`` event before its first reader); elsewhere the first reader's stream copies them
host-to-device first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ascendsim.backend.buffers import Buffer
from ascendsim.backend.compiled import CompiledGraph

__all__ = ["GraphExecution", "execute"]


class GraphExecution:
    """One run of a compiled graph (buffers, refcounts and the tasks it submitted)."""

    def __init__(
        self,
        runtime: Any,
        compiled: CompiledGraph,
        inputs: Sequence[Buffer],
        *,
        param_waits: dict[int, Any] | None = None,
    ) -> None:
        self.rt = runtime
        self.cg = compiled
        self.graph = compiled.graph
        self.inputs = list(inputs)
        self.param_waits = param_waits or {}
        #: (node id, output index) -> Buffer or plain value
        self.buffers: dict[tuple[int, int], Any] = {}
        #: remaining readers of each produced value (alias roots), to free it after the last
        self.remaining: dict[Any, int] = {}
        self.tasks: list[Any] = []

    # --- values ---------------------------------------------------------------------------
    def _resolve(self, ref: Any) -> Any:
        """The Buffer (or plain constant) a ValueRef names, following Depend aliases."""
        kind = ref.kind
        if kind == "const":
            return self.graph.constants[ref.index]
        if kind == "input":
            return self.inputs[ref.index]
        if kind == "param":
            return self.rt.param_buffers[ref.index]
        key = (ref.index, ref.output)
        buf = self.buffers.get(key)
        if buf is None:
            node = self.graph.nodes[ref.index]
            if node.op.name == "Depend":
                buf = self._resolve(node.inputs[0])
            else:  # a bookkeeping node evaluated on demand
                buf = self._evaluate_bookkeeping(node)[ref.output]
            self.buffers[key] = buf
        return buf

    def _evaluate_bookkeeping(self, node: Any) -> list[Any]:
        args = [self._resolve(r) for r in node.inputs]
        vals = []
        for a in args:
            if isinstance(a, Buffer):
                vals.append(a.value if a.value is not None else np.zeros(a.shape, a.dtype))
            else:
                vals.append(a)
        res = node.op.kernel(None, *vals)
        res = res if isinstance(res, tuple) and len(self.cg.out_types[node.id]) > 1 else (res,)
        out = []
        for r in res:
            if isinstance(r, np.ndarray):
                out.append(Buffer(r.shape, r.dtype, name=node.name, host=r))
            else:
                out.append(r)
        return out

    # --- submission -----------------------------------------------------------------------
    def submit(self, order: Sequence[int], *, launch: bool = True) -> list[Any]:
        rt, g, cg = self.rt, self.graph, self.cg
        stream = rt.stream
        device = rt.device
        for i, b in enumerate(self.inputs):
            if isinstance(b, Buffer) and b.block is None:
                rt.to_device(b, owner=b.name or f"{cg.name}.input{i}")
        if launch:
            rt.host_work(f"launch graph {cg.name}", rt.config.host.launch_overhead, cause=cg.name)
        ready = rt.host_time
        # consumers per produced ref, to free activations after their last reader
        uses: dict[Any, int] = {}
        for nid in order:
            for r in g.nodes[nid].inputs:
                if r.kind == "node":
                    root = self._alias_root(r)
                    uses[root] = uses.get(root, 0) + 1
        outputs = {self._alias_root(r) for r in g.outputs if r.kind == "node"}
        self.remaining = uses
        waited: set[int] = set()
        for nid in order:
            node = g.nodes[nid]
            cost = cg.costs[nid]
            if cost.unit == "none":
                continue
            for r in node.inputs:
                if r.kind == "param":
                    uid = r.index
                    ev = self.param_waits.get(uid)
                    if ev is not None and uid not in waited:
                        stream.wait(ev, ready_at=ready)
                        waited.add(uid)
                    elif uid not in rt.param_buffers or rt.param_buffers[uid].block is None:
                        self._param_to_device(r.obj, ready)
            outs = [
                Buffer(
                    shape,
                    dtype,
                    name=node.name if len(cg.out_types[nid]) == 1 else f"{node.name}:{i}",
                )
                for i, (shape, dtype) in enumerate(cg.out_types[nid])
            ]
            for i, b in enumerate(outs):
                self.buffers[(nid, i)] = b
            in_dtype = next((dt.name for dt in (t[1] for t in cg.out_types[nid])), "float16")
            task = stream.launch_kernel(
                node.name,
                flops=cost.flops,
                nbytes=cost.nbytes,
                unit=cost.unit,
                dtype=in_dtype,
                cause=node.name,
                ready_at=ready,
                on_start=lambda _t, outs=outs, node=node: self._start(node, outs),
                on_done=lambda _t, node=node, outs=outs: self._done(node, outs, outputs, device),
            )
            for b in outs:
                b.producer = task
            self.tasks.append(task)
        return [self._resolve(r) for r in g.outputs]

    def _param_to_device(self, param: Any, ready: int) -> None:
        info = self.cg.params[param._uid]
        buf = self.rt.param_buffers.get(param._uid)
        if buf is None:
            buf = Buffer(info.shape, info.dtype, name=info.name, host=info.values)
            self.rt.param_buffers[param._uid] = buf
        self.rt.to_device(buf, owner=info.name, persistent=True, ready_at=ready)

    def _alias_root(self, ref: Any) -> Any:
        g = self.graph
        while ref.kind == "node" and g.nodes[ref.index].op.name == "Depend":
            ref = g.nodes[ref.index].inputs[0]
        return ref

    def _start(self, node: Any, outs: list[Buffer]) -> None:
        for b in outs:
            self.rt.alloc_device(b, owner=b.name)

    def _done(self, node: Any, outs: list[Buffer], outputs: set[Any], device: int) -> None:
        args = [self._resolve(r) for r in node.inputs]
        self.rt.run_kernel(node.op, node.name, args, outs, device)
        for r in node.inputs:
            if r.kind != "node":
                continue
            root = self._alias_root(r)
            n = self.remaining.get(root, 0) - 1
            self.remaining[root] = n
            if n == 0 and root not in outputs:
                buf = self.buffers.get((root.index, root.output))
                if buf is not None and buf.block is not None:
                    self.rt.release(buf)


def execute(
    runtime: Any,
    compiled: CompiledGraph,
    inputs: Sequence[Buffer],
    order: Sequence[int],
    *,
    param_waits: dict[int, Any] | None = None,
) -> list[Any]:
    """Submit one run of ``compiled`` in ``order``; returns the output Buffers/values."""
    run = GraphExecution(runtime, compiled, inputs, param_waits=param_waits)
    return run.submit(order)
