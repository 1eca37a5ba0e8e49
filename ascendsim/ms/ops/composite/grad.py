"""``GradOperation``: reverse-mode differentiation of traced graphs.

``GradOperation(get_all, get_by_list, sens_param)(fn[, weights])(*inputs[, sens])`` traces
``fn`` into the graph being built (as :mod:`ascendsim.ms._graph_mode` traces a Cell), records
every primitive call on a tape, then walks the tape backwards and emits each op's
differentiation rule (:mod:`ascendsim.ms.ops._grad`) into the *same* graph: one compiled graph
holds forward, backward and whatever the caller adds after it (an optimizer update), as
MindSpore compiles a training step. Called outside a graph being traced (top level, or in
PYNATIVE_MODE), the gradient function is compiled into a graph of its own and run, as r1.6 does
in GRAPH_MODE (``ms_function``); in PyNative the results are the same, the timeline is that of
one sunk graph rather than op-by-op launches. The tape machinery is
:mod:`ascendsim.ms.ops._grad.tape`.

Only what is needed is emitted: rules run for ops that lie on a path from a differentiated
input or weight to the output. Shape-only runs produce shape-only gradients (same graph, no
values).

Forward sharing: ``TrainOneStepCell`` calls ``network(*inputs)`` and then
``grad(network, weights)(*inputs, sens)``, which traces the network a second time. MindSpore
compiles one forward pass for both; here the second trace is merged into the first by common
subexpression elimination on the tape (an equal primitive, same class and attributes, on the
same inputs, with no write to a parameter it reads in between), so the forward runs once. The backward is emitted lazily and only the calls that the requested gradients
need reach the graph (MindSpore's dead-code elimination removes the rest): e.g. no gradient
of the input images when only the weights are differentiated.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Sequence
from typing import Any

from ....errors import MsRuntimeError, MsTypeError
from ... import _dispatch
from .. import operations as P
from .._grad._util import is_tensor
from .._grad.tape import Lazy, Recorder, backprop, key, snapshot

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
        #: owns the graphs traced as a replay of an eager forward (a cache of their own)
        self._replay = types.SimpleNamespace()

    def __call__(self, *args: Any) -> Any:
        self._check_arity(args)
        if _dispatch.current_tracer() is not None:
            return self.trace(*args)
        from ... import _graph_mode

        inputs = args[:-1] if self.op.sens_param else args
        if _dispatch.reuses_eager_forward(self.fn, inputs):
            # r1.6 reuses the forward the Cell just ran (set_grad): its in-place updates
            # (BatchNorm's moving statistics) are not repeated by the gradient's forward
            with _dispatch.replaying():
                flat = _graph_mode.call_graph(self._replay, self._flat_trace, args, self.__name__)
        else:
            # a graph returns a flat tuple: flatten the (possibly nested) gradients, rebuild
            flat = _graph_mode.call_graph(self, self._flat_trace, args, self.__name__)
        return _graph_mode.rebuild_outputs(iter(flat), self._structures[len(args)])

    def _flat_trace(self, *args: Any) -> tuple[Any, ...]:
        from ... import _graph_mode

        flat: list[Any] = []
        self._structures[len(args)] = _graph_mode.flatten_outputs(self.trace(*args), flat)
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
        # the inputs' values now: x[i] = v inside fn makes x name another value
        originals = [snapshot(x) for x in inputs]
        recorder = Recorder(_dispatch.current_tracer())
        with _dispatch.tracing(recorder):
            out = self.fn(*inputs)
        outs = out if isinstance(out, tuple) else (out,)
        if op.get_all:
            wanted_inputs = originals
        else:  # the first input, unless only weights are asked for
            wanted_inputs = [] if op.get_by_list else originals[:1]
        weights = self._weight_list()
        targets = [x for x in wanted_inputs + weights if is_tensor(x)]
        lazy = Lazy()
        with _dispatch.tracing(lazy):
            if sens is None:
                sens_list = [P.OnesLike()(o) if is_tensor(o) else None for o in outs]
            else:
                sens_list = list(sens) if isinstance(out, tuple) else [sens]
            grads = backprop(recorder.tape, outs, sens_list, targets)
        grads = lazy.emit(grads)

        def grad_of(x: Any) -> Any:
            if not is_tensor(x):
                return None
            g = grads.get(key(x))
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
