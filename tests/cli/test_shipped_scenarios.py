"""Every shipped scenario passes ``ascendsim check`` and opens with a teaching comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascendsim.scenario.commands import main_for_tests
from tests.cli import SCENARIOS

# sweep files (sweep_*.yaml) describe many runs; `ascendsim sweep` checks them (tests/sweep)
SHIPPED = sorted(p for p in SCENARIOS.glob("*.yaml") if not p.name.startswith("sweep_"))


def test_the_shipped_scenarios_are_there() -> None:
    names = {p.stem for p in SHIPPED}
    assert names >= {
        "guide_parameters",
        "guide_float_status",
        "guide_float_status_graph",
        "missing_depend",
        "float16_overflow",
        "ge_init_graph",
        "non_ge_backend",
        "lazy_initializer",
        "out_of_memory",
        "parameter_server",
        "placement_7b_shape_only",
    }


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_passes_check(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main_for_tests(["check", str(path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), out
    assert out.startswith(f"PASS {path}: ")


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_opens_with_a_teaching_comment(path: Path) -> None:
    lines = path.read_text().splitlines()
    head = []
    for line in lines:
        if not line.startswith("#"):
            break
        head.append(line)
    assert len(head) >= 3, f"{path.name}: start with a comment block that teaches the concept"
