"""Tests of the CLI's teaching outputs (``--plot``, ``--explain``, ``explore``) and of the
shipped scenarios. Shared helpers come from :mod:`tests.integration`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def run(name: str):
    """Run ``scenarios/<name>.yaml`` and return its ScenarioResult."""
    from ascendsim.scenario.loader import load_scenario
    from ascendsim.scenario.runner import run_scenario

    return run_scenario(load_scenario(SCENARIOS / f"{name}.yaml"))
