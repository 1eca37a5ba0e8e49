"""``narrate``: the run in plain words (GE init graph, float status, hazards, allocations)."""

from __future__ import annotations

import re

import pytest

from ascendsim.errors import MsValueError
from ascendsim.scenario.commands import main_for_tests
from ascendsim.trace.log import TraceLog
from ascendsim.trace.narrative import format_time, narrate
from tests.cli import SCENARIOS, run


def test_ge_init_graph_is_told_flip_copy_and_sync_in_time_order() -> None:
    lines = narrate(run("ge_init_graph").system.trace)
    about_params = [
        line
        for line in lines
        if ("conv1.weight`" in line or "fc.weight`" in line)
        and "HBM" not in line.split(": ", 1)[1][:10]
        and "host memory" not in line.split(": ", 1)[1][:12]
    ]
    assert about_params == [
        "t=5 us: `conv1.weight`.is_init = True (GE init graph launched)",
        "t=5 us: `fc.weight`.is_init = True (GE init graph launched)",
        "t=5 us: init graph copies `conv1.weight` (864 B) host->npu0 over PCIe (2.07 us)",
        "t=7.07 us: `conv1.weight` synced: its init-graph copy is in npu0 HBM; the compute "
        "graph may read it now",
        "t=7.07 us: init graph copies `fc.weight` (320 B) host->npu0 over PCIe (2.013 us)",
        "t=9.083 us: `fc.weight` synced: its init-graph copy is in npu0 HBM; the compute "
        "graph may read it now",
    ]
    first = [line for line in lines if "host memory" not in line][0]
    assert first == "t=0 ns: host launches the GE init graph of `scenario` (5 us)"
    # three steps, one init graph: the parameters are allocated once, as one group
    assert (
        lines.count(
            "t=5 us: npu0 HBM: 2 allocations of 1.50 KiB (`conv1.weight`, "
            "`fc.weight`), 1.50 KiB in use"
        )
        == 1
    )
    assert [line for line in lines if "runs `conv1`" in line] == [
        "t=10 us: npu0 stream0 runs `conv1` (cube, float32, 110,592 FLOP) for 1.011 us",
        "t=19.033 us: npu0 stream0 runs `conv1` (cube, float32, 110,592 FLOP) for 1.011 us",
        "t=28.066 us: npu0 stream0 runs `conv1` (cube, float32, 110,592 FLOP) for 1.011 us",
    ]
    assert re.fullmatch(
        r"t=34\.101 us: end of run: npu0 HBM peak [\d.]+ KiB, final [\d.]+ KiB; "
        r"host memory peak [\d.]+ KiB, final [\d.]+ (KiB|B)",  # the program's end frees the host
        lines[-1],
    )
    assert narrate(run("ge_init_graph").system.trace) == lines  # deterministic


def test_float_status_register_is_told_clear_set_read() -> None:
    lines = narrate(run("float16_overflow").system.trace)
    assert [line for line in lines if "float-status register" in line] == [
        "t=7.002 us: `clear` cleared the float-status register of npu0 (it was clear)",
        "t=8.003 us: `doubled` overflowed: float-status register of npu0 set",
        "t=9.004 us: `get` read the float-status register of npu0: overflow",
    ]


def _hand_trace() -> TraceLog:
    t = TraceLog()
    t.add("host", start=0, end=5000, track="host", name="launch k", cause="k", op="launch")
    mem = {"device": 0, "track": "hbm", "nbytes": 100, "size": 512}
    t.add("alloc", start=0, name="a", cause="a", used_after=512, persistent=False, **mem)
    t.add("alloc", start=0, name="w", cause="w", used_after=1024, persistent=True, **mem)
    t.add("alloc", start=5000, name="k", cause="k", used_after=1536, persistent=False, **mem)
    t.add(
        "kernel",
        start=5000,
        end=6001,
        device=0,
        track="stream0",
        name="k",
        cause="k",
        unit="vector",
        dtype="float16",
        flops=4,
    )
    t.add(
        "float_status_set",
        start=6001,
        device=0,
        track="float_status",
        name="k",
        cause="k",
        node="k",
        was_set=False,
    )
    t.add(
        "float_status_read",
        start=7000,
        device=0,
        track="float_status",
        name="g",
        cause="g",
        is_set=True,
    )
    t.add(
        "hazard",
        start=7000,
        device=0,
        track="float_status",
        name="float_status_order",
        cause="g",
        message="g reads a stale overflow from k. Clear first",
    )
    t.add("free", start=8000, name="k", cause="k", used_after=1024, persistent=False, **mem)
    t.add(
        "event_wait",
        start=8000,
        end=9500,
        device=0,
        track="stream0",
        name="synced w",
        event="synced w",
    )
    t.add("event_record", start=9500, device=0, track="init", name="synced w")
    return t


def test_a_hand_made_trace_is_told_line_for_line() -> None:
    assert narrate(_hand_trace()) == [
        "t=0 ns: npu0 HBM: 2 allocations of 1 KiB (`a`, `w`), 1 KiB in use",
        "t=5 us: npu0 stream0 runs `k` (vector, float16, 4 FLOP) for 1.001 us; its output "
        "takes 512 B of npu0 HBM (1.50 KiB in use)",
        "t=6.001 us: `k` overflowed: float-status register of npu0 set",
        "t=7 us: `g` read the float-status register of npu0: overflow",
        "t=7 us: HAZARD (float_status_order) on npu0: g reads a stale overflow from k. Clear first",
        "t=8 us: npu0 HBM frees 512 B for `k` (dynamic); 1 KiB in use",
        "t=8 us: npu0 stream0 waits 1.5 us for event `synced w`",
        "t=9.5 us: end of run: npu0 HBM peak 1.50 KiB, final 1 KiB",
    ]


def test_limit_keeps_the_first_lines_and_says_how_many_were_left_out() -> None:
    lines = narrate(_hand_trace(), limit=3)
    assert lines[:2] == narrate(_hand_trace())[:2]
    assert lines[2] == "... 6 more lines left out (limit 3)"
    assert narrate(_hand_trace(), limit=0) == []
    with pytest.raises(MsValueError, match="limit must be >= 0"):
        narrate(_hand_trace(), limit=-1)


def test_thousands_of_allocations_become_one_line_per_milestone() -> None:
    t = TraceLog()
    mem = {"device": 0, "track": "hbm", "nbytes": 8, "size": 512, "persistent": False}
    for i in range(300):  # each buffer is allocated, read by an unrelated kernel, freed
        t.add("alloc", start=i * 10, name=f"b{i}", cause=f"b{i}", used_after=512, **mem)
        t.add(
            "kernel",
            start=i * 10,
            end=i * 10 + 5,
            device=0,
            track="stream0",
            name=f"k{i}",
            cause=f"k{i}",
        )
        t.add("free", start=i * 10 + 5, name=f"b{i}", cause=f"b{i}", used_after=0, **mem)
    t.add("graph", start=3000, device=0, track="host", name="g", run=1, nodes=1, policy="program")
    lines = narrate(t)
    assert len(lines) == 300 + 3
    assert lines[300] == (
        "t=2.995 us: since t=0 ns, npu0 HBM: 300 allocations of 150 KiB (`b0`, `b1`, `b2` and "
        "297 more), 300 frees of 150 KiB (`b0`, `b1`, `b2` and 297 more), peak 512 B, 0 B in use"
    )
    assert lines[301] == "t=3 us: graph `g` run 1 starts (1 node, schedule program)"
    times = [line.split(":")[0] for line in lines]
    assert times[0] == "t=0 ns" and times[-1] == "t=3 us"


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0 ns"),
        (999, "999 ns"),
        (5000, "5 us"),
        (10005, "10.005 us"),
        (539_300_123, "539.300123 ms"),
        (2 * 10**9, "2 s"),
    ],
)
def test_times_are_exact(ns: int, text: str) -> None:
    assert format_time(ns) == text


def test_run_explain_prints_the_story_after_the_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(SCENARIOS / "float16_overflow.yaml")
    assert main_for_tests(["run", path, "--explain"]) == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index(f"what happened in {path}:")
    assert out[start - 1] == "PASS"  # after the summary's verdict
    story = out[start + 1 :]
    assert story == ["  " + line for line in narrate(run("float16_overflow").system.trace)]
    assert "  t=8.003 us: `doubled` overflowed: float-status register of npu0 set" in story
