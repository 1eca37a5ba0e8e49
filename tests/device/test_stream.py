"""Streams: FIFO order, cores shared by streams, copies overlapping kernels, record/wait."""

from __future__ import annotations

import pytest

from ascendsim.device import System
from ascendsim.errors import EventNotRecorded, MsValueError, UnfinishedWork

from . import small_config, timeline


@pytest.fixture
def system() -> System:
    return System(small_config())


def test_stream_is_fifo_and_callbacks_run_at_simulated_start_and_end(system):
    log = []
    s = system.device(0).stream()
    for name, dur in (("k1", 10), ("k2", 5), ("k3", 7)):
        s.launch_kernel(
            name,
            duration=dur,
            on_start=lambda t: log.append(("start", t.name, system.now)),
            on_done=lambda t: log.append(("done", t.name, system.now)),
        )
    system.run()
    assert log == [
        ("start", "k1", 0), ("done", "k1", 10),
        ("start", "k2", 10), ("done", "k2", 15),
        ("start", "k3", 15), ("done", "k3", 22),
    ]  # fmt: skip
    assert timeline(system) == [
        ("kernel", "k1", "stream0", 0, 10),
        ("kernel", "k2", "stream0", 10, 15),
        ("kernel", "k3", "stream0", 15, 22),
    ]
    assert s.idle and system.now == 22


def test_kernels_of_two_streams_serialise_on_cores_while_a_copy_overlaps(system):
    npu = system.device(0)
    npu.stream("stream0").launch_kernel("A", duration=100)
    npu.stream("stream1").launch_kernel("B", duration=50)
    npu.stream("stream2").copy(system.pcie_h2d(0), 200, name="x")  # 100 latency + 200 bytes
    system.run()
    assert timeline(system) == [
        ("kernel", "A", "stream0", 0, 100),
        ("kernel", "B", "stream1", 100, 150),
        ("copy", "x", "pcie.h2d", 0, 300),
    ]
    copy = system.trace.first(kind="copy")
    assert copy.device == 0 and copy.nbytes == 200 and copy.arg("stream") == "npu0.stream2"


def test_kernels_of_different_devices_run_in_parallel():
    system = System(small_config(), devices=2)
    system.device(0).stream().launch_kernel("A", duration=100)
    system.device(1).stream().launch_kernel("B", duration=100)
    system.run()
    assert [(r.device, r.start, r.end) for r in system.trace.records] == [(0, 0, 100), (1, 0, 100)]


def test_aicpu_kernels_do_not_wait_for_the_ai_cores(system):
    npu = system.device(0)
    npu.stream("stream0").launch_kernel("Conv", duration=100, unit="cube")
    npu.stream("stream1").launch_kernel("Unique", duration=30, unit="aicpu")
    system.run()
    assert timeline(system) == [
        ("kernel", "Unique", "stream1", 0, 30),
        ("kernel", "Conv", "stream0", 0, 100),
    ]


def test_kernel_duration_comes_from_the_cost_model():
    system = System(small_config(**{"runtime.task_overhead": 7}))
    # hbm 1 byte/ns: 1000 bytes -> 1000 ns, plus 7 ns task overhead
    task = system.device(0).stream().launch_kernel("Add", nbytes=1000)
    system.run()
    assert (task.start, task.end) == (0, 1007)
    rec = system.trace.records[0]
    assert rec.args == (("dtype", "float16"), ("flops", 0), ("unit", "vector"))
    assert rec.nbytes == 1000


def test_ready_at_delays_the_start_but_not_other_streams(system):
    npu = system.device(0)
    npu.stream("stream0").launch_kernel("late", duration=10, ready_at=1000)
    npu.stream("stream1").launch_kernel("early", duration=500)
    system.run()
    assert timeline(system) == [
        ("kernel", "early", "stream1", 0, 500),
        ("kernel", "late", "stream0", 1000, 1010),
    ]


def test_a_wait_blocks_until_the_record_is_reached_and_links_the_records(system):
    npu = system.device(0)
    s0, s1 = npu.stream("stream0"), npu.stream("stream1")
    ev = npu.create_event("grads_ready")
    s0.launch_kernel("A", duration=100)
    s0.record(ev)
    s1.wait(ev)
    s1.launch_kernel("B", duration=10)
    system.run()
    assert timeline(system) == [
        ("kernel", "A", "stream0", 0, 100),
        ("event_record", "grads_ready", "stream0", 100, 100),
        ("event_wait", "grads_ready", "stream1", 0, 100),
        ("kernel", "B", "stream1", 100, 110),
    ]
    wait = system.trace.first(kind="event_wait")
    assert wait.arg("record_seq") == 1 and wait.arg("record_stream") == "npu0.stream0"


def test_a_wait_on_a_record_already_reached_takes_no_time(system):
    npu = system.device(0)
    s0, s1 = npu.stream("stream0"), npu.stream("stream1")
    ev = system.create_event("e")
    s0.launch_kernel("A", duration=100)
    s0.record(ev)
    s1.launch_kernel("C", duration=30)  # cores busy until 100: runs 100..130
    s1.wait(ev)
    s1.launch_kernel("B", duration=10)
    system.run()
    assert timeline(system) == [
        ("kernel", "A", "stream0", 0, 100),
        ("event_record", "e", "stream0", 100, 100),
        ("kernel", "C", "stream1", 100, 130),
        ("event_wait", "e", "stream1", 130, 130),
        ("kernel", "B", "stream1", 130, 140),
    ]


def test_a_wait_targets_the_latest_record_submitted_before_it(system):
    npu = system.device(0)
    s0, s1, s2 = (npu.stream(f"stream{i}") for i in range(3))
    ev = npu.create_event("e")
    s0.record(ev)  # reached at 0
    s1.wait(ev)  # targets the first record
    s0.launch_kernel("A", duration=100)
    s0.record(ev)  # reached at 100
    s2.wait(ev)  # targets the second record
    system.run()
    assert timeline(system, "event_record", "event_wait") == [
        ("event_record", "e", "stream0", 0, 0),
        ("event_wait", "e", "stream1", 0, 0),
        ("event_record", "e", "stream0", 100, 100),
        ("event_wait", "e", "stream2", 0, 100),
    ]


def test_a_wait_with_no_record_submitted_raises_at_submission(system):
    npu = system.device(0)
    npu.stream().launch_kernel("A", duration=10)
    system.run()
    with pytest.raises(EventNotRecorded) as exc:
        npu.stream("stream1").wait(npu.create_event("never"))
    assert str(exc.value).startswith("npu0.stream1: wait on event 'never' at t=10 ns")
    assert "submit stream.record('never') on the producing stream first" in str(exc.value)


def test_deadlock_on_an_external_event_is_reported_with_every_stuck_stream(system):
    npu = system.device(0)
    s0, s1 = npu.stream("stream0"), npu.stream("stream1")
    s0.launch_kernel("A", duration=50)
    s0.wait_for(system.env.event(), name="allreduce rendezvous")
    s0.launch_kernel("B", duration=10)
    ev = npu.create_event("e")
    s0.record(ev)
    s1.wait(ev)
    s1.launch_kernel("C", duration=10)
    with pytest.raises(UnfinishedWork) as exc:
        system.run()
    assert str(exc.value) == (
        "simulation ran out of events with unfinished work at t=50 ns: no scheduled event can "
        "make progress (a deadlock: check the record/wait order of the streams below)\n"
        "  npu0.stream0: 3 task(s) pending; first: wait for 'allreduce rendezvous' (a simpy "
        "event that has not triggered)\n"
        "  npu0.stream1: 2 task(s) pending; first: wait for event 'e', waiting for its record "
        "on npu0.stream0 (task 3 of that stream's queue, not reached)"
    )


def test_an_external_wait_ends_when_its_event_fires(system):
    s = system.device(0).stream()
    rendezvous = system.env.timeout(70)
    s.wait_for(rendezvous, name="barrier")
    s.launch_kernel("after", duration=5)
    system.run()
    assert timeline(system) == [
        ("event_wait", "barrier", "stream0", 0, 70),
        ("kernel", "after", "stream0", 70, 75),
    ]


def test_done_events_exist_only_on_demand_and_sync_event_drains(system):
    s = system.device(0).stream()
    t1 = s.launch_kernel("k1", duration=10)
    t2 = s.launch_kernel("k2", duration=20)
    assert t1._hooks is None  # nothing paid for an event nobody asked for
    assert system.run_until(t1.done) is t1 and system.now == 10
    assert t2.end is None and t2.start == 10
    system.run_until(s.sync_event())
    assert system.now == 30 and s.idle
    assert t1.done.triggered  # asked after the fact: already succeeded
    assert system.run_until(s.sync_event()) is None and system.now == 30


def test_run_until_is_inclusive_and_run_until_event_reports_a_missing_trigger(system):
    s = system.device(0).stream()
    s.launch_kernel("k", duration=100)
    system.run(until=100)
    assert system.now == 100 and len(system.trace) == 1
    with pytest.raises(MsValueError, match="before the current time"):
        system.run(until=50)
    with pytest.raises(UnfinishedWork) as exc:
        system.run_until(system.env.event(), "the loss value")
    assert str(exc.value).startswith(
        "waited for the loss value, which never triggered, at t=100 ns: no scheduled event"
    )
    assert str(exc.value).endswith("\n  every stream is idle")


def test_copies_on_a_stream_run_in_order(system):
    s = system.device(0).stream()
    h2d = system.pcie_h2d(0)
    s.copy(h2d, 100, name="a")  # 100 + 100
    s.copy(h2d, 100, name="b")  # starts after a: 200 .. 400
    s.launch_kernel("k", duration=1)
    system.run()
    assert timeline(system) == [
        ("copy", "a", "pcie.h2d", 0, 200),
        ("copy", "b", "pcie.h2d", 200, 400),
        ("kernel", "k", "stream0", 400, 401),
    ]


def test_times_must_be_non_negative_ns_and_floats_round_up(system):
    s = system.device(0).stream()
    with pytest.raises(MsValueError, match="kernel 'k' duration must be a non-negative number"):
        s.launch_kernel("k", duration=-1)
    with pytest.raises(MsValueError, match="ready_at must be a non-negative number of ns"):
        s.launch_kernel("k", duration=1, ready_at="soon")
    task = s.launch_kernel("k", duration=2.5, ready_at=1.2)
    system.run()
    assert (task.start, task.end) == (2, 5)


def test_on_start_runs_when_the_cores_free_up_and_records_honour_ready_at(system):
    log = []
    npu = system.device(0)
    ev = npu.create_event("e")
    npu.stream("stream0").launch_kernel("A", duration=100)
    npu.stream("stream1").launch_kernel(
        "B", duration=5, on_start=lambda t: log.append(("start", t.name, system.now, t.start))
    )
    npu.stream("stream2").record(ev, ready_at=40)
    npu.stream("stream3").wait(ev, ready_at=10)
    system.run()
    assert log == [("start", "B", 100, 100)]
    assert timeline(system, "event_record", "event_wait") == [
        ("event_record", "e", "stream2", 40, 40),
        ("event_wait", "e", "stream3", 10, 40),
    ]
