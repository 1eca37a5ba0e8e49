"""Run every benchmark and print one line per figure: ``NAME: VALUE (target TARGET) ok|MISSED``.

Each ``benchmarks/bench_*.py`` module defines ``figures(quick: bool)`` returning rows
``(name, value, target_text, ok)``. Ratios are measured inside one run of one module, never
against absolute times from another run. Exit code 1 if any target is missed.

    python benchmarks/run.py            # the full figures (several minutes)
    python benchmarks/run.py --quick    # a smoke run
    python benchmarks/run.py device     # only benchmarks/bench_device.py
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _fmt(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4g}"
    return f"{int(value)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("only", nargs="*", help="benchmark names (bench_NAME.py) to run")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    modules = sorted(HERE.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if m.stem.removeprefix("bench_") in args.only]
    rows: list[tuple[str, float, str, bool]] = []
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            got = module.figures(args.quick)
        except Exception:  # noqa: BLE001 - a crashing benchmark is a missed target, not a crash
            traceback.print_exc()
            got = [(f"{path.stem}_crashed", 1.0, "no crash", False)]
        for row in got:
            print(f"  [{path.stem}] {row[0]}: {_fmt(row[1])}", file=sys.stderr)
        rows.extend(got)
    missed = 0
    for name, value, target, ok in rows:
        print(f"{name}: {_fmt(value)} (target {target}) {'ok' if ok else 'MISSED'}")
        missed += not ok
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
