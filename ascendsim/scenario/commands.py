"""The scenario subcommands of ``ascendsim``: ``run``, ``check``, ``explore``, ``schema``.

``run FILE...`` executes each scenario and prints a summary (simulated time, peak memory per
device, events, expectations); ``--trace out.json`` writes the Chrome/Perfetto trace,
``--plot out.png`` a picture (memory per device over a timeline of streams and links), both
whole or not at all and also when the run fails; ``--explain`` prints the run in plain words
after the summary (:mod:`ascendsim.trace.narrative`). ``explore FILE`` runs the schedule
explorer on a graph-mode scenario and prints the verdict, how far the search went and each
outcome with its witness order and values. ``check`` runs the expectations and prints one line per
scenario plus one per failed expectation; it exits 0 when all pass, 1 when any fails and 2 when
any file is invalid (each invalid file is one ``file:line:col`` line on stderr; the other
files still run). ``schema`` prints the JSON schema of scenario files for editors.

:func:`register` adds the subcommands to the ``ascendsim`` parser (``cli._REGISTRARS``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ascendsim.errors import AscendSimError, ScenarioError

__all__ = ["register", "main_for_tests"]


class _UsageError(AscendSimError):
    exit_code = 2


def _error(exc: BaseException) -> None:
    text = str(exc).replace("\n", " ")
    print(f"ascendsim: error: {text}", file=sys.stderr)


def _load(path: str) -> Any:
    from ascendsim.scenario.loader import load_scenario

    return load_scenario(path)


def _run(loaded: Any, args: argparse.Namespace, *, progress: bool) -> Any:
    from ascendsim.scenario.runner import run_scenario

    debug = getattr(args, "debug", False)
    try:
        return run_scenario(loaded, progress=progress, debug=debug)
    except Exception:
        if debug:
            import traceback

            traceback.print_exc()
        raise


def _cmd_check(args: argparse.Namespace) -> int:
    from ascendsim.scenario.report import check_lines

    code = 0
    for path in args.files:
        try:
            loaded = _load(path)
            result = _run(loaded, args, progress=False)
        except ScenarioError as exc:
            _error(exc)
            code = 2
            continue
        for line in check_lines(result, verbose=args.verbose):
            print(line)
        if not result.passed:
            code = max(code, 1)
    return code


def _cmd_run(args: argparse.Namespace) -> int:
    from ascendsim.scenario.report import summary

    for flag, value in (("--trace", args.trace), ("--plot", args.plot)):
        if value and len(args.files) > 1:
            raise _UsageError(f"{flag} writes one file: give one scenario with {flag}")
    if args.plot:
        _check_plot(args.plot)
    from rich.console import Console

    console = Console(highlight=False)
    code = 0
    for path in args.files:
        try:
            loaded = _load(path)
            result = _run(loaded, args, progress=console.is_terminal)
        except ScenarioError as exc:
            _error(exc)
            code = 2
            continue
        if args.trace:
            _write_trace(result, Path(args.trace))
        if args.plot:
            _write_plot(result, Path(args.plot))
        console.print(summary(result))
        if args.explain:
            _explain(result)
        if not result.passed:
            code = max(code, 1)
    return code


def _write_trace(result: Any, out: Path) -> None:
    from ascendsim.trace.chrome import write_chrome_trace

    if result.system is None:
        raise _UsageError(f"no trace to write to {out}: the scenario did not start a system")
    try:
        write_chrome_trace(result.system.trace, out, metadata=result.trace_metadata)
    except OSError as exc:
        raise _UsageError(f"cannot write the trace to {out}: {exc.strerror or exc}") from None


def _check_plot(out: str) -> None:
    """Fail before running: a suffix that is no image format is a usage error (exit 2)."""
    from ascendsim.errors import MsValueError
    from ascendsim.trace.plot import plot_format

    try:
        plot_format(out)
    except MsValueError as exc:
        raise _UsageError(f"--plot: {exc}") from None


def _write_plot(result: Any, out: Path) -> None:
    from ascendsim.trace.plot import plot_trace

    if result.system is None:
        raise _UsageError(f"nothing to plot to {out}: the scenario did not start a system")
    try:
        plot_trace(result.system.trace, out, title=result.name)
    except OSError as exc:
        raise _UsageError(f"cannot write the plot to {out}: {exc.strerror or exc}") from None


def _explain(result: Any) -> None:
    from ascendsim.trace.narrative import narrate

    if result.system is None:
        return
    print(f"what happened in {result.loaded.filename}:")
    for line in narrate(result.system.trace):
        print(f"  {line}")


def _cmd_explore(args: argparse.Namespace) -> int:
    from ascendsim.scenario.runner import explore_scenario

    if args.max_orders < 1:
        raise _UsageError(f"--max-orders must be at least 1, got {args.max_orders}")
    try:
        loaded = _load(args.file)
    except ScenarioError as exc:
        _error(exc)
        return 2
    from rich.console import Console

    err = Console(stderr=True)
    engine = getattr(args, "engine", None)
    bar = _spinner(err, args.max_orders) if err.is_terminal and not engine else None
    try:
        if engine:  # split across local processes or a Dask cluster (ascendsim.sweep)
            from ascendsim.sweep.commands import explore_with_args

            found = explore_with_args(loaded, args, max_orders=args.max_orders)
        else:
            found = explore_scenario(loaded, max_orders=args.max_orders)
    finally:
        if bar is not None:
            bar.stop()
    from ascendsim.scenario.explore_report import exploration_lines

    for line in exploration_lines(found):
        print(line)
    return 0


def _spinner(console: Any, max_orders: int) -> Any:
    """A transient progress display while the explorer runs (it reports no per-order
    progress, so the display shows the bound and the elapsed time)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    prog = Progress(
        SpinnerColumn(),
        TextColumn(f"exploring schedules (at most {max_orders:,} orders)"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    prog.add_task("explore", total=None)
    prog.start()
    return prog


def _cmd_schema(args: argparse.Namespace) -> int:
    from ascendsim.scenario.schema import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True)
    if args.output:
        _write_atomic(Path(args.output), text + "\n")
    else:
        print(text)
    return 0


def _write_atomic(path: Path, text: str) -> None:
    import os
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it 0600
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)  # written whole or not at all
        raise _UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``run``, ``check``, ``explore`` and ``schema`` to the ``ascendsim`` subcommands."""
    files_help = "scenario YAML files"
    p = sub.add_parser(
        "run",
        help="run scenarios and print a summary",
        description="Run scenario files on a simulated Ascend system and print "
        "simulated time, memory, events and expectations.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    p.add_argument(
        "--trace",
        metavar="OUT.json",
        help="write a Chrome/Perfetto trace of the run (one scenario only)",
    )
    p.add_argument(
        "--plot",
        metavar="OUT.png",
        help="draw memory per device over the timeline of streams and links (.png, .svg or "
        ".pdf; needs matplotlib; one scenario only)",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="after the summary, tell the run in plain words, one line per event",
    )
    p.add_argument(
        "--debug",
        action="store_true",
        help="re-raise unexpected errors with a traceback (for bug reports)",
    )
    p.set_defaults(func=_cmd_run)

    e = sub.add_parser(
        "explore",
        help="run every schedule that can change a graph-mode scenario's result",
        description="Run the schedule explorer on FILE (a scenario whose program runs in "
        "graph mode): every execution order that can change what you observe is run once. "
        "Prints whether the result is order-independent, whether the search is complete, "
        "and each distinct outcome with a witness order (node names) and its values.",
    )
    e.add_argument("file", metavar="FILE", help="a scenario YAML file (context.mode: graph)")
    e.add_argument(
        "--max-orders",
        type=int,
        default=10_000,
        metavar="N",
        help="stop after N orders (default 10000); the result then says it is incomplete",
    )
    e.set_defaults(func=_cmd_explore)

    c = sub.add_parser(
        "check",
        help="run scenario expectations (exit 0 pass, 1 fail, 2 invalid)",
        description="Run each scenario and check its expectations. Exit code 0: "
        "all pass; 1: an expectation fails; 2: a file is invalid.",
    )
    c.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    c.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every expectation, not only the failed ones",
    )
    c.add_argument(
        "--debug",
        action="store_true",
        help="re-raise unexpected errors with a traceback (for bug reports)",
    )
    c.set_defaults(func=_cmd_check)

    s = sub.add_parser(
        "schema",
        help="print the JSON schema of scenario files",
        description="Print the JSON schema of scenario files (for editor "
        "validation and completion).",
    )
    s.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead of stdout")
    s.set_defaults(func=_cmd_schema)


def main_for_tests(argv: Sequence[str]) -> int:
    """Run these subcommands as ``ascendsim`` would (errors: one line on stderr, exit code)."""
    parser = argparse.ArgumentParser(prog="ascendsim")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    register(sub)
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except AscendSimError as exc:
        _error(exc)
        return exc.exit_code
