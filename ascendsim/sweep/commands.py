"""The ``ascendsim sweep FILE`` command, and the engine options of ``ascendsim explore``.

``sweep`` plans the sweep (every point validated first: exit 2 on invalid input, before
anything runs), runs it on the chosen engine with a progress bar, prints the rows as a table,
writes ``OUT.csv`` / ``OUT.jsonl`` (default ``OUT``: the sweep file's stem + ``_results`` in the
current directory) and draws ``--plot`` if asked. Exit codes: 0 every point passed, 1 some
point failed, raised or crashed, 2 invalid input, 130 interrupted (the finished rows are
written; ``--resume OUT.jsonl`` finishes the sweep).

:func:`add_engine_options` gives a parser ``--engine/--workers/--scheduler/--connect-timeout``;
:func:`explore_with_args` runs the explorer as those options say (in this process when no
engine is given). :func:`register` adds ``sweep`` and, if ``explore`` is already registered,
its engine options.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["register", "add_engine_options", "explore_with_args"]


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number >= 1")
    return n


def _timeout(text: str) -> float:
    try:
        t = float(text)
    except ValueError:
        t = -1.0
    if not 0 < t <= 10:
        raise argparse.ArgumentTypeError(f"{text!r}: give seconds, more than 0 and at most 10")
    return t


def add_engine_options(p: argparse.ArgumentParser, *, default: str | None = "local") -> None:
    """``--engine``, ``--workers``, ``--scheduler``, ``--connect-timeout`` on ``p``."""
    where = "a process pool on this machine" if default == "local" else "this process"
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default=default,
        help=f"where to run: local (a process pool) or dask (default: {where})",
    )
    p.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="worker processes (default: the number of CPUs; with dask, of the local "
        "cluster started when no --scheduler is given)",
    )
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="join a running Dask scheduler (with --engine dask)",
    )
    p.add_argument(
        "--connect-timeout",
        type=_timeout,
        default=5.0,
        metavar="SECONDS",
        help="how long to try reaching the scheduler (default 5, at most 10)",
    )


def _cmd_sweep(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ascendsim.sweep.plot import parse_plot, plot
    from ascendsim.sweep.results import results_table
    from ascendsim.sweep.runner import plan, run

    if args.plot:
        parse_plot(args.plot)  # the syntax, before the (possibly long) planning
    p = plan(args.file)
    axes = [ax.path for ax in p.axes]
    spec = parse_plot(args.plot, axes) if args.plot else None
    console = Console(highlight=False)
    if args.dry_run:
        for pt in p.points:
            from ascendsim.sweep.points import describe_values

            console.print(f"point {pt.index} {pt.hash}: {describe_values(p.axes, pt.values)}")
        console.print(f"{len(p.points)} points, all valid scenarios")
        return 0
    out = args.out or (args.resume if args.resume else f"{Path(args.file).stem}_results")
    result = run(
        p,
        engine=args.engine,
        workers=args.workers,
        scheduler=args.scheduler,
        out=out,
        resume=args.resume,
        progress=sys.stderr.isatty(),
        connect_timeout=args.connect_timeout,
    )
    if not args.no_table:
        console.print(results_table(result))
    for row in result.failed[:10]:
        values = ", ".join(f"{a}={row[a]}" for a in axes)
        why = row["error"] or "failed " + ", ".join(
            c for c in result.columns if c.startswith("expect.") and row.get(c) == "fail"
        )
        console.print(f"point {row['point']} ({values}): {row['status']}: {why}", soft_wrap=True)
    if len(result.failed) > 10:
        console.print(f"... {len(result.failed) - 10} more failed points in the results files")
    counts = {
        s: sum(r["status"] == s for r in result.rows) for s in ("pass", "fail", "error", "crashed")
    }
    tally = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    resumed = f" ({result.resumed} from {args.resume})" if result.resumed else ""
    console.print(
        f"{len(result.rows)} of {result.total} points{resumed}: {tally or 'none run'}; "
        f"results: {', '.join(str(f) for f in result.files)}",
        soft_wrap=True,
    )
    if spec is not None and result.rows:
        png = Path(args.plot_out or Path(str(result.files[1])).with_suffix(".png"))
        console.print(f"plot: {plot(result, spec, png)}", soft_wrap=True)
    if result.interrupted:
        print(
            f"ascendsim: interrupted: {len(result.rows)} of {result.total} points finished and "
            f"written; finish with --resume {result.files[1]}",
            file=sys.stderr,
        )
    return result.exit_code


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``sweep`` to the ``ascendsim`` subcommands (and engine options to ``explore``)."""
    p = sub.add_parser(
        "sweep",
        help="run a scenario over axes of parameters (locally or on Dask)",
        description="Run every point of a sweep file (a base scenario and axes of values) as a "
        "full scenario run; print one row per point and write OUT.csv and OUT.jsonl. Exit 0: "
        "every point passed; 1: a point failed; 2: invalid input; 130: interrupted.",
    )
    p.add_argument("file", metavar="FILE", help="the sweep YAML file")
    add_engine_options(p)
    p.add_argument(
        "--out",
        metavar="OUT",
        help="write OUT.csv and OUT.jsonl (default: FILE's stem + _results, here)",
    )
    p.add_argument(
        "--resume",
        metavar="OUT.jsonl",
        help="skip the points already in this results file (and write to it)",
    )
    p.add_argument(
        "--plot",
        metavar="METRIC:AXIS[:BY]",
        help="plot a metric (e.g. init_graph_ns) against an axis, one line per value "
        "of a second axis",
    )
    p.add_argument("--plot-out", metavar="PNG", help="where to draw --plot (default: OUT.png)")
    p.add_argument("--no-table", action="store_true", help="do not print the rows")
    p.add_argument(
        "--dry-run", action="store_true", help="validate and list the points without running them"
    )
    p.set_defaults(func=_cmd_sweep)
    explore = sub.choices.get("explore")
    if explore is not None and "--engine" not in explore._option_string_actions:
        add_engine_options(explore, default=None)


def explore_with_args(loaded: Any, args: argparse.Namespace, *, max_orders: int) -> Any:
    """Explore ``loaded`` as the engine options in ``args`` say (absent options: in this
    process); a progress bar counts the finished parts on a terminal."""
    from ascendsim.sweep.explore import explore_scenario

    engine = getattr(args, "engine", None)
    workers = getattr(args, "workers", None)
    scheduler = getattr(args, "scheduler", None)
    if engine is None and (workers is not None or scheduler is not None):
        engine = "dask" if scheduler is not None else "local"
    bar = _PartsBar() if engine is not None and sys.stderr.isatty() else None
    try:
        return explore_scenario(
            loaded,
            max_orders=max_orders,
            engine=engine,
            workers=workers,
            scheduler=scheduler,
            connect_timeout=getattr(args, "connect_timeout", 5.0),
            progress=bar.update if bar is not None else None,
        )
    finally:
        if bar is not None:
            bar.stop()


class _PartsBar:
    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._p = Progress(console=Console(stderr=True), transient=True)
        self._task = self._p.add_task("exploring", total=None)
        self._p.start()

    def update(self, done: int, total: int) -> None:
        self._p.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        self._p.stop()
