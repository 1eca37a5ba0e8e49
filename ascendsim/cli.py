"""The ``ascendsim`` command: argparse subcommands, ``main(argv) -> int``.

Every :class:`~ascendsim.errors.AscendSimError` is printed as one line without a traceback and
turned into its exit code (2 for invalid input, 1 for a failure while running).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from ascendsim.errors import AscendSimError

__all__ = ["main", "entry", "build_parser"]

Handler = Callable[[argparse.Namespace], int]


def _console():  # rich is imported lazily: `import ascendsim` stays fast
    from rich.console import Console

    return Console()


def _cmd_hardware_list(args: argparse.Namespace) -> int:
    from ascendsim.config.report import presets_table

    _console().print(presets_table())
    return 0


def _cmd_hardware_show(args: argparse.Namespace) -> int:
    from ascendsim.config import load_hardware
    from ascendsim.config.report import config_table

    overrides = dict(_parse_set(s) for s in args.set or [])
    _console().print(config_table(load_hardware(args.name, overrides)))
    return 0


def _parse_set(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise _UsageError(
            f"--set {text!r}: write it as FIELD=VALUE, e.g. pcie.h2d_bandwidth=16GB/s"
        )
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


class _UsageError(AscendSimError):
    exit_code = 2


def _add_hardware(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hardware", help="list and show hardware presets")
    hsub = p.add_subparsers(dest="hardware_cmd", metavar="{list,show}")
    hsub.required = True
    pl = hsub.add_parser("list", help="one row per preset")
    pl.set_defaults(func=_cmd_hardware_list)
    ps = hsub.add_parser("show", help="every field of one preset (or a YAML path)")
    ps.add_argument("name", help="preset name (e.g. ascend910a) or path to a YAML file")
    ps.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="override a field, e.g. --set pcie.h2d_bandwidth=16GB/s",
    )
    ps.set_defaults(func=_cmd_hardware_show)


def _cmd_exec(args: argparse.Namespace) -> int:
    from ascendsim.ms.script import run_script

    return run_script(
        args.script,
        args.args,
        hardware=args.hardware,
        trace=args.trace,
        summary=args.summary,
        plot=args.plot,
        explain=args.explain,
    )


def _add_exec(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "exec",
        help="run a MindSpore script unchanged on the simulated NPU",
        description="Run SCRIPT with `import mindspore` resolving to ascendsim's front end. "
        "stdout carries only what the script prints.",
    )
    p.add_argument("script", help="the Python script")
    p.add_argument(
        "args", nargs="*", help="arguments passed to the script (after `--` if they start with -)"
    )
    p.add_argument("--hardware", metavar="NAME|PATH", help="hardware preset or YAML file")
    p.add_argument("--trace", metavar="FILE", help="write a Chrome/Perfetto trace JSON")
    p.add_argument("--summary", action="store_true", help="print a run summary on stderr")
    p.add_argument(
        "--plot",
        metavar="FILE",
        help="draw memory per device over the timeline of streams and links (.png, .svg or "
        ".pdf; needs matplotlib)",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="tell the simulated run in plain words on stderr, one line per event",
    )
    p.set_defaults(func=_cmd_exec)


#: subcommand registrars; each adds its parser. Capabilities register here as they land.
def _add_scenario_commands(sub: argparse._SubParsersAction) -> None:
    from ascendsim.scenario.commands import register

    register(sub)


def _add_sweep_commands(sub: argparse._SubParsersAction) -> None:
    from ascendsim.sweep.commands import register

    register(sub)  # `sweep`, and the engine options of `explore`


_REGISTRARS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_hardware,
    _add_exec,
    _add_scenario_commands,
    _add_sweep_commands,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ascendsim",
        description="Run MindSpore-style code and scenarios on a simulated Ascend NPU.",
    )
    from ascendsim import __version__

    parser.add_argument("--version", action="version", version=f"ascendsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for register in _REGISTRARS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # argparse exits on --help and usage errors
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except AscendSimError as exc:
        print(f"ascendsim: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ascendsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `ascendsim schema | head`: the reader left, not an error
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
