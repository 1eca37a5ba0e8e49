"""What runs on a worker: one point, from its resolved scenario to the figures of its row.

:func:`run_point` receives plain data only (the resolved scenario as a dict, a label, the
directory relative paths resolve against) and returns plain data (the figures): nothing of the
driver's Python objects travels, so the same function runs in a local process pool and on the
workers of a Dask cluster. A point that raises, at load or at run time, is a row with its error;
only a worker that dies loses its point (the engine retries it once).

The figures (all integers in internal units: ns, bytes):

* ``simulated_ns``: the simulated end of the run.
* ``init_graph_ns``: from the launch of the first GE init graph to the last parameter landing
  on a device (``param_synced``); 0 without an init graph.
* ``peak_hbm_bytes`` / ``final_hbm_bytes``: the largest over the devices, and the per-device
  lists ``peak_hbm_per_device`` / ``final_hbm_per_device``.
* ``host_peak_bytes``, ``events`` (trace records), ``overflow_steps`` (the steps whose window
  holds a float-status set), ``expect`` (``pass``/``fail`` per expectation), ``error``.
* ``status``: ``pass`` (every expectation passed, nothing unexpected raised), ``fail`` (an
  expectation failed), ``error`` (the run raised unexpectedly); the engines add ``crashed``.

Scenario runs use the process's MindSpore context, so a process runs one point at a time
(:data:`_RUN_LOCK`: a Dask worker with several threads still runs points one by one). Device
memory held by tensors is released when Python frees them; a cyclic garbage collection in the
middle of a run (its timing depends on the process's history: a fresh pool worker, a Dask
thread) was seen to change a point's final memory. So each point runs after ``gc.collect()``
with the collector paused, and its figures do not depend on where it ran.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any

__all__ = ["run_point", "figures", "FIGURES"]

#: scenario runs share the process's context and session: one at a time per process
_RUN_LOCK = threading.Lock()

#: the figure columns of a row, in order (``expect.*`` columns follow, then ``error``)
FIGURES = (
    "status",
    "simulated_ns",
    "init_graph_ns",
    "peak_hbm_bytes",
    "final_hbm_bytes",
    "peak_hbm_per_device",
    "final_hbm_per_device",
    "host_peak_bytes",
    "events",
    "overflow_steps",
)


def _one_line(exc: BaseException) -> str:
    text = str(exc).replace("\n", " ").strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_point(payload: dict[str, Any]) -> dict[str, Any]:
    """Run one point; ``payload`` is ``{"scenario": dict, "label": str, "base_dir": str}``.

    Returns the figures (see the module docstring). Never raises for a failing point: every
    exception, ``SystemExit`` included, becomes the row's ``error``.
    """
    with _RUN_LOCK:
        enabled = gc.isenabled()
        gc.collect()  # start from a clean heap and keep the collector out of the run (below)
        gc.disable()
        try:
            return _run(payload)
        except BaseException as exc:  # noqa: BLE001 - a point's failure is its row, not ours
            if isinstance(exc, KeyboardInterrupt):
                raise
            return {"status": "error", "error": _one_line(exc)}
        finally:
            if enabled:
                gc.enable()


def _run(payload: dict[str, Any]) -> dict[str, Any]:
    from ascendsim.scenario.runner import run_scenario
    from ascendsim.sweep.points import validate_point

    loaded = validate_point(payload["scenario"], payload["label"], Path(payload["base_dir"]))
    result = run_scenario(loaded)
    return figures(result)


def figures(result: Any) -> dict[str, Any]:
    """The figures of a :class:`~ascendsim.scenario.runner.ScenarioResult` (plain data)."""
    from ascendsim.report import summarize

    row: dict[str, Any] = {}
    unexpected = result.error is not None and not result.expected_error
    row["status"] = "error" if unexpected else ("pass" if result.passed else "fail")
    system = result.system
    if system is not None:
        s = summarize(system)
        peaks = [int(d["peak_bytes"]) for d in s["devices"]]
        finals = [int(d["final_bytes"]) for d in s["devices"]]
        row.update(
            simulated_ns=int(result.end_time),
            init_graph_ns=init_graph_ns(system.trace),
            peak_hbm_bytes=max(peaks, default=0),
            final_hbm_bytes=max(finals, default=0),
            peak_hbm_per_device=peaks,
            final_hbm_per_device=finals,
            host_peak_bytes=int(s["host_peak_bytes"] or 0),
            events=int(s["events"]),
            overflow_steps=overflow_steps(system.trace, result.windows),
        )
    row["expect"] = ["pass" if e.passed else "fail" for e in result.expectations]
    row["expect_kinds"] = [e.kind for e in result.expectations]
    if result.error is not None:
        row["error"] = _one_line(result.error)
    return row


def init_graph_ns(trace: Any) -> int:
    """Simulated ns from the first init-graph launch to the last ``param_synced`` (0: none)."""
    start = None
    end = None
    for r in trace:
        if r.kind == "host" and r.name.startswith("launch init graph") and start is None:
            start = r.start
        elif r.kind == "param_synced":
            end = r.end if end is None else max(end, r.end)
    if start is None or end is None:
        return 0
    return int(end - start)


def overflow_steps(trace: Any, windows: Any) -> list[int]:
    """The steps whose trace window holds a ``float_status_set`` record."""
    records = list(trace)
    out = []
    for w in windows:
        if any(r.kind == "float_status_set" for r in records[w.seq_start : w.seq_end]):
            out.append(int(w.index))
    return out
