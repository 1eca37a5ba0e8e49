"""``ascendsim exec SCRIPT``: exit codes, tracebacks, --trace, --summary, --hardware, argv."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.integration import SCRIPTS, fresh_state, run_cli, trace


@pytest.fixture(autouse=True)
def _fresh():
    fresh_state()
    yield
    fresh_state()


def _events(path: Path) -> list[dict]:
    data = json.loads(path.read_text())  # must be valid JSON
    assert set(data) >= {"traceEvents", "displayTimeUnit"}
    return data["traceEvents"]


def _traceback_files(err: str) -> list[str]:
    return [line.split('"')[1] for line in err.splitlines() if line.startswith('  File "')]


# --- a failing script -------------------------------------------------------------------------
def test_script_exception_exits_1_with_the_scripts_own_traceback(capsys):
    script = SCRIPTS / "fail_midway.py"
    code, out, err = run_cli(["exec", str(script)], capsys)
    assert code == 1
    assert out == "[[2. 2.]\n [2. 2.]]\n"  # what ran before the failure was printed
    lines = err.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert f'  File "{script}", line 15, in <module>' in lines
    assert f'  File "{script}", line 12, in check' in lines
    assert lines[-1] == "ValueError: midway failure with 3"
    # the traceback is the script's: no runpy or ascendsim frames
    assert _traceback_files(err) == [str(script), str(script)]


def test_simulator_error_in_script_shows_the_script_line_not_ascendsim_internals(capsys):
    """A FloatStatusOrderError raised inside the simulator while the script reads a tensor:
    exit 1, the script's file and line, the error; ascendsim's frames are left out (as the
    docstring of ascendsim.ms.script says: "frames of ascendsim and runpy left out")."""
    script = SCRIPTS / "hazard_error.py"
    code, out, err = run_cli(["exec", str(script)], capsys)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert f'  File "{script}", line 13, in <module>' in lines
    assert lines[-1].startswith("ascendsim.errors.FloatStatusOrderError: NPUGetFloatStatus-0 ")
    assert "stale overflow from MatMul-0" in lines[-1]
    assert _traceback_files(err) == [str(script)]


def test_trace_is_written_up_to_the_fault(capsys, tmp_path):
    out_json = tmp_path / "out.json"
    code, _, _ = run_cli(
        ["exec", str(SCRIPTS / "fail_midway.py"), "--trace", str(out_json)], capsys
    )
    assert code == 1
    events = _events(out_json)
    kernels = [e["name"] for e in events if e.get("cat") == "kernel"]
    copies = [e["name"] for e in events if e.get("cat") == "copy"]
    assert kernels == ["Add-0"]  # Mul never ran
    assert len(copies) == 2 and copies[0].startswith("H2D tensor") and copies[1] == "D2H Add-0"
    # the file is the session's log, one event per record (plus counters and metadata)
    seqs = sorted(e["args"]["seq"] for e in events if "seq" in e.get("args", {}))
    assert seqs == list(range(len(trace())))


def test_trace_of_a_simulator_fault_holds_the_hazard(capsys, tmp_path):
    out_json = tmp_path / "fault.json"
    code, _, _ = run_cli(
        ["exec", str(SCRIPTS / "hazard_error.py"), "--trace", str(out_json)], capsys
    )
    assert code == 1
    events = _events(out_json)
    cats = [
        e.get("cat") for e in events if e.get("cat") in ("kernel", "float_status_set", "hazard")
    ]
    assert cats == ["kernel", "float_status_set", "kernel", "kernel", "hazard"]
    hazard = next(e for e in events if e.get("cat") == "hazard")
    assert hazard["args"]["cause"] == "NPUGetFloatStatus-0"
    assert hazard["args"]["other"] == "NPUAllocFloatStatus-0"
    assert hazard["args"]["stale_overflow"] == ["MatMul-0"]


def test_missing_script_is_one_line_exit_2(capsys, tmp_path):
    missing = tmp_path / "nope.py"
    code, out, err = run_cli(["exec", str(missing)], capsys)
    assert (code, out) == (2, "")
    assert err == f"ascendsim: error: {missing}: no such script file\n"


# --- options ----------------------------------------------------------------------------------
def test_summary_goes_to_stderr_and_stdout_is_only_the_script_output(capsys):
    script = str(SCRIPTS / "overflow_matmul.py")
    code, plain_out, plain_err = run_cli(["exec", script], capsys)
    assert (code, plain_err) == (0, "")
    fresh_state()
    code, out, err = run_cli(["exec", script, "--summary"], capsys)
    assert code == 0
    assert out == plain_out == "[[6.55e+04 6.55e+04]\n [6.55e+04 6.55e+04]]\nTrue\n"
    assert err.startswith("ascendsim: simulated time ")
    assert "ascendsim: npu0: peak " in err
    assert "float status SET" in err  # nothing cleared the register after the Get
    assert all(line.startswith("ascendsim: ") for line in err.splitlines())


def test_hardware_option_selects_the_chip_inf_nan_on_910b(capsys):
    script = str(SCRIPTS / "overflow_matmul.py")
    code, out, err = run_cli(["exec", script, "--hardware", "ascend910b"], capsys)
    assert (code, err) == (0, "")
    assert out == "[[inf inf]\n [inf inf]]\nTrue\n"
    from ascendsim.ms import _session

    assert _session.current().system.config.chip.overflow_mode == "inf_nan"


def test_hardware_option_with_an_unknown_preset_is_exit_2(capsys):
    code, out, err = run_cli(
        ["exec", str(SCRIPTS / "overflow_matmul.py"), "--hardware", "ascend910x"], capsys
    )
    assert (code, out) == (2, "")
    assert err.startswith("ascendsim: error: unknown hardware preset 'ascend910x'")
    assert len(err.splitlines()) == 1


def test_script_arguments_reach_sys_argv(capsys):
    script = SCRIPTS / "print_argv.py"
    argv_before = list(sys.argv)
    code, out, err = run_cli(["exec", str(script), "--", "-a", "--b", "c d"], capsys)
    assert (code, err) == (0, "")
    assert out == "print_argv.py\n['-a', '--b', 'c d']\n"
    code, out, _ = run_cli(["exec", str(script), "x", "y"], capsys)
    assert (code, out) == (0, "print_argv.py\n['x', 'y']\n")
    assert sys.argv == argv_before  # restored afterwards


def test_trace_option_on_success_writes_chrome_json(capsys, tmp_path):
    out_json = tmp_path / "sub" / "ok.json"  # the parent directory is created
    code, out, _ = run_cli(
        ["exec", str(SCRIPTS / "overflow_matmul.py"), "--trace", str(out_json)], capsys
    )
    assert code == 0
    events = _events(out_json)
    names = {(e.get("cat"), e["name"]) for e in events}
    assert ("kernel", "MatMul-0") in names
    assert ("float_status_set", "MatMul-0") in names
    assert ("float_status_read", "NPUGetFloatStatus-0") in names
    assert ("float_status_clear", "NPUClearFloatStatus-0") in names
    processes = sorted(e["args"]["name"] for e in events if e["name"] == "process_name")
    assert processes == ["host", "npu0"]


def test_the_start_up_heap_is_frozen_only_while_the_script_runs(capsys, tmp_path):
    # exec freezes the heap that exists before the script (the GC's full passes then walk only
    # what the script made) and gives the process its GC state back afterwards, also after a
    # failure; a process that froze objects itself keeps them frozen
    import gc

    script = tmp_path / "count.py"
    script.write_text("import gc\nprint(gc.get_freeze_count() > 0)\nraise SystemExit(3)\n")
    assert gc.get_freeze_count() == 0
    code, out, _ = run_cli(["exec", str(script)], capsys)
    assert (code, out, gc.get_freeze_count()) == (3, "True\n", 0)
    gc.freeze()
    try:
        code, out, _ = run_cli(["exec", str(script)], capsys)
        assert code == 3 and gc.get_freeze_count() > 0  # not unfrozen behind the caller's back
    finally:
        gc.unfreeze()


def test_a_mindspore_error_is_named_as_mindspore_names_it(capsys, tmp_path):
    # r1.6 raises a TypeError here; the traceback's last line says so (not ascendsim's class)
    script = tmp_path / "bad_add.py"
    script.write_text(
        "import numpy as np\nfrom mindspore import Tensor, ops\n"
        "ops.Add()(Tensor(np.ones(2, np.float32)), 's')\n"
    )
    code, _, err = run_cli(["exec", str(script)], capsys)
    assert code == 1
    assert err.splitlines()[-1] == (
        "TypeError: For 'Add', the 1th input var is a not support implicit conversion. Its type "
        "is str, and the value is s. Only support Tensor or Scalar."
    )
