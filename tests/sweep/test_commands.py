"""``ascendsim sweep FILE``: table, files, plot, exit codes; engine options of ``explore``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ascendsim.errors import AscendSimError
from ascendsim.sweep.commands import register

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def _main(argv: list[str]) -> int:
    """What ``ascendsim`` does with these subcommands (see ascendsim.cli.main)."""
    from ascendsim.scenario.commands import register as register_scenario

    parser = argparse.ArgumentParser(prog="ascendsim")
    sub = parser.add_subparsers(dest="command")
    register_scenario(sub)
    register(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except AscendSimError as exc:
        print(f"ascendsim: error: {exc}", file=sys.stderr)
        return exc.exit_code


def _sweep_file(tmp_path: Path, axes: str, scenario: str = "base.yaml") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: cli sweep\nscenario: {DATA / scenario}\naxes:\n{axes}")
    return path


def test_sweep_prints_rows_writes_files_and_plots(tmp_path: Path, capsys) -> None:
    path = _sweep_file(tmp_path, "  seed: [0, 1]\n  run.schedule: [program, reverse]\n")
    out = tmp_path / "res"
    code = _main(
        [
            "sweep",
            str(path),
            "--workers",
            "2",
            "--out",
            str(out),
            "--plot",
            "simulated_ns:seed:run.schedule",
        ]
    )
    stdout, stderr = capsys.readouterr()
    assert (code, stderr) == (0, "")
    assert "cli sweep: 4 of 4 points" in stdout
    assert f"4 of 4 points: 4 pass; results: {out}.csv, {out}.jsonl" in stdout.replace("\n", "")
    assert stdout.rstrip().endswith(f"plot: {out}.png")
    assert (tmp_path / "res.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len((tmp_path / "res.jsonl").read_text().splitlines()) == 4


def test_failed_points_exit_1_and_are_listed(tmp_path: Path, capsys) -> None:
    path = _sweep_file(tmp_path, "  program.python: ['progs:ok', 'progs:boom']\n", "progs.yaml")
    code = _main(["sweep", str(path), "--workers", "1", "--out", str(tmp_path / "r"), "--no-table"])
    stdout, _ = capsys.readouterr()
    assert code == 1
    assert (
        "point 1 (program.python=progs:boom): error: RuntimeError: boom while building the program"
    ) in stdout
    assert "2 of 2 points: 1 pass, 1 error" in stdout


def test_invalid_input_is_exit_2_with_one_line_before_anything_runs(tmp_path: Path, capsys) -> None:
    path = _sweep_file(tmp_path, "  devices: [1, 0]\n")
    assert _main(["sweep", str(path), "--out", str(tmp_path / "r")]) == 2
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert stderr == (
        f"ascendsim: error: {path}:4:3: axes.devices: point 1 (devices=0) is not a "
        "valid scenario: devices: expected greater than or equal to 1, got 0\n"
    )
    assert not (tmp_path / "r.jsonl").exists()
    path = _sweep_file(tmp_path, "  seed: [0]\n")
    assert _main(["sweep", str(path), "--plot", "simulated:seed"]) == 2
    assert "unknown metric 'simulated'; did you mean 'simulated_ns'?" in capsys.readouterr().err
    assert _main(["sweep", str(path), "--plot", "events:sed"]) == 2
    assert "'sed' is not an axis of the sweep; did you mean 'seed'?" in capsys.readouterr().err
    assert _main(["sweep", str(path), "--workers", "0"]) == 2
    assert "'0': give a whole number >= 1" in capsys.readouterr().err


def test_dry_run_lists_the_points(tmp_path: Path, capsys) -> None:
    path = _sweep_file(tmp_path, "  seed: [0, 1]\n")
    assert _main(["sweep", str(path), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":", 1)[1] for line in lines[:2]] == [" seed=0", " seed=1"]
    assert lines[2] == "2 points, all valid scenarios"


def test_explore_gets_the_engine_options(capsys) -> None:
    parser = argparse.ArgumentParser(prog="ascendsim")
    sub = parser.add_subparsers(dest="command")
    from ascendsim.scenario.commands import register as register_scenario

    register_scenario(sub)
    register(sub)
    args = parser.parse_args(
        [
            "explore",
            "x.yaml",
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:8786",
            "--connect-timeout",
            "2",
        ]
    )
    assert (args.engine, args.workers, args.scheduler, args.connect_timeout) == (
        "dask",
        None,
        "tcp://127.0.0.1:8786",
        2.0,
    )
    assert parser.parse_args(["explore", "x.yaml"]).engine is None


def test_the_shipped_sweeps_are_valid(capsys) -> None:
    for name, points in (("sweep_init_time", 12), ("sweep_hbm_fit", 3)):
        assert _main(["sweep", str(ROOT / "scenarios" / f"{name}.yaml"), "--dry-run"]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == f"{points} points, all valid scenarios"
