"""Plan a sweep (every point resolved and validated before anything runs), then run it.

:func:`plan` reads the sweep (a file or a mapping), checks the axis paths, expands the points
and validates each resolved scenario; the first problem is a
:class:`~ascendsim.errors.ScenarioError` at the axis' ``file:line:col`` with the axis values of
the first failing point. :func:`run` sends each point's resolved scenario to an engine
(:mod:`ascendsim.sweep.engines`), turns what comes back into rows (:mod:`ascendsim.sweep.results`)
in point order, and writes them. Ctrl-C (KeyboardInterrupt) cancels the pending points; the
rows already finished are kept, written and returned (``interrupted``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ascendsim.errors import ScenarioError
from ascendsim.sweep.points import Axis, Point
from ascendsim.sweep.schema import LoadedSweep

__all__ = ["SweepPlan", "plan", "run"]


@dataclass
class SweepPlan:
    """A validated sweep: the file, its axes, and every point with its resolved scenario."""

    sweep: LoadedSweep
    axes: list[Axis]
    points: list[Point]

    @property
    def base_dir(self) -> Path:
        """Where the points' relative paths (python modules, hardware files) resolve."""
        return Path(self.sweep.base.base_dir)

    def label(self, point: Point) -> str:
        return f"{self.sweep.filename} point {point.index}"


def plan(spec: str | Path | Mapping[str, Any], base_dir: str | Path | None = None) -> SweepPlan:
    """Load and check a sweep: ``spec`` is a sweep file or a mapping of the same keys.

    Raises:
        ScenarioError: invalid file, axis path, empty axis, zip lengths, or a point whose
            resolved scenario is invalid (reported with its axis values).
    """
    from ascendsim.sweep.points import build_axes, expand
    from ascendsim.sweep.schema import load_sweep, sweep_from_mapping

    if isinstance(spec, Mapping):
        loaded = sweep_from_mapping(spec, Path(base_dir) if base_dir else None)
    else:
        loaded = load_sweep(spec)

    def where(path: str) -> str:
        return loaded.where("axes", path)

    axes = build_axes(loaded.spec.axes, where)
    combos = expand(axes, loaded.spec.mode, where)
    return SweepPlan(loaded, axes, _points(loaded, axes, combos))


def _points(loaded: LoadedSweep, axes: list[Axis], combos: list[tuple[Any, ...]]) -> list[Point]:
    from ascendsim.sweep.points import describe_values, point_hash, resolve, validate_point
    from ascendsim.yamlio import plain

    base = plain(loaded.base.loaded.data)
    base_dir = Path(loaded.base.base_dir)
    checked: set[str] = set()
    points = []
    for i, values in enumerate(combos):
        try:
            doc = resolve(base, axes, values)
            h = point_hash(doc)
            if h not in checked:
                validate_point(doc, f"{loaded.filename} point {i}", base_dir)
                checked.add(h)
        except (ValueError, ScenarioError) as exc:
            msg = str(exc)
            ax = _blame(axes, msg)
            raise ScenarioError(
                f"{loaded.where('axes', ax.path)}: axes.{ax.path}: point {i} "
                f"({describe_values(axes, values)}) is not a valid scenario: {msg}"
            ) from None
        points.append(Point(i, tuple(values), doc, h))
    return points


def _blame(axes: list[Axis], msg: str) -> Axis:
    """The axis a point's error is most likely about (its path starts the message)."""
    head = msg.split(":", 1)[0].strip()
    for ax in axes:
        top = "hardware" if ax.preset or ax.override else str(ax.segments[0])
        if head == top or head.startswith((top + ".", top + "[")):
            return ax
    return axes[0]


def run(
    p: SweepPlan,
    *,
    engine: Any = "local",
    workers: int | None = None,
    scheduler: Any = None,
    out: str | Path | None = None,
    resume: str | Path | None = None,
    progress: bool = False,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    connect_timeout: float = 5.0,
    processes: bool = True,
) -> Any:
    """Run every point of ``p`` not already in ``resume``; returns a
    :class:`~ascendsim.sweep.results.SweepResult` (see :func:`ascendsim.sweep.sweep`)."""
    from ascendsim.sweep.engines import make_engine
    from ascendsim.sweep.results import ResultsFiles, SweepResult, columns_of, read_rows
    from ascendsim.sweep.worker import run_point

    axis_paths = [ax.path for ax in p.axes]
    rows: dict[int, dict[str, Any]] = {}
    if resume is not None:
        rows = _resumed(p, read_rows(resume))
        if out is None:
            out = resume
    resumed = len(rows)
    todo = [pt for pt in p.points if pt.index not in rows]
    files = ResultsFiles(out) if out is not None else None
    if files is not None:
        files.check()
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
    payloads = [
        {"scenario": pt.scenario, "label": p.label(pt), "base_dir": str(p.base_dir)} for pt in todo
    ]

    def ordered() -> list[dict[str, Any]]:
        return [rows[i] for i in sorted(rows)]

    bar: _Progress | None = None

    def on_done(t: Any) -> None:
        pt = todo[t.index]
        figures = t.value if t.crashed is None else {"status": "crashed", "error": t.crashed}
        row = _row(p, pt, figures)
        rows[pt.index] = row
        if bar is not None:
            bar.advance(row["status"])
        if files is not None and files.due():
            done = ordered()
            files.write(done, columns_of(done, axis_paths))
        if on_row is not None:
            on_row(row)

    if todo:
        try:
            eng.start()  # an unreachable scheduler fails here: nothing run, nothing written
        except BaseException:
            eng.close()
            raise
    if progress and todo:
        bar = _Progress(len(todo), p.sweep.title)
    interrupted = False
    try:
        if todo:
            eng.map(run_point, payloads, on_done)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        try:
            eng.close()
        finally:
            if bar is not None:
                bar.stop()
            done = ordered()
            columns = columns_of(done, axis_paths)
            if files is not None:
                files.write(done, columns)
    return SweepResult(
        done,
        columns,
        axis_paths,
        len(p.points),
        resumed=resumed,
        interrupted=interrupted,
        files=files.paths if files else [],
        title=p.sweep.title,
    )


def _row(p: SweepPlan, pt: Point, figures: dict[str, Any]) -> dict[str, Any]:
    from ascendsim.sweep.results import make_row

    axes = [(ax.path, v) for ax, v in zip(p.axes, pt.values, strict=True)]
    return make_row(pt.index, pt.hash, axes, figures)


def _resumed(p: SweepPlan, old: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Rows of an earlier run for the points of ``p`` (by hash; crashed ones run again)."""
    by_hash = {r["hash"]: r for r in old if r.get("status") != "crashed"}
    out = {}
    for pt in p.points:
        r = by_hash.get(pt.hash)
        if r is not None:
            row = dict(r)
            row["point"] = pt.index
            for ax, v in zip(p.axes, pt.values, strict=True):
                row[ax.path] = v
            out[pt.index] = row
    return out


class _Progress:
    """A rich progress bar on stderr counting finished points (and the failed ones)."""

    def __init__(self, total: int, title: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.failed = 0
        self._p = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._p.add_task(title or "points", total=total, failed="")
        self._p.start()

    def advance(self, status: str) -> None:
        if status != "pass":
            self.failed += 1
        self._p.update(self._task, advance=1, failed=f"{self.failed} failed" if self.failed else "")

    def stop(self) -> None:
        self._p.stop()
