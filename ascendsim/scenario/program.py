"""Turn a scenario's parameters, inputs and program into something the runner can call.

:func:`build_program` creates the front-end objects (``Parameter``, ``Tensor``, primitives)
under the current context and returns a :class:`Program`: ``call()`` runs one step and returns
an environment of named values; ``explore(max_orders)`` runs the schedule explorer on the same
computation.

* ``steps`` programs become one Python function over the inputs that calls each primitive under
  ``naming(step id)``, so step ids are node names in graphs and the trace. In graph mode the
  function goes through ``ms_function`` and returns the program outputs plus every step an
  expectation reads (so those values are observable; keeping them alive as graph outputs is
  the price). In PyNative mode each op launches as it is called.
* ``python: module:function`` programs call the factory once; a Cell is called as is (it
  compiles itself in graph mode), a plain function is wrapped in ``ms_function`` in graph mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ascendsim.errors import ScenarioError
from ascendsim.scenario import schema as S
from ascendsim.scenario.checks import import_target
from ascendsim.scenario.loader import LoadedScenario

__all__ = ["Program", "build_program", "returned_names"]


@dataclass
class Program:
    """A callable scenario program (see the module docstring)."""

    call: Callable[[], dict[str, Any]]
    explore: Callable[[int], Any]
    params: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)


def _mstype(name: str) -> Any:
    from ascendsim.ms.common import dtype as mstype

    return mstype.bool_ if name == "bool" else getattr(mstype, name)


def _np_dtype(name: str) -> np.dtype:
    return np.dtype(np.bool_ if name == "bool" else name)


def _init_arg(spec: S.InitSpec) -> Any:
    """What ``initializer()`` takes: the name for defaults, else an Initializer instance."""
    from ascendsim.ms.common import initializer as ini

    if spec.name != "constant" and not spec.args:
        return spec.name
    return getattr(ini, spec.class_name)(**spec.args)


def _initializer(spec: S.InitSpec, shape: tuple[int, ...], dtype: str) -> Any:
    from ascendsim.ms.common.initializer import initializer

    return initializer(_init_arg(spec), list(shape), _mstype(dtype))


def make_tensor(spec: S.TensorSpec, shape_only: bool) -> Any:
    """A Tensor for an input or a ``tensor`` step (shape and dtype only in shape-only runs)."""
    from ascendsim.ms.common.tensor import Tensor

    shape = spec.resolved_shape
    if shape_only:
        return Tensor._shape_only(shape, _mstype(spec.dtype))
    if spec.init is not None:
        return _initializer(spec.init, shape, spec.dtype).init_data()
    if spec.fill is not None:
        arr = np.full(shape, spec.fill, dtype=_np_dtype(spec.dtype))
    else:
        arr = np.asarray(spec.values).astype(_np_dtype(spec.dtype)).reshape(shape)
    return Tensor(arr, dtype=_mstype(spec.dtype))


def make_parameter(spec: S.ParameterSpec) -> Any:
    """A Parameter as the scenario describes it (``ps`` needs the PS context set first)."""
    from ascendsim.ms.common.parameter import Parameter
    from ascendsim.ms.common.tensor import Tensor

    shape = spec.resolved_shape
    if spec.init is not None:
        data = _initializer(spec.init, shape, spec.dtype)
    else:
        arr = np.asarray(spec.values).astype(_np_dtype(spec.dtype)).reshape(shape)
        data = Tensor(arr, dtype=_mstype(spec.dtype))
    p = Parameter(
        data,
        name=spec.name,
        requires_grad=spec.requires_grad,
        layerwise_parallel=spec.layerwise_parallel,
    )
    if spec.ps:
        p.set_param_ps()
    if spec.sliced:
        p.sliced = True
    return p


def _literal(ref: Any) -> Any:
    if isinstance(ref, dict):
        return ref["value"]
    if isinstance(ref, list):
        return tuple(_literal(r) for r in ref)
    return ref


def build_program(loaded: LoadedScenario) -> Program:
    """Create parameters, inputs and the program of ``loaded`` (context already set).

    Raises:
        ScenarioError: a ``python:`` factory returns neither a Cell nor a function.
        AscendSimError: whatever the front end raises building parameters or primitives.
    """
    sc = loaded.scenario
    shape_only = sc.run.shape_only
    params = {p.name: make_parameter(p) for p in sc.parameters}
    inputs = {name: make_tensor(spec, shape_only) for name, spec in sc.inputs.items()}
    if isinstance(sc.program, S.StepsProgram):
        return _steps_program(sc, sc.program, params, inputs)
    return _python_program(loaded, sc.program, params, inputs)


def returned_names(sc: S.Scenario, prog: S.StepsProgram) -> list[str]:
    """What the steps program returns, in order: ``outputs`` (default: the last step) plus
    every step an ``output`` expectation reads."""
    ids = {s.id for s in prog.steps}
    names = list(prog.outputs) or [prog.steps[-1].id]
    names += [e.output for e in sc.expect if isinstance(e, S.OutputExpect) and e.output in ids]
    return list(dict.fromkeys(names))


def _steps_program(
    sc: S.Scenario, prog: S.StepsProgram, params: dict[str, Any], inputs: dict[str, Any]
) -> Program:
    from ascendsim.ms import _dispatch
    from ascendsim.ms.ops.primitive import get_op_class

    consts: dict[str, Any] = {}
    prims: list[Any] = []
    for step in prog.steps:
        if isinstance(step, S.OpStep):
            prims.append(get_op_class(step.op)(**step.attrs))
        else:
            prims.append(None)
            if isinstance(step, S.TensorStep):
                consts[step.id] = make_tensor(step.tensor, sc.run.shape_only)
    # tensor steps are passed as graph inputs (not captured constants), like the inputs
    feeds = {**inputs, **consts}
    names = list(feeds)
    base = dict(params)

    def run_steps(*args: Any) -> dict[str, Any]:
        env = dict(base)
        env.update(zip(names, args, strict=True))
        for step, prim in zip(prog.steps, prims, strict=True):
            if isinstance(step, S.OpStep):
                vals = [env[r] if isinstance(r, str) else _literal(r) for r in step.inputs]
                with _dispatch.naming(step.id):
                    env[step.id] = prim(*vals)
            elif isinstance(step, S.ItemStep):
                env[step.id] = env[step.item][step.index]
        return env

    returned = returned_names(sc, prog)

    def scenario(*args: Any) -> Any:
        env = run_steps(*args)
        outs = tuple(env[n] for n in returned)
        return outs if len(outs) > 1 else outs[0]

    graph = sc.context.mode == "graph"
    jitted = _ms_function(scenario) if graph else None
    args = [feeds[n] for n in names]

    def call() -> dict[str, Any]:
        if jitted is None:
            env = run_steps(*args)
        else:
            outs = jitted(*args)
            outs = outs if len(returned) > 1 else (outs,)
            env = {
                **base,
                **dict(zip(names, args, strict=True)),
                **dict(zip(returned, outs, strict=True)),
            }
        return {**env, **params}

    return Program(
        call=call, explore=lambda n: _explore(scenario, args, n), params=params, inputs=inputs
    )


def _ms_function(fn: Callable[..., Any]) -> Any:
    from ascendsim.ms._graph_mode import ms_function

    return ms_function(fn)


def _explore(fn: Any, args: list[Any], max_orders: int) -> Any:
    from ascendsim.ms._graph_mode import explore

    return explore(fn, *args, max_orders=max_orders)


def _python_program(
    loaded: LoadedScenario, prog: S.PythonProgram, params: dict[str, Any], inputs: dict[str, Any]
) -> Program:
    from ascendsim.ms.nn.cell import Cell

    factory = import_target(prog.python, loaded.base_dir)
    obj = factory()
    if isinstance(obj, Cell):
        target: Any = obj
        params = {**params, **{p.name: p for p in obj.get_parameters()}}
    elif callable(obj):
        target = _ms_function(obj) if loaded.scenario.context.mode == "graph" else obj
    else:
        raise ScenarioError(
            f"{loaded.where('program', 'python')}: program.python: "
            f"{prog.python}() returned a {type(obj).__name__}; it must return a "
            "Cell or a function"
        )
    env0 = {**inputs, **params}
    arg_names = prog.args if prog.args is not None else list(inputs)
    args = [env0[n] for n in arg_names]
    labels = prog.outputs

    def call() -> dict[str, Any]:
        res = target(*args)
        if len(labels) > 1:
            if not isinstance(res, tuple | list) or len(res) != len(labels):
                got = len(res) if isinstance(res, tuple | list) else 1
                raise ScenarioError(
                    f"{loaded.where('program', 'outputs')}: program.outputs: "
                    f"{len(labels)} labels but the program returned {got} "
                    "value(s)"
                )
            outs = dict(zip(labels, res, strict=True))
        else:
            outs = {labels[0]: res}
        return {**env0, **outs}

    return Program(
        call=call, explore=lambda n: _explore(obj, args, n), params=params, inputs=inputs
    )
