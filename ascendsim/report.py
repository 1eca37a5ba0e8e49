"""Summaries of a run, read from the trace (what ``--summary`` and ``ascendsim run`` print)."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from ascendsim import units

__all__ = ["summarize", "print_summary"]


def summarize(system: Any) -> dict[str, Any]:
    """Figures of a run: simulated end time, events by kind, peak/final memory per device."""
    trace = system.trace
    records = list(trace.records)
    end = max((r.end for r in records), default=0)
    kinds: dict[str, int] = {}
    for r in records:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    devices = []
    for npu in system.devices:
        devices.append(
            {
                "device": npu.name,
                "peak_bytes": npu.memory.peak_used,
                "final_bytes": npu.memory.used,
                "capacity": npu.memory.capacity,
                "float_status_set": bool(npu.float_status.is_set),
            }
        )
    host = system.host
    return {
        "simulated_ns": end,
        "events": len(records),
        "kinds": dict(sorted(kinds.items())),
        "devices": devices,
        "host_peak_bytes": getattr(getattr(host, "memory", None), "peak_used", 0),
        "hazards": [r.arg("message") for r in records if r.kind == "hazard"],
    }


def print_summary(session: Any, file: TextIO | None = None) -> None:
    """A short plain-text summary of the session's system."""
    out = file or sys.stderr
    if not session.started:
        print("ascendsim: nothing ran on the simulated device", file=out)
        return
    s = summarize(session.system)
    print(
        f"ascendsim: simulated time {units.format_ns(s['simulated_ns'])}, "
        f"{s['events']} events ({', '.join(f'{k} {v}' for k, v in s['kinds'].items())})",
        file=out,
    )
    for d in s["devices"]:
        print(
            f"ascendsim: {d['device']}: peak {units.format_bytes(d['peak_bytes'])}, final "
            f"{units.format_bytes(d['final_bytes'])} of {units.format_bytes(d['capacity'])}"
            f"{', float status SET' if d['float_status_set'] else ''}",
            file=out,
        )
    for h in s["hazards"]:
        print(f"ascendsim: hazard: {h}", file=out)
