"""The explorer split by schedule prefixes across workers gives the single-process result:
outcomes, witnesses, counts, ``order_independent``, ``complete``, ``orders_explored``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from ascendsim.scenario.loader import load_scenario, load_scenario_text
from ascendsim.scenario.runner import explore_scenario as explore_one
from ascendsim.sweep.commands import explore_with_args
from ascendsim.sweep.explore import explore_scenario
from benchmarks.bench_sweep import races  # the scenario family the benchmark measures

ROOT = Path(__file__).resolve().parents[2]
MISSING = ROOT / "scenarios" / "missing_depend.yaml"


def _same(single, split) -> None:
    assert split.exploration == single.exploration
    assert (split.labels, split.max_orders) == (single.labels, single.max_orders)
    assert [n.name for n in split.graph.nodes] == [n.name for n in single.graph.nodes]


def test_a_local_pool_finds_the_missing_depend_outcomes_with_the_same_witnesses() -> None:
    loaded = load_scenario(MISSING)
    single = explore_one(loaded)
    split = explore_scenario(loaded, engine="local", workers=2)
    _same(single, split)
    assert len(split.exploration.outcomes) == 3 and split.exploration.complete


@pytest.mark.parametrize("bound", [1, 40, 100, 101, 10_000])
def test_the_split_search_stops_where_one_process_would(bound: int) -> None:
    """101 orders in several prefix parts: a bound inside a part redoes that part with the
    budget left; a bound at a part's end still reports an incomplete search."""
    loaded = load_scenario_text(races(3, 2), "races.yaml")
    single = explore_one(loaded, max_orders=bound)
    split = explore_scenario(loaded, max_orders=bound, engine="dask", processes=False, workers=2)
    _same(single, split)
    assert split.exploration.orders_explored == min(bound, 101)
    assert split.exploration.complete == (bound >= 101)


def test_explore_with_args_runs_in_process_without_an_engine() -> None:
    loaded = load_scenario(MISSING)
    args = argparse.Namespace(engine=None, workers=None, scheduler=None, connect_timeout=5.0)
    found = explore_with_args(loaded, args, max_orders=3)
    _same(explore_one(loaded, max_orders=3), found)
