"""Issue 7 figures: ``ascendsim check`` of every shipped scenario.

- ``scenarios_check_total_s``: ``ascendsim check scenarios/*.yaml`` (sweep files excluded: they
  describe many runs), one process, wall time; informational;
- ``scenarios_slowest_s`` and its name; informational;
- ``placement_7b_check_s``: the shape-only 7-billion-parameter placement scenario alone;
  target < 5 s.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check(paths: list[Path]) -> float:
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "ascendsim.cli", "check", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    if out.returncode != 0:
        raise RuntimeError(f"ascendsim check failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    return time.perf_counter() - t


def figures(quick: bool) -> list[tuple[str, float, str, bool]]:
    paths = sorted(
        p for p in (ROOT / "scenarios").glob("*.yaml") if not p.name.startswith("sweep_")
    )
    total = _check(paths)
    each = {p.stem: _check([p]) for p in paths}
    slowest = max(each, key=each.__getitem__)
    seven_b = each["placement_7b_shape_only"]
    return [
        ("scenarios_checked", float(len(paths)), "every shipped scenario passes", True),
        ("scenarios_check_total_s", round(total, 2), "informational", True),
        (
            f"scenarios_slowest_s[{slowest}]",
            round(each[slowest], 2),
            "informational (one process each, start-up included)",
            True,
        ),
        ("placement_7b_check_s", round(seven_b, 2), "< 5 s", seven_b < 5),
    ]


if __name__ == "__main__":
    for row in figures("--quick" in sys.argv):
        print(f"{row[0]}: {row[1]} (target {row[2]}) {'ok' if row[3] else 'MISSED'}")
