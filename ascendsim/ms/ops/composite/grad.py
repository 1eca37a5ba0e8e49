"""``GradOperation``: reverse-mode differentiation of traced graphs.

``GradOperation(get_all, get_by_list, sens_param)(fn[, weights])(*inputs[, sens])`` traces
``fn`` into the graph being built (as :mod:`ascendsim.ms._graph_mode` traces a Cell), records
every primitive call on a tape, then walks the tape backwards and emits each op's
differentiation rule (:mod:`ascendsim.ms.ops._grad`) into the *same* graph: one compiled graph
holds forward, backward and whatever the caller adds after it (an optimizer update), as
MindSpore compiles a training step. Called outside a graph being traced (top level, or in
PYNATIVE_MODE), the gradient function is compiled into a graph of its own and run, as r1.6 does
in GRAPH_MODE (``ms_function``); in PyNative the results are the same, the timeline is that of
one sunk graph rather than op-by-op launches.

Only what is needed is emitted: rules run for ops that lie on a path from a differentiated
input or weight to the output. Shape-only runs produce shape-only gradients (same graph, no
values).

Forward sharing: ``TrainOneStepCell`` calls ``network(*inputs)`` and then
``grad(network, weights)(*inputs, sens)``, which traces the network a second time. MindSpore
compiles one forward pass for both; here the second trace is merged into the first by common
subexpression elimination on the tape (same primitive object, same inputs, no write to a
parameter it reads in between), so the forward runs once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from ....errors import MsRuntimeError, MsTypeError
from ... import _dispatch
from .. import operations as P
from .._grad import get_bprop
from .._grad._util import is_tensor

__all__ = ["GradOperation"]


def _is_param(x: Any) -> bool:
    from ...common.parameter import Parameter

    return isinstance(x, Parameter)


class GradOperation:
    """A higher-order function making gradient functions (``mindspore.ops.GradOperation``).

    Args:
        get_all: gradients with respect to every input (a tuple).
        get_by_list: gradients with respect to the ``weights`` given with the function.
        sens_param: the gradient function takes the output's sensitivity as its last input
            (otherwise ``ones_like(output)``).

    Raises:
        MsTypeError: a flag that is not a bool (r1.6's message).
    """

    def __init__(self, get_all: bool = False, get_by_list: bool = False,
                 sens_param: bool = False) -> None:  # fmt: skip
        for arg, value in (("get_all", get_all), ("get_by_list", get_by_list),
                           ("sens_param", sens_param)):  # fmt: skip
            if not isinstance(value, bool):
                raise MsTypeError(
                    f"For 'GradOperation', the '{arg}' should be bool, but got "
                    f"{type(value).__name__}"
                )
        self.get_all = get_all
        self.get_by_list = get_by_list
        self.sens_param = sens_param
        self._cache: dict[tuple[int, int], _GradFunction] = {}

    def __call__(self, fn: Callable[..., Any], weights: Any = None) -> _GradFunction:
        """The gradient function of ``fn`` (cached per ``fn`` and ``weights``).

        Raises:
            MsRuntimeError: ``get_by_list=True`` without weights.
            MsTypeError: weights that are not Parameters.
        """
        key = (id(fn), id(weights))
        hit = self._cache.get(key)
        if hit is not None and hit.fn is fn and hit.weights is weights:
            return hit
        if self.get_by_list:
            _check_weights(weights)
        grad_fn = _GradFunction(self, fn, weights)
        self._cache[key] = grad_fn
        return grad_fn


def _check_weights(weights: Any) -> None:
    if weights is None:
        raise MsRuntimeError(
            "For 'GradOperation', get_by_list=True needs the weights to differentiate: call "
            "grad_op(fn, ParameterTuple(net.trainable_params()))."
        )
    items = weights if isinstance(weights, tuple | list) else (weights,)
    bad = [type(w).__name__ for w in items if not _is_param(w)]
    if bad:
        raise MsTypeError(
            f"For 'GradOperation', the weights must be Parameters (a ParameterTuple), but got "
            f"{', '.join(bad)}."
        )


class _GradFunction:
    """What ``GradOperation(...)(fn, weights)`` returns: call it with ``fn``'s inputs."""

    def __init__(self, op: GradOperation, fn: Callable[..., Any], weights: Any) -> None:
        self.op = op
        self.fn = fn
        self.weights = weights
        self.__name__ = f"grad_{getattr(fn, '__name__', type(fn).__name__)}"
        self._structures: dict[int, Any] = {}

    def __call__(self, *args: Any) -> Any:
        self._check_arity(args)
        if _dispatch.current_tracer() is not None:
            return self.trace(*args)
        from ... import _graph_mode

        # a graph returns a flat tuple: flatten the (possibly nested) gradients, then rebuild
        flat = _graph_mode.call_graph(self, self._flat_trace, args, self.__name__)
        return _unflatten(iter(flat), self._structures[len(args)])

    def _flat_trace(self, *args: Any) -> tuple[Any, ...]:
        flat: list[Any] = []
        self._structures[len(args)] = _flatten(self.trace(*args), flat)
        return tuple(flat)

    def _check_arity(self, args: Sequence[Any]) -> None:
        target = getattr(self.fn, "construct", self.fn)
        try:
            sig = inspect.signature(target)
        except (TypeError, ValueError):
            return
        params = list(sig.parameters.values())
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
            return
        n_in = len(args) - (1 if self.op.sens_param else 0)
        required = sum(p.default is p.empty for p in params)
        if n_in < 0 or not required <= n_in <= len(params):
            want = len(params) + (1 if self.op.sens_param else 0)
            hint = " With sens_param=True, pass the sensitivity as the last argument." if (
                self.op.sens_param) else ""  # fmt: skip
            raise MsTypeError(
                f"The parameters number of the function is {want}, but the number of provided "
                f"arguments is {len(args)}.{hint}"
            )

    # --- the differentiation -------------------------------------------------------------------
    def trace(self, *args: Any) -> Any:
        """Emit forward and backward into the graph being traced; return the gradients."""
        op = self.op
        inputs, sens = (args[:-1], args[-1]) if op.sens_param else (args, None)
        recorder = _Recorder(_dispatch.current_tracer())
        with _dispatch.tracing(recorder):
            out = self.fn(*inputs)
        outs = out if isinstance(out, tuple) else (out,)
        if sens is None:
            sens_list = [P.OnesLike()(o) if is_tensor(o) else None for o in outs]
        else:
            sens_list = list(sens) if isinstance(out, tuple) else [sens]
        wanted_inputs = list(inputs) if op.get_all else list(inputs[:1])
        weights = self._weight_list()
        targets = [x for x in wanted_inputs + weights if is_tensor(x)]
        grads = _backprop(recorder.tape, outs, sens_list, targets)

        def grad_of(x: Any) -> Any:
            if not is_tensor(x):
                return None
            g = grads.get(_key(x))
            return g if g is not None else P.ZerosLike()(x)

        input_grads = tuple(grad_of(x) for x in wanted_inputs)
        if op.get_by_list:
            weight_grads = tuple(grad_of(w) for w in weights)
            if _is_param(self.weights):
                weight_grads = weight_grads[0]
            return (input_grads, weight_grads) if op.get_all else weight_grads
        return input_grads if op.get_all else input_grads[0]

    def _weight_list(self) -> list[Any]:
        if not self.op.get_by_list or self.weights is None:
            return []
        w = self.weights
        return list(w) if isinstance(w, tuple | list) else [w]


def _flatten(value: Any, into: list[Any]) -> Any:
    """Append the leaves of nested tuples to ``into``; return the nesting (None: a leaf)."""
    if isinstance(value, tuple):
        return tuple(_flatten(v, into) for v in value)
    into.append(value)
    return None


def _unflatten(leaves: Any, structure: Any) -> Any:
    if structure is None:
        return next(leaves)
    return tuple(_unflatten(leaves, s) for s in structure)


def _key(x: Any) -> Any:
    """Identity of a value on the tape: a symbolic tensor's graph ref, a parameter's uid."""
    if _is_param(x):
        return ("param", x._uid)
    ref = getattr(x, "_ref", None)
    return ref if ref is not None else ("tensor", x._uid)


def _backprop(tape: list[tuple[Any, tuple[Any, ...], Any]], outs: Sequence[Any],
              sens: Sequence[Any], targets: Sequence[Any]) -> dict[Any, Any]:  # fmt: skip
    """Gradients of ``targets`` (by :func:`_key`) given the output sensitivities."""
    live = {_key(t) for t in targets}
    active = []
    for entry in tape:  # forward: which ops depend on a target
        prim, args, out = entry
        if any(is_tensor(a) and _key(a) in live for a in args):
            active.append(entry)
            for o in out if isinstance(out, tuple) else (out,):
                if is_tensor(o):
                    live.add(_key(o))
    pending: dict[Any, list[Any]] = {}
    for o, s in zip(outs, sens, strict=False):
        if s is not None and is_tensor(o):
            pending.setdefault(_key(o), []).append(s)
    for prim, args, out in reversed(active):
        outs_of = out if isinstance(out, tuple) else (out,)
        douts = [_combine(pending.pop(_key(o), None)) if is_tensor(o) else None
                 for o in outs_of]  # fmt: skip
        if all(d is None for d in douts):
            continue
        rule = get_bprop(prim)
        dout = tuple(douts) if isinstance(out, tuple) else douts[0]
        for a, g in zip(args, rule(prim, args, out, dout), strict=False):
            if g is not None and is_tensor(a) and _key(a) in live:
                pending.setdefault(_key(a), []).append(g)
    return {k: _combine(v) for k, v in pending.items()}


def _combine(grads: list[Any] | None) -> Any:
    if not grads:
        return None
    return grads[0] if len(grads) == 1 else P.AddN()(list(grads))


class _Recorder:
    """Sits in front of the graph builder while ``fn`` is traced: records the tape and merges
    calls identical to nodes already in the graph (see the module docstring)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.base = inner.base if isinstance(inner, _Recorder) else inner
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
            key = self._node_key(node)
            if key is not None:
                self._index.setdefault(key, node.id)

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
        return None if _UNHASHABLE in keys else (id(node.op), keys)

    def _merged(self, prim: Any, args: Sequence[Any]) -> Any:
        if not args or not self._cse_ok(prim):
            return None
        keys = tuple(self._arg_key(a) for a in args)
        if _UNHASHABLE in keys:
            return None
        nid = self._index.get((id(prim), keys))
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


def _alias_root(ref: Any, nodes: Sequence[Any]) -> Any:
    while ref.kind == "node" and nodes[ref.index].is_depend:
        ref = nodes[ref.index].inputs[0]
    return ref
