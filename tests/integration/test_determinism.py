"""The same script run twice gives byte-identical Chrome trace files (DESIGN principle 4)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.integration import ROOT, SCRIPTS, fresh_state, run_cli

WORKLOAD = SCRIPTS / "determinism_workload.py"


@pytest.fixture(autouse=True)
def _fresh():
    fresh_state()
    yield
    fresh_state()


def _exec_trace(tmp_path, name: str, capsys) -> tuple[bytes, str]:
    out_json = tmp_path / name
    fresh_state()
    code, out, _ = run_cli(["exec", str(WORKLOAD), "--trace", str(out_json)], capsys)
    assert code == 0
    return out_json.read_bytes(), out


def test_same_script_twice_in_one_process_gives_identical_trace_bytes(tmp_path, capsys):
    first, out1 = _exec_trace(tmp_path, "a.json", capsys)
    second, out2 = _exec_trace(tmp_path, "b.json", capsys)
    assert out1 == out2
    assert b'"cat":"is_init"' in first and b'"cat":"hazard"' in first  # a rich trace
    assert first == second


def test_trace_does_not_depend_on_what_ran_earlier_in_the_process(tmp_path, capsys):
    """A fresh interpreter and this one (which ran other scripts before) agree."""
    in_process, _ = _exec_trace(tmp_path, "in.json", capsys)
    fresh = tmp_path / "fresh.json"
    code = (
        "import sys; from ascendsim.cli import main; "
        f"sys.exit(main(['exec', {str(WORKLOAD)!r}, '--trace', {str(fresh)!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert fresh.read_bytes() == in_process
