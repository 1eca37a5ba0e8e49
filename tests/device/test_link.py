"""Links: latency + bytes / bandwidth, and fair sharing among concurrent transfers."""

from __future__ import annotations

import pytest
import simpy

from ascendsim.config import load_hardware
from ascendsim.device import Link, System
from ascendsim.errors import MsValueError
from ascendsim.trace import TraceLog

from . import small_config


def _link(bandwidth: float = 1.0, latency: int = 0) -> tuple[simpy.Environment, Link, TraceLog]:
    env, log = simpy.Environment(), TraceLog()
    return env, Link("test.link", bandwidth, latency, env=env, trace=log, track="pcie.h2d"), log


def _ends(log: TraceLog) -> list[tuple[str, int, int]]:
    return [(r.name, r.start, r.end) for r in log.records]


def test_one_transfer_takes_latency_plus_bytes_over_bandwidth_exactly():
    system = System(small_config())
    h2d, d2h = system.pcie_h2d(0), system.pcie_d2h(0)
    h2d.transfer(1000, name="w")  # 100 + 1000 / 1.0
    d2h.transfer(1001, name="r")  # 50 + ceil(1001 / 2.0)
    system.run()
    assert [(r.name, r.track, r.start, r.end) for r in system.trace.records] == [
        ("r", "pcie.d2h", 0, 551),
        ("w", "pcie.h2d", 0, 1100),
    ]


def test_preset_numbers_round_up_without_float_noise():
    system = System(load_hardware("ascend910a"))  # PCIe 25 GB/s, 2 us latency
    link = system.pcie_h2d(0)
    link.transfer(1000, name="exact")  # 1000 / 25.0 = 40 ns, not 41
    system.run()
    assert system.trace.records[0].end == 2040
    assert system.device(0).cost.copy_ns(1000, link) == 2040
    assert system.device(0).cost.copy_ns(1001, link) == 2041


def test_two_equal_concurrent_transfers_both_finish_at_twice_the_time():
    env, link, log = _link(1.0, 100)
    alone_env, alone, alone_log = _link(1.0, 100)
    alone.transfer(1000, name="alone")
    alone_env.run()
    link.transfer(1000, name="a")
    link.transfer(1000, name="b")
    env.run()
    assert _ends(alone_log) == [("alone", 0, 1100)]
    assert _ends(log) == [("a", 0, 2100), ("b", 0, 2100)]


def test_sharing_is_recomputed_whenever_a_transfer_joins_or_leaves():
    env, link, log = _link(1.0, 100)

    def later():
        yield env.timeout(600)
        link.transfer(500, name="B")

    link.transfer(1000, name="A")  # alone from 100 to 700: 600 bytes, 400 left
    env.process(later())  # joins at 700; both at 0.5 B/ns; A done at 1500, B's last 100 B alone
    env.run()
    assert _ends(log) == [("A", 0, 1500), ("B", 600, 1600)]


def test_three_transfers_of_different_sizes_share_then_speed_up():
    env, link, log = _link(1.0, 0)
    for name, n in (("s", 100), ("m", 200), ("l", 300)):
        link.transfer(n, name=name)
    env.run()
    assert _ends(log) == [("s", 0, 300), ("m", 0, 500), ("l", 0, 600)]
    assert link.bytes_moved == 600 and link.transfers_done == 3 and link.active == 0


def test_the_event_carries_the_transfer_and_zero_bytes_take_the_latency():
    env, link, log = _link(1.0, 100)
    ev = link.transfer(0, name="empty", cause="p")
    env.run()
    assert ev.value.end == 100 and ev.value.nbytes == 0
    r = log.records[0]
    assert (r.kind, r.start, r.end, r.cause, r.track) == ("copy", 0, 100, "p", "pcie.h2d")


def test_bad_links_and_transfers_are_refused():
    env = simpy.Environment()
    with pytest.raises(MsValueError, match="bandwidth > 0"):
        Link("x", 0.0, 1, env=env)
    with pytest.raises(MsValueError, match="cannot transfer -1 bytes"):
        Link("x", 1.0, 1, env=env).transfer(-1)
