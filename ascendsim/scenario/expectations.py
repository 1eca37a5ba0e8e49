"""Evaluate a scenario's ``expect:`` list against a finished run.

Every check reads only the trace, the values the runner kept and the parameters' flags; each
returns what was expected, what was observed (in words, with units) and the verdict. A check
that cannot be evaluated (the run stopped before the step it needs) fails and says why.

Event names: a bare name means the kernels of that node (records whose ``cause`` or ``name`` is
the name); if there are none, any record naming it (copies, ``is_init``, ``param_synced``,
float-status events). ``kind:name`` selects records of one kind, ``kind:*`` all of that kind.
Memory in use is summed over a device's pools (tracks) from the ``used_after`` of each alloc
and free record. The overflow of a step is what the float-status reads of that step returned
(``is_set``); a step without reads counts register sets instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ascendsim.scenario import schema as S
from ascendsim.scenario.checks import split_event_ref
from ascendsim.scenario.runner import ExpectResult, ScenarioResult, ShapeOnly, StepWindow
from ascendsim.units import format_bytes, format_ns

__all__ = ["evaluate_all", "matching", "memory_use", "step_overflow"]

_EVENT_KINDS = (
    "copy",
    "is_init",
    "param_synced",
    "float_status_set",
    "float_status_clear",
    "float_status_read",
    "event_record",
    "event_wait",
)

Verdict = tuple[str, str, bool]  # expected, observed, passed


def _records(result: ScenarioResult, window: StepWindow | None) -> Sequence[Any]:
    recs = result.system.trace.records if result.system is not None else []
    if window is None:
        return list(recs)
    return recs[window.seq_start : window.seq_end]


def matching(records: Sequence[Any], ref: str) -> list[Any]:
    """The records an event reference names (see the module docstring)."""
    kind, name = split_event_ref(ref)
    if kind is not None:
        return [r for r in records if r.kind == kind and (name == "*" or name in (r.cause, r.name))]
    kernels = [r for r in records if r.kind == "kernel" and name in (r.cause, r.name)]
    if kernels:
        return kernels
    return [r for r in records if r.kind in _EVENT_KINDS and name in (r.cause, r.name)]


def memory_use(records: Sequence[Any], device: int | None) -> tuple[int, int]:
    """``(peak, final)`` bytes in use on ``device`` (``None``: the host), all pools summed."""
    used: dict[str, int] = {}
    total = peak = 0
    for r in records:
        if (r.kind == "alloc" or r.kind == "free") and r.device == device:
            used[r.track] = int(r.arg("used_after", 0))
            total = sum(used.values())
            peak = max(peak, total)
    return peak, total


def step_overflow(records: Sequence[Any]) -> bool:
    """Did this step's float-status reads (or, without reads, the register) see an overflow?"""
    reads = [r for r in records if r.kind == "float_status_read"]
    if reads:
        return any(bool(r.arg("is_set")) for r in reads)
    return any(r.kind == "float_status_set" for r in records)


def _array_text(v: Any) -> str:
    if isinstance(v, ShapeOnly):
        return f"shape {list(v.shape)} {v.dtype} (no values: shape-only)"
    if isinstance(v, np.ndarray):
        text = np.array2string(v, threshold=12, edgeitems=2, separator=", ", precision=6)
        text = " ".join(text.split())
        return text if len(text) <= 160 else text[:157] + "..."
    return repr(v)[:160]


def _stopped(result: ScenarioResult) -> str:
    if result.error is not None:
        return (
            f"no value: the run stopped at step {result.error_step} ({type(result.error).__name__})"
        )
    return "no value"


def _output(e: S.OutputExpect, r: ScenarioResult) -> Verdict:
    step = e.step if e.step is not None else r.scenario.run.steps - 1
    parts = []
    if e.values is not None:
        parts.append(
            f"values {_array_text(np.asarray(e.values))} (rtol={e.rtol:g}, atol={e.atol:g})"
        )
    if e.shape is not None:
        parts.append(f"shape {e.shape}")
    if e.dtype is not None:
        parts.append(f"dtype {e.dtype}")
    expected = f"{e.output} after step {step}: " + (", ".join(parts) or "a value")
    if step not in r.values or e.output not in r.values[step]:
        return expected, _stopped(r), False
    v = r.values[step][e.output]
    if isinstance(v, ShapeOnly):
        shape, dtype = v.shape, v.dtype
    elif isinstance(v, np.ndarray | np.generic | int | float | bool):
        v = np.asarray(v)
        shape, dtype = v.shape, v.dtype.name
    else:
        return expected, f"not a tensor: {_array_text(v)}", False
    ok = (e.shape is None or tuple(e.shape) == tuple(shape)) and (
        e.dtype is None or e.dtype == dtype
    )
    if e.values is not None:
        if isinstance(v, ShapeOnly):
            return expected, _array_text(v), False
        want = np.asarray(e.values)
        same = want.shape == v.shape or want.ndim == 0
        ok = (
            ok
            and same
            and bool(
                np.allclose(
                    v.astype(np.float64) if v.dtype.kind != "b" else v,
                    want,
                    rtol=e.rtol,
                    atol=e.atol,
                    equal_nan=True,
                )
            )
        )
    observed = f"{_array_text(v)}" + (
        "" if isinstance(v, ShapeOnly) else f" (shape {list(shape)}, {dtype})"
    )
    return expected, observed, ok


def _windows(r: ScenarioResult, step: int | None) -> list[StepWindow]:
    return [w for w in r.windows if step is None or w.index == step]


def _happens_before(e: S.HappensBeforeExpect, r: ScenarioResult) -> Verdict:
    chain = " before ".join(e.happens_before)
    where = f" in step {e.step}" if e.step is not None else " in every step"
    expected = chain + where
    compared = 0
    for w in _windows(r, e.step):
        recs = _records(r, w)
        for a, b in zip(e.happens_before, e.happens_before[1:], strict=False):
            ra, rb = matching(recs, a), matching(recs, b)
            if not ra or not rb:
                continue
            compared += 1
            a_end = max(x.end for x in ra)
            b_start = min(x.start for x in rb)
            if a_end > b_start:
                return (
                    expected,
                    (
                        f"step {w.index}: {a} ends at {format_ns(a_end)} but {b} "
                        f"starts at {format_ns(b_start)}"
                    ),
                    False,
                )
    if not compared:
        recs = _records(r, None)
        missing = [n for n in e.happens_before if not matching(recs, n)]
        what = f"no event named {', '.join(missing)}" if missing else "never in the same step"
        return (
            expected,
            what + (f" (the run stopped: {type(r.error).__name__})" if r.error is not None else ""),
            False,
        )
    return expected, f"held in {compared} comparison{'s' if compared > 1 else ''}", True


def _overflows(r: ScenarioResult) -> list[bool]:
    return [step_overflow(_records(r, w)) for w in r.windows]


def _flags(values: Sequence[bool]) -> str:
    return "[" + ", ".join("T" if v else "F" for v in values) + "]"


def _overflow(e: S.OverflowExpect, r: ScenarioResult) -> Verdict:
    seen = _overflows(r)
    n = r.scenario.run.steps
    if isinstance(e.overflow, list):
        expected = f"overflow per step {_flags(e.overflow)}"
        ok = seen == list(e.overflow)
    elif e.step is not None:
        expected = f"overflow {e.overflow} at step {e.step}"
        ok = e.step < len(seen) and seen[e.step] == e.overflow
    else:
        expected = f"overflow {e.overflow} at every step"
        ok = len(seen) == n and all(v == e.overflow for v in seen)
    observed = f"per step {_flags(seen)}" + (
        "" if len(seen) == n else f" (only {len(seen)} of {n} steps ran)"
    )
    return expected, observed, ok


def _is_init(e: S.IsInitExpect, r: ScenarioResult) -> Verdict:
    bound = _bound_text(e.at, format_ns) if e.at is not None else ""
    expected = f"{e.is_init}.is_init == {e.value}" + (f", flipped at {bound}" if bound else "")
    p = r.params.get(e.is_init)
    if p is None:
        known = ", ".join(sorted(r.params)) or "none"
        return expected, f"no parameter named {e.is_init!r} (parameters: {known})", False
    flag = bool(getattr(p, "is_init", False))
    flips = [x for x in _records(r, None) if x.kind == "is_init" and e.is_init in (x.name, x.cause)]
    observed = f"is_init {flag}" + (
        f", flipped at {format_ns(flips[0].start)}" if flips else ", no is_init event"
    )
    ok = flag == e.value
    if e.at is not None:
        ok = ok and bool(flips) and _within(flips[0].start, e.at.min, e.at.max)
    return expected, observed, ok


def _within(v: int, lo: int | None, hi: int | None) -> bool:
    return (lo is None or v >= lo) and (hi is None or v <= hi)


def _bound_text(b: Any, fmt: Callable[[int], str]) -> str:
    if b.min is not None and b.max is not None:
        return f"between {fmt(b.min)} and {fmt(b.max)}"
    return f"<= {fmt(b.max)}" if b.max is not None else f">= {fmt(b.min)}"


def _memory(e: S.PeakMemoryExpect | S.FinalMemoryExpect, r: ScenarioResult) -> Verdict:
    peak = isinstance(e, S.PeakMemoryExpect)
    sel = e.peak_memory if isinstance(e, S.PeakMemoryExpect) else e.final_memory
    what = "peak" if peak else "final"
    devices: list[int | None] = (
        [None] if sel == "host" else list(range(r.scenario.devices)) if sel == "all" else [sel]
    )
    label = "host" if sel == "host" else "each device" if sel == "all" else f"npu{sel}"
    expected = f"{what} memory of {label} {_bound_text(e, format_bytes)}"
    recs = _records(r, None)
    parts, ok = [], True
    for d in devices:
        value = memory_use(recs, d)[0 if peak else 1]
        ok = ok and _within(value, e.min, e.max)
        parts.append(f"{'host' if d is None else f'npu{d}'} {format_bytes(value)}")
    return expected, ", ".join(parts), ok


def _time(e: S.TimeExpect, r: ScenarioResult) -> Verdict:
    if e.time == "total":
        expected = f"simulated time {_bound_text(e, format_ns)}"
        t = r.end_time
    else:
        expected = f"{e.time} ends {_bound_text(e, format_ns)}"
        recs = matching(_records(r, None), e.time)
        if not recs:
            return expected, f"no event named {e.time}", False
        t = max(x.end for x in recs)
    return expected, format_ns(t), _within(t, e.min, e.max)


def _order_independent(e: S.OrderIndependentExpect, r: ScenarioResult) -> Verdict:
    expected = (
        "order-independent" if e.order_independent else "order-dependent"
    ) + f" (explorer, at most {e.max_orders} orders)"
    if r.explore is None:
        return expected, _stopped(r).replace("no value", "not explored"), False
    exp = r.explore(e.max_orders)
    graph = getattr(exp, "graph", None)
    lines = exp.describe(graph).splitlines() if graph is not None else [repr(exp)]
    observed = "; ".join(
        line.strip() for line in lines if not line.strip().startswith("observable:")
    )
    if e.order_independent:
        ok = bool(exp.order_independent)
    else:
        ok = len(exp.outcomes) > 1
    return expected, observed, ok


def _raises(e: S.RaisesExpect, r: ScenarioResult) -> Verdict:
    expected = f"raises {e.raises}" + (f" with {e.match!r} in the message" if e.match else "")
    err = r.error
    if err is None:
        return expected, "no error was raised", False
    text = " ".join(str(err).split())
    names = {c.__name__ for c in type(err).__mro__}
    ok = e.raises in names and (e.match is None or e.match in str(err))
    observed = f"{type(err).__name__}: {text if len(text) <= 240 else text[:237] + '...'}"
    return expected, observed, ok


def _loss_scale(e: S.LossScaleExpect, r: ScenarioResult) -> Verdict:
    expected = f"{e.of} per step [{', '.join(f'{v:g}' for v in e.loss_scale)}]"
    seen: list[float | None] = []
    for s in range(len(e.loss_scale)):
        v = r.values.get(s, {}).get(e.of)
        seen.append(
            None
            if v is None or isinstance(v, ShapeOnly)
            else float(np.asarray(v, dtype=np.float64).reshape(-1)[0])
        )
    ok = all(
        v is not None and bool(np.isclose(v, w, rtol=1e-6, atol=0))
        for v, w in zip(seen, e.loss_scale, strict=True)
    )
    observed = "[" + ", ".join("-" if v is None else f"{v:g}" for v in seen) + "]"
    return expected, observed, ok


_EVALUATORS: dict[type, Callable[[Any, ScenarioResult], Verdict]] = {
    S.OutputExpect: _output,
    S.HappensBeforeExpect: _happens_before,
    S.OverflowExpect: _overflow,
    S.IsInitExpect: _is_init,
    S.PeakMemoryExpect: _memory,
    S.FinalMemoryExpect: _memory,
    S.TimeExpect: _time,
    S.OrderIndependentExpect: _order_independent,
    S.RaisesExpect: _raises,
    S.LossScaleExpect: _loss_scale,
}
_KIND = {cls: kind for kind, cls in S.EXPECT_KINDS.items()}


def evaluate_all(result: ScenarioResult) -> list[ExpectResult]:
    """One :class:`ExpectResult` per expectation, in file order."""
    out = []
    for i, e in enumerate(result.scenario.expect):
        where = result.loaded.where("expect", i)
        try:
            expected, observed, ok = _EVALUATORS[type(e)](e, result)
        except Exception as exc:  # noqa: BLE001 - a check that cannot run fails, with the reason
            expected, ok = _KIND[type(e)], False
            observed = f"could not evaluate: {type(exc).__name__}: {' '.join(str(exc).split())}"
        out.append(ExpectResult(i, _KIND[type(e)], where, expected, observed, ok))
    return out
