"""Where every primitive call goes: traced into a graph, or launched at once (PyNative).

``Primitive.__call__`` lands in :func:`call`. If a graph is being traced (a Cell called in
GRAPH_MODE, an ``ms_function``), the call becomes a node of that graph and returns symbolic
tensors. Otherwise the op is launched on the simulated device right away (PyNative; MindSpore
also runs op primitives called outside a Cell eagerly in GRAPH_MODE), and returns tensors whose
values are computed asynchronously: reading them (``asnumpy()``, ``print``) synchronises.
"""

from __future__ import annotations

import contextlib
import os
import sys
import weakref
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from ascendsim.ms import _session

__all__ = [
    "call",
    "naming",
    "current_tracer",
    "tracing",
    "source_location",
    "to_buffer",
    "wrap_buffer",
    "spec_of",
]

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _State:
    tracer: Any = None  # the active graph builder (ascendsim.ms._graph_mode.GraphBuilder)
    next_name: str | None = None
    mixed: Any = None  # the dtype ops cast float inputs to inside a to_float() cell
    replay: bool = False  # tracing a gradient whose forward already ran eagerly


_state = _State()


def current_tracer() -> Any:
    return _state.tracer


@contextlib.contextmanager
def tracing(builder: Any) -> Iterator[Any]:
    """Route primitive calls in the block into ``builder`` (graph mode)."""
    prev = _state.tracer
    _state.tracer = builder
    try:
        yield builder
    finally:
        _state.tracer = prev


@contextlib.contextmanager
def naming(name: str) -> Iterator[None]:
    """The next op call in the block is recorded under node name ``name``."""
    prev = _state.next_name
    _state.next_name = name
    try:
        yield
    finally:
        _state.next_name = prev


def take_name() -> str | None:
    name, _state.next_name = _state.next_name, None
    return name


_INTERNAL: dict[str, bool] = {}


def source_location() -> str:
    """``file:line`` of the innermost frame outside the ascendsim package (the user's code)."""
    f = sys._getframe(1)
    internal = _INTERNAL
    while f is not None:
        fname = f.f_code.co_filename
        inside = internal.get(fname)
        if inside is None:
            inside = internal[fname] = os.path.abspath(fname).startswith(_PKG_DIR)
        if not inside:
            return f"{os.path.basename(fname)}:{f.f_lineno}"
        f = f.f_back
    return "<ascendsim>:0"


def _tensor_cls() -> Any:
    global _TENSOR
    if _TENSOR is None:
        from ascendsim.ms.common.tensor import Tensor

        _TENSOR = Tensor
    return _TENSOR


_TENSOR: Any = None


def spec_of(arg: Any) -> Any:
    """The op-facing view of an argument: a Spec for tensors, the value itself otherwise."""
    from ascendsim.ms.ops.primitive import Spec

    if isinstance(arg, _tensor_cls()):
        return Spec(tuple(arg.shape), arg.dtype)
    return arg


def np_dtype(ms_dtype: Any) -> np.dtype:
    from ascendsim.ms.common.dtype import dtype_to_nptype

    return np.dtype(dtype_to_nptype(ms_dtype))


def _out_list(specs: Any) -> list[Any]:
    return list(specs) if isinstance(specs, tuple | list) else [specs]


def to_buffer(t: Any, runtime: Any) -> Any:
    """The backend Buffer of a front-end tensor (made on first use; host data attached)."""
    buf = getattr(t, "_buf", None)
    if buf is not None and buf.runtime is runtime and _holds(t, buf):  # the common case
        return buf
    from ascendsim.backend.buffers import Buffer

    if buf is not None and _stale(t, buf, runtime):
        sync = getattr(t, "_sync", None)
        if sync is not None and buf.runtime is not runtime:
            sync()  # a pending result of an earlier session: it finishes there first
        if _is_param(t) and runtime.param_buffers.get(t._uid) is buf:
            del runtime.param_buffers[t._uid]
        if buf.runtime is runtime:
            runtime.release(buf)
        buf = t._buf = None
    if buf is None:
        value = t._value if getattr(t, "has_values", True) else None
        name = getattr(t, "name", None) if _is_param(t) else None
        # names come from the system's counter, so a run's trace does not depend on how
        # many tensors the process made before
        buf = Buffer(
            tuple(t.shape),
            np_dtype(t.dtype),
            name=name or f"tensor{runtime.system.next_id('tensor')}",
            host=value,
        )
        t._buf = buf
        buf.runtime = runtime
        runtime.host_track(buf, buf.name)
        if _is_param(t):
            runtime.param_buffers[t._uid] = buf
        else:
            runtime.track(t, buf)
    return buf


def _stale(t: Any, buf: Any, runtime: Any) -> bool:
    """The buffer no longer holds the tensor: another session's, or the tensor's data was
    replaced on the host (``set_data``, ``assign_value``) since it was copied."""
    if buf.runtime is not None and buf.runtime is not runtime:
        return True
    return not _holds(t, buf)


def _holds(t: Any, buf: Any) -> bool:
    """The buffer holds the tensor's values: values not read yet (a pending device result) are
    the buffer's; values the tensor holds are its only if they are its host copy or its device
    result (assign_value, set_data and x[i] = v give the tensor other values)."""
    value = getattr(t, "_value", None)
    return value is None or value is buf.host or value is buf.device_value


def _is_param(t: Any) -> bool:
    from ascendsim.ms.common.parameter import Parameter

    return isinstance(t, Parameter)


def wrap_buffer(buf: Any, ms_dtype: Any, runtime: Any) -> Any:
    """A front-end Tensor over a Buffer whose values a task will produce."""
    t = (_TENSOR or _tensor_cls())._of_buffer_shape(buf.shape, ms_dtype)
    t._buf = buf
    runtime.track(t, buf)
    t._sync = _Sync(buf.watcher, buf, runtime)  # the release callback's weak reference to t
    return t


class _Sync:
    """A tensor's ``_sync``: fetch its buffer (simulated wait + D2H copy) on first read."""

    __slots__ = ("tensor", "buf", "runtime")

    def __init__(self, tensor_ref: Any, buf: Any, runtime: Any) -> None:
        # a weak reference: a strong one would make tensor and sync a cycle, freed (and its
        # device memory released) only whenever the cyclic GC runs: a nondeterministic trace
        self.tensor, self.buf, self.runtime = tensor_ref, buf, runtime

    def __call__(self) -> None:
        t = self.tensor()
        if t is None:
            return
        t._sync = None
        values = self.runtime.fetch(self.buf)
        if values is not None:
            t._value = values


def _attach_sync(t: Any, buf: Any, runtime: Any) -> None:
    watcher = buf.watcher  # the release callback's weak reference, if it watches this tensor
    ref = watcher if watcher is not None and watcher() is t else weakref.ref(t)
    t._sync = _Sync(ref, buf, runtime)


@contextlib.contextmanager
def mixed_precision(dtype: Any) -> Iterator[None]:
    """Inside the block, ops cast their float16/float32 tensor inputs to ``dtype``."""
    prev = _state.mixed
    _state.mixed = dtype
    try:
        yield
    finally:
        _state.mixed = prev


# ops whose inputs mixed precision leaves alone: casts, aliases and host bookkeeping
_NO_MIXED_CAST = frozenset({"Cast", "Depend", "Shape", "DType", "Print", "TensorSetItem"})


def _mixed_cast(prim: Any, args: Sequence[Any], dtype: Any) -> Sequence[Any]:
    """``args`` with float16/float32 tensors cast to ``dtype`` (not the ones an op writes)."""
    if prim.name in _NO_MIXED_CAST or prim.float_status is not None:
        return args
    from ascendsim.ms.common import dtype as mstype
    from ascendsim.ms.ops import operations as P

    Tensor = _TENSOR or _tensor_cls()
    out = list(args)
    for i, a in enumerate(args):
        if (
            isinstance(a, Tensor)
            and i not in prim.inplace
            and a.dtype in (mstype.float16, mstype.float32)
            and a.dtype != dtype
        ):
            out[i] = P.Cast()(a, dtype)
    return out


def note_eager_forward(cell: Any, args: Sequence[Any]) -> None:
    """``cell`` (under ``set_grad()``) runs eagerly on ``args`` (PyNative): remember them."""
    cell.__dict__["_eager_inputs"] = tuple(_token(a) for a in args)


def reuses_eager_forward(fn: Any, args: Sequence[Any]) -> bool:
    """Whether ``fn`` is a Cell whose last eager forward had inputs of these shapes and dtypes:
    r1.6's PyNative GradOperation then reuses that forward (``check_run``) instead of running
    it again, so the gradient's forward must not repeat its in-place updates. (r1.6 even
    differentiates the old forward's values when the new inputs differ; ascendsim computes
    the gradient of the inputs given.)"""
    noted = getattr(fn, "__dict__", {}).get("_eager_inputs")
    return noted is not None and noted == tuple(_token(a) for a in args)


def _token(arg: Any) -> Any:
    Tensor = _TENSOR or _tensor_cls()
    if isinstance(arg, Tensor):
        return ("tensor", tuple(arg.shape), str(arg.dtype))
    return ("value", repr(arg))


@contextlib.contextmanager
def replaying() -> Iterator[None]:
    """Trace a forward that already ran eagerly: ops with a ``replay_variant()`` (BatchNorm in
    training) are traced as that variant, which does not repeat the in-place update."""
    prev = _state.replay
    _state.replay = True
    try:
        yield
    finally:
        _state.replay = prev


def call(prim: Any, args: Sequence[Any]) -> Any:
    """Execute or trace one primitive call (see the module docstring)."""
    if _state.mixed is not None:
        args = _mixed_cast(prim, args, _state.mixed)
    tracer = _state.tracer
    if tracer is not None:
        if _state.replay and hasattr(prim, "replay_variant"):
            prim = prim.replay_variant()
        return tracer.add(prim, args)
    return _launch(prim, args)


def _signature(args: Sequence[Any], Tensor: type) -> tuple[Any, ...] | None:
    key = []
    for a in args:
        if isinstance(a, Tensor):
            key.append((a._shape, a._dtype))
        else:
            try:
                hash(a)
            except TypeError:
                return None
            key.append((type(a), a))
    return tuple(key)


def inferred(prim: Any, args: Sequence[Any]) -> tuple[Any, Any, Any]:
    """(infer result, cost, numpy output types or None) for a call (see :func:`_inferred`)."""
    return _inferred(prim, args, _tensor_cls())


def _inferred(prim: Any, args: Sequence[Any], Tensor: type) -> tuple[Any, Any, Any]:
    """(infer result, cost, numpy output types) for these arguments.

    Cached per primitive and argument signature (shapes, dtypes, attribute values), as
    MindSpore caches an op's inferred signature in PyNative; ``add_prim_attr`` clears it.
    """
    sig = _signature(args, Tensor)
    cache = prim.__dict__.setdefault("_infer_cache", {})
    hit = cache.get(sig) if sig is not None else None
    if hit is not None:
        return hit
    specs = [spec_of(a) for a in args]
    out = prim.infer(*specs)
    outs = _out_list(out)
    cost = prim.cost(tuple(specs), tuple(outs))
    out_types = [(tuple(s.shape), np_dtype(s.dtype)) for s in outs] if cost.unit != "none" else None
    entry = (out, cost, out_types)
    if sig is not None and len(cache) < 256:
        cache[sig] = entry
    return entry


def _launch(prim: Any, args: Sequence[Any]) -> Any:
    # the PyNative hot path (one call per op): keep lookups few
    rt = _session.current().runtime
    Tensor = _TENSOR or _tensor_cls()
    target = rt.target = _context().get_context("device_target")
    # r1.6 checks the inputs (TypeError/ValueError) before it finds no kernel for the target
    out, cost, out_types = _inferred(prim, args, Tensor)
    if prim.ascend_only or prim.platforms:
        rt.check_target(prim, target)
    name = take_name()
    if cost.unit == "none":
        return _host_op(prim, args, out, rt)
    tensor_args = [to_buffer(a, rt) if isinstance(a, Tensor) else a for a in args]
    bufs = rt.launch(prim, tensor_args, out_types, name=name, cost=cost)
    # tensors updated in place (Assign, NPUGetFloatStatus ...) must sync before being read
    for i in prim.inplace:
        if i < len(args) and isinstance(args[i], Tensor):
            _attach_sync(args[i], tensor_args[i], rt)
    if not isinstance(out, (tuple, list)):  # noqa: UP038 - the tuple form is faster
        return wrap_buffer(bufs[0], out.dtype, rt)
    return tuple(wrap_buffer(b, s.dtype, rt) for b, s in zip(bufs, out, strict=True))


_CONTEXT: Any = None


def _context() -> Any:
    global _CONTEXT
    if _CONTEXT is None:
        from ascendsim.ms import context

        _CONTEXT = context
    return _CONTEXT


def _host_op(prim: Any, args: Sequence[Any], out: Any, rt: Any) -> Any:
    """Bookkeeping ops (cost unit "none"): Depend returns its input, Shape/DType are host
    values; the rest compute on the host from synchronised inputs."""
    if prim.name == "Depend":
        return args[0]
    Tensor = _tensor_cls()
    vals = [
        a.asnumpy()
        if isinstance(a, Tensor) and a.has_values
        else (np.zeros(a.shape, np_dtype(a.dtype)) if isinstance(a, Tensor) else a)
        for a in args
    ]
    res = prim.kernel(None, *vals)
    outs = _out_list(out)
    results = res if isinstance(res, tuple) and len(outs) > 1 else (res,)
    wrapped = []
    for r, s in zip(results, outs, strict=False):
        if isinstance(r, np.ndarray) and hasattr(s, "dtype") and hasattr(s, "shape"):
            wrapped.append(Tensor(r, dtype=s.dtype))
        else:
            wrapped.append(r)
    return tuple(wrapped) if isinstance(out, tuple | list) else wrapped[0]
