"""The event log: append-only immutable records, cheap rows read as Records, queries."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ascendsim.errors import MsValueError
from ascendsim.trace import Record, TraceLog


def test_add_returns_an_immutable_record_with_sorted_args():
    log = TraceLog()
    r = log.add("is_init", start=5, name="w", cause="graph_0", z=1, a="x")
    assert r == Record(0, "is_init", 5, 5, None, "", "w", "graph_0", 0, (("a", "x"), ("z", 1)))
    assert (r.duration, r.arg("z"), r.arg("missing", 9), r.args_dict) == (
        0,
        1,
        9,
        {"a": "x", "z": 1},
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.start = 6
    assert r.to_dict() == {
        "seq": 0, "kind": "is_init", "start": 5, "end": 5, "device": None, "track": "",
        "name": "w", "cause": "graph_0", "nbytes": 0, "args": {"a": "x", "z": 1},
    }  # fmt: skip


def test_add_validates_times():
    log = TraceLog()
    with pytest.raises(MsValueError, match="needs 0 <= start <= end, got start=5, end=4"):
        log.add("x", start=5, end=4)
    with pytest.raises(MsValueError, match="must be integers"):
        log.add("x", start=1.5)
    r = log.add("x", start=np.int64(3), end=np.int64(4), device=np.int64(1))
    assert (type(r.start), r.end, type(r.device)) == (int, 4, int)
    assert len(log) == 1  # refused records were not appended


def test_cheap_rows_read_back_exactly_like_added_records():
    class Lazy:
        def _as_record(self, seq: int) -> Record:
            return Record(seq, "kernel", 1, 2, 0, "stream0", "k", "", 0, (("unit", "cube"),))

    log = TraceLog()
    log.add("alloc", start=0, device=0, track="hbm", name="w", nbytes=8, addr=0, used_after=512)
    seq1 = log.append_row("alloc", 0, 0, 0, "hbm", "w", "", 8, ("addr", "used_after"), (0, 512))
    seq2 = log.append_lazy(Lazy())
    seq3 = log.append_row("copy", 0, 9, 1, "pcie.h2d", "x", "p", 4, None, (("stream", "s"),))
    assert (seq1, seq2, seq3) == (1, 2, 3)
    a, b, k, c = log.records
    assert dataclasses.replace(a, seq=1, cause="") == b
    assert k == Record(2, "kernel", 1, 2, 0, "stream0", "k", "", 0, (("unit", "cube"),))
    assert (c.end, c.device, c.arg("stream")) == (9, 1, "s")


def test_the_log_keeps_no_callbacks_or_blocks_alive():
    # a finished kernel's row drops the task's callbacks (and whatever they reference, in
    # PyNative the op's outputs); memory rows hold plain values, so a freed block dies
    import gc
    import inspect
    import weakref

    from ascendsim.config import load_hardware
    from ascendsim.device import System

    system = System(load_hardware("ascend910b"))
    npu = system.device(0)

    class Payload:
        pass

    payload = Payload()
    task = npu.stream().launch_kernel("k", duration=5, on_done=lambda t, p=payload: None)
    block = npu.memory.alloc(64, owner="w")
    system.run()
    npu.memory.free(block)
    ref = weakref.ref(payload)
    del task, payload
    gc.collect()
    assert ref() is None  # the finished task's callback (and what it captured) was dropped
    assert [r for r in gc.get_referrers(block) if not inspect.isframe(r)] == []
    kinds = [r.kind for r in system.trace.records]
    assert kinds.count("kernel") == 1 and kinds.count("alloc") == kinds.count("free") == 1


def test_records_view_is_live_and_read_only():
    log = TraceLog()
    view = log.records
    log.add("a", start=0)
    log.append_row("b", 1, 1, None, "", "", "", 0)
    assert len(view) == 2 and [r.kind for r in view] == ["a", "b"] and view[-1].seq == 1
    assert [r.kind for r in view[:1]] == ["a"]
    assert not hasattr(view, "append")


def test_filter_and_first():
    log = TraceLog()
    log.add("kernel", start=0, end=5, device=0, track="stream0", name="Add", cause="n1")
    log.add("kernel", start=5, end=9, device=1, track="stream0", name="Mul", cause="n2")
    log.add("host", start=0, end=3, track="host", name="Add")
    assert [r.seq for r in log.filter(kind="kernel")] == [0, 1]
    assert [r.seq for r in log.filter(name="Add")] == [0, 2]
    assert [r.seq for r in log.filter(device=None)] == [2]
    assert [r.seq for r in log.filter(device=1, cause="n2", track="stream0")] == [1]
    assert log.first(kind="kernel", device=1).name == "Mul"
    assert log.first(kind="free") is None
    assert log.kinds() == ["kernel", "host"]


def test_memory_series_steps_per_device():
    log = TraceLog()
    log.add("alloc", start=0, device=0, used_after=512)
    log.add("alloc", start=3, device=1, used_after=1024)
    log.add("free", start=7, device=0, used_after=0)
    log.add("alloc", start=8, device=None, track="memory", used_after=10)
    assert log.memory_series(0) == [(0, 0), (0, 512), (7, 0)]
    assert log.memory_series(1) == [(0, 0), (3, 1024)]
    assert log.memory_series(None) == [(0, 0), (8, 10)]
    assert log.memory_series(None, track="other") == [(0, 0)]
