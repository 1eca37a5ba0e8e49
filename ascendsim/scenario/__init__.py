"""Scenario files: schema, loading with positions, the runner and expectations.

A scenario YAML names the hardware, context, parameters, inputs, a program (SSA op steps or a
Python callable), run settings and ``expect:`` assertions; ``ascendsim run`` / ``check`` execute
it. :func:`load_scenario` validates a file (every error one ``file:line:col`` line);
:func:`run_scenario` runs it on a fresh simulated system and evaluates the expectations.
Every name is imported on first use, so that the CLI (which imports the scenario commands for
every subcommand, ``exec`` too) does not pay for the schema and its pydantic models.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "LoadedScenario",
    "Scenario",
    "ScenarioResult",
    "json_schema",
    "load_scenario",
    "load_scenario_text",
    "run_scenario",
]


_HOMES = {
    "LoadedScenario": "loader",
    "load_scenario": "loader",
    "load_scenario_text": "loader",
    "Scenario": "schema",
    "json_schema": "schema",
    "run_scenario": "runner",
    "ScenarioResult": "runner",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ascendsim.scenario' has no attribute {name!r}")
    return getattr(importlib.import_module(f"ascendsim.scenario.{home}"), name)
