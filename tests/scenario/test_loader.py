"""Scenario loading: every mistake is one ``file:line:col: path: message`` line, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascendsim.errors import ScenarioError
from ascendsim.scenario import load_scenario, load_scenario_text
from ascendsim.scenario.loader import load_scenario_bytes
from ascendsim.scenario.schema import InitSpec, OpStep, StepsProgram

DATA = Path(__file__).parent / "data"

BASE = """\
name: t
inputs:
  x: {shape: [2], fill: 1.0}
parameters:
  - {name: w, shape: [2], init: ones}
program:
  steps:
    - {id: a, op: Add, inputs: [x, w]}
expect:
  - output: a
    values: [2, 2]
"""


def _error(text: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "s.yaml", DATA)
    assert info.value.exit_code == 2
    message = str(info.value)
    assert "\n" not in message
    return message


def test_a_valid_file_loads_with_defaults() -> None:
    loaded = load_scenario_text(BASE, "s.yaml", DATA)
    sc = loaded.scenario
    assert (sc.devices, sc.seed, sc.context.mode, sc.context.backend) == (1, 0, "graph", "default")
    assert sc.parameters[0].init == InitSpec(name="ones")
    assert isinstance(sc.program, StepsProgram)
    assert sc.program.steps[0] == OpStep(id="a", op="Add", inputs=["x", "w"])
    assert loaded.hardware.name == "ascend910a"
    assert loaded.where("expect", 0, "output") == "s.yaml:10:13"


def test_units_and_initializer_forms() -> None:
    text = BASE.replace("init: ones", "init: {name: Normal, sigma: 0.2}") + (
        "  - {peak_memory: all, max: 1.5GiB, min: 512}\n  - {time: a, max: 10us}\n"
    )
    sc = load_scenario_text(text, "s.yaml", DATA).scenario
    assert sc.parameters[0].init == InitSpec(name="normal", args={"sigma": 0.2})
    assert (sc.expect[1].max, sc.expect[1].min) == (1610612736, 512)
    assert sc.expect[2].max == 10_000


CASES = [
    (
        "unknown top-level key",
        BASE + "expct: []\n",
        "s.yaml:12:1: expct: unknown key 'expct'; did you mean 'expect'?",
    ),
    (
        "unknown nested key",
        BASE.replace("fill: 1.0", "fil: 1.0"),
        "s.yaml:3:24: inputs.x.fil: unknown key 'fil'; did you mean 'fill'?",
    ),
    (
        "unknown step key",
        BASE.replace("inputs: [x, w]}", "inputs: [x, w], atrs: {}}"),
        "s.yaml:8:40: program.steps[0].atrs: unknown key 'atrs'; did you mean 'attrs'?",
    ),
    (
        "unknown expectation key",
        BASE.replace("values: [2, 2]", "valus: [2, 2]"),
        "s.yaml:11:5: expect[0].valus: unknown key 'valus'; did you mean 'values'?",
    ),
    (
        "unknown expectation kind",
        BASE.replace("- output: a", "- outptu: a"),
        "s.yaml:10:5: expect[0]: an expectation needs one of: output, happens_before, overflow, "
        "is_init, peak_memory, final_memory, time, order_independent, raises, loss_scale; did you "
        "mean 'output'?",
    ),
    (
        "two expectation kinds",
        BASE.replace("- output: a", "- output: a\n    time: total"),
        "s.yaml:10:5: expect[0]: an expectation has more than one kind key (output, time); write "
        "one expectation per list item",
    ),
    (
        "wrong type",
        BASE.replace("name: t", "name: t\ndevices: two"),
        "s.yaml:2:10: devices: expected a valid integer, got 'two'",
    ),
    (
        "YAML 1.2 boolean",
        BASE.replace("name: t", "name: t\nrun: {shape_only: yes}"),
        "s.yaml:2:19: run.shape_only: expected a valid boolean, got 'yes'",
    ),
    (
        "negative count",
        BASE.replace("name: t", "name: t\ndevices: -3"),
        "s.yaml:2:10: devices: expected greater than or equal to 1, got -3",
    ),
    (
        "huge shape",
        BASE.replace("shape: [2], fill", "shape: [100000000000, 1000000], fill"),
        "s.yaml:3:3: inputs.x: shape [100000000000, 1000000] has 1e+17 elements; at most 2**50",
    ),
    (
        "negative size",
        BASE + "  - {peak_memory: 0, max: -1GiB}\n",
        "s.yaml:12:27: expect[1].max: a size must not be negative, got '-1GiB'",
    ),
    (
        "value run too large",
        BASE.replace("shape: [2], fill", "shape: [65536, 2048], fill"),
        "s.yaml:3:7: inputs.x.shape: shape [65536, 2048] has 134,217,728 elements, too many to "
        "compute values (at most 67,108,864); set run.shape_only: true to simulate placement and "
        "time without values",
    ),
    (
        "literal with suggestion",
        BASE.replace("name: t", "name: t\ncontext: {mode: grpah}"),
        "s.yaml:2:17: context.mode: expected 'graph' or 'pynative', got 'grpah'; did you mean "
        "'graph'?",
    ),
    (
        "missing name",
        BASE.replace("name: t\n", ""),
        "s.yaml:1:1: name: missing required key 'name'",
    ),
    (
        "undefined input",
        BASE.replace("[x, w]", "[x, v]"),
        "s.yaml:8:36: program.steps[0].inputs[1]: 'v' is not defined; defined names: w, x",
    ),
    (
        "step uses itself",
        BASE.replace("[x, w]", "[a, w]"),
        "s.yaml:8:33: program.steps[0].inputs[0]: step 'a' uses its own result: that is a cycle; a "
        "step can use only names defined before it",
    ),
    (
        "Depend on a later step",
        BASE.replace(
            "{id: a, op: Add, inputs: [x, w]}",
            "{id: a, op: Depend, inputs: [x, b]}\n    - {id: b, op: Add, inputs: [a, w]}",
        ),
        "s.yaml:8:39: program.steps[0].inputs[1]: 'b' is defined later (by step 1, line 9); steps "
        "are in SSA form: a step can use only names defined before it, so this would be a cycle",
    ),
    (
        "duplicate name",
        BASE.replace("id: a", "id: x"),
        "s.yaml:8:12: program.steps[0].id: 'x' is already defined as an input (line 3); give every "
        "parameter, input and step a different name",
    ),
    (
        "unknown op",
        BASE.replace("op: Add", "op: Ad"),
        "s.yaml:8:19: program.steps[0].op: Unknown operator 'Ad': ascendsim does not emulate it.",
    ),
    (
        "attrs the op refuses",
        BASE.replace("op: Add", "op: MatMul").replace(
            "inputs: [x, w]}", "inputs: [x, w], attrs: {transpose_a: 3}}"
        ),
        "s.yaml:8:43: program.steps[0].attrs: MatMul(transpose_a=3) fails: MsTypeError: For "
        "'MatMul', the type of `transpose_a` should be 'bool'",
    ),
    (
        "unknown initializer",
        BASE.replace("init: ones", "init: normall"),
        "s.yaml:5:33: parameters[0].init: unknown initializer 'normall'; did you mean 'normal'?",
    ),
    (
        "unknown initializer argument",
        BASE.replace("init: ones", "init: {name: normal, sgma: 1}"),
        "s.yaml:5:27: parameters[0].init: unknown argument 'sgma' of initializer 'normal'; normal "
        "takes sigma, mean",
    ),
    (
        "ragged values",
        BASE.replace("fill: 1.0", "values: [[1], [2, 3]]"),
        "s.yaml:3:19: inputs.x.values: values are ragged: the lists at one level have different "
        "lengths",
    ),
    (
        "unknown output",
        BASE.replace("output: a", "output: aa"),
        "s.yaml:10:13: expect[0].output: no output or step is named 'aa'; did you mean 'a'?",
    ),
    (
        "unknown parameter",
        BASE + "  - {is_init: q}\n",
        "s.yaml:12:15: expect[1].is_init: no parameter is named 'q'; defined names: w",
    ),
    (
        "unknown event kind",
        BASE + "  - {happens_before: [a, kernal:a]}\n",
        "s.yaml:12:26: expect[1].happens_before[1]: unknown event kind 'kernal' in 'kernal:a'; did "
        "you mean 'kernel'?",
    ),
    (
        "unknown device",
        BASE + "  - {peak_memory: 3, max: 1GiB}\n",
        "s.yaml:12:19: expect[1].peak_memory: device 3 does not exist: devices is 1 (0..0; or "
        "'host', 'all')",
    ),
    (
        "step out of range",
        BASE + "  - {overflow: true, step: 1}\n",
        "s.yaml:12:28: expect[1].step: step 1 does not exist: run.steps is 1, so steps are numbered "
        "0..0",
    ),
    (
        "error class",
        BASE + "  - {raises: TypError}\n",
        "s.yaml:12:14: expect[1].raises: unknown value (one of 27 names), got 'TypError'; did you "
        "mean 'TypeError'?",
    ),
    (
        "unknown schedule",
        BASE + "run: {schedule: revrse}\n",
        "s.yaml:12:17: run.schedule: unknown schedule policy 'revrse'; did you mean 'reverse'? "
        "(random takes a seed: 'random:0')",
    ),
    (
        "overflow on an unknown node",
        BASE + "run: {overflow: [{node: b}]}\n",
        "s.yaml:12:25: run.overflow[0].node: no step is named 'b'; defined names: a",
    ),
    (
        "GE off Ascend",
        BASE.replace("name: t", "name: t\ncontext: {device_target: CPU, backend: ge}"),
        "s.yaml:2:40: context.backend: the GE backend exists only for device_target Ascend, not "
        "CPU; use backend: default",
    ),
    (
        "unknown preset",
        BASE.replace("name: t", "name: t\nhardware: ascend910x"),
        "s.yaml:2:11: hardware: unknown hardware preset 'ascend910x'; did you mean 'ascend910b'?",
    ),
    (
        "bad override",
        BASE.replace("name: t", "name: t\nhardware: {overrides: {pcie.h2d_bandwith: 1}}"),
        "s.yaml:2:1: hardware: ",
    ),
    (
        "python module",
        "name: t\nprogram: {python: 'nosuchmod:f'}\n",
        "s.yaml:2:19: program.python: cannot import module 'nosuchmod' (ModuleNotFoundError: No "
        "module named 'nosuchmod'); check the module name",
    ),
    (
        "python attribute",
        "name: t\nprogram: {python: 'nets:build_scal'}\n",
        "s.yaml:2:19: program.python: module 'nets' has no attribute 'build_scal'; did you mean "
        "'build_scale'?",
    ),
    (
        "program kind",
        "name: t\nprogram: {steps: [], python: a:b}\n",
        "s.yaml:2:1: program: program needs exactly one of 'steps' (a list of op steps) or 'python' "
        "(module:function)",
    ),
    (
        "YAML tag",
        BASE.replace("fill: 1.0", "fill: !!python/object:os.system 1"),
        "s.yaml:3:25: YAML tag '!!python/object:os.system' is not allowed; remove it (no objects "
        "are constructed from scenario files)",
    ),
    (
        "duplicate key",
        BASE + "name: u\n",
        's.yaml:12:1: YAML syntax error: while constructing a mapping found duplicate key "name"',
    ),
    ("syntax error", BASE + "  - [\n", "s.yaml:13:1: YAML syntax error: "),
    (
        "not a mapping",
        "- a\n- b\n",
        "s.yaml:1:1: a scenario must be a mapping of keys (name, program, ...), got a list",
    ),
    ("empty", "", "s.yaml:1:1: the file is empty; a scenario needs at least 'name' and 'program'"),
    (
        "deep nesting",
        "name: t\nprogram: " + "[" * 100 + "]" * 100 + "\n",
        "s.yaml:2:74: nesting deeper than 64 levels; flatten the document",
    ),
    (
        "alias bomb",
        "".join(
            f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "1"] * 10) + "]\n"
            for i in range(7)
        ),
        "s.yaml:6:45: the document expands to more than 1000000 values (aliases repeating "
        "aliases?); write the values out",
    ),
    (
        "NUL bytes",
        "name: t\x00\n",
        "s.yaml:1:1: the file contains NUL bytes; is it a binary file? give a scenario .yaml file",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_errors_are_one_line_with_position(text: str, expected: str) -> None:
    assert _error(text).startswith(expected)


def test_non_utf8_bytes_name_line_and_column() -> None:
    raw = BASE.encode().replace(b"fill", b"f\xffill")
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(raw, "s.yaml")
    assert (
        str(info.value) == "s.yaml:3:20: the file is not valid UTF-8 (byte 0xff); save it as UTF-8"
    )


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"missing\.yaml: cannot read the file"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(ScenarioError, match="is a directory; give a scenario .yaml file"):
        load_scenario(tmp_path)


def test_relative_paths_resolve_next_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "hw.yaml").write_text((DATA.parents[2] / "configs" / "ascend910b.yaml").read_text())
    (tmp_path / "mine.py").write_text("def build():\n    return lambda x: x\n")
    (tmp_path / "s.yaml").write_text(
        "name: t\nhardware: ./hw.yaml\ninputs: {x: {fill: 1}}\nprogram: {python: 'mine:build'}\n"
    )
    loaded = load_scenario(tmp_path / "s.yaml")
    assert loaded.hardware.name == "ascend910b"
