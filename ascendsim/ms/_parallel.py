"""Data parallel: one compiled graph run on ``N`` simulated devices by one Python process.

Active when the auto-parallel context's ``parallel_mode`` is ``data_parallel`` (or
``hybrid_parallel``) and :func:`ascendsim.ms.communication.init` opened a world of ``N > 1``
ranks; :func:`ascendsim.ms._graph_mode.run_compiled` then hands every graph to
:func:`run_compiled` here. Rank ``r`` runs on NPU ``r`` with its own runtime (rank 0's is the
session's), its own copy of every parameter and its own float-status register.

A run, in simulated time:

1. parameters reach each device: the GE init graph on every rank (``enable_ge``), otherwise an
   H2D copy per parameter on each rank's compute stream;
2. with ``parameter_broadcast=True`` (auto-parallel context; r1.6 broadcasts only then), the
   first time a parameter is used it is broadcast from rank 0 to the others (one fused ring
   ``Broadcast``; ``layerwise_parallel`` parameters keep their own values) and every compute
   stream waits for it. Without it each rank starts from its own copy of the values the
   program created, as r1.6 ranks do when they share a seed (``set_seed``);
3. every Tensor input is the *global* batch: it is split along axis 0 into ``N`` shards, rank
   ``r`` getting shard ``r`` (a Tensor returned by an earlier parallel run is used per rank as
   is); the graph is compiled for the shard's shape;
4. each rank submits the same graph in the same order; ``AllReduce``/``Broadcast`` nodes become
   collectives of the world group (:mod:`ascendsim.backend.collectives`): all ranks
   rendezvous, the ring moves the bytes over HCCS (the network between HCCS groups), and each
   compute stream waits for the result where the node sits in its order.

Results are rank 0's (``print`` shows rank 0's loss); each result Tensor keeps every rank's
buffer in ``_rank_bufs``. ``Print`` output of ranks 1.. is recorded in their runtimes'
``printed`` but not written. PYNATIVE_MODE ops run on the session's device only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ascendsim.backend.buffers import Buffer
from ascendsim.backend.compiled import CompiledGraph
from ascendsim.errors import MsRuntimeError, MsValueError
from ascendsim.ms import _dispatch, _session

__all__ = ["active", "group", "run_compiled", "ParallelGroup"]


def active() -> bool:
    """Whether graphs run data-parallel (see the module docstring)."""
    from ascendsim.ms import communication, context

    comm = communication.GlobalComm
    mode = context.get_auto_parallel_context("parallel_mode")
    return comm.INITED and comm.WORLD_SIZE > 1 and mode in ("data_parallel", "hybrid_parallel")


class _Replica:
    """Rank ``r``'s copy of a parameter, as its own process would hold it (for the GE init
    graph: its own ``is_init`` flag and host values)."""

    __slots__ = ("name", "is_init", "_value", "_uid")

    def __init__(self, param: Any) -> None:
        self.name = param.name
        self.is_init = False
        self._uid = param._uid
        value = getattr(param, "_value", None)
        self._value = None if value is None else np.array(value, copy=True)


class ParallelGroup:
    """The ranks of one session: runtimes, parameter replicas, the communicator.

    Raises:
        MsRuntimeError: the session's system has fewer NPUs than ranks.
    """

    def __init__(self, session: Any, size: int) -> None:
        from ascendsim.backend.collectives import CollectiveGroup
        from ascendsim.backend.runtime import Runtime
        from ascendsim.ms import context

        system = session.system
        if len(system.devices) < size:
            raise MsRuntimeError(
                f"data parallel over {size} ranks needs {size} simulated NPUs, but the system in "
                f"use has {len(system.devices)}; set device_num before the first op runs"
            )
        rank0 = session.runtime
        if rank0.device != 0:
            rank0 = Runtime(system, device=0, warn=session._warn, out=session._out,
                            float_status_check=context.get_context("float_status_check"))  # fmt: skip
        self.size = size
        self.system = system
        self.runtimes = [rank0] + [
            Runtime(system, device=r, warn=session._warn, out=lambda _s: None,
                    float_status_check=context.get_context("float_status_check"))
            for r in range(1, size)
        ]  # fmt: skip
        self.comm = CollectiveGroup(system, list(range(size)))
        self.replicas: list[dict[int, _Replica]] = [{} for _ in range(size)]
        self.broadcast_done: set[int] = set()


def group() -> ParallelGroup:
    """The session's ParallelGroup (made on first use)."""
    from ascendsim.ms import communication

    session = _session.current()
    size = communication.GlobalComm.WORLD_SIZE
    pg = session.__dict__.get("_ascendsim_parallel")
    if pg is None or pg.size != size:
        pg = session.__dict__["_ascendsim_parallel"] = ParallelGroup(session, size)
    return pg


def local_args(args: Sequence[Any]) -> list[Any]:
    """The arguments one rank's graph is compiled for: each global-batch Tensor replaced by a
    shape-only Tensor of one shard's shape (per-rank results of earlier runs stay as they are).

    Raises:
        MsValueError: a batch dimension that is not a multiple of the number of ranks.
    """
    from ascendsim.ms import communication
    from ascendsim.ms.common.tensor import Tensor

    size = communication.GlobalComm.WORLD_SIZE
    out: list[Any] = []
    for i, a in enumerate(args):
        if not isinstance(a, Tensor) or getattr(a, "_rank_bufs", None) is not None:
            out.append(a)
            continue
        shape = tuple(a.shape)
        _check_batch(shape, size, i, "graph")
        out.append(Tensor._shape_only((shape[0] // size,) + shape[1:], a.dtype))
    return out


def _check_batch(shape: tuple[int, ...], size: int, i: int, name: str) -> None:
    if not shape or shape[0] % size:
        raise MsValueError(
            f"{name}: input {i} of shape {shape} is the global batch of a data-parallel run "
            f"over {size} devices, so its first dimension must be a multiple of {size}; pass "
            f"a batch of {size} x the per-device batch"
        )


def _shards(pg: ParallelGroup, args: Sequence[Any], name: str) -> list[list[Buffer]]:
    """Per rank, the input Buffers of a run (see step 3 of the module docstring). A Tensor's
    shards are made once and kept with it, as a Tensor keeps its device buffer on one device:
    a batch passed to several steps is copied to the devices once, and freed with the Tensor."""
    from ascendsim.ms.common.tensor import Tensor

    per_rank: list[list[Buffer]] = [[] for _ in range(pg.size)]
    for i, a in enumerate(a for a in args if isinstance(a, Tensor)):
        bufs = getattr(a, "_rank_bufs", None)
        if bufs is None or len(bufs) != pg.size:
            cached = a.__dict__.get("_ascendsim_shards")
            bufs = cached[1] if cached is not None and cached[0] is pg else _split(pg, a, i, name)
        for r in range(pg.size):
            per_rank[r].append(bufs[r])
    return per_rank


def _split(pg: ParallelGroup, a: Any, i: int, name: str) -> list[Buffer]:
    shape = tuple(a.shape)
    _check_batch(shape, pg.size, i, name)
    part = (shape[0] // pg.size,) + shape[1:]
    values = a.asnumpy() if a.has_values else None
    bufs = []
    for r, rt in enumerate(pg.runtimes):
        host = None if values is None else values[r * part[0] : (r + 1) * part[0]]
        buf = Buffer(part, _dispatch.np_dtype(a.dtype), name=f"{name}.input{i}.rank{r}",
                     host=host)  # fmt: skip
        rt.track(a, buf)
        bufs.append(buf)
    a.__dict__["_ascendsim_shards"] = (pg, bufs)
    return bufs


def _place_params(pg: ParallelGroup, cg: CompiledGraph, use_ge: bool) -> list[dict[int, Any]]:
    """Parameters onto every device; returns each rank's GE ``param_waits``."""
    from ascendsim.backend.ge import run_init_graph

    waits: list[dict[int, Any]] = []
    for r, rt in enumerate(pg.runtimes):
        if r == 0:
            proxy = cg
            for info in (*cg.params.values(), *cg.init_params):
                if info.uid not in rt.param_buffers:
                    _dispatch.to_buffer(info.obj, rt)
        else:
            reps = pg.replicas[r]

            def replica(info: Any, reps: dict[int, Any] = reps, rt: Any = rt) -> Any:
                rep = reps.get(info.uid)
                if rep is None:
                    rep = reps[info.uid] = _Replica(info.obj)
                    rt.param_buffers[info.uid] = Buffer(info.shape, info.dtype, name=info.name,
                                                        host=rep._value)  # fmt: skip
                return replace(info, obj=rep)

            # every rank's init graph covers the Cell's parameters, as rank 0's does
            params = {uid: replica(info) for uid, info in cg.params.items()}
            init = [replica(info) for info in cg.init_params]
            proxy = replace(cg, params=params, init_params=init)
        if use_ge:
            waits.append(run_init_graph(rt, proxy))
            continue
        waits.append({})
        for uid, info in cg.params.items():
            buf = rt.param_buffers[uid]
            if buf.block is None and not info.ps:
                rt.to_device(buf, owner=info.name, persistent=True)
    return waits


def _broadcast(pg: ParallelGroup, cg: CompiledGraph) -> Any:
    """The fused Broadcast of parameters not yet broadcast (when the context's
    ``parameter_broadcast`` is set); returns its done event or None."""
    from ascendsim.backend.collectives import Collective
    from ascendsim.ms import context

    todo = [
        info
        for uid, info in cg.params.items()
        if uid not in pg.broadcast_done and not info.layerwise_parallel and not info.ps
    ]
    pg.broadcast_done.update(cg.params)
    if not todo or not context.get_auto_parallel_context("parameter_broadcast"):
        return None
    ready = []
    for rt in pg.runtimes:
        for info in todo:
            producer = rt.param_buffers[info.uid].producer
            if producer is not None:
                ready.append(producer.done)

    def copy_values(_op: Any) -> None:
        for info in todo:
            src = pg.runtimes[0].param_buffers[info.uid].value
            for rt in pg.runtimes[1:]:
                dst = rt.param_buffers[info.uid].value
                if src is not None and dst is not None:
                    np.copyto(dst, src)

    op = Collective(f"Broadcast parameters ({len(todo)} tensors)", "broadcast",
                    sum(info.nbytes for info in todo), cause=cg.name, root=0,
                    on_done=copy_values)  # fmt: skip
    return pg.comm.submit(op, ready)


def run_compiled(cg: CompiledGraph, args: Sequence[Any], *, order: Sequence[int] | None = None,
                 policy: str | None = None) -> Any:  # fmt: skip
    """Run ``cg`` on every rank (see the module docstring); returns rank 0's results."""
    from ascendsim.backend.collectives import GraphCollectives
    from ascendsim.backend.executor import GraphExecution
    from ascendsim.ms import _graph_mode, context

    _graph_mode._check_targets(cg)
    session = _session.current()
    pg = group()
    _graph_mode.materialise_lazy(cg)
    waits = _place_params(pg, cg, _graph_mode._use_ge())
    bcast = _broadcast(pg, cg)
    policy = policy or context.get_context("schedule")
    order = list(order) if order is not None else _graph_mode.schedule_order(cg, policy)
    inputs = _shards(pg, args, cg.name)
    hooks = GraphCollectives(pg.comm, cg)
    per_rank = []
    for r, rt in enumerate(pg.runtimes):
        rt.record_graph(
            cg.name, policy=policy, nodes=len(cg.graph.nodes), run=cg.runs, rank=r, ranks=pg.size
        )
        if bcast is not None:
            rt.stream.wait_for(bcast, name="wait parameter broadcast", cause=cg.name,
                               ready_at=rt.host_time)  # fmt: skip
        ex = GraphExecution(rt, cg, inputs[r], param_waits=waits[r], collective=hooks.hook(r))
        per_rank.append(ex.submit(order, launch=(r == 0)))
    cg.runs += 1
    session.graphs.append(cg)
    rt0 = pg.runtimes[0]
    wrapped = []
    for i, (r0, dt) in enumerate(zip(per_rank[0], cg.out_dtypes, strict=True)):
        t = _graph_mode._wrap_result(r0, dt, rt0)
        if isinstance(r0, Buffer):
            t._rank_bufs = [per_rank[r][i] for r in range(pg.size)]
            for r in range(1, pg.size):  # the other ranks' copies are freed with the Tensor
                if isinstance(t._rank_bufs[r], Buffer) and t._rank_bufs[r].block is not None:
                    pg.runtimes[r].track(t, t._rank_bufs[r])
        wrapped.append(t)
    return _graph_mode.rebuild_outputs(iter(wrapped), cg.out_structure)
