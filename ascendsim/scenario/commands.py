"""The scenario subcommands of ``ascendsim``: ``run FILE...``, ``check FILE...``, ``schema``.

``run`` executes each scenario and prints a summary (simulated time, peak memory per device,
events, expectations); ``--trace out.json`` writes the Chrome/Perfetto trace (whole or not at
all, and also when the run fails). ``check`` runs the expectations and prints one line per
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

    if args.trace and len(args.files) > 1:
        raise _UsageError("--trace writes one file: give one scenario with --trace")
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
        console.print(summary(result))
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

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise _UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``run``, ``check`` and ``schema`` to the ``ascendsim`` subcommands."""
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
        "--debug",
        action="store_true",
        help="re-raise unexpected errors with a traceback (for bug reports)",
    )
    p.set_defaults(func=_cmd_run)

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
