"""Tests of ascendsim.device. ``small_config`` gives round numbers so timelines read easily."""

from __future__ import annotations

from typing import Any

from ascendsim.config import load_hardware

# 1 GB/s == 1 byte/ns: a 300-byte copy over pcie.h2d takes 100 ns latency + 300 ns.
SMALL = {
    "runtime.task_overhead": 0,
    "hbm.capacity": 1 << 20,
    "hbm.bandwidth": "1GB/s",
    "memory_pool.reserved": 0,
    "memory_pool.alignment": 512,
    "memory_pool.padding": 32,
    "pcie.h2d_bandwidth": "1GB/s",
    "pcie.h2d_latency": 100,
    "pcie.d2h_bandwidth": "2GB/s",
    "pcie.d2h_latency": 50,
    "hccs.bandwidth": "4GB/s",
    "hccs.latency": 10,
    "hccs.group_size": 2,
    "network.bandwidth": "1GB/s",
    "network.latency": 1000,
    "host.launch_overhead": 1000,
    "host.memory": 1 << 16,
    "host.memcpy_bandwidth": "2GB/s",
}


def small_config(**overrides: Any) -> Any:
    """The ascend910a preset with the round numbers of ``SMALL`` (plus ``overrides``)."""
    return load_hardware("ascend910a", overrides={**SMALL, **overrides})


def timeline(system: Any, *kinds: str) -> list[tuple]:
    """``(kind, name, track, start, end)`` of the system's records (of ``kinds``), by seq."""
    return [
        (r.kind, r.name, r.track, r.start, r.end)
        for r in system.trace.records
        if not kinds or r.kind in kinds
    ]
