"""The ``run``, ``check`` and ``schema`` subcommands: output, files and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ascendsim.scenario.commands import main_for_tests

DATA = Path(__file__).parent / "data"
GUIDE = str(DATA / "guide_float_status.yaml")
COUNTER = str(DATA / "counter.yaml")


def _failing(tmp_path: Path) -> str:
    path = tmp_path / "failing.yaml"
    path.write_text((DATA / "counter.yaml").read_text().replace("[2, 4, 8, 16]", "[2, 4, 8, 8]"))
    return str(path)


def _invalid(tmp_path: Path) -> str:
    path = tmp_path / "invalid.yaml"
    path.write_text("name: t\nprogram: {steps: [{id: a, op: Ad}]}\n")
    return str(path)


def test_check_exits_0_when_every_expectation_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_for_tests(["check", GUIDE, COUNTER]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        f"PASS {GUIDE}: guide float status",
        f"PASS {COUNTER}: doubling counter",
    ]
    assert err == ""


def test_check_exits_1_when_an_expectation_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = _failing(tmp_path)
    assert main_for_tests(["check", GUIDE, failing]) == 1
    out, _ = capsys.readouterr()
    assert out.splitlines()[1:] == [
        f"FAIL {failing}: doubling counter (1 of 3 expectations failed)",
        f"  FAIL {failing}:15:5: loss_scale: expected scale_sense per step [2, 4, 8, 8]; "
        "observed [2, 4, 8, 16]",
    ]


def test_check_exits_2_on_invalid_input_and_still_checks_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    invalid, failing = _invalid(tmp_path), _failing(tmp_path)
    assert main_for_tests(["check", invalid, failing]) == 2
    out, err = capsys.readouterr()
    assert err.startswith(
        f"ascendsim: error: {invalid}:2:31: program.steps[0].op: Unknown operator 'Ad'"
    )
    assert err.count("\n") == 1
    assert out.startswith(f"FAIL {failing}")


def test_check_verbose_lists_every_expectation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_for_tests(["check", "-v", COUNTER]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[1:] == [
        f"  ok   {COUNTER}:15:5: loss_scale: expected scale_sense per step [2, 4, 8, 16]; "
        "observed [2, 4, 8, 16]",
        f"  ok   {COUNTER}:16:5: overflow: expected overflow per step [F, F, T, F]; observed "
        "per step [F, F, T, F]",
        f"  ok   {COUNTER}:17:5: output: expected doubled after step 1: values 4 (rtol=1e-05, "
        "atol=1e-08); observed 4. (shape [], float32)",
    ]


def test_run_prints_a_summary_and_writes_the_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "out" / "trace.json"
    assert main_for_tests(["run", "--trace", str(trace), COUNTER]) == 0
    out, err = capsys.readouterr()
    for fragment in (
        "doubling counter",
        "simulated time",
        "memory",
        "npu0",
        "events",
        "kernel",
        "expectations",
        "loss_scale",
        "PASS",
    ):
        assert fragment in out
    assert err == ""
    doc = json.loads(trace.read_text())
    assert doc["otherData"]["scenario"] == "doubling counter"
    assert any(e.get("name") == "doubled" for e in doc["traceEvents"])


def test_run_writes_the_trace_of_a_failed_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (DATA / "guide_float_status.yaml").read_text()
    (tmp_path / "cpu.yaml").write_text(text.replace("device_target: Ascend", "device_target: CPU"))
    trace = tmp_path / "t.json"
    assert main_for_tests(["run", "--trace", str(trace), str(tmp_path / "cpu.yaml")]) == 1
    assert "MsRuntimeError" in capsys.readouterr().out
    assert json.loads(trace.read_text())["traceEvents"]


def test_run_trace_needs_a_single_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_for_tests(["run", "--trace", "t.json", GUIDE, COUNTER]) == 2
    assert capsys.readouterr().err == (
        "ascendsim: error: --trace writes one file: give one scenario with --trace\n"
    )


def test_schema_prints_the_json_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_for_tests(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Scenario"
    assert schema["required"] == ["name", "program"]
    assert set(schema["properties"]) == {
        "name",
        "description",
        "hardware",
        "devices",
        "context",
        "seed",
        "parameters",
        "inputs",
        "program",
        "run",
        "expect",
    }
    kinds = [s["$ref"].rsplit("/", 1)[-1] for s in schema["properties"]["expect"]["items"]["oneOf"]]
    assert kinds == [
        "OutputExpect",
        "HappensBeforeExpect",
        "OverflowExpect",
        "IsInitExpect",
        "PeakMemoryExpect",
        "FinalMemoryExpect",
        "TimeExpect",
        "OrderIndependentExpect",
        "RaisesExpect",
        "LossScaleExpect",
    ]
    assert schema["$defs"]["OpStep"]["additionalProperties"] is False
    out = tmp_path / "schema.json"
    assert main_for_tests(["schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == schema


@pytest.mark.parametrize("command", ["run", "check", "schema"])
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_for_tests([command, "--help"]) == 0
    assert f"usage: ascendsim {command}" in capsys.readouterr().out


def test_traces_are_byte_identical_across_processes(tmp_path: Path) -> None:
    code = (
        "import sys; from ascendsim.scenario.commands import main_for_tests; "
        "sys.exit(main_for_tests(sys.argv[1:]))"
    )
    paths = []
    for i in range(2):
        out = tmp_path / f"t{i}.json"
        subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                "run",
                "--trace",
                str(out),
                str(DATA / "missing_depend.yaml"),
            ],
            check=True,
            capture_output=True,
        )
        paths.append(out)
    assert paths[0].read_bytes() == paths[1].read_bytes()
