"""Scenario files: schema, loading with positions, the runner and expectations.

A scenario YAML names the hardware, context, parameters, inputs, a program (SSA op steps or a
Python callable), run settings and ``expect:`` assertions; ``ascendsim run`` / ``check`` execute
it. :func:`load_scenario` validates a file (every error one ``file:line:col`` line);
:func:`run_scenario` runs it on a fresh simulated system and evaluates the expectations.
The runner is imported lazily so that loading stays light.
"""

from __future__ import annotations

from typing import Any

from ascendsim.scenario.loader import LoadedScenario, load_scenario, load_scenario_text
from ascendsim.scenario.schema import Scenario, json_schema

__all__ = [
    "LoadedScenario",
    "Scenario",
    "ScenarioResult",
    "json_schema",
    "load_scenario",
    "load_scenario_text",
    "run_scenario",
]


def __getattr__(name: str) -> Any:
    if name in ("run_scenario", "ScenarioResult"):
        from ascendsim.scenario import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'ascendsim.scenario' has no attribute {name!r}")
