"""Assertions for tests of code that runs on ascendsim (the pytest plugin's helpers).

Each helper reads the trace of a system (a :class:`~ascendsim.device.System`, a session, or
the current session when omitted) and fails with a message that shows what the trace holds.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "trace_of",
    "assert_happens_before",
    "assert_overflow",
    "assert_is_init",
    "assert_peak_memory",
    "kernels",
]


def _system(where: Any = None) -> Any:
    if where is None:
        from ascendsim.ms import _session

        return _session.current().system
    if hasattr(where, "trace") and hasattr(where, "devices"):
        return where
    if hasattr(where, "system"):
        return where.system
    raise TypeError(f"expected a System or a session, got {type(where).__name__}")


def trace_of(where: Any = None) -> Any:
    """The trace (``TraceLog``) of a system, a session, or the current session."""
    return _system(where).trace


def kernels(where: Any = None, name: str | None = None) -> list[Any]:
    """Kernel records, optionally of one node (name)."""
    return [
        r
        for r in trace_of(where).records
        if r.kind == "kernel" and (name is None or r.name == name)
    ]


def _events(trace: Any, name: str) -> list[Any]:
    if ":" in name:
        kind, _, n = name.partition(":")
        return [r for r in trace.records if r.kind == kind and (n in ("*", r.name))]
    return [r for r in trace.records if r.name == name and r.kind in ("kernel", "copy")] or [
        r for r in trace.records if r.name == name
    ]


def assert_happens_before(a: str, b: str, where: Any = None) -> None:
    """Every event named ``a`` ends no later than the first event named ``b`` starts.

    Names are node names (their kernels) or ``kind:name`` (e.g. ``param_synced:conv1.weight``).
    """
    trace = trace_of(where)
    ea, eb = _events(trace, a), _events(trace, b)
    if not ea or not eb:
        missing = a if not ea else b
        names = sorted({r.name for r in trace.records if r.kind == "kernel"})[:20]
        raise AssertionError(f"no event named {missing!r} in the trace; kernels: {names}")
    end_a = max(r.end for r in ea)
    start_b = min(r.start for r in eb)
    if end_a > start_b:
        raise AssertionError(f"{a} ends at {end_a} ns, after {b} starts at {start_b} ns")


def assert_overflow(expected: bool = True, where: Any = None, *, device: int = 0) -> None:
    """The float-status register of ``device`` was set (``expected=True``) at some point."""
    sets = [
        r for r in trace_of(where).records if r.kind == "float_status_set" and r.device == device
    ]
    if bool(sets) != expected:
        detail = ", ".join(f"{r.name} at {r.start} ns" for r in sets[:5]) or "none"
        raise AssertionError(
            f"expected overflow={expected} on npu{device}; register sets: {detail}"
        )


def assert_is_init(param: Any, expected: bool = True, where: Any = None) -> int | None:
    """``param.is_init`` equals ``expected``; returns the simulated time it flipped (or None)."""
    name = getattr(param, "name", param)
    if not isinstance(param, str) and bool(param.is_init) != expected:
        raise AssertionError(f"{name}.is_init is {param.is_init}, expected {expected}")
    flips = [r for r in trace_of(where).records if r.kind == "is_init" and r.name == name]
    if expected and not flips:
        raise AssertionError(f"no is_init record for {name}: no GE init graph launched it")
    return flips[0].start if flips else None


def assert_peak_memory(max_bytes: int, where: Any = None, *, device: int = 0) -> int:
    """The peak HBM use of ``device`` is at most ``max_bytes``; returns the peak."""
    peak = _system(where).device(device).memory.peak_used
    if peak > max_bytes:
        raise AssertionError(f"npu{device} peak memory {peak} bytes exceeds {max_bytes}")
    return peak
