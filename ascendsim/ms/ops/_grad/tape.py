"""The tape of a differentiated function: recording, forward sharing, staged backward.

* :class:`Recorder` sits in front of the graph builder while the function is traced: it keeps
  the tape (primitive, arguments, outputs) and merges a call equal to a node already in the
  graph (same primitive class and attributes, same inputs, no write since to a parameter it
  reads): the forward that ``TrainOneStepCell`` traces twice runs once.
* :func:`backprop` walks the tape backwards from the output sensitivities and calls each op's
  rule (:mod:`ascendsim.ms.ops._grad`) for the ops on a path from a differentiated value.
* :class:`Lazy` stages those calls; :meth:`Lazy.emit` adds to the graph only the calls the
  wanted gradients depend on (MindSpore's dead-code elimination).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ....errors import MsRuntimeError
from ... import _dispatch
from .. import operations as P
from . import get_bprop
from ._util import is_tensor

__all__ = ["Recorder", "Lazy", "backprop", "key", "record_cell_bprop", "snapshot", "retire"]


def _is_param(x: Any) -> bool:
    from ...common.parameter import Parameter

    return isinstance(x, Parameter)


def key(x: Any) -> Any:
    """Identity of a value on the tape: a symbolic tensor's graph ref, a parameter's uid."""
    if _is_param(x):
        return ("param", x._uid)
    ref = getattr(x, "_ref", None)
    return ref if ref is not None else ("tensor", x._uid)


def snapshot(x: Any) -> Any:
    """A new symbolic tensor naming the value ``x`` names now (``x`` itself if not symbolic):
    ``x[i] = v`` inside a traced function makes ``x`` name a new value from then on."""
    ref = getattr(x, "_ref", None)
    if ref is None or _is_param(x):
        return x
    from ...common.tensor import Tensor

    t = Tensor._shape_only(tuple(x.shape), x.dtype)
    t._ref, t._sync = ref, x._sync
    return t


def retire(x: Any) -> None:
    """``x`` is about to name another value: the tapes being recorded keep its current one."""
    tracer = _dispatch.current_tracer()
    while isinstance(tracer, Recorder):
        tracer.keep_value_of(x)
        tracer = tracer.inner


def backprop(tape: list[tuple[Any, tuple[Any, ...], Any]], outs: Sequence[Any],
              sens: Sequence[Any], targets: Sequence[Any]) -> dict[Any, Any]:  # fmt: skip
    """Gradients of ``targets`` (by :func:`key`) given the output sensitivities."""
    live = {key(t) for t in targets}
    active = []
    for entry in tape:  # forward: which ops depend on a target
        prim, args, out = entry
        if any(is_tensor(a) and key(a) in live for a in args):
            active.append(entry)
            for o in out if isinstance(out, tuple) else (out,):
                if is_tensor(o):
                    live.add(key(o))
    pending: dict[Any, list[Any]] = {}
    for o, s in zip(outs, sens, strict=False):
        if s is not None and is_tensor(o):
            pending.setdefault(key(o), []).append(s)
    for prim, args, out in reversed(active):
        outs_of = out if isinstance(out, tuple) else (out,)
        douts = [_combine(pending.pop(key(o), None)) if is_tensor(o) else None
                 for o in outs_of]  # fmt: skip
        if all(d is None for d in douts):
            continue
        dout = tuple(douts) if isinstance(out, tuple) else douts[0]
        if isinstance(prim, _CellBprop):
            arg_grads = prim.grads(args, out, dout)
        else:
            arg_grads = get_bprop(prim)(prim, args, out, dout)
        for a, g in zip(args, arg_grads, strict=False):
            if g is not None and is_tensor(a) and key(a) in live:
                pending.setdefault(key(a), []).append(g)
    return {k: _combine(v) for k, v in pending.items()}


def _combine(grads: list[Any] | None) -> Any:
    if not grads:
        return None
    return grads[0] if len(grads) == 1 else P.AddN()(list(grads))


class _CellBprop:
    """A tape entry for a Cell that defines ``bprop(*inputs, out, dout)``: MindSpore calls it
    for the gradients of the Cell's inputs instead of differentiating what ``construct`` does
    (the Cell's own parameters get no gradient from it)."""

    def __init__(self, cell: Any) -> None:
        self.cell = cell
        self.name = f"{type(cell).__name__}.bprop"

    def grads(self, args: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
        grads = self.cell.bprop(*args, out, dout)
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) != len(args):
            raise MsRuntimeError(
                f"{self.name} returned {len(grads)} gradient(s) for {len(args)} input(s) of "
                f"{type(self.cell).__name__}.construct: return one per input, in order"
            )
        return grads


def record_cell_bprop(recorder: Recorder, cell: Any, args: Sequence[Any]) -> Any:
    """Trace ``cell``'s forward past ``recorder``'s tape and put one entry for its ``bprop``
    on it (see :class:`_CellBprop`)."""
    with _dispatch.tracing(recorder.inner):
        out = cell.construct(*args)
    recorder.tape.append((_CellBprop(cell), tuple(args), out))
    return out


class _LazyRef(tuple):
    """The ``_ref`` of a placeholder made while the backward is staged."""


class Lazy:
    """Stages the backward's primitive calls; :meth:`emit` adds to the graph only those the
    wanted gradients depend on, in their original order."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, tuple[Any, ...], list[Any], bool]] = []

    def add(self, prim: Any, args: Sequence[Any]) -> Any:
        from ...common.tensor import Tensor

        out = prim.infer(*[_dispatch.spec_of(a) for a in args])
        multi = isinstance(out, tuple | list)
        specs = list(out) if multi else [out]
        k = len(self.calls)
        holders = []
        for i, spec in enumerate(specs):
            t = Tensor._shape_only(spec.shape, spec.dtype)
            t._ref = _LazyRef(("staged", k, i))
            holders.append(t)
        self.calls.append((prim, tuple(args), holders, multi))
        return tuple(holders) if multi else holders[0]

    def emit(self, wanted: dict[Any, Any]) -> dict[Any, Any]:
        """Trace the needed calls into the current builder; ``wanted`` with real tensors."""
        needed: set[int] = set()
        stack = [v._ref for v in wanted.values() if isinstance(getattr(v, "_ref", None), _LazyRef)]
        while stack:
            _, k, _ = stack.pop()
            if k in needed:
                continue
            needed.add(k)
            for a in _leaves(self.calls[k][1]):
                ref = getattr(a, "_ref", None)
                if isinstance(ref, _LazyRef):
                    stack.append(ref)
        real: dict[Any, Any] = {}

        def resolve(a: Any) -> Any:
            if isinstance(a, list | tuple):
                return type(a)(resolve(x) for x in a)
            ref = getattr(a, "_ref", None)
            return real[ref] if isinstance(ref, _LazyRef) else a

        for k, (prim, args, holders, multi) in enumerate(self.calls):
            if k not in needed:
                continue
            res = _dispatch.call(prim, [resolve(a) for a in args])
            for h, r in zip(holders, res if multi else (res,), strict=True):
                real[h._ref] = r
        return {key: resolve(v) for key, v in wanted.items()}


def _leaves(args: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for a in args:
        out.extend(_leaves(a) if isinstance(a, list | tuple) else [a])
    return out


class Recorder:
    """Sits in front of the graph builder while ``fn`` is traced: records the tape and merges
    calls identical to nodes already in the graph (see the module docstring)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.base = inner.base if isinstance(inner, Recorder) else inner
        self.tape: list[tuple[Any, tuple[Any, ...], Any]] = []
        tracer = self.base.tracer
        self._nodes = tracer._nodes
        self._consts = tracer._consts
        self._prefix = len(self._nodes)
        self._scanned = 0
        self._last_write: dict[int, int] = {}
        self._index: dict[Any, int] = {}
        self._scan()
        for node in self._nodes[: self._prefix]:
            k = self._node_key(node)
            if k is not None:
                self._index.setdefault(k, node.id)

    def keep_value_of(self, x: Any) -> None:
        """Replace ``x`` on this tape by a :func:`snapshot` of it (see :func:`retire`)."""
        snap = None
        for i, (prim, args, out) in enumerate(self.tape):
            hit_args = any(a is x for a in args)
            hit_out = out is x or (isinstance(out, tuple) and any(o is x for o in out))
            if not (hit_args or hit_out):
                continue
            snap = snap if snap is not None else snapshot(x)
            args = tuple(snap if a is x else a for a in args)
            if isinstance(out, tuple):
                out = tuple(snap if o is x else o for o in out)
            elif out is x:
                out = snap
            self.tape[i] = (prim, args, out)

    def add(self, prim: Any, args: Sequence[Any]) -> Any:
        out = self._merged(prim, args)
        if out is None:
            out = self.inner.add(prim, args)
        self.tape.append((prim, tuple(args), out))
        return out

    # --- common subexpressions ------------------------------------------------------------------
    def _scan(self) -> None:
        """Track the last writer of each parameter over the nodes added so far."""
        nodes = self._nodes
        for node in nodes[self._scanned :]:
            if node.side_effect and node.inplace:
                for i in node.inplace:
                    root = _alias_root(node.inputs[i], nodes) if i < len(node.inputs) else None
                    if root is not None and root.kind == "param":
                        self._last_write[root.index] = node.id
        self._scanned = len(nodes)

    def _arg_key(self, value: Any) -> Any:
        if _is_param(value):
            return ("param", value._uid)
        ref = getattr(value, "_ref", None)
        if ref is not None:
            return ref
        if is_tensor(value):
            return ("tensor", value._uid)
        try:
            hash(value)
        except TypeError:
            return _UNHASHABLE
        return ("py", type(value).__name__, value)

    def _ref_key(self, ref: Any) -> Any:
        if ref.kind == "param":
            return ("param", ref.index)
        if ref.kind == "const":
            return self._arg_key(self._consts[ref.index])
        return ref

    def _cse_ok(self, prim: Any) -> bool:
        return getattr(prim, "side_effect", None) != "io" and not getattr(
            prim, "float_status", None)  # fmt: skip

    def _node_key(self, node: Any) -> Any:
        if not node.inputs or not self._cse_ok(node.op):
            return None
        keys = tuple(self._ref_key(r) for r in node.inputs)
        return None if _UNHASHABLE in keys else (_op_key(node.op), keys)

    def _merged(self, prim: Any, args: Sequence[Any]) -> Any:
        if not args or not self._cse_ok(prim):
            return None
        keys = tuple(self._arg_key(a) for a in args)
        if _UNHASHABLE in keys:
            return None
        nid = self._index.get((_op_key(prim), keys))
        if nid is None:
            return None
        self._scan()
        node = self._nodes[nid]
        for ref in node.inputs:
            root = _alias_root(ref, self._nodes)
            if root.kind == "param" and self._last_write.get(root.index, -1) > nid:
                return None  # the parameter changed since: recompute
        spec_args = [_dispatch.spec_of(a) for a in args]
        structure = prim.infer(*spec_args)
        tensors = [self.base.symbolic(ref, s.shape, s.dtype)
                   for ref, s in zip(node.outputs, node.out_specs, strict=True)]  # fmt: skip
        return tuple(tensors) if isinstance(structure, tuple | list) else tensors[0]


_UNHASHABLE = object()


def _op_key(prim: Any) -> tuple[Any, ...]:
    """Primitives equal for CSE: same class, name and attributes (Tensor operators make a
    new primitive per call)."""
    return (type(prim), repr(prim))


def _alias_root(ref: Any, nodes: Sequence[Any]) -> Any:
    while ref.kind == "node" and nodes[ref.index].is_depend:
        ref = nodes[ref.index].inputs[0]
    return ref
