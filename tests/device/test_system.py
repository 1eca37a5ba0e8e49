"""The System: build-then-run, topology, host timeline, ids and isolation of systems."""

from __future__ import annotations

import pytest

from ascendsim.device import System
from ascendsim.errors import ConfigError, MsValueError

from . import small_config, timeline


def test_building_a_system_starts_nothing_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    system = System(small_config(), devices=4, seed=3)
    assert system.env.peek() == float("inf")
    assert len(system.trace) == 0 and system.now == 0 and system.links == []
    system.run()
    assert list(tmp_path.iterdir()) == []
    assert [d.name for d in system.devices] == ["npu0", "npu1", "npu2", "npu3"]


def test_topology_hccs_inside_a_group_network_between_groups():
    system = System(small_config(), devices=4)  # group_size 2: {0, 1}, {2, 3}
    hccs, net, ps = system.d2d_link(0, 1), system.d2d_link(1, 2), system.network_link("ps0")
    got = [(lk.name, lk.track, lk.device, lk.bandwidth, lk.latency) for lk in (hccs, net, ps)]
    assert got == [
        ("npu0.hccs.0-1", "hccs.0-1", 0, 4.0, 10),
        ("npu1.net.1-2", "net.1-2", 1, 1.0, 1000),
        ("host.net.ps0", "net.ps0", None, 1.0, 1000),
    ]
    assert system.d2d_link(0, 1) is hccs and system.d2d_link(1, 0) is not hccs
    assert system.pcie_h2d(3).name == "npu3.pcie.h2d" and system.pcie_d2h(3).bandwidth == 2.0
    assert [lk.name for lk in system.links] == [
        "npu0.hccs.0-1", "npu1.net.1-2", "host.net.ps0", "npu1.hccs.1-0", "npu3.pcie.h2d",
        "npu3.pcie.d2h",
    ]  # fmt: skip


def test_bad_device_references_name_the_fix():
    system = System(small_config(), devices=2)
    with pytest.raises(MsValueError, match=r"device 2 does not exist: this system has 2 device"):
        system.device(2)
    with pytest.raises(MsValueError, match="no device-to-device link from npu1 to itself"):
        system.d2d_link(1, 1)
    with pytest.raises(MsValueError, match="at least one device"):
        System(small_config(), devices=0)
    with pytest.raises(ConfigError, match="leaves no HBM for the pool"):
        System(small_config(**{"memory_pool.reserved": 1 << 20}))
    with pytest.raises(MsValueError, match="invalid stream name"):
        system.device(0).stream("a.b")


def test_streams_are_created_once_in_a_stable_order():
    system = System(small_config(), devices=2)
    npu = system.device(1)
    s1 = npu.stream("copy")
    s0 = npu.stream()
    assert npu.stream("copy") is s1 and [s.name for s in npu.streams] == ["copy", "stream0"]
    assert (s0.scoped_name, s0.device, s0.index) == ("npu1.stream0", 1, 1)
    assert [s.scoped_name for s in system.streams] == ["npu1.copy", "npu1.stream0"]


def test_host_launch_overhead_paces_kernels_as_in_pynative():
    system = System(small_config())
    host, stream = system.host, system.device(0).stream()
    for name in ("Conv2D", "ReLU", "Add"):
        stream.launch_kernel(name, duration=10, ready_at=host.launch(name, cause=name))
    system.run_until(stream.sync_event())
    host.wait_until(system.now, cause="asnumpy")
    system.run()
    assert timeline(system) == [
        ("host", "Conv2D", "host", 0, 1000),
        ("host", "ReLU", "host", 1000, 2000),
        ("host", "Add", "host", 2000, 3000),
        ("kernel", "Conv2D", "stream0", 1000, 1010),
        ("kernel", "ReLU", "stream0", 2000, 2010),
        ("kernel", "Add", "stream0", 3000, 3010),
        ("host", "sync", "host", 3010, 3010),
    ]
    assert [r.arg("op") for r in system.trace.filter(kind="host")] == [
        "launch", "launch", "launch", "sync",
    ]  # fmt: skip
    assert host.memcpy(2000, "stage") == 3010 + 1000  # 2 GB/s


def test_ids_and_rng_belong_to_the_system():
    a, b = System(small_config(), seed=7), System(small_config(), seed=7)
    assert [a.next_id("event"), a.next_id("event"), a.next_id("node")] == [0, 1, 0]
    assert b.next_id("event") == 0
    assert a.create_event("x").id == 2 and b.create_event("x").id == 1
    assert a.rng.integers(0, 1000, 5).tolist() == b.rng.integers(0, 1000, 5).tolist()
    assert System(small_config(), seed=8).rng.integers(0, 10**9) != System(
        small_config(), seed=7
    ).rng.integers(0, 10**9)


def _workload(system: System, scale: int) -> None:
    npu = system.device(0)
    ev = npu.create_event("e")
    npu.memory.alloc(1000 * scale, owner="w", persistent=True)
    npu.stream().launch_kernel("k", duration=10 * scale)
    npu.stream().record(ev)
    npu.stream("s1").wait(ev)
    npu.stream("s1").copy(system.pcie_d2h(0), 100 * scale, name="out")


def test_two_systems_in_one_process_do_not_interfere():
    a, b, c = (System(small_config()) for _ in range(3))
    _workload(a, 1)
    _workload(b, 5)  # interleaved with a
    a.run(until=5)
    b.run()
    a.run()
    _workload(c, 1)
    c.run()
    assert list(a.trace.records) == list(c.trace.records)
    assert a.now == c.now == 10 + 50 + 50 and b.now == 50 + 50 + 250
    assert len(b.trace) == len(a.trace) == 5
