"""Running sweeps: rows in point order whatever the engine, failures as rows, resume, Ctrl-C."""

from __future__ import annotations

import multiprocessing
import sys
import time
import types
from pathlib import Path

import pytest

import ascendsim.sweep
from ascendsim.sweep.dask_engine import DaskEngine
from ascendsim.sweep.engines import EngineError, make_engine
from ascendsim.sweep.results import SweepError

DATA = Path(__file__).parent / "data"
BASE = str(DATA / "base.yaml")
PROGS = str(DATA / "progs.yaml")


def _spec(**axes: list) -> dict:
    return {"name": "t", "scenario": BASE, "axes": axes}


def test_local_and_dask_give_the_same_rows_and_byte_identical_files(tmp_path: Path) -> None:
    spec = _spec(seed=[0, 1], **{"run.schedule": ["program", "reverse"]})
    local = ascendsim.sweep(spec, workers=2, out=tmp_path / "local")
    dask = ascendsim.sweep.sweep(
        spec, engine="dask", workers=2, processes=False, out=tmp_path / "dask"
    )
    assert [(r["point"], r["seed"], r["run.schedule"], r["status"]) for r in local] == [
        (0, 0, "program", "pass"),
        (1, 0, "reverse", "pass"),
        (2, 1, "program", "pass"),
        (3, 1, "reverse", "pass"),
    ]
    row = local[0]
    assert (row["overflow_steps"], row["expect.0.output"], row["error"]) == ([1], "pass", None)
    assert row["events"] > 0 and row["simulated_ns"] > 0 and row["peak_hbm_per_device"][0] > 0
    assert local.columns[:4] == ["point", "hash", "seed", "run.schedule"]
    assert local.columns[-2:] == ["expect.0.output", "error"]
    assert local.exit_code == 0 and dask.rows == local.rows
    for ext in (".csv", ".jsonl"):
        assert (tmp_path / f"local{ext}").read_bytes() == (tmp_path / f"dask{ext}").read_bytes()
    csv = (tmp_path / "local.csv").read_text().splitlines()
    assert csv[0].startswith("point,hash,seed,run.schedule,status,simulated_ns,init_graph_ns,")
    assert len(csv) == 5


def test_raising_and_dying_points_are_rows_and_the_sweep_goes_on(tmp_path: Path) -> None:
    """A program that raises is an ``error`` row; one that kills its worker process is
    retried once, alone, then reported ``crashed``; the points around them still pass."""
    spec = {
        "scenario": PROGS,
        "axes": {
            "program.python": ["progs:ok", "progs:boom", "progs:die", "progs:ok"],
            "seed": [0],
        },
    }
    result = ascendsim.sweep(spec, workers=2, out=tmp_path / "r")
    assert [(r["point"], r["status"]) for r in result] == [
        (0, "pass"),
        (1, "error"),
        (2, "crashed"),
        (3, "pass"),
    ]
    assert result[1]["error"] == "RuntimeError: boom while building the program"
    assert result[2]["error"].startswith("the worker process running this point died twice")
    assert result.exit_code == 1 and len(result.failed) == 2
    assert not multiprocessing.active_children()


def test_resume_runs_only_the_missing_points_and_gives_the_same_file(tmp_path: Path) -> None:
    first = ascendsim.sweep(
        _spec(seed=[0, 1]), engine="dask", processes=False, out=tmp_path / "part"
    )
    assert first.exit_code == 0
    ran: list[int] = []
    resumed = ascendsim.sweep(
        _spec(seed=[0, 1, 2]),
        engine="dask",
        processes=False,
        resume=tmp_path / "part.jsonl",
        on_row=lambda r: ran.append(r["point"]),
    )
    assert (ran, resumed.resumed, len(resumed)) == ([2], 2, 3)
    fresh = ascendsim.sweep(
        _spec(seed=[0, 1, 2]), engine="dask", processes=False, out=tmp_path / "fresh"
    )
    assert fresh.rows == resumed.rows
    assert (tmp_path / "part.jsonl").read_bytes() == (tmp_path / "fresh.jsonl").read_bytes()
    (tmp_path / "bad.jsonl").write_text('{"hash": "x"}\n')
    with pytest.raises(SweepError, match=r"bad.jsonl:1: not a results row"):
        ascendsim.sweep(_spec(seed=[0]), resume=tmp_path / "bad.jsonl")


def test_ctrl_c_cancels_the_rest_and_writes_the_finished_rows(tmp_path: Path) -> None:
    def interrupt(row: dict) -> None:
        raise KeyboardInterrupt

    # a pool from an earlier test may still be exiting: judge only this sweep's processes
    before = set(multiprocessing.active_children())
    result = ascendsim.sweep(
        _spec(seed=[0, 1, 2, 3]), workers=1, out=tmp_path / "r", on_row=interrupt
    )
    assert (result.interrupted, result.exit_code, len(result), result.total) == (True, 130, 1, 4)
    lines = (tmp_path / "r.jsonl").read_text().splitlines()
    assert len(lines) == 1 and '"point": 0' in lines[0]
    # terminated workers exit asynchronously: none may remain once they had time to exit
    deadline = time.monotonic() + 10
    while set(multiprocessing.active_children()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(multiprocessing.active_children()) - before


def test_dask_is_an_optional_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(EngineError) as info:
        make_engine("dask")
    assert str(info.value) == (
        'the dask engine needs Dask, which is not installed: pip install "ascendsim[dist]"'
    )


def test_an_unreachable_scheduler_is_one_line_within_the_timeout(tmp_path: Path) -> None:
    t0 = time.monotonic()
    with pytest.raises(EngineError) as info:
        ascendsim.sweep(
            _spec(seed=[0]),
            engine="dask",
            scheduler="tcp://127.0.0.1:9",
            connect_timeout=1,
            out=tmp_path / "r",
        )
    assert time.monotonic() - t0 < 10
    msg = str(info.value)
    assert msg.startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 1 s (")
    assert "\n" not in msg and info.value.exit_code == 2
    assert not (tmp_path / "r.jsonl").exists()  # nothing ran, nothing written
    with pytest.raises(EngineError, match="expected an address such as tcp://HOST:PORT"):
        DaskEngine("not an address")
    with pytest.raises(EngineError, match="--scheduler joins a Dask cluster: add --engine dask"):
        make_engine("local", scheduler="tcp://127.0.0.1:9")


def test_a_dask_worker_that_dies_is_replaced_and_its_point_retried_once(tmp_path: Path) -> None:
    spec = {"scenario": PROGS, "axes": {"program.python": ["progs:die", "progs:ok"]}}
    result = ascendsim.sweep(spec, engine="dask", workers=1)
    assert [(r["status"], (r["error"] or "")[:39]) for r in result] == [
        ("crashed", "the Dask worker running this point died"),
        ("pass", ""),
    ]


def test_rows_as_a_dataframe(monkeypatch: pytest.MonkeyPatch) -> None:
    result = ascendsim.sweep(_spec(seed=[0]), engine="dask", processes=False)
    seen = {}

    class DataFrame:
        @staticmethod
        def from_records(records, columns):
            seen.update(records=records, columns=columns)
            return "frame"

    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=DataFrame))
    assert result.dataframe() == "frame"
    assert seen["columns"] == result.columns
    assert seen["records"] == [[result[0][c] for c in result.columns]]
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(SweepError, match=r"needs pandas: pip install pandas"):
        result.dataframe()


SIGINT_SCRIPT = """
import sys
import ascendsim.sweep

if __name__ == "__main__":
    spec = {"scenario": sys.argv[1], "axes": {"seed": list(range(40)), "run.steps": [60]}}
    result = ascendsim.sweep(spec, workers=2, out=sys.argv[2],
                             on_row=lambda row: print("row", flush=True))
    print("interrupted" if result.interrupted else "finished", len(result), flush=True)
"""


def test_a_real_sigint_stops_the_workers_and_keeps_the_rows(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess

    script = tmp_path / "run.py"
    script.write_text(SIGINT_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script), BASE, str(tmp_path / "r")],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout.readline() == "row\n"  # a point finished: the workers are running
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: workers get it too
    out, _ = proc.communicate(timeout=30)
    last = out.splitlines()[-1].split()
    assert last[0] == "interrupted" and 1 <= int(last[1]) < 40
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == int(last[1])


def test_the_shipped_sweeps_answer_their_questions() -> None:
    root = Path(__file__).resolve().parents[2] / "scenarios"
    fit = ascendsim.sweep(root / "sweep_hbm_fit.yaml", engine="dask", processes=False)
    assert [(r["hardware"], r["status"]) for r in fit] == [
        ("ascend910a", "pass"),
        ("ascend910b", "pass"),
        ("ascend310p", "error"),
    ]
    assert fit[0]["peak_hbm_bytes"] == fit[1]["peak_hbm_bytes"] > 24 * 2**30
    assert fit[2]["error"].startswith("DeviceOutOfMemory: npu0.hbm: out of device memory")
    init = ascendsim.sweep(root / "sweep_init_time.yaml", engine="dask", processes=False)
    assert init.exit_code == 0 and len(init) == 12
    ns = {(r["devices"], r["hardware.pcie.h2d_bandwidth"]): r["init_graph_ns"] for r in init}
    for d in (1, 2, 4, 8):  # twice the bandwidth: half the time (within the launch overhead)
        assert abs(ns[d, "16GB/s"] / ns[d, "32GB/s"] - 2) < 0.01
        assert abs(ns[d, "32GB/s"] / ns[d, "64GB/s"] - 2) < 0.01
        assert abs(ns[d, "16GB/s"] / ns[1, "16GB/s"] - 1) < 0.01  # one PCIe link per device
    assert [len(r["peak_hbm_per_device"]) for r in init[::3]] == [1, 2, 4, 8]
