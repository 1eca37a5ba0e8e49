"""Chrome / Perfetto export: structure, counters, flows, units and byte-identical output."""

from __future__ import annotations

import json

from ascendsim.config import load_hardware
from ascendsim.device import System
from ascendsim.trace import to_chrome_json, write_chrome_trace

OVERRIDES = {"runtime.task_overhead": 0, "pcie.h2d_bandwidth": "1GB/s", "pcie.h2d_latency": 100}


def _run() -> System:
    system = System(load_hardware("ascend910a", overrides=OVERRIDES), devices=2)
    npu = system.device(0)
    s0, s1 = npu.stream("stream0"), npu.stream("stream1")
    w = npu.memory.alloc(1000, owner="w", persistent=True)
    system.trace.add("is_init", start=0, name="w", cause="init_graph", value=True)
    s0.copy(system.pcie_h2d(0), 1400, name="w H2D", cause="w")  # 0 .. 1500
    ev = npu.create_event("w_synced")
    s0.record(ev)
    s1.wait(ev)
    s1.launch_kernel("MatMul", duration=2500, cause="matmul_1")
    s1.launch_kernel("ReLU", duration=7, on_done=lambda t: npu.float_status.set("ReLU"))
    system.device(1).stream().launch_kernel("Add", duration=3)
    system.run()
    npu.memory.free(w)
    return system


def test_processes_threads_events_counters_and_flows():
    system = _run()
    data = json.loads(to_chrome_json(system.trace, metadata={"scenario": "demo"}))
    assert data["displayTimeUnit"] == "ns" and data["otherData"] == {"scenario": "demo"}
    events = data["traceEvents"]
    meta = {(e["pid"], e["tid"], e["name"]): e["args"] for e in events if e["ph"] == "M"}
    processes = {pid: a["name"] for (pid, _, n), a in meta.items() if n == "process_name"}
    threads = {(p, t): a["name"] for (p, t, n), a in meta.items() if n == "thread_name"}
    assert processes == {0: "host", 1: "npu0", 2: "npu1"}
    assert threads == {
        (0, 1): "is_init",
        (1, 1): "stream0", (1, 2): "stream1", (1, 3): "pcie.h2d", (1, 4): "float_status",
        (1, 5): "hbm",
        (2, 1): "stream0",
    }  # fmt: skip

    def find(name, ph):
        return [e for e in events if e["name"] == name and e["ph"] == ph]

    (copy,) = find("w H2D", "X")
    assert (copy["ts"], copy["dur"], copy["pid"], copy["tid"], copy["cat"]) == (
        0,
        1.5,
        1,
        3,
        "copy",
    )
    assert copy["args"] == {"cause": "w", "nbytes": 1400, "seq": 3, "stream": "npu0.stream0"}
    (matmul,) = find("MatMul", "X")
    assert (matmul["ts"], matmul["dur"], matmul["tid"]) == (1.5, 2.5, 2)
    (relu,) = find("ReLU", "X")
    assert relu["ts"] == 4.0 and relu["dur"] == 0.007
    (overflow,) = find("ReLU", "i")
    assert (overflow["cat"], overflow["s"], overflow["ts"], overflow["tid"]) == (
        "float_status_set", "t", 4.007, 4,
    )  # fmt: skip
    assert [(e["ts"], e["args"]) for e in events if e["ph"] == "C"] == [
        (0, {"bytes": 1536}), (4.007, {"bytes": 0}),
    ]  # fmt: skip
    assert {e["name"] for e in events if e["ph"] == "C"} == {"hbm used"}

    flows = [e for e in events if e["ph"] in ("s", "f")]
    (wait_rec,) = system.trace.filter(kind="event_wait")
    assert flows == [
        {"ph": "s", "id": wait_rec.seq, "cat": "event", "name": "event w_synced", "ts": 1.5,
         "pid": 1, "tid": 1},
        {"ph": "f", "bp": "e", "id": wait_rec.seq, "cat": "event", "name": "event w_synced",
         "ts": 1.5, "pid": 1, "tid": 2},
    ]  # fmt: skip
    # the flow ends are slices (zero-length X) so both viewers can bind the arrow
    ends = [(e["cat"], e["ts"], e["dur"], e["tid"]) for e in find("w_synced", "X")]
    assert ends == [("event_wait", 0, 1.5, 2), ("event_record", 1.5, 0, 1)]


def test_output_is_sorted_stable_and_byte_identical_across_runs(tmp_path):
    text = to_chrome_json(_run().trace)
    assert text == to_chrome_json(_run().trace)
    lines = text.splitlines()[1:-1]
    for line in lines:
        event = json.loads(line.rstrip(","))
        assert line.rstrip(",") == json.dumps(event, sort_keys=True, separators=(",", ":"))
    timed = [json.loads(line.rstrip(","))["ts"] for line in lines if '"ph":"M"' not in line]
    assert timed == sorted(timed)
    assert str(tmp_path) not in text

    path = write_chrome_trace(_run().trace, tmp_path / "out" / "trace.json")
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in path.parent.iterdir()] == ["trace.json"]


def test_an_empty_log_is_a_valid_trace():
    system = System(load_hardware("ascend910a"))
    assert json.loads(to_chrome_json(system.trace)) == {
        "displayTimeUnit": "ns", "otherData": {}, "traceEvents": [],
    }  # fmt: skip
