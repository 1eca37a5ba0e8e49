"""The GE backend's init graph: parameters host-to-device before the compute graph runs.

As in MindSpore's ``_exec_init_graph`` (GE backend only): when a graph is compiled, every
parameter it uses whose ``is_init`` is False gets ``is_init = True`` and the init graph is
launched; it allocates each such parameter in device (variable, i.e. persistent) memory and
copies its bytes over PCIe. The flag flips at the *launch* (an ``is_init`` trace record on the
host track); the copy's completion is a ``param_synced`` record. The compute graph's stream waits
on an event recorded after each copy before its first read of that parameter, so reading a
parameter before its data arrived is impossible by construction. A parameter whose ``is_init``
is already True is not copied again (a second run does no init copy). A parameter-server
parameter (``set_param_ps``) gets the flag too, as in MindSpore, but no device copy: every run
pulls it from the server (:mod:`ascendsim.backend.executor`).
"""

from __future__ import annotations

from typing import Any

from ascendsim.backend.buffers import Buffer
from ascendsim.backend.compiled import CompiledGraph, ParamInfo

__all__ = ["run_init_graph"]


def run_init_graph(runtime: Any, compiled: CompiledGraph) -> dict[int, Any]:
    """Launch the init graph for the parameters of ``compiled`` not yet ``is_init``.

    Returns ``{param uid: stream event}`` that the compute stream must wait for.

    Raises:
        DeviceOutOfMemory: a parameter does not fit (names the parameter and the holders).
    """
    pending = [p for p in compiled.init_params if not getattr(p.obj, "is_init", False)]
    if not pending:
        return {}
    rt = runtime
    system = rt.system
    trace = system.trace
    rt.host_work(
        f"launch init graph of {compiled.name}", rt.config.host.launch_overhead, cause=compiled.name
    )
    rt._catch_up()
    launch_time = rt.host_time
    init_stream = rt.npu.stream("init")
    waits: dict[int, Any] = {}
    for p in pending:
        # MindSpore sets the flag in Python when the init graph is launched.
        p.obj.is_init = True
        trace.add(
            "is_init",
            start=launch_time,
            device=rt.device,
            track="host",
            name=p.obj.name,
            cause=p.obj.name,
            nbytes=p.nbytes,
            value=True,
            graph=compiled.name,
        )
    for p in pending:
        if p.ps:  # held by the parameter server: pulled over the network by each run
            continue
        buf = _param_buffer(rt, p)
        if buf.block is None:
            rt.alloc_device(buf, owner=p.obj.name, persistent=True)
        copy = init_stream.copy(
            system.pcie_h2d(rt.device),
            p.nbytes,
            cause=p.obj.name,
            name=f"init H2D {p.obj.name}",
            ready_at=launch_time,
            on_done=_synced(rt, p),
        )
        buf.producer = copy
        ev = rt.npu.create_event(f"synced {p.obj.name}")
        init_stream.record(ev, ready_at=launch_time)
        waits[p.uid] = ev
    return waits


def _param_buffer(rt: Any, p: ParamInfo) -> Buffer:
    buf = rt.param_buffers.get(p.uid)
    if buf is None:
        buf = Buffer(p.shape, p.dtype, name=p.obj.name, host=p.values)
        rt.param_buffers[p.uid] = buf
    return buf


def _synced(rt: Any, p: ParamInfo) -> Any:
    def done(task: Any) -> None:
        rt.system.trace.add(
            "param_synced",
            start=rt.system.now,
            device=rt.device,
            track="init",
            name=p.obj.name,
            cause=p.obj.name,
            nbytes=p.nbytes,
        )

    return done
