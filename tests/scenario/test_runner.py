"""Running scenarios: programs, expectations and their observed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascendsim.errors import ScenarioError
from ascendsim.scenario import load_scenario, load_scenario_text, run_scenario
from ascendsim.scenario.report import check_lines
from ascendsim.scenario.runner import ScenarioResult
from ascendsim.trace import to_chrome_json

DATA = Path(__file__).parent / "data"


def _run(name: str, **replace: str) -> ScenarioResult:
    text = (DATA / name).read_text()
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return run_scenario(load_scenario_text(text, name, DATA))


def _verdicts(result: ScenarioResult) -> list[tuple[str, bool]]:
    return [(r.kind, r.passed) for r in result.expectations]


@pytest.mark.parametrize("mode", ["pynative", "graph"])
def test_guide_float_status_example(mode: str) -> None:
    result = _run("guide_float_status.yaml", **{"mode: pynative": f"mode: {mode}"})
    assert result.error is None
    assert _verdicts(result) == [
        ("output", True),
        ("happens_before", True),
        ("overflow", True),
        ("time", True),
    ]
    assert result.expectations[0].observed == (
        "[[5., 5., 5.], [5., 5., 5.], [5., 5., 5.]] (shape [3, 3], float32)"
    )
    assert result.expectations[2].observed == "per step [F]"
    assert result.passed


def test_missing_depend_is_found_order_dependent_with_a_witness() -> None:
    result = _run("missing_depend.yaml")
    assert _verdicts(result) == [("order_independent", True), ("overflow", True)]
    observed = result.expectations[0].observed
    assert observed.startswith("order-dependent: 3 outcomes")
    assert "unlike witness 1: flag before get_status" in observed


def test_ge_backend_flips_is_init_before_the_first_read() -> None:
    result = _run("ge_init.yaml")
    assert result.passed, check_lines(result)
    flip = result.expectations[0].observed
    assert flip.startswith("is_init True, flipped at ")
    assert result.expectations[2].observed == "held in 2 comparisons"  # steps 0 and 1: none later


def test_other_backends_leave_is_init_false() -> None:
    result = _run("ge_init.yaml", **{"backend: ge": "backend: default"})
    assert _verdicts(result)[:3] == [
        ("is_init", False),
        ("is_init", False),
        ("happens_before", False),
    ]
    assert result.expectations[0].observed == "is_init False, no is_init event"
    assert result.expectations[2].observed == "no event named is_init:w, param_synced:w"
    assert not result.passed


@pytest.mark.parametrize("mode", ["graph", "pynative"])
def test_parameter_updates_and_injected_overflow_per_step(mode: str) -> None:
    result = _run("counter.yaml", **{"mode: graph": f"mode: {mode}"})
    assert result.passed, check_lines(result)
    assert [r.observed for r in result.expectations] == [
        "[2, 4, 8, 16]",
        "per step [F, F, T, F]",
        "4. (shape [], float32)",
    ]


def test_failed_expectations_report_what_was_observed() -> None:
    result = _run(
        "counter.yaml",
        **{
            "[2, 4, 8, 16]": "[2, 4, 4, 16]",
            "[false, false, true, false]": "[false, true, true, false]",
        },
    )
    assert check_lines(result)[1:] == [
        "  FAIL counter.yaml:15:5: loss_scale: expected scale_sense per step [2, 4, 4, 16]; "
        "observed [2, 4, 8, 16]",
        "  FAIL counter.yaml:16:5: overflow: expected overflow per step [F, T, T, F]; observed "
        "per step [F, F, T, F]",
    ]
    assert (
        check_lines(result)[0] == "FAIL counter.yaml: doubling counter (2 of 3 expectations failed)"
    )


def test_expected_error_passes_and_keeps_the_trace() -> None:
    result = _run("oom.yaml")
    assert type(result.error).__name__ == "DeviceOutOfMemory"
    assert result.passed and result.expected_error
    assert result.error_step == 0
    # the trace up to the fault is kept: the flag flipped, the copy never completed
    assert [r.name for r in result.system.trace.filter(kind="is_init")] == ["big"]
    assert result.system.trace.filter(kind="param_synced") == []


def test_an_unexpected_error_fails_the_run() -> None:
    result = _run("guide_float_status.yaml", **{"device_target: Ascend": "device_target: CPU"})
    assert not result.passed
    lines = check_lines(result)
    assert lines[1].startswith(
        "  the run raised at step 0: MsRuntimeError: For "
        "'NPUAllocFloatStatus, the CPU platform is not supported!"
    )
    assert ("output", False) in _verdicts(result)
    assert result.expectations[0].observed == "no value: the run stopped at step 0 (MsRuntimeError)"


def test_python_programs_cell_and_function() -> None:
    cell = run_scenario(load_scenario(DATA / "python_cell.yaml"))
    assert cell.passed, check_lines(cell)
    assert "scale.w" in cell.params
    function = run_scenario(load_scenario(DATA / "python_function.yaml"))
    assert function.passed, check_lines(function)


def test_a_factory_returning_neither_cell_nor_function_is_invalid_input() -> None:
    text = "name: t\nprogram: {python: 'nets:build_nothing'}\n"
    with pytest.raises(
        ScenarioError,
        match=r"^s\.yaml:2:19: program\.python: nets:build_nothing"
        r"\(\) returned a int; it must return a Cell or a "
        r"function$",
    ):
        run_scenario(load_scenario_text(text, "s.yaml", DATA))


def test_shape_only_runs_check_shapes_but_have_no_values() -> None:
    text = (DATA / "ge_init.yaml").read_text().replace("run: {steps: 3}", "run: {shape_only: true}")
    text += "  - output: mm\n    values: 0\n"
    result = run_scenario(load_scenario_text(text, "s.yaml", DATA))
    verdicts = {r.index: (r.passed, r.observed) for r in result.expectations}
    assert verdicts[4] == (True, "shape [8, 64] float32 (no values: shape-only)")
    assert verdicts[6] == (False, "shape [8, 64] float32 (no values: shape-only)")


def test_the_same_scenario_gives_the_same_trace() -> None:
    first = to_chrome_json(run_scenario(load_scenario(DATA / "counter.yaml")).system.trace)
    second = to_chrome_json(run_scenario(load_scenario(DATA / "counter.yaml")).system.trace)
    assert first == second


def test_runs_leave_the_context_as_they_found_it() -> None:
    from ascendsim.ms import _session, context

    before = _session.current()
    _run("guide_float_status.yaml")
    assert context.get_context("mode") == context.GRAPH_MODE
    assert context.get_context("float_status_check") == "warn"
    assert _session.current() is before
