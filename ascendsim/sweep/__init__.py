"""Sweeps: many scenario runs over scenario and hardware parameters, locally or on Dask.

``ascendsim.sweep(FILE, ...)`` (this module is callable: ``ascendsim.sweep`` is both the
package and the function) and ``ascendsim sweep FILE`` run every point of a sweep file as a
full scenario run and return one row per point. The pieces, one concept each:

- :mod:`~ascendsim.sweep.schema`: the sweep file (base scenario, axes, product or zip).
- :mod:`~ascendsim.sweep.points`: axis paths checked against the schemas, points, resolved
  scenarios and their hashes.
- :mod:`~ascendsim.sweep.runner`: plan (validate every point first), then run.
- :mod:`~ascendsim.sweep.worker`: what a worker runs for one point (plain data in and out).
- :mod:`~ascendsim.sweep.engines`: the engine protocol and a local process pool;
  :mod:`~ascendsim.sweep.dask_engine`: a Dask cluster (optional extra ``ascendsim[dist]``).
- :mod:`~ascendsim.sweep.results`: rows in point order, CSV / JSON lines, resume, the table.
- :mod:`~ascendsim.sweep.plot`: ``--plot metric:axis[:by]`` with matplotlib.
- :mod:`~ascendsim.sweep.explore`: the schedule explorer split across workers.
- :mod:`~ascendsim.sweep.commands`: the ``ascendsim sweep`` command and the engine options.

Nothing heavy is imported here: ``import ascendsim`` stays fast.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["sweep"]


def sweep(
    spec: str | Path | Mapping[str, Any],
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: Any = None,
    out: str | Path | None = None,
    resume: str | Path | None = None,
    progress: bool = False,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    base_dir: str | Path | None = None,
    connect_timeout: float = 5.0,
    processes: bool = True,
) -> Any:
    """Run a sweep and return its rows (a :class:`~ascendsim.sweep.results.SweepResult`).

    Args:
        spec: a sweep file, or a mapping with the same keys (``scenario``, ``axes``, ``mode``).
        engine: ``"local"`` (a process pool) or ``"dask"``.
        workers: worker processes (default: the CPUs available); with Dask, of the local
            cluster started when ``scheduler`` is None.
        scheduler: ``"tcp://HOST:PORT"`` of a running Dask scheduler, or a
            ``distributed.Client``.
        out: write ``OUT.csv`` and ``OUT.jsonl`` (atomically; also while running).
        resume: a ``.jsonl`` results file: its points are not run again (``out`` defaults to
            it).
        progress: show a progress bar on stderr.
        on_row: called with each row as its point finishes (completion order).
        base_dir: where a mapping ``spec``'s relative paths resolve (default: the current
            directory).
        connect_timeout: seconds to reach ``scheduler`` (at most 10).
        processes: a Dask local cluster with worker processes (False: threads, for tests).

    Returns:
        ``SweepResult``: ``rows`` in point order, ``exit_code``, ``failed``, ``dataframe()``.
        Points that raise or crash are rows too (with ``status`` and ``error``); after Ctrl-C
        the finished rows are returned with ``interrupted`` set.

    Raises:
        ScenarioError: an invalid sweep (file, axis path, empty axis, zip lengths, a point
            that is not a valid scenario), before anything runs.
        EngineError: an unknown engine, Dask not installed, an unreachable scheduler.
        SweepError: an unreadable ``resume`` file or an unwritable ``out``.
    """
    from ascendsim.sweep.runner import plan, run

    return run(
        plan(spec, base_dir),
        engine=engine,
        workers=workers,
        scheduler=scheduler,
        out=out,
        resume=resume,
        progress=progress,
        on_row=on_row,
        connect_timeout=connect_timeout,
        processes=processes,
    )


class _CallableModule(types.ModuleType):
    """Lets ``ascendsim.sweep(...)`` work whether ``ascendsim.sweep`` names this package (as
    it does once any submodule is imported) or the function."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
