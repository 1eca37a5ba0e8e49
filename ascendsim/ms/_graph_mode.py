"""GRAPH_MODE: trace a Cell or ``ms_function`` into a graph, compile it once, run it sunk.

Tracing runs the Python function once with symbolic tensors (shape and dtype, no values); every
primitive call becomes a node (:class:`GraphBuilder`). Unlike MindSpore, which parses the
function's source, the trace follows Python control flow as executed, so branching on tensor
*values* inside ``construct`` cannot be traced (reading a symbolic tensor's values raises).
A compiled graph is cached per input signature, as MindSpore caches compiled graphs. Running it:
on the GE backend the init graph copies parameters whose ``is_init`` is False first; then the
nodes run in the order the context's ``schedule`` policy picks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from ascendsim.backend.compiled import CompiledGraph, ParamInfo
from ascendsim.errors import MsRuntimeError, MsTypeError, MsValueError
from ascendsim.ms import _dispatch, _session

__all__ = [
    "GraphBuilder",
    "compile_function",
    "run_compiled",
    "ms_function",
    "explore",
    "call_graph",
]


class _SymbolicRead:
    """The `_sync` of a symbolic tensor: reading values while tracing is an error."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __call__(self) -> None:
        raise MsRuntimeError(
            f"{self.where}: cannot read a tensor's values while tracing a graph (GRAPH_MODE); "
            "branch on values outside construct, or run in PYNATIVE_MODE "
            "(context.set_context(mode=context.PYNATIVE_MODE))"
        )


class GraphBuilder:
    """Receives primitive calls during tracing and records them as graph nodes."""

    def __init__(self, name: str) -> None:
        from ascendsim.graph.tracer import Tracer

        self.name = name
        self.tracer = Tracer()
        self.costs: dict[int, Any] = {}
        self.out_types: dict[int, list[tuple[tuple[int, ...], np.dtype]]] = {}
        self.params: dict[int, ParamInfo] = {}

    def symbolic(self, ref: Any, shape: Sequence[int], dtype: Any) -> Any:
        from ascendsim.ms.common.tensor import Tensor

        t = Tensor._shape_only(tuple(shape), dtype)
        t._ref = ref
        t._sync = _SymbolicRead(self.name)
        return t

    def _ref_of(self, arg: Any) -> Any:
        from ascendsim.ms.common.parameter import Parameter
        from ascendsim.ms.common.tensor import Tensor

        if isinstance(arg, Parameter):
            if arg._uid not in self.params:
                self.params[arg._uid] = _param_info(arg)
            return self.tracer.param(arg)
        if isinstance(arg, Tensor):
            ref = getattr(arg, "_ref", None)
            if ref is not None:
                return ref
            return self.tracer.add_const(_const_buffer(arg))  # a tensor captured by the graph
        return arg

    def add(self, prim: Any, args: Sequence[Any]) -> Any:
        out, cost, out_types = _dispatch.inferred(prim, args)
        outs = list(out) if isinstance(out, tuple | list) else [out]
        refs = [self._ref_of(a) for a in args]
        name = _dispatch.take_name()
        out_refs = self.tracer.add(
            prim, refs, tuple(outs), source=_dispatch.source_location(), name=name
        )
        nid = out_refs[0].index
        self.costs[nid] = cost
        self.out_types[nid] = out_types or [
            (tuple(s.shape), _dispatch.np_dtype(s.dtype)) for s in outs
        ]
        tensors = [self.symbolic(r, s.shape, s.dtype) for r, s in zip(out_refs, outs, strict=True)]
        return tuple(tensors) if isinstance(out, tuple | list) else tensors[0]


def _const_buffer(t: Any) -> Any:
    """A concrete tensor captured by a graph becomes a constant buffer (its values, if any)."""
    from ascendsim.backend.buffers import Buffer

    values = t.asnumpy() if t.has_values else None
    return Buffer(tuple(t.shape), _dispatch.np_dtype(t.dtype), name="const", host=values)


def _param_info(p: Any) -> ParamInfo:
    dtype = _dispatch.np_dtype(p.dtype)
    shape = tuple(p.shape)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize if shape else dtype.itemsize
    return ParamInfo(
        obj=p,
        uid=p._uid,
        name=p.name,
        shape=shape,
        dtype=dtype,
        nbytes=nbytes,
        layerwise_parallel=bool(getattr(p, "layerwise_parallel", False)),
        ps=bool(getattr(p, "is_param_ps", False)),
    )


def compile_function(fn: Callable[..., Any], args: Sequence[Any], *, name: str) -> CompiledGraph:
    """Trace ``fn(*args)`` into a graph (inputs become placeholders)."""
    from ascendsim.ms.common.tensor import Tensor

    builder = GraphBuilder(name)
    sym_args: list[Any] = []
    input_types = []
    _check_inputs(args, name)
    for a in args:
        if isinstance(a, Tensor):
            ref = builder.tracer.add_input(_dispatch.spec_of(a))
            sym_args.append(builder.symbolic(ref, a.shape, a.dtype))
            input_types.append((tuple(a.shape), _dispatch.np_dtype(a.dtype)))
        else:
            sym_args.append(a)
    with _dispatch.tracing(builder):
        result = fn(*sym_args)
    outs: list[Any] = []
    structure = flatten_outputs(result, outs)
    out_refs = [builder._ref_of(o) for o in outs]
    graph = builder.tracer.finish(out_refs)
    cg = CompiledGraph(
        graph=graph,
        costs=builder.costs,
        out_types=builder.out_types,
        input_types=input_types,
        params=builder.params,
        name=name,
    )
    cg.out_structure = structure
    cg.has_io = any(node.side_effect == "io" for node in graph.nodes)
    cg.out_dtypes = [getattr(o, "dtype", None) for o in outs]
    return cg


def _check_inputs(args: Sequence[Any], name: str) -> None:
    from ascendsim.ms.common.parameter import Parameter

    for i, a in enumerate(args):
        if isinstance(a, Parameter):
            raise MsTypeError(
                f"{name}: input {i} is a Parameter ({a.name}); the outermost inputs of a graph "
                "must be Tensors, not Parameters (make it an attribute of the Cell instead)"
            )
        if not _graph_input_ok(a):
            raise MsTypeError(
                f"The inputs types of the outermost network '{name}.construct' support bool, "
                "int, float, None, tensor, mstype.Number(mstype.bool, mstype.int, mstype.float, "
                "mstype.uint), and tuple or list containing only these types, and dict whose "
                f"values are these types, but the {i}th arg type is {type(a)}, value is '{a}'.\n"
                "For more details, please search 'outermost network' at https://www.mindspore.cn."
            )


def _check_unique_names(cell: Any) -> None:
    """r1.6 compiles a Cell only if its distinct Parameters have distinct names."""
    seen: set[str] = set()
    for key, p in cell.parameters_and_names():
        if p.name in seen:
            raise MsValueError(
                f"The value of {key.rsplit('.', 1)[-1]} is {p!r}, its name '{p.name}' already "
                "exists."
            )
        seen.add(p.name)


def _graph_input_ok(value: Any) -> bool:
    """An input r1.6 accepts at a graph's outermost call (numpy arrays and strings are not)."""
    from ascendsim.ms.common import dtype as mstype
    from ascendsim.ms.common.tensor import Tensor

    if value is None or isinstance(value, bool | int | float | Tensor | mstype.Type):
        return True
    if isinstance(value, tuple | list):
        return all(_graph_input_ok(v) for v in value)
    if isinstance(value, dict):
        return all(_graph_input_ok(v) for v in value.values())
    return False


def materialise_lazy(cg: CompiledGraph) -> None:
    """r1.6 materialises still-lazy parameters when a graph is compiled
    (``init_parameters_data``); in shape-only runs they stay lazy."""
    from ascendsim.ms import context

    if context.get_context("shape_only"):
        return
    for info in cg.params.values():
        if getattr(info.obj, "has_init", False):
            info.obj.init_data()


def _use_ge() -> bool:
    from ascendsim.ms import context

    if context.get_context("device_target") != "Ascend":
        return False
    return bool(context.get_context("enable_ge")) or context.get_context("backend") == "ge"


def _check_targets(cg: CompiledGraph) -> None:
    from ascendsim.ms import context

    target = context.get_context("device_target")
    rt = _session.current().runtime
    for node in cg.graph.nodes:
        rt.check_target(node.op, target)


def schedule_order(cg: CompiledGraph, policy: str | None = None) -> list[int]:
    from ascendsim.graph.schedule import schedule
    from ascendsim.ms import context

    policy = policy or context.get_context("schedule")
    cached = cg.orders.get(policy)
    if cached is not None:
        return cached
    rt = _session.current().runtime

    def cost(node: Any) -> int:  # the critical-path policy's cost of a node, in ns
        types = cg.out_types[node.id]
        dtype = np.dtype(types[0][1]).name if types else "float16"
        return rt.kernel_ns(cg.costs[node.id], dtype)

    order = schedule(cg.graph, policy, cost=cost)
    cg.orders[policy] = order
    return order


def run_compiled(
    cg: CompiledGraph,
    args: Sequence[Any],
    *,
    order: Sequence[int] | None = None,
    policy: str | None = None,
) -> Any:
    """Run a compiled graph on the current session; returns front-end tensors."""
    from ascendsim.backend.executor import execute
    from ascendsim.backend.ge import run_init_graph
    from ascendsim.ms import _parallel, context
    from ascendsim.ms.common.tensor import Tensor

    if _parallel.active():  # data parallel: the same graph on every rank (issue 6)
        return _parallel.run_compiled(cg, args, order=order, policy=policy)
    session = _session.current()
    rt = session.runtime
    rt.target = context.get_context("device_target")
    _check_targets(cg)
    materialise_lazy(cg)
    for info in (*cg.params.values(), *cg.init_params):
        _dispatch.to_buffer(info.obj, rt)  # also refreshes a parameter after set_data
    # MindSpore runs _exec_init_graph when it compiles a graph, not on every run
    waits = run_init_graph(rt, cg) if _use_ge() and cg.runs == 0 else {}
    policy = policy or context.get_context("schedule")
    order = list(order) if order is not None else schedule_order(cg, policy)
    rt.record_graph(cg.name, policy=policy, nodes=len(cg.graph.nodes), run=cg.runs)
    inputs = [_dispatch.to_buffer(a, rt) for a in args if isinstance(a, Tensor)]
    results = execute(rt, cg, inputs, order, param_waits=waits)
    for uid in cg.plans[tuple(order)].written:  # reading a written parameter syncs
        info = cg.params[uid]
        if info.obj._buf is not None and info.obj._buf.producer is not None:
            _dispatch._attach_sync(info.obj, info.obj._buf, rt)
    cg.runs += 1
    session.graphs.append(cg)
    if cg.has_io:
        rt.synchronize()
    wrapped = [_wrap_result(r, dt, rt) for r, dt in zip(results, cg.out_dtypes, strict=True)]
    return rebuild_outputs(iter(wrapped), cg.out_structure)


def flatten_outputs(value: Any, into: list[Any]) -> Any:
    """Append the leaves of a nest of tuples, lists and dicts (its values) to ``into``; return
    the nesting: None for a leaf, else a tuple of the items' nestings."""
    if isinstance(value, tuple | list):
        return tuple(flatten_outputs(v, into) for v in value)
    if isinstance(value, dict):
        return tuple(flatten_outputs(v, into) for v in value.values())
    into.append(value)
    return None


def rebuild_outputs(leaves: Iterator[Any], structure: Any) -> Any:
    """The nest of tuples that :func:`flatten_outputs` took apart, from its leaves."""
    if structure is None:
        return next(leaves)
    return tuple(rebuild_outputs(leaves, s) for s in structure)


def _wrap_result(r: Any, dtype: Any, rt: Any) -> Any:
    from ascendsim.backend.buffers import Buffer
    from ascendsim.ms.common.tensor import Tensor

    if isinstance(r, Buffer):
        if r.producer is None and r.value is not None:
            return Tensor(r.value, dtype=dtype) if dtype is not None else Tensor(r.value)
        return _dispatch.wrap_buffer(r, dtype, rt)
    if isinstance(r, Tensor):
        return r
    return r


def _signature(args: Sequence[Any]) -> tuple[Any, ...]:
    from ascendsim.ms.common.tensor import Tensor

    return tuple(
        (tuple(a.shape), str(a.dtype)) if isinstance(a, Tensor) else ("py", repr(a)) for a in args
    )


def call_graph(owner: Any, fn: Callable[..., Any], args: Sequence[Any], name: str) -> Any:
    """Compile (once per signature, cached on ``owner``) and run ``fn`` as a graph."""
    _check_inputs(args, name)  # before the cache: a cached graph must not skip it
    cache = owner.__dict__.setdefault("_ascendsim_graphs", {})
    # r1.6 compiles a Cell's train and predict phases as separate graphs (set_train switches
    # the phase); the sub-cells' flags are read when the phase is compiled
    phase = getattr(owner, "training", None)
    key = (_signature(args), id(_session.current()), phase)
    cg = cache.get(key)
    if cg is None:
        from ascendsim.ms import _parallel

        if hasattr(owner, "parameters_and_names") and hasattr(owner, "construct"):
            _check_unique_names(owner)

        # data parallel compiles the graph each rank runs: for its shard of the batch
        local = _parallel.local_args(args) if _parallel.active() else args
        cg = compile_function(fn, local, name=name)
        if hasattr(owner, "parameters_dict") and hasattr(owner, "construct"):
            # _exec_init_graph covers every parameter of the Cell, used by the graph or not
            cg.init_params = [
                cg.params.get(p._uid) or _param_info(p) for p in owner.parameters_dict().values()
            ]
        else:
            # an ms_function has no Cell: its init graph covers the parameters it uses
            # (ascendsim's choice; they must reach the device somehow on GE)
            cg.init_params = list(cg.params.values())
        cache[key] = cg
    return run_compiled(cg, args)


def ms_function(
    fn: Callable[..., Any] | None = None, *, input_signature: Any = None, hash_args: Any = None
) -> Any:
    """``mindspore.ms_function``: run ``fn`` as a compiled graph (in either mode)."""
    if fn is None:
        return lambda f: ms_function(f, input_signature=input_signature)

    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        if _dispatch.current_tracer() is not None:
            return fn(*args)  # inlined into the graph being traced
        return call_graph(wrapper, fn, args, getattr(fn, "__name__", "ms_function"))

    return wrapper


def explore(
    fn: Any,
    *args: Any,
    max_orders: int = 10_000,
    prefix: Any = None,
    progress: Callable[[int], None] | None = None,
) -> Any:
    """Run ``fn`` (a function or Cell) as a graph under every execution order that can change
    an observable result; see :func:`ascendsim.graph.explorer.explore`. ``progress(n)`` is
    called after each order run (``n`` orders so far).

    Each order runs on a fresh simulated system of the current context, with parameter values
    restored, so runs do not leak into each other or into the caller's parameters.
    """
    from ascendsim.graph.explorer import RunOutcome
    from ascendsim.graph.explorer import explore as _explore

    target = fn.construct if hasattr(fn, "construct") and hasattr(fn, "parameters_dict") else fn
    name = getattr(fn, "__name__", type(fn).__name__)
    cg = compile_function(target, args, name=name)
    snapshot = {
        uid: (None if p.values is None else p.values.copy()) for uid, p in cg.params.items()
    }
    flags = {uid: getattr(p.obj, "is_init", False) for uid, p in cg.params.items()}

    base = _session.current()

    def execute(order: Sequence[int]) -> Any:
        for uid, p in cg.params.items():
            if snapshot[uid] is not None:
                p.obj._value = snapshot[uid].copy()
            p.obj.is_init = flags[uid]
            p.obj._buf = None
        printed: list[str] = []
        with _session.use_system(
            _session.fresh_like(base), out=printed.append, warn=lambda _m: None
        ) as session:
            rt = session.runtime
            rt.monitor.mode = "off"
            if base.started:
                rt.declared_overflow = set(base.runtime.declared_overflow)
            outs = run_compiled(cg, args, order=order)
            outs = outs if isinstance(outs, tuple) else (outs,)
            values = tuple(_observe(o) for o in outs)
            # keyed by node, so two commuting Gets in either order are one outcome
            reads = tuple(
                sorted(
                    (r.cause, bool(r.arg("is_set")))
                    for r in rt.system.trace.filter(kind="float_status_read")
                )
            )
            params = tuple((p.name, _observe(p.obj)) for p in cg.params.values())
            set_nodes = frozenset(
                cg.graph.node(r.cause).id
                for r in rt.system.trace.filter(kind="float_status_set")
                if r.cause in {n.name for n in cg.graph.nodes}
            )
        observable = (
            ("outputs", values),
            ("float_status_reads", reads),
            ("parameters", params),
            ("printed", tuple(printed)),
        )
        return RunOutcome(observable=observable, set_nodes=set_nodes)

    try:
        counted = execute
        if progress is not None:
            done = [0]

            def counted(order: Sequence[int]) -> Any:
                outcome = execute(order)
                done[0] += 1
                progress(done[0])
                return outcome

        result = _explore(
            cg.graph,
            counted,
            max_orders=max_orders,
            **({"prefix": prefix} if prefix is not None else {}),
        )
    finally:
        for uid, p in cg.params.items():
            if snapshot[uid] is not None:
                p.obj._value = snapshot[uid]
            p.obj.is_init = flags[uid]
            p.obj._buf = None
    result_graph = cg.graph
    try:
        object.__setattr__(result, "graph", result_graph)
    except (AttributeError, TypeError):
        pass
    _session.current().explorations.append(result)
    return result


def _observe(x: Any) -> Any:
    from ascendsim.ms.common.tensor import Tensor

    if isinstance(x, Tensor):
        sync = getattr(x, "_sync", None)
        if sync is not None:
            sync()  # finish the device work (also in shape-only runs)
        if not x.has_values:
            return ("shape-only", tuple(x.shape), str(x.dtype))
        arr = x.asnumpy()
        return (str(arr.dtype), arr.shape, arr.tobytes())
    return repr(x)
