"""A run told in plain words, for teaching: one line per meaningful event, in time order.

:func:`narrate` reads only the trace (DESIGN principle 2) and writes lines such as::

    t=5 us: `conv1.weight`.is_init = True (GE init graph launched)
    t=5 us: init graph copies `conv1.weight` (864 B) host->device over PCIe (2.07 us)
    t=8.003 us: `doubled` overflowed: float-status register set
    t=9.004 us: `get` read the float-status register: overflow

What is told, and how:

* kernels (stream, unit, dtype, FLOPs, duration), copies (direction and link: PCIe, HCCS, the
  network; the GE init graph's copies and parameter-server pulls/pushes by name), ``is_init``
  flips, ``param_synced``, float-status set/clear/read, stream waits that actually stall,
  graph runs and launches, host waits for the device, and hazards with their whole message;
* allocations and frees are summarised: an allocation immediately followed by the kernel it
  feeds is folded into that kernel's line, and every other run of consecutive allocations and
  frees becomes one line (per pool: counts, bytes, a few owners, peak and memory in use after
  it). With more than 200 of them in the trace, those lines are only written before the
  milestones of the run (a graph run, an ``is_init`` flip, a ``param_synced``, a hazard, the
  end), so a run with thousands of allocations stays readable;
* per-op host launches, zero-length syncs and event records are left out (they are in the
  trace and the plot); a last line gives peak and final memory per pool.

Times are exact (``t=10.005 us``; the unit follows the magnitude), durations are rounded to
four significant digits. The text is a pure function of the trace: the same run gives the same
lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ascendsim.errors import MsValueError
from ascendsim.trace.log import TraceLog
from ascendsim.trace.record import Record
from ascendsim.units import format_bytes, format_ns

__all__ = ["narrate", "format_time"]

#: owners named in a grouped allocation line before "and N more"
_NAMES_SHOWN = 3
_MEMORY = ("alloc", "free")
#: above this many alloc/free records, memory lines are written only before these kinds
_MANY = 200
_MILESTONES = ("graph", "is_init", "hazard", "param_synced")


def format_time(ns: int) -> str:
    """Exact simulated time: ``10005`` -> ``'10.005 us'``, ``539300123`` -> ``'539.300123 ms'``."""
    for unit, scale in (("s", 10**9), ("ms", 10**6), ("us", 10**3)):
        if ns >= scale:
            whole, frac = divmod(ns, scale)
            digits = len(str(scale)) - 1
            text = f"{whole}.{frac:0{digits}d}".rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return f"{ns} ns"


def _where(r: Record) -> str:
    return "host" if r.device is None else f"npu{r.device}"


def _pool(r: Record) -> str:
    if r.device is None:
        return "host memory" if r.track == "memory" else f"host {r.track}"
    return f"npu{r.device} {'HBM' if r.track == 'hbm' else r.track}"


def _link(r: Record) -> str:
    """``host->device over PCIe`` and the like, from a copy's track."""
    t = r.track
    dev = _where(r)
    if t == "pcie.h2d":
        return f"host->{dev} over PCIe"
    if t == "pcie.d2h":
        return f"{dev}->host over PCIe"
    if t.startswith("hccs."):
        src, _, dst = t[5:].partition("-")
        return f"npu{src}->npu{dst} over HCCS"
    if t.startswith("net."):
        path = t[4:]
        if "->" in path:
            return f"{path} over the network"
        src, _, dst = path.partition("-")
        return f"npu{src}->npu{dst} over the network"
    return f"over {dev} {t}"


def _copy(r: Record) -> str:
    size = format_bytes(r.nbytes)
    took = format_ns(r.duration)
    what = r.cause or r.name
    name = r.name
    if name.startswith("init H2D "):
        return f"init graph copies `{what}` ({size}) {_link(r)} ({took})"
    if name.startswith("pull "):
        return f"pulls `{what}` ({size}) from the parameter server: {_link(r)} ({took})"
    if name.startswith("push "):
        return f"pushes `{what}` ({size}) back to the parameter server: {_link(r)} ({took})"
    if name.startswith(("H2D ", "D2H ")):
        return f"copies `{what}` ({size}) {_link(r)} ({took})"
    return f"{name or 'copy'}: `{what}` ({size}) {_link(r)} ({took})"


def _kernel(r: Record, allocs: Sequence[Record]) -> str:
    facts = [str(v) for v in (r.arg("unit"), r.arg("dtype")) if v]
    flops = r.arg("flops")
    if isinstance(flops, int) and flops > 0:
        facts.append(f"{flops:,} FLOP")
    detail = f" ({', '.join(facts)})" if facts else ""
    line = f"npu{r.device} {r.track} runs `{r.name}`{detail} for {format_ns(r.duration)}"
    if allocs:
        total = sum(a.arg("size", a.nbytes) or 0 for a in allocs)
        after = allocs[-1].arg("used_after")
        line += f"; its output takes {format_bytes(total)} of {_pool(allocs[-1])}"
        if isinstance(after, int):
            line += f" ({format_bytes(after)} in use)"
    return line


def _float_status(r: Record) -> str:
    who = f"`{r.cause or r.name}`"
    if r.kind == "float_status_set":
        sticky = " (it was already set: the register is sticky)" if r.arg("was_set") else ""
        return f"{who} overflowed: float-status register of npu{r.device} set{sticky}"
    if r.kind == "float_status_clear":
        held = "it held an overflow" if r.arg("was_set") else "it was clear"
        return f"{who} cleared the float-status register of npu{r.device} ({held})"
    seen = "overflow" if r.arg("is_set") else "no overflow"
    return f"{who} read the float-status register of npu{r.device}: {seen}"


def _host(r: Record) -> str | None:
    op = r.arg("op")
    name = r.name
    if op == "launch":
        if name.startswith("launch init graph of "):
            g = name[len("launch init graph of ") :]
            return f"host launches the GE init graph of `{g}` ({format_ns(r.duration)})"
        if name.startswith("launch graph "):
            g = name[len("launch graph ") :]
            return f"host launches graph `{g}`, sunk on the device ({format_ns(r.duration)})"
        return None  # one per PyNative op: in the trace and the plot, not in the story
    if op == "sync" and r.duration > 0:
        return f"host waits {format_ns(r.duration)} for the device ({name})"
    if op not in ("launch", "sync") and r.duration > 0:
        return f"host {op or 'work'} `{name}` ({format_ns(r.duration)})"
    return None


def _one(r: Record) -> str | None:
    """The sentence for one non-memory record, or None if it is left out."""
    k = r.kind
    if k == "copy":
        return _copy(r)
    if k == "is_init":
        why = "GE init graph launched" if r.arg("graph") else "set"
        return f"`{r.name}`.is_init = {r.arg('value', True)} ({why})"
    if k == "param_synced":
        return (
            f"`{r.name}` synced: its init-graph copy is in npu{r.device} HBM; the compute "
            "graph may read it now"
        )
    if k.startswith("float_status_"):
        return _float_status(r)
    if k == "hazard":
        msg = r.arg("message") or r.name
        return f"HAZARD ({r.name}) on {_where(r)}: {msg}"
    if k == "event_wait":
        if r.duration <= 0:
            return None
        return (
            f"npu{r.device} {r.track} waits {format_ns(r.duration)} for event "
            f"`{r.arg('event', r.name)}`"
        )
    if k == "graph":
        return (
            f"graph `{r.name}` run {r.arg('run', 0)} starts ({_count(r.arg('nodes'), 'node')}, "
            f"schedule {r.arg('policy', '?')})"
        )
    if k == "host":
        return _host(r)
    if k in ("event_record",):
        return None
    detail = f" `{r.name}`" if r.name else ""
    dur = f" ({format_ns(r.duration)})" if r.duration else ""
    return f"{k}{detail} on {_where(r)}{dur}"


def _count(n: Any, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n if n is not None else '?'} {what}s"


def _memory_line(group: Sequence[Record]) -> str:
    if len(group) == 1:
        r = group[0]
        size = r.arg("size", r.nbytes)
        kind = "persistent" if r.arg("persistent") else "dynamic"
        verb = "allocates" if r.kind == "alloc" else "frees"
        return (
            f"{_pool(r)} {verb} {format_bytes(size)} for `{r.name}` ({kind}); "
            f"{format_bytes(r.arg('used_after', 0))} in use"
        )
    pools: dict[tuple[Any, str], list[Record]] = {}
    for r in group:
        pools.setdefault((r.device is None, r.device or 0, r.track), []).append(r)
    parts = []
    for recs in pools.values():
        bits = []
        for kind, verb in (("alloc", "allocation"), ("free", "free")):
            sel = [r for r in recs if r.kind == kind]
            if not sel:
                continue
            size = sum(r.arg("size", r.nbytes) or 0 for r in sel)
            names = list(dict.fromkeys(r.name for r in sel))
            shown = ", ".join(f"`{n}`" for n in names[:_NAMES_SHOWN])
            if len(names) > _NAMES_SHOWN:
                shown += f" and {len(names) - _NAMES_SHOWN:,} more"
            plural = "s" if len(sel) != 1 else ""
            bits.append(f"{len(sel):,} {verb}{plural} of {format_bytes(size)} ({shown})")
        used = int(recs[-1].arg("used_after", 0) or 0)
        peak = max(int(r.arg("used_after", 0) or 0) for r in recs)
        top = f", peak {format_bytes(peak)}" if peak > used else ""
        parts.append(f"{_pool(recs[0])}: {', '.join(bits)}{top}, {format_bytes(used)} in use")
    first = group[0].start
    since = f"since t={format_time(first)}, " if group[-1].start > first else ""
    return since + "; ".join(parts)


def _end_line(records: Sequence[Record]) -> str | None:
    used: dict[tuple[bool, int, str], list[int]] = {}
    names: dict[tuple[bool, int, str], str] = {}
    for r in records:
        if r.kind in _MEMORY:
            key = (r.device is None, r.device or 0, r.track)
            u = int(r.arg("used_after", 0) or 0)
            pk = used.setdefault(key, [0, 0])
            pk[0], pk[1] = max(pk[0], u), u
            names[key] = _pool(r)
    if not used:
        return None
    end = max(r.end for r in records)
    parts = [
        f"{names[k]} peak {format_bytes(p)}, final {format_bytes(f)}"
        for k, (p, f) in sorted(used.items())
    ]
    return f"t={format_time(end)}: end of run: " + "; ".join(parts)


def narrate(trace: TraceLog | Iterable[Record], *, limit: int | None = None) -> list[str]:
    """The run as plain sentences, one per meaningful event, in time order.

    Args:
        trace: a :class:`TraceLog` (or any iterable of records, e.g. one step's slice).
        limit: at most this many lines; when more remain, the last of them says how many
            were left out. ``None``: every line.

    Returns:
        Lines without trailing newlines, each starting ``t=<time>: ``.

    Raises:
        MsValueError: ``limit`` is negative.
    """
    if limit is not None and limit < 0:
        raise MsValueError(f"limit must be >= 0 or None, got {limit}")
    records = sorted(trace, key=lambda r: (r.start, r.seq))
    # with many allocations, memory lines are only written at the milestones of the run
    many = sum(1 for r in records if r.kind in _MEMORY) > _MANY
    lines: list[str] = []
    pending: list[Record] = []  # consecutive alloc/free records not told yet

    def flush() -> None:
        nonlocal pending
        if pending:
            # stamped with the last record's time, so that lines stay in time order
            lines.append(f"t={format_time(pending[-1].start)}: {_memory_line(pending)}")
        pending = []

    for r in records:
        if r.kind in _MEMORY:
            pending.append(r)
            continue
        if r.kind == "kernel":
            # allocations for this very kernel (same cause and device) at the tail of the run
            i = len(pending)
            while (
                i > 0
                and pending[i - 1].kind == "alloc"
                and pending[i - 1].cause == r.cause
                and pending[i - 1].device == r.device
            ):
                i -= 1
            pending, fold = pending[:i], pending[i:]
            if not many:
                flush()
            lines.append(f"t={format_time(r.start)}: {_kernel(r, fold)}")
            continue
        text = _one(r)
        if text is None:
            continue
        if not many or r.kind in _MILESTONES:
            flush()
        lines.append(f"t={format_time(r.start)}: {text}")
    flush()
    end = _end_line(records)
    if end is not None:
        lines.append(end)
    if limit is not None and len(lines) > limit:
        if limit == 0:
            return []
        left = len(lines) - limit + 1
        lines = lines[: limit - 1]
        lines.append(f"... {left} more line{'s' if left != 1 else ''} left out (limit {limit})")
    return lines
