"""The schedule explorer split across workers: one search, many processes, the same answer.

:func:`explore_scenario` explores a scenario's program (as ``ascendsim explore FILE`` does):
with ``engine=None`` in this process; with ``engine="local"`` or ``"dask"`` it lists the
prefixes of the search tree (:func:`ascendsim.graph.explorer.explore_prefixes`, at a depth that
gives several prefixes per worker), explores each prefix on a worker and merges the parts in
prefix order (:func:`~ascendsim.graph.explorer.merge_explorations`). What travels to a worker is
the scenario as plain data and a prefix (a list of node ids); each worker rebuilds the program
and its graph itself. Witnesses are the first order found in the fixed search order, so the
merged result (outcomes, witnesses, counts, ``order_independent``, ``complete``,
``orders_explored``) equals the single-process one, including under a ``max_orders`` bound: the
part that crosses the bound is explored again with the budget left, and later parts dropped.

Each worker sets the scenario up with :func:`ascendsim.scenario.runner.explore_scenario` (the
program explored from its initial state, the overflows injected at step 0 declared), as the
single-process ``ascendsim explore`` does. That function ends in a call of
:func:`ascendsim.graph.explorer.explore` with the compiled graph and its ``execute``;
:func:`_intercept` routes that one call, in this thread only, to a handler that lists the
prefixes or explores given prefixes. (A ``prefix=`` argument on ``explore_scenario`` would make
the routing unnecessary.)
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ascendsim.errors import AscendSimError

__all__ = ["explore_scenario", "parallel_explore", "ExploreError"]

_HANDLER: contextvars.ContextVar[Callable[..., Any] | None] = contextvars.ContextVar(
    "ascendsim_explore_handler", default=None
)
_PATCH = threading.Lock()


class ExploreError(AscendSimError):
    """A part of a parallel exploration was lost (its worker died twice)."""


@contextlib.contextmanager
def _intercept(handler: Callable[..., Any]) -> Iterator[None]:
    """Route this thread's calls of ``ascendsim.graph.explorer.explore(graph, execute, **kw)``
    to ``handler(original, graph, execute, **kw)`` for the duration of the block."""
    from ascendsim.graph import explorer

    with _PATCH:
        original = explorer.explore

        def routed(graph: Any, execute: Any, **kw: Any) -> Any:
            h = _HANDLER.get()
            return (
                original(graph, execute, **kw) if h is None else h(original, graph, execute, **kw)
            )

        token = _HANDLER.set(handler)
        explorer.explore = routed
        try:
            yield
        finally:
            explorer.explore = original
            _HANDLER.reset(token)


_NOT_ROUTED = (
    "internal error: the scenario's exploration did not reach ascendsim.graph.explorer.explore "
    "through a call-time lookup, so it cannot be split; run without --engine and report this"
)


class _Split:
    """What the prefix-listing handler hands back in place of an Exploration."""

    def __init__(self, prefixes: list[tuple[int, ...]]) -> None:
        self.prefixes = prefixes


def explore_part(payload: dict[str, Any]) -> list[Any]:
    """Worker: explore ``payload["prefixes"]`` of the scenario ``payload["scenario"]`` (plain
    data, with ``label`` and ``base_dir``), each with at most ``payload["max_orders"]`` runs;
    returns one Exploration per prefix (plain data: node ids, observables, counts)."""
    from ascendsim.graph.explorer import analyze
    from ascendsim.scenario.runner import explore_scenario as explore_one
    from ascendsim.sweep.points import validate_point
    from ascendsim.sweep.worker import _RUN_LOCK

    with _RUN_LOCK:
        loaded = validate_point(payload["scenario"], payload["label"], Path(payload["base_dir"]))
        out: list[Any] = []

        def handler(original: Any, graph: Any, execute: Any, **kw: Any) -> Any:
            analysis = analyze(graph, execute)
            for prefix in payload["prefixes"]:
                out.append(
                    original(
                        graph,
                        execute,
                        max_orders=payload["max_orders"],
                        prefix=tuple(prefix),
                        analysis=analysis,
                    )
                )
            return out[0]

        with _intercept(handler):
            explore_one(loaded, max_orders=payload["max_orders"])
        if len(out) != len(payload["prefixes"]):
            raise ExploreError(_NOT_ROUTED)
        return [dataclasses.replace(e) for e in out]  # drops the attached graph


def _split(loaded: Any, parts: int) -> Any:
    """The scenario explored as far as listing the prefixes, at the shallowest depth that gives
    at least ``parts`` of them (a ScenarioExploration whose ``exploration`` is a _Split)."""
    from ascendsim.graph.explorer import analyze, explore_prefixes
    from ascendsim.scenario.runner import explore_scenario as explore_one

    def handler(original: Any, graph: Any, execute: Any, **kw: Any) -> Any:
        analysis = analyze(graph, execute)
        depth = 0
        prefixes = explore_prefixes(graph, 0, analysis=analysis)
        while len(prefixes) < parts and depth < len(analysis.racing):
            depth += 1
            prefixes = explore_prefixes(graph, depth, analysis=analysis)
        return _Split(prefixes)

    with _intercept(handler):
        found = explore_one(loaded, max_orders=1)
    if not isinstance(found.exploration, _Split):
        raise ExploreError(_NOT_ROUTED)
    return found


def explore_scenario(
    loaded: Any,
    *,
    max_orders: int = 10_000,
    engine: Any = None,
    workers: int | None = None,
    scheduler: Any = None,
    parts_per_worker: int = 8,
    progress: Callable[[int, int], None] | None = None,
    connect_timeout: float = 5.0,
    processes: bool = True,
) -> Any:
    """Explore a scenario's program in this process (``engine=None``: exactly
    :func:`ascendsim.scenario.runner.explore_scenario`) or split across the workers of
    ``engine`` (``"local"``, ``"dask"`` or an engine object), with the same result.

    Returns a :class:`~ascendsim.scenario.runner.ScenarioExploration`. ``progress(done,
    total)`` is called as parts finish.

    Raises:
        ScenarioError: the scenario is not in graph mode.
        GraphError: ``max_orders`` < 1, a cycle.
        EngineError: the engine cannot start.
        ExploreError: a part's worker died twice.
    """
    from ascendsim.errors import GraphError
    from ascendsim.scenario.runner import explore_scenario as explore_one

    if max_orders < 1:
        raise GraphError(f"max_orders must be at least 1, got {max_orders}")
    if engine is None:
        return explore_one(loaded, max_orders=max_orders)
    from ascendsim.sweep.engines import make_engine
    from ascendsim.yamlio import plain

    eng = (
        make_engine(
            engine,
            workers=workers,
            scheduler=scheduler,
            connect_timeout=connect_timeout,
            processes=processes,
        )
        if isinstance(engine, str)
        else engine
    )
    try:
        split = _split(loaded, max(1, eng.capacity() * parts_per_worker))
        payload = {
            "scenario": plain(loaded.loaded.data),
            "label": loaded.filename,
            "base_dir": str(loaded.base_dir),
            "max_orders": max_orders,
        }
        merged = parallel_explore(eng, payload, split.exploration.prefixes, progress=progress)
    finally:
        eng.close()
    object.__setattr__(merged, "graph", split.graph)
    return dataclasses.replace(split, exploration=merged, max_orders=max_orders)


def parallel_explore(
    engine: Any,
    payload: dict[str, Any],
    prefixes: list[tuple[int, ...]],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """Explore every prefix of ``prefixes`` on ``engine`` (``payload``: the scenario as plain
    data, ``label``, ``base_dir``, ``max_orders``) and merge the parts in prefix order, as one
    process would have explored them (see the module docstring).

    Raises:
        ExploreError: a part's worker died twice.
    """
    from ascendsim.graph.outcome import merge_explorations

    parts: list[Any] = [None] * len(prefixes)
    done = 0

    def on_done(t: Any) -> None:
        nonlocal done
        if t.crashed is not None:
            raise ExploreError(
                f"exploring the orders that start with nodes "
                f"{list(prefixes[t.index])} failed: {t.crashed}"
            )
        parts[t.index] = t.value[0]
        done += 1
        if progress is not None:
            progress(done, len(prefixes))

    engine.map(explore_part, [{**payload, "prefixes": [list(p)]} for p in prefixes], on_done)
    budget = payload["max_orders"]
    taken: list[Any] = []
    cut = False
    for k, part in enumerate(parts):
        if part.orders_explored <= budget:
            taken.append(part)
            budget -= part.orders_explored
            continue
        # the single search stops inside this part: redo it with the budget left
        if budget > 0:
            again = explore_part({**payload, "max_orders": budget, "prefixes": [list(prefixes[k])]})
            taken.append(again[0])
        cut = True
        break
    merged = merge_explorations(taken)
    if cut:
        merged = dataclasses.replace(merged, complete=False, order_independent=False)
    return merged
