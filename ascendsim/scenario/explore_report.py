"""The text ``ascendsim explore FILE`` prints: verdict, search extent, outcomes with witnesses.

An exploration (:class:`~ascendsim.graph.explorer.Exploration`) holds, per distinct outcome, an
opaque observable and the first order that produced it. For a scenario the observable is what
:func:`ascendsim.ms._graph_mode.explore` records: the program's output values (numpy dtype,
shape, raw bytes), the float-status reads, the final parameter values and printed lines. This
module turns that into plain, deterministic lines::

    order-dependent: 3 different outcomes
    search complete: 6 orders explored (one per class of orders that can differ) ...
    outcome 1 (1 of 6 orders)
      witness: init, clear, init2, product, get_status, flag, out
      out = [[65504, 65504, 65504], ...] (float16, shape [3, 3])
      flag = 1 (float32)
      float-status reads: get_status saw an overflow
    outcome 2 (1 of 6 orders); unlike outcome 1: flag before get_status (float-status register)
      ...
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ascendsim.scenario.runner import ScenarioExploration

__all__ = ["exploration_lines", "observed_value_text"]


def observed_value_text(obs: Any) -> str:
    """An observed value as text: ``1 (float32)``, ``[[5, 5], [5, 5]] (float32, shape [2, 2])``,
    ``shape [1, 10] float16 (no values: shape-only)``; anything else as ``repr``."""
    if isinstance(obs, tuple) and len(obs) == 3 and obs[0] == "shape-only":
        return f"shape {list(obs[1])} {obs[2]} (no values: shape-only)"
    if isinstance(obs, tuple) and len(obs) == 3 and isinstance(obs[2], bytes):
        dtype, shape, raw = obs
        try:
            arr = np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape)
        except (TypeError, ValueError):
            return repr(obs)[:200]
        shown = arr.astype(np.float32) if arr.dtype == np.float16 else arr  # 65504, not 6.55e+04
        fmt = {"float_kind": _float} if arr.dtype.kind == "f" else None
        text = np.array2string(shown, threshold=12, edgeitems=2, separator=", ", formatter=fmt)
        text = " ".join(text.split())
        if len(text) > 160:
            text = text[:157] + "..."
        shape_text = f", shape {list(arr.shape)}" if arr.ndim else ""
        return f"{text} ({arr.dtype}{shape_text})"
    text = repr(obs)
    return text if len(text) <= 200 else text[:197] + "..."


def _float(v: Any) -> str:
    """Shortest exact text: ``1``, ``0.5``, ``65504``, ``1e+30``, ``inf``."""
    if v == 0 or not np.isfinite(v) or 1e-4 <= abs(v) < 1e16:
        return np.format_float_positional(v, trim="-")
    return np.format_float_scientific(v, trim="-", exp_digits=2)


def _read_text(read: Any) -> str:
    """``('get', True)`` -> ``get saw an overflow``; other shapes of a read as text."""
    if isinstance(read, tuple) and len(read) == 2 and isinstance(read[1], bool):
        return f"{read[0]} saw {'an overflow' if read[1] else 'no overflow'}"
    return str(read)


def _parts(observable: Any) -> dict[str, Any]:
    """The named parts of an observable (``outputs``, ``parameters`` ...), if it has them."""
    if isinstance(observable, tuple) and all(
        isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in observable
    ):
        return dict(observable)
    return {"observable": observable}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n:,} {word}s"


def _head(found: ScenarioExploration) -> list[str]:
    exp = found.exploration
    n = len(exp.outcomes)
    runs = exp.orders_explored
    if n > 1:
        verdict = f"order-dependent: {n} different outcomes"
    elif exp.complete:
        verdict = "order-independent: every order gives the same outcome"
    else:
        verdict = (
            "undecided: the orders explored all gave one outcome, but the search is incomplete"
        )
    g = found.graph
    names = [g.nodes[v].name for v in exp.relevant_nodes] if g is not None else []
    shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
    naive = "unknown" if exp.naive_orders is None else f"{exp.naive_orders:,}"
    total = len(g.nodes) if g is not None else "?"
    extent = (
        f"{_plural(runs, 'order')} explored (one per class of orders that can differ; "
        f"{len(exp.relevant_nodes)} relevant nodes of {total}"
        + (f": {shown}" if shown else "")
        + f"; valid orders of the whole graph: {naive})"
    )
    if exp.complete:
        search = f"search complete: {extent}"
    elif runs >= found.max_orders:
        search = (
            f"search INCOMPLETE: stopped at the bound of {_plural(found.max_orders, 'order')} "
            f"(--max-orders): {extent}"
        )
    else:
        search = f"search INCOMPLETE: {extent}"
    lines = [verdict, search]
    if exp.unpredicted_setters and g is not None:
        who = ", ".join(g.nodes[v].name for v in sorted(exp.unpredicted_setters))
        lines.append(
            f"warning: {who} set the float-status register although the analysis ruled it "
            "out; some orders may have been missed"
        )
    return lines


def _differences(found: ScenarioExploration, k: int) -> str:
    """The conflicting pairs outcome ``k``'s witness orders unlike outcome 1's."""
    exp, g = found.exploration, found.graph
    if k == 0 or g is None:
        return ""
    first = {v: i for i, v in enumerate(exp.outcomes[0].witness)}
    here = {v: i for i, v in enumerate(exp.outcomes[k].witness)}
    diffs = []
    for a, b, res in exp.conflicts:
        if a in first and b in first and a in here and b in here:
            if (first[a] < first[b]) != (here[a] < here[b]):
                x, y = (a, b) if here[a] < here[b] else (b, a)
                diffs.append(f"{g.nodes[x].name} before {g.nodes[y].name} ({res})")
    return "; unlike outcome 1: " + "; ".join(diffs) if diffs else ""


def exploration_lines(found: ScenarioExploration) -> list[str]:
    """The whole report (no trailing newlines); see the module docstring."""
    exp, g = found.exploration, found.graph
    lines = [f"{found.loaded.scenario.name} ({found.loaded.filename})", *_head(found)]
    parts = [_parts(o.observable) for o in exp.outcomes]
    params_differ = len({repr(p.get("parameters")) for p in parts}) > 1
    total = exp.orders_explored
    for k, (out, part) in enumerate(zip(exp.outcomes, parts, strict=True)):
        lines.append(
            f"outcome {k + 1} ({out.count:,} of {_plural(total, 'order')})" + _differences(found, k)
        )
        order = [g.nodes[v].name for v in out.witness] if g is not None else list(out.witness)
        lines.append(f"  witness: {', '.join(order)}")
        outputs = part.get("outputs", ())
        for i, value in enumerate(outputs):
            label = found.labels[i] if i < len(found.labels) else f"output {i}"
            lines.append(f"  {label} = {observed_value_text(value)}")
        reads = [_read_text(r) for r in part.get("float_status_reads", ()) if r]
        if reads:
            lines.append(f"  float-status reads: {'; '.join(reads)}")
        if params_differ:
            for name, value in part.get("parameters", ()):
                lines.append(f"  parameter {name} = {observed_value_text(value)}")
        for text in part.get("printed", ()):
            lines.append(f"  printed: {text}")
        if "observable" in part:
            lines.append(f"  observable: {observed_value_text(part['observable'])}")
    return lines
