"""The float-status register: sticky overflow flag, clear, read, history and records."""

from __future__ import annotations

import numpy as np

from ascendsim.device import System

from . import small_config


def test_register_is_sticky_until_cleared_and_keeps_a_history():
    system = System(small_config())
    reg = system.device(0).float_status
    assert not reg.is_set and reg.last_clear_time is None
    reg.clear("NPUClearFloatStatus")
    system.run(until=100)
    reg.set("Mul", node="mul_3")
    reg.set("Add")
    first = reg.read("NPUGetFloatStatus")
    system.run(until=200)
    reg.clear("NPUClearFloatStatus")
    second = reg.read("NPUGetFloatStatus")
    assert first.dtype == np.float32 and first.tolist() == [1.0] + [0.0] * 7
    assert second.tolist() == [0.0] * 8 and not reg.is_set
    assert reg.last_clear_time == 200
    assert reg.history == [
        (0, "clear", "NPUClearFloatStatus"),
        (100, "set", "Mul"),
        (100, "set", "Add"),
        (100, "read", "NPUGetFloatStatus"),
        (200, "clear", "NPUClearFloatStatus"),
        (200, "read", "NPUGetFloatStatus"),
    ]
    recs = [(r.kind, r.start, r.name, r.args, r.track) for r in system.trace.records]
    assert recs == [
        ("float_status_clear", 0, "NPUClearFloatStatus", (("was_set", False),), "float_status"),
        ("float_status_set", 100, "mul_3", (("node", "mul_3"), ("was_set", False)), "float_status"),
        ("float_status_set", 100, "Add", (("node", ""), ("was_set", True)), "float_status"),
        ("float_status_read", 100, "NPUGetFloatStatus", (("is_set", True),), "float_status"),
        ("float_status_clear", 200, "NPUClearFloatStatus", (("was_set", True),), "float_status"),
        ("float_status_read", 200, "NPUGetFloatStatus", (("is_set", False),), "float_status"),
    ]


def test_read_returns_a_copy_and_devices_have_separate_registers():
    system = System(small_config(), devices=2)
    a, b = system.device(0).float_status, system.device(1).float_status
    a.set("k")
    value = a.read("get")
    value[0] = 0.0
    assert a.is_set and not b.is_set
    assert a.read("get").sum() > 0 and b.read("get").sum() == 0
