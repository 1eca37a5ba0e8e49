"""Export a TraceLog as Chrome trace-event JSON (opens in Perfetto and chrome://tracing).

Layout: one process per device (``npu0``, ``npu1`` ...; pid = index + 1) plus the host
(pid 0); one thread per track (streams, links, ``hbm``, ``float_status``, ``host`` ...), tids
assigned per process in a stable order (host work, streams, PCIe, HCCS, network, float status,
memory; numbers sorted numerically). Records with a duration become complete events (``X``),
zero-duration ones instant events (``i``); each alloc/free also feeds a counter track (``C``)
``<track> used`` per process. A wait on an event recorded by another stream gets a flow arrow
(``s`` at the record, ``f`` with ``bp: "e"`` at the end of the wait, never earlier than the
``s``); so that both viewers can bind the arrow, a zero-duration record or wait at a flow end is
written as a zero-length ``X`` event.

Timestamps are microseconds with ns precision (``ts = ns / 1000``). The output is a pure
function of the log and ``metadata``: keys sorted, events ordered by (time, seq), no wall time,
no paths, so identical runs give byte-identical files.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ascendsim.trace.log import TraceLog
from ascendsim.trace.record import Record

__all__ = ["to_chrome_json", "write_chrome_trace", "HOST_PID"]

HOST_PID = 0
_RANKS = (
    ("host", 0),
    ("stream", 1),
    ("pcie", 2),
    ("hccs", 3),
    ("net", 4),
    ("float_status", 5),
    ("hbm", 6),
    ("memory", 6),
)


def _pid(device: int | None) -> int:
    return HOST_PID if device is None else device + 1


def _track_key(track: str) -> tuple[Any, ...]:
    rank = 7
    for prefix, r in _RANKS:
        if track.startswith(prefix):
            rank = r
            break
    parts = tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", track))
    return (rank, parts, track)


def _default(value: Any) -> Any:
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return item()
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return repr(value)


def _dumps(event: dict[str, Any]) -> str:
    return json.dumps(
        event, sort_keys=True, separators=(",", ":"), default=_default, ensure_ascii=False
    )


def _us(ns: int) -> float | int:
    return ns // 1000 if ns % 1000 == 0 else ns / 1000


def to_chrome_json(log: TraceLog, *, metadata: dict[str, Any] | None = None) -> str:
    """The whole log as a Chrome trace JSON string (see the module docstring).

    ``metadata`` (JSON-able) is written under ``otherData``.
    """
    records = list(log.records)
    # tracks per process, and the processes seen
    tracks: dict[int, set[str]] = {}
    for r in records:
        tracks.setdefault(_pid(r.device), set()).add(r.track or r.kind)
    tids: dict[tuple[int, str], int] = {}
    meta: list[dict[str, Any]] = []
    for pid in sorted(tracks):
        pname = "host" if pid == HOST_PID else f"npu{pid - 1}"
        meta.append(
            {"ph": "M", "pid": pid, "tid": 0, "name": "process_name", "args": {"name": pname}}
        )
        meta.append(
            {
                "ph": "M",
                "pid": pid,
                "tid": 0,
                "name": "process_sort_index",
                "args": {"sort_index": pid},
            }
        )
        for i, track in enumerate(sorted(tracks[pid], key=_track_key), start=1):
            tids[(pid, track)] = i
            meta.append(
                {"ph": "M", "pid": pid, "tid": i, "name": "thread_name", "args": {"name": track}}
            )
            meta.append(
                {
                    "ph": "M",
                    "pid": pid,
                    "tid": i,
                    "name": "thread_sort_index",
                    "args": {"sort_index": i},
                }
            )

    # flows: wait seq -> record seq, for waits on another track
    flow_src: dict[int, list[int]] = {}
    flow_dst: set[int] = set()
    for r in records:
        if r.kind == "event_wait":
            src = r.arg("record_seq")
            if isinstance(src, int) and 0 <= src < len(records):
                rec = records[src]
                if (rec.device, rec.track) != (r.device, r.track):
                    flow_src.setdefault(src, []).append(r.seq)
                    flow_dst.add(r.seq)

    # Order: by time, then seq; a record's counter and outgoing flows right after it, and a
    # flow's end (at the wait's end) right after the wait's slice, before anything that starts
    # later on that track at the same time (viewers bind a flow to the topmost open slice).
    keyed: list[tuple[tuple[int, int, int], str]] = []
    for r in records:
        for i, e in enumerate(_events(r, tids, r.seq in flow_src or r.seq in flow_dst)):
            keyed.append(((r.start, r.seq, i), _dumps(e)))
        for wait_seq in flow_src.get(r.seq, ()):
            keyed.append(
                (
                    (r.start, r.seq, 2),
                    _dumps(_flow("s", r, r.start, tids, wait_seq, records[wait_seq])),
                )
            )
        if r.seq in flow_dst:
            keyed.append(((r.end, r.seq, 3), _dumps(_flow("f", r, r.end, tids, r.seq, r))))
    keyed.sort(key=lambda kv: kv[0])
    lines = [_dumps(e) for e in meta] + [line for _, line in keyed]
    head = {"displayTimeUnit": "ns", "otherData": metadata or {}}
    prefix = _dumps(head)[:-1] + ',"traceEvents":[\n'
    return prefix + ",\n".join(lines) + "\n]}\n"


def _events(r: Record, tids: dict[tuple[int, str], int], flow_end: bool) -> list[dict[str, Any]]:
    pid = _pid(r.device)
    track = r.track or r.kind
    args: dict[str, Any] = {"seq": r.seq}
    if r.cause:
        args["cause"] = r.cause
    if r.nbytes:
        args["nbytes"] = r.nbytes
    for k, v in r.args:
        args[k] = v
    ev: dict[str, Any] = {
        "name": r.name or r.kind,
        "cat": r.kind,
        "ts": _us(r.start),
        "pid": pid,
        "tid": tids[(pid, track)],
        "args": args,
    }
    if r.end > r.start or flow_end:
        ev["ph"] = "X"
        ev["dur"] = _us(r.end - r.start)
    else:
        ev["ph"] = "i"
        ev["s"] = "t"
    out = [ev]
    if r.kind in ("alloc", "free"):
        used = r.arg("used_after")
        if used is not None:
            out.append(
                {
                    "ph": "C",
                    "name": f"{track} used",
                    "pid": pid,
                    "tid": 0,
                    "ts": _us(r.start),
                    "args": {"bytes": used},
                }
            )
    return out


def _flow(
    ph: str, at: Record, ts: int, tids: dict[tuple[int, str], int], flow_id: int, wait: Record
) -> dict[str, Any]:
    pid = _pid(at.device)
    ev = {
        "ph": ph,
        "id": flow_id,
        "cat": "event",
        "name": f"event {wait.name}",
        "ts": _us(ts),
        "pid": pid,
        "tid": tids[(pid, at.track or at.kind)],
    }
    if ph == "f":
        ev["bp"] = "e"
    return ev


def write_chrome_trace(
    log: TraceLog, path: str | os.PathLike[str], *, metadata: dict[str, Any] | None = None
) -> Path:
    """Write :func:`to_chrome_json` to ``path`` atomically (temp file + rename); returns it."""
    path = Path(path)
    text = to_chrome_json(log, metadata=metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
