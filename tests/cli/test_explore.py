"""``ascendsim explore FILE`` and the lazy ``ascendsim.explore``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ascendsim.scenario.commands import main_for_tests
from tests.cli import ROOT, SCENARIOS

MISSING = str(SCENARIOS / "missing_depend.yaml")


def _explore(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = main_for_tests(["explore", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_missing_depend_has_outcomes_each_with_a_witness(capsys) -> None:
    """Without the Depend between the MatMul and the Get, the explorer finds the right flag
    (1), a flag summed before the Get wrote the status (0), and a Get that ran before the
    MatMul overflowed (0, and the read saw nothing): each with a witness order."""
    code, lines, err = _explore([MISSING], capsys)
    assert (code, err) == (0, "")
    big = "  out = [[65504, 65504, 65504], [65504, 65504, 65504], [65504, 65504, 65504]] "
    big += "(float16, shape [3, 3])"
    assert lines == [
        f"missing Depend before NPUGetFloatStatus ({MISSING})",
        "order-dependent: 3 different outcomes",
        "search complete: 6 orders explored (one per class of orders that can differ; 4 "
        "relevant nodes of 7: clear, product, get_status, flag; valid orders of the whole "
        "graph: 17)",
        "outcome 1 (1 of 6 orders)",
        "  witness: init, clear, init2, product, get_status, flag, out",
        big,
        "  flag = 1 (float32)",
        "  float-status reads: get_status saw an overflow",
        "outcome 2 (1 of 6 orders); unlike outcome 1: flag before get_status (buffer of "
        "init); flag before get_status (float-status register)",
        "  witness: init, clear, init2, product, flag, out, get_status",
        big,
        "  flag = 0 (float32)",
        "  float-status reads: get_status saw an overflow",
        "outcome 3 (4 of 6 orders); unlike outcome 1: get_status before product "
        "(float-status register)",
        "  witness: init, clear, init2, get_status, product, flag, out",
        big,
        "  flag = 0 (float32)",
        "  float-status reads: get_status saw no overflow",
    ]


def test_the_bound_makes_the_search_incomplete(capsys) -> None:
    code, lines, _ = _explore([MISSING, "--max-orders", "1"], capsys)
    assert code == 0
    assert (
        lines[1]
        == "undecided: the orders explored all gave one outcome, but the search is incomplete"
    )
    assert lines[2].startswith(
        "search INCOMPLETE: stopped at the bound of 1 order (--max-orders): 1 order explored"
    )
    assert lines[3] == "outcome 1 (1 of 1 order)"


def test_the_guide_example_in_graph_mode_is_order_independent(capsys) -> None:
    code, lines, _ = _explore([str(SCENARIOS / "guide_float_status_graph.yaml")], capsys)
    assert code == 0
    assert lines[1:3] == [
        "order-independent: every order gives the same outcome",
        "search complete: 1 order explored (one per class of orders that can differ; 2 "
        "relevant nodes of 12: get_status, clear; valid orders of the whole graph: 16)",
    ]
    assert lines[-2:] == [
        "  result = [[5, 5, 5], [5, 5, 5], [5, 5, 5]] (float32, shape [3, 3])",
        "  float-status reads: get_status saw no overflow",
    ]


def test_pynative_scenarios_and_bad_bounds_are_usage_errors(capsys, tmp_path: Path) -> None:
    code, lines, err = _explore([str(SCENARIOS / "guide_float_status.yaml")], capsys)
    assert (code, lines) == (2, [])
    assert err.startswith("ascendsim: error: ")
    assert "guide_float_status.yaml:" in err
    assert "runs in pynative mode; set context: {mode: graph}" in err
    assert _explore([MISSING, "--max-orders", "0"], capsys)[0] == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nprogram: {steps: [{id: a, op: Ad}]}\n")
    code, _, err = _explore([str(bad)], capsys)
    assert code == 2 and err.count("\n") == 1 and "bad.yaml:2:" in err


def test_ascendsim_explore_is_imported_lazily() -> None:
    code = (
        "import sys, ascendsim\n"
        "assert 'ascendsim.ms' not in sys.modules\n"
        "from ascendsim.ms._graph_mode import explore\n"
        "assert ascendsim.explore is explore\n"
        "print('explore' in dir(ascendsim))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "True\n", "")
