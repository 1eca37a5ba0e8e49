"""The pytest plugin: scenario files as test items, the mindspore alias, fixtures, helpers.

Each case runs pytest in a subprocess on a small project in a temporary folder, as a user's
test suite would run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PASSING = """\
name: adds
context: {mode: pynative}
inputs:
  x: {shape: [2], fill: 1.0}
program:
  steps:
    - {id: y, op: Add, inputs: [x, x]}
  outputs: [y]
expect:
  - output: y
    values: [2, 2]
"""


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_scenario_files_are_collected_one_item_each(tmp_path: Path) -> None:
    (tmp_path / "scen").mkdir()
    (tmp_path / "scen" / "good.yaml").write_text(PASSING)
    (tmp_path / "scen" / "bad.yaml").write_text(PASSING.replace("values: [2, 2]", "values: [3, 3]"))
    out = _pytest(tmp_path, "--ascendsim-scenarios", "scen", "scen", "-q")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "1 failed, 1 passed" in out.stdout
    assert "FAIL" in out.stdout and "bad.yaml" in out.stdout  # the expectation report


def test_ini_option_collects_scenarios(tmp_path: Path) -> None:
    (tmp_path / "scen").mkdir()
    (tmp_path / "scen" / "good.yaml").write_text(PASSING)
    (tmp_path / "pytest.ini").write_text("[pytest]\nascendsim_scenarios = scen\n")
    out = _pytest(tmp_path, "scen", "-q")
    assert out.returncode == 0 and "1 passed" in out.stdout, out.stdout + out.stderr


def test_an_existing_mindspore_suite_runs_unchanged(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        """\
import numpy as np
import mindspore
from mindspore import Tensor, context, ops


def test_float_status_on_ascend():
    context.set_context(device_target="Ascend", mode=context.PYNATIVE_MODE)
    status = ops.NPUAllocFloatStatus()()
    status = ops.depend(status, ops.NPUClearFloatStatus()(status))
    x = Tensor(np.full([2], 60000, np.float16))
    y = ops.Add()(x, x)
    status = ops.depend(status, y)
    status = ops.depend(status, ops.NPUGetFloatStatus()(status))
    assert ops.ReduceSum()(status).asnumpy() > 0
    assert y.asnumpy().tolist() == [65504.0, 65504.0]
    assert mindspore.__name__ == "ascendsim.ms"
"""
    )
    plain = _pytest(tmp_path, "-q")  # without the alias there is no mindspore here
    assert plain.returncode == 2 and "No module named 'mindspore'" in plain.stdout
    out = _pytest(tmp_path, "--ascendsim-as-mindspore", "-q")
    assert out.returncode == 0 and "1 passed" in out.stdout, out.stdout + out.stderr
    (tmp_path / "pytest.ini").write_text("[pytest]\nascendsim_as_mindspore = true\n")
    out = _pytest(tmp_path, "-q")
    assert out.returncode == 0 and "1 passed" in out.stdout, out.stdout + out.stderr


def test_fixtures_and_helpers(tmp_path: Path) -> None:
    (tmp_path / "test_fx.py").write_text(
        """\
import numpy as np
import pytest
from ascendsim.ms import Tensor, context, ops
from ascendsim.testing import assert_happens_before, assert_overflow, assert_peak_memory


@pytest.mark.ascend_hardware("ascend910b")
def test_system(ascend_system, ascend_trace):
    assert ascend_system.config.name == "ascend910b"
    context.set_context(mode=context.PYNATIVE_MODE)
    x = Tensor(np.ones([4], np.float32))
    with __import__("ascendsim.ms._dispatch", fromlist=["naming"]).naming("first"):
        a = ops.Add()(x, x)
    with __import__("ascendsim.ms._dispatch", fromlist=["naming"]).naming("second"):
        b = ops.Mul()(a, x)
    b.asnumpy()
    assert_happens_before("first", "second", ascend_system)
    with pytest.raises(AssertionError):
        assert_happens_before("second", "first", ascend_system)
    assert_overflow(False, ascend_system)
    assert_peak_memory(1 << 20, ascend_system)
    assert any(r.kind == "kernel" for r in ascend_trace.records)
"""
    )
    out = _pytest(tmp_path, "-q")
    assert out.returncode == 0 and "1 passed" in out.stdout, out.stdout + out.stderr


def test_a_missing_scenario_folder_is_a_usage_error(tmp_path: Path) -> None:
    out = _pytest(tmp_path, "--ascendsim-scenarios", "nowhere", "-q")
    assert out.returncode == 4 and "nowhere" in out.stderr


@pytest.mark.parametrize("flag", ["--ascendsim-scenarios", "--ascendsim-as-mindspore"])
def test_options_are_documented_in_help(tmp_path: Path, flag: str) -> None:
    assert flag in _pytest(tmp_path, "--help").stdout
