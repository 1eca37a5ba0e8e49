"""Whole-document checks of a scenario, after the schema: names, ops, imports, hardware.

The schema validates each value on its own; these checks relate values to each other and to
the rest of ascendsim, and raise :class:`~ascendsim.errors.ScenarioError` at the exact
``file:line:col`` of the offending value:

* names (parameters, inputs, step ids) are unique; a step uses only names defined before it
  (steps are SSA: naming itself or a later step would be a cycle);
* every ``op`` is an emulated MindSpore primitive that accepts its ``attrs``;
* a ``python:`` target imports (the scenario's folder is on ``sys.path`` while it does);
* expectations and injected overflows name known nodes, parameters, devices and steps;
* the hardware preset loads with its overrides; the schedule policy exists;
* a run that computes values keeps each tensor small enough to hold in this process.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import math
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ascendsim.errors import AscendSimError, ScenarioError
from ascendsim.scenario import schema as S
from ascendsim.yamlio import Loaded

__all__ = ["check_document", "MAX_VALUE_ELEMENTS", "import_target", "split_event_ref"]

#: per tensor, when values are computed (``run.shape_only: false``): 2**26 elements
MAX_VALUE_ELEMENTS = 2**26


def _path(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _hint(name: str, options: Iterable[str]) -> str:
    opts = sorted(set(options))
    close = difflib.get_close_matches(name, opts, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    if opts and len(opts) <= 12:
        return f"; defined names: {', '.join(opts)}"
    return ""


def split_event_ref(ref: str) -> tuple[str | None, str]:
    """``"is_init:w"`` -> ``("is_init", "w")``; ``"add1"`` -> ``(None, "add1")``."""
    kind, sep, name = ref.partition(":")
    return (kind, name) if sep else (None, ref)


@contextlib.contextmanager
def _on_path(base: Path) -> Iterator[None]:
    entry = str(base)
    added = entry not in sys.path
    if added:
        sys.path.insert(0, entry)
    try:
        yield
    finally:
        if added and entry in sys.path:
            sys.path.remove(entry)


def import_target(target: str, base: Path) -> Any:
    """Import ``module:function`` (with ``base`` on ``sys.path``) and return the callable.

    Raises:
        ScenarioError: the module does not import, lacks the name, or it is not callable
            (message without position; the caller adds it).
    """
    module_name, _, attr = target.partition(":")
    with _on_path(base):
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - any failure of user code is a bad target
            msg = str(exc).replace("\n", " ")[:200]
            raise ScenarioError(
                f"cannot import module {module_name!r} ({type(exc).__name__}: "
                f"{msg}); check the module name and that it is on the path or "
                f"next to the scenario file"
            ) from None
    if not hasattr(module, attr):
        names = [n for n in dir(module) if not n.startswith("_")]
        raise ScenarioError(f"module {module_name!r} has no attribute {attr!r}{_hint(attr, names)}")
    fn = getattr(module, attr)
    if not callable(fn):
        raise ScenarioError(
            f"{target} is a {type(fn).__name__}, not a function returning a Cell or a function"
        )
    return fn


class _Checker:
    def __init__(self, sc: S.Scenario, loaded: Loaded, base: Path) -> None:
        self.sc = sc
        self.loaded = loaded
        self.base = base
        self.names: dict[str, tuple[str, tuple[str | int, ...]]] = {}
        self.steps: dict[str, int] = {}
        self.is_steps = isinstance(sc.program, S.StepsProgram)

    def fail(self, loc: tuple[str | int, ...], msg: str) -> None:
        raise ScenarioError(f"{self.loaded.where(loc)}: {_path(loc)}: {msg}".replace("\n", " "))

    def line(self, loc: tuple[str | int, ...]) -> str:
        return self.loaded.where(loc).rsplit(":", 2)[-2]

    def define(self, name: str, what: str, loc: tuple[str | int, ...]) -> None:
        if name in self.names:
            other, oloc = self.names[name]
            self.fail(
                loc,
                f"{name!r} is already defined as {other} (line {self.line(oloc)}); "
                "give every parameter, input and step a different name",
            )
        self.names[name] = (what, loc)

    def resolve(self, name: str, loc: tuple[str | int, ...], current: int | None = None) -> None:
        if name in self.names:
            return
        if current is not None and self.steps.get(name) == current:
            self.fail(
                loc,
                f"step {name!r} uses its own result: that is a cycle; a step can use "
                "only names defined before it",
            )
        if name in self.steps:
            j = self.steps[name]
            self.fail(
                loc,
                f"{name!r} is defined later (by step {j}, line "
                f"{self.line(('program', 'steps', j, 'id'))}); steps are in SSA form: a "
                "step can use only names defined before it, so this would be a cycle",
            )
        self.fail(loc, f"{name!r} is not defined{_hint(name, self.names)}")

    # --- sections -------------------------------------------------------------------------
    def check(self) -> Any:
        sc = self.sc
        if sc.context.backend == "ge" and sc.context.device_target != "Ascend":
            self.fail(
                ("context", "backend"),
                f"the GE backend exists only for device_target "
                f"Ascend, not {sc.context.device_target}; use backend: default",
            )
        for i, p in enumerate(sc.parameters):
            self.define(p.name, "a parameter", ("parameters", i, "name"))
            self.value_size(p.resolved_shape, ("parameters", i))
        for name, spec in sc.inputs.items():
            self.define(name, "an input", ("inputs", name))
            self.value_size(spec.resolved_shape, ("inputs", name))
        if isinstance(sc.program, S.StepsProgram):
            self.program_steps(sc.program)
        else:
            self.program_python(sc.program)
        self.run_section()
        for i, e in enumerate(sc.expect):
            self.expectation(e, ("expect", i))
        return self.hardware()

    def value_size(self, shape: tuple[int, ...], loc: tuple[str | int, ...]) -> None:
        n = math.prod(shape)
        if not self.sc.run.shape_only and n > MAX_VALUE_ELEMENTS:
            self.fail(
                (*loc, "shape"),
                f"shape {list(shape)} has {n:,} elements, too many to "
                f"compute values (at most {MAX_VALUE_ELEMENTS:,}); set run.shape_only: "
                "true to simulate placement and time without values",
            )

    def program_steps(self, prog: S.StepsProgram) -> None:
        for i, step in enumerate(prog.steps):
            self.steps.setdefault(step.id, i)
        op_class = _op_lookup()
        for i, step in enumerate(prog.steps):
            loc: tuple[str | int, ...] = ("program", "steps", i)
            if isinstance(step, S.OpStep):
                for j, ref in enumerate(step.inputs):
                    if isinstance(ref, str):
                        self.resolve(ref, (*loc, "inputs", j), i)
                if op_class is not None:
                    self.op(step, loc, op_class)
            elif isinstance(step, S.ItemStep):
                self.resolve(step.item, (*loc, "item"), i)
            else:
                self.value_size(step.tensor.resolved_shape, (*loc, "tensor"))
            self.define(step.id, f"step {i}", (*loc, "id"))
        for j, name in enumerate(prog.outputs):
            self.resolve(name, ("program", "outputs", j))

    def op(self, step: S.OpStep, loc: tuple[str | int, ...], op_class: Any) -> None:
        try:
            cls = op_class(step.op)
        except AscendSimError as exc:
            self.fail((*loc, "op"), str(exc))
        try:
            cls(**step.attrs)
        except Exception as exc:  # noqa: BLE001 - the primitive's own validation of attrs
            self.fail(
                (*loc, "attrs") if step.attrs else (*loc, "op"),
                f"{step.op}({', '.join(f'{k}={v!r}' for k, v in step.attrs.items())}) "
                f"fails: {type(exc).__name__}: {exc}",
            )

    def program_python(self, prog: S.PythonProgram) -> None:
        try:
            import_target(prog.python, self.base)
        except ScenarioError as exc:
            self.fail(("program", "python"), str(exc))
        for j, name in enumerate(prog.args or []):
            self.resolve(name, ("program", "args", j))
        for j, name in enumerate(prog.outputs):
            if prog.outputs.index(name) != j:
                self.fail(("program", "outputs", j), f"output label {name!r} is used twice")

    def run_section(self) -> None:
        run = self.sc.run
        policy = run.schedule.partition(":")[0]
        policies = _policies()
        if policies and policy not in policies:
            self.fail(
                ("run", "schedule"),
                f"unknown schedule policy {run.schedule!r}"
                f"{_hint(policy, policies)} (random takes a seed: 'random:0')",
            )
        if policy == "random" and ":" not in run.schedule:
            self.fail(("run", "schedule"), "policy 'random' needs a seed, as in 'random:0'")
        for i, inj in enumerate(run.overflow):
            loc: tuple[str | int, ...] = ("run", "overflow", i)
            if self.is_steps and inj.node not in self.steps:
                self.fail(
                    (*loc, "node"), f"no step is named {inj.node!r}{_hint(inj.node, self.steps)}"
                )
            if inj.steps != "all":
                for j, s in enumerate(inj.steps):
                    self.step_index(s, (*loc, "steps", j))

    def step_index(self, s: int | None, loc: tuple[str | int, ...]) -> None:
        if s is not None and s >= self.sc.run.steps:
            self.fail(
                loc,
                f"step {s} does not exist: run.steps is {self.sc.run.steps}, so "
                f"steps are numbered 0..{self.sc.run.steps - 1}",
            )

    def event_ref(self, ref: str, loc: tuple[str | int, ...]) -> None:
        kind, name = split_event_ref(ref)
        if kind is not None and kind not in S.TRACE_KINDS:
            self.fail(loc, f"unknown event kind {kind!r} in {ref!r}{_hint(kind, S.TRACE_KINDS)}")
        if not name:
            self.fail(loc, f"{ref!r} names no node; write kind:name or kind:*")
        if not self.is_steps or name == "*":
            return
        if kind in (None, "is_init", "param_synced") and name not in self.names:
            what = "parameter" if kind else "node, parameter or input"
            self.fail(loc, f"no {what} is named {name!r}{_hint(name, self.names)}")

    def param(self, name: str, loc: tuple[str | int, ...]) -> None:
        params = {p.name for p in self.sc.parameters}
        if self.is_steps and name not in params:
            self.fail(loc, f"no parameter is named {name!r}{_hint(name, params)}")

    def expectation(self, e: Any, loc: tuple[str | int, ...]) -> None:
        sc = self.sc
        if isinstance(e, S.OutputExpect):
            known = self.names if self.is_steps else sc.program.outputs  # type: ignore[union-attr]
            if e.output not in known:
                self.fail(
                    (*loc, "output"),
                    f"no output or step is named {e.output!r}{_hint(e.output, known)}",
                )
            self.step_index(e.step, (*loc, "step"))
        elif isinstance(e, S.HappensBeforeExpect):
            for j, ref in enumerate(e.happens_before):
                self.event_ref(ref, (*loc, "happens_before", j))
            self.step_index(e.step, (*loc, "step"))
        elif isinstance(e, S.TimeExpect):
            if e.time != "total":
                self.event_ref(e.time, (*loc, "time"))
        elif isinstance(e, S.OverflowExpect):
            if isinstance(e.overflow, list):
                if len(e.overflow) != sc.run.steps:
                    self.fail(
                        (*loc, "overflow"),
                        f"the list has {len(e.overflow)} entries but "
                        f"run.steps is {sc.run.steps}; give one true/false per step",
                    )
                if e.step is not None:
                    self.fail((*loc, "step"), "'step' goes with a single true/false, not a list")
            self.step_index(e.step, (*loc, "step"))
        elif isinstance(e, S.IsInitExpect):
            self.param(e.is_init, (*loc, "is_init"))
        elif isinstance(e, S.PeakMemoryExpect | S.FinalMemoryExpect):
            key = "peak_memory" if isinstance(e, S.PeakMemoryExpect) else "final_memory"
            dev = getattr(e, key)
            if isinstance(dev, int) and dev >= sc.devices:
                self.fail(
                    (*loc, key),
                    f"device {dev} does not exist: devices is {sc.devices} "
                    f"(0..{sc.devices - 1}; or 'host', 'all')",
                )
        elif isinstance(e, S.LossScaleExpect):
            if len(e.loss_scale) > sc.run.steps:
                self.fail(
                    (*loc, "loss_scale"),
                    f"{len(e.loss_scale)} values for "
                    f"{sc.run.steps} steps; give at most one per step",
                )
            self.param(e.of, (*loc, "of"))

    def hardware(self) -> Any:
        spec = self.sc.hardware_spec
        preset = spec.preset
        if preset.endswith((".yaml", ".yml")) or "/" in preset or "\\" in preset:
            path = Path(preset)
            preset = str(path if path.is_absolute() else self.base / path)
        loc: tuple[str | int, ...] = ("hardware",)
        try:
            return _load_hardware(preset, spec.overrides)
        except AscendSimError as exc:
            self.fail(loc, str(exc))
        except Exception as exc:  # noqa: BLE001 - odd override values must not crash loading
            self.fail(loc, f"cannot apply the overrides ({type(exc).__name__}: {exc})")


#: resolved preset file identity -> HardwareConfig (frozen models, safe to share)
_HW_CACHE: dict[tuple[Any, ...], Any] = {}


def _load_hardware(preset: str, overrides: dict[str, Any]) -> Any:
    """``load_hardware``, memoised on the preset file's path, mtime, size and the overrides."""
    import json

    from ascendsim.config import load_hardware
    from ascendsim.config.loader import preset_path

    try:
        is_path = "/" in preset or "\\" in preset or preset.endswith((".yaml", ".yml"))
        path = Path(preset) if is_path else preset_path(preset)
        st = path.stat()
        key = (
            str(path.resolve()),
            st.st_mtime_ns,
            st.st_size,
            json.dumps(overrides, sort_keys=True, default=repr),
        )
    except (OSError, AscendSimError):
        return load_hardware(preset, overrides)  # raises the loader's own error
    cfg = _HW_CACHE.get(key)
    if cfg is None:
        cfg = load_hardware(preset, overrides)
        if len(_HW_CACHE) >= 32:
            _HW_CACHE.clear()
        _HW_CACHE[key] = cfg
    return cfg


def _op_lookup() -> Any:
    try:
        import ascendsim.ms.ops  # noqa: F401 - registers every op class
        from ascendsim.ms.ops.primitive import get_op_class, op_names
    except ImportError:
        return None
    return get_op_class if op_names() else None


def _policies() -> list[str]:
    try:
        from ascendsim.graph.schedule import POLICIES
    except ImportError:
        return []
    return sorted(POLICIES)


def check_document(sc: S.Scenario, loaded: Loaded, base: Path) -> Any:
    """Run every whole-document check; return the resolved hardware config.

    Raises:
        ScenarioError: the first problem found, at its ``file:line:col``.
    """
    return _Checker(sc, loaded, base).check()
