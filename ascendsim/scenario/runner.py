"""Run a validated scenario on a fresh simulated system and evaluate its expectations.

:func:`run_scenario` builds a :class:`~ascendsim.device.System` from the scenario's hardware,
``devices`` and ``seed``, sets the MindSpore context (target, mode, backend, float-status check,
shape-only, schedule, parallel mode), creates the parameters and inputs, builds the program
(:mod:`ascendsim.scenario.program`) and calls it ``run.steps`` times. Each op step runs under
its step id as node name, so ids are the names expectations use. Injected overflows are
declared to the runtime per step. The runner waits for each step to finish before the next
(as a training loop that reads the loss does), so each step owns a window of the trace.

Any exception of the program is caught and kept (``raises`` expectations match it); the
trace up to the fault is kept as well. The context is reset before and after, so runs do not
leak into each other. The same scenario gives the same trace, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ascendsim.errors import ScenarioError
from ascendsim.scenario import schema as S
from ascendsim.scenario.loader import LoadedScenario

__all__ = [
    "ScenarioResult",
    "StepWindow",
    "ExpectResult",
    "ShapeOnly",
    "ScenarioExploration",
    "run_scenario",
    "explore_scenario",
]


@dataclass(frozen=True)
class StepWindow:
    """The trace records (``seq`` in ``[seq_start, seq_end)``) and time span of one step."""

    index: int
    seq_start: int
    seq_end: int
    t_start: int
    t_end: int


@dataclass(frozen=True)
class ExpectResult:
    """The verdict of one expectation: what was expected and what the run showed."""

    index: int
    kind: str
    where: str  # file:line:col of the expectation
    expected: str
    observed: str
    passed: bool


@dataclass
class ScenarioResult:
    """Everything a run produced: the system (and its trace), values, errors, verdicts."""

    loaded: LoadedScenario
    system: Any = None
    error: BaseException | None = None
    error_step: int | None = None
    steps_done: int = 0
    windows: list[StepWindow] = field(default_factory=list)
    #: step -> name -> numpy array (``None``: shape-only or unreadable)
    values: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: parameter name -> Parameter (scenario parameters and the Cell's)
    params: dict[str, Any] = field(default_factory=dict)
    printed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    expectations: list[ExpectResult] = field(default_factory=list)
    #: ``explore(max_orders)`` for order_independent expectations (set while running)
    explore: Callable[[int], Any] | None = None

    @property
    def scenario(self) -> S.Scenario:
        return self.loaded.scenario

    @property
    def name(self) -> str:
        return self.loaded.scenario.name

    @property
    def expected_error(self) -> bool:
        """The run raised and a ``raises`` expectation accepted it."""
        return self.error is not None and any(
            r.kind == "raises" and r.passed for r in self.expectations
        )

    @property
    def passed(self) -> bool:
        """Every expectation passed and the run raised nothing unexpected."""
        if self.error is not None and not self.expected_error:
            return False
        return all(r.passed for r in self.expectations)

    @property
    def end_time(self) -> int:
        """Simulated ns at the end of the run (the last record's end or the clock)."""
        if self.system is None:
            return 0
        last = max((r.end for r in self.system.trace), default=0)
        return max(int(self.system.now), last)

    @property
    def trace_metadata(self) -> dict[str, Any]:
        """Metadata written into the Chrome trace (no paths or wall time: deterministic)."""
        sc = self.scenario
        return {
            "scenario": sc.name,
            "seed": sc.seed,
            "devices": sc.devices,
            "hardware": getattr(self.loaded.hardware, "name", ""),
        }


def _configure(sc: S.Scenario, base_dir: Path) -> None:
    from ascendsim.ms import context

    c = sc.context
    context.set_context(
        device_target=c.device_target,
        mode=context.GRAPH_MODE if c.mode == "graph" else context.PYNATIVE_MODE,
        backend=c.backend,
        float_status_check=c.float_status_check,
        shape_only=sc.run.shape_only,
        schedule=sc.run.schedule,
    )
    hw = sc.hardware_spec
    if not hw.overrides:  # the explorer builds its systems from the context's preset
        preset = hw.preset
        if ("/" in preset or preset.endswith((".yaml", ".yml"))) and not Path(preset).is_absolute():
            preset = str(base_dir / preset)
        context.set_context(hardware=preset)
    if c.parallel_mode != "stand_alone" or sc.devices > 1:
        context.set_auto_parallel_context(parallel_mode=c.parallel_mode, device_num=sc.devices)
    if c.parallel_mode in ("data_parallel", "hybrid_parallel") and sc.devices > 1:
        from ascendsim.ms import communication

        communication.init()  # the world group over the scenario's simulated devices
    if any(p.ps for p in sc.parameters):
        context.set_ps_context(enable_ps=True)
        context.set_ps_context(ms_role="MS_WORKER")
    from ascendsim.ms.common.seed import set_seed

    set_seed(sc.seed)


def _injections(sc: S.Scenario, step: int) -> set[str]:
    return {inj.node for inj in sc.run.overflow if inj.steps == "all" or step in inj.steps}


def _needed(sc: S.Scenario, step: int) -> list[str]:
    """Names whose values the expectations read after ``step``."""
    last = sc.run.steps - 1
    names: list[str] = []
    for e in sc.expect:
        if isinstance(e, S.OutputExpect) and (e.step if e.step is not None else last) == step:
            names.append(e.output)
        elif isinstance(e, S.LossScaleExpect) and step < len(e.loss_scale):
            names.append(e.of)
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class ShapeOnly:
    """What a tensor of a shape-only run offers instead of values."""

    shape: tuple[int, ...]
    dtype: str


def _read(value: Any, shape_only: bool) -> Any:
    """A numpy copy of a tensor's values (:class:`ShapeOnly` without values, and always in a
    shape-only run, where reading would fetch nothing); other values as given."""
    import numpy as np

    from ascendsim.ms.common.tensor import Tensor

    if isinstance(value, Tensor):
        if shape_only or not value.has_values:
            from ascendsim.ms._dispatch import np_dtype

            return ShapeOnly(tuple(value.shape), np_dtype(value.dtype).name)
        return np.array(value.asnumpy(), copy=True)
    if isinstance(value, tuple | list):
        return type(value)(_read(v, shape_only) for v in value)
    return value


def _mark(system: Any, index: int, seq0: int, t0: int) -> StepWindow:
    return StepWindow(index, seq0, len(system.trace), t0, int(system.now))


def run_scenario(
    loaded: LoadedScenario, *, progress: bool = False, debug: bool = False
) -> ScenarioResult:
    """Run ``loaded`` and evaluate its expectations (see the module docstring).

    Errors of the program are kept in :attr:`ScenarioResult.error`, never raised (``debug``
    re-raises unexpected ones, for bug reports).
    """
    from ascendsim.device import System
    from ascendsim.ms import _session, context
    from ascendsim.scenario.expectations import evaluate_all
    from ascendsim.scenario.program import build_program

    sc = loaded.scenario
    result = ScenarioResult(loaded)
    context.reset_context()
    try:
        system = System(loaded.hardware, devices=sc.devices, seed=sc.seed)
        result.system = system
        with _session.use_system(
            system, warn=result.warnings.append, out=result.printed.append
        ) as session:
            try:
                _configure(sc, loaded.base_dir)
                program = build_program(loaded)
                result.params = program.params
                result.explore = program.explore
                _steps(result, session, program, progress)
            except ScenarioError:
                raise  # the file is wrong (e.g. a factory returning neither Cell nor function)
            except Exception as exc:  # noqa: BLE001 - the run's outcome, judged by `raises`
                if debug and not any(isinstance(e, S.RaisesExpect) for e in sc.expect):
                    raise
                result.error = exc
                result.error_step = result.steps_done
            finally:
                if session.started:
                    session.runtime.synchronize_quietly()
                    session.runtime.end_program()
            result.expectations = evaluate_all(result)
    finally:
        from ascendsim.ms import communication

        communication.release()
        context.reset_context()
    return result


def _steps(result: ScenarioResult, session: Any, program: Any, progress: bool) -> None:
    sc = result.scenario
    system = result.system
    bar = _progress(sc.run.steps) if progress and sc.run.steps >= 20 else None
    try:
        for step in range(sc.run.steps):
            seq0, t0 = len(system.trace), int(system.now)
            session.runtime.declared_overflow = _injections(sc, step)
            try:
                env = program.call()
                session.runtime.synchronize()
                result.values[step] = {
                    n: _read(env.get(n), sc.run.shape_only) for n in _needed(sc, step)
                }
            finally:
                result.windows.append(_mark(system, step, seq0, t0))
            result.steps_done = step + 1
            if bar is not None:
                bar.step()
    finally:
        if bar is not None:
            bar.stop()


def _progress(total: int) -> Any:
    from rich.progress import Progress

    prog = Progress(transient=True)
    task = prog.add_task("steps", total=total)
    prog.start()

    class _Bar:
        def step(self) -> None:
            prog.advance(task)

        def stop(self) -> None:
            prog.stop()

    return _Bar()


@dataclass(frozen=True)
class ScenarioExploration:
    """What :func:`explore_scenario` found.

    Attributes:
        loaded: the scenario.
        exploration: the explorer's :class:`~ascendsim.graph.explorer.Exploration`.
        graph: the traced graph (node ids in witnesses index ``graph.nodes``).
        labels: names of the program's outputs, in the order of the observed output values.
        max_orders: the bound the exploration ran with.
    """

    loaded: LoadedScenario
    exploration: Any
    graph: Any
    labels: tuple[str, ...]
    max_orders: int


def explore_scenario(loaded: LoadedScenario, *, max_orders: int = 10_000) -> ScenarioExploration:
    """Run the schedule explorer on the program of ``loaded`` (a graph-mode scenario).

    The system, context, parameters and inputs are set up as :func:`run_scenario` does; the
    overflows the scenario injects at step 0 are declared. The program's steps are not run.

    Raises:
        ScenarioError: the scenario is not in graph mode (the explorer reorders graph nodes).
        AscendSimError: whatever building or tracing the program raises.
    """
    from ascendsim.device import System
    from ascendsim.ms import _session, context
    from ascendsim.scenario.program import build_program

    sc = loaded.scenario
    if sc.context.mode != "graph":
        raise ScenarioError(
            f"{loaded.where('context', 'mode')}: context.mode: the explorer reorders the nodes "
            f"of a graph, but this scenario runs in {sc.context.mode} mode; set "
            "context: {mode: graph}"
        )
    context.reset_context()
    try:
        system = System(loaded.hardware, devices=sc.devices, seed=sc.seed)
        with _session.use_system(system, warn=lambda _m: None, out=lambda _m: None) as session:
            _configure(sc, loaded.base_dir)
            program = build_program(loaded)
            session.runtime.declared_overflow = _injections(sc, 0)
            exp = program.explore(max_orders)
    finally:
        context.reset_context()
    prog = sc.program
    if isinstance(prog, S.StepsProgram):
        from ascendsim.scenario.program import returned_names

        labels = tuple(returned_names(sc, prog))
    else:
        labels = tuple(prog.outputs)
    return ScenarioExploration(loaded, exp, getattr(exp, "graph", None), labels, max_orders)
