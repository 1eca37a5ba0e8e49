"""A picture of a run: memory per device over time, with the timeline of streams and links below.

:func:`plot_trace` draws two panels sharing the time axis:

* **memory** (top): bytes in use on each device (all its pools summed) and on the host, as
  step lines built from the ``alloc``/``free`` records (the figures of
  :meth:`TraceLog.memory_series <ascendsim.trace.log.TraceLog.memory_series>`); faint vertical
  lines mark ``is_init`` flips and hazards;
* **timeline** (below): one row per track: host work, then for each device a ``params`` row
  (``is_init`` flips and ``param_synced``), its streams (kernels coloured by unit, stalled
  waits hatched), its links (PCIe, HCCS, network copies) and its float-status register (set,
  clear and read markers; a read that saw an overflow is filled red); hazards are red crosses
  with a red line across both panels. Boxes and marker groups are labelled where they fit.

matplotlib is imported only here, lazily, with the headless Agg canvas (no pyplot, no global
state). The file is written whole or not at all (temporary file, then rename); its format
follows the suffix (``.png``, ``.svg``, ``.pdf``), PNG if there is none. The picture is a pure
function of the trace and the title (no timestamps in the file's metadata).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ascendsim.errors import MsImportError, MsValueError
from ascendsim.trace.log import TraceLog
from ascendsim.trace.record import Record
from ascendsim.units import format_bytes

__all__ = ["plot_trace", "plot_format"]

_MARKER_KINDS = {
    # kind: (marker, colour, legend label)
    "is_init": ("^", "#2ca02c", "is_init = True"),
    "param_synced": ("o", "#1b5e20", "param_synced"),
    "float_status_set": ("v", "#d62728", "float status set"),
    "float_status_clear": ("s", "#1f77b4", "float status clear"),
    "float_status_read": ("D", "#222222", "float status read (red: overflow)"),
    "hazard": ("X", "#e41a1c", "hazard"),
}
_BOX_STYLE = {
    # key: (colour, legend label)
    "cube": ("#4c72b0", "kernel (cube)"),
    "vector": ("#64b5cd", "kernel (vector)"),
    "kernel": ("#8172b2", "kernel"),
    "init": ("#c44e52", "init-graph copy"),
    "h2d": ("#dd8452", "copy host->device"),
    "d2h": ("#937860", "copy device->host"),
    "d2d": ("#8c6bb1", "copy over HCCS / network"),
    "launch": ("#bdbdbd", "host launch / work"),
    "wait": ("#eeeeee", "wait (stalled)"),
}
_TIME_UNITS = (("s", 10**9), ("ms", 10**6), ("us", 10**3), ("ns", 1))
_BYTE_UNITS = (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10), ("B", 1))
#: at most this many box labels and marker-group labels are drawn (readability)
_MAX_BOX_LABELS = 120
_MAX_MARKER_LABELS = 24


def _unit(value: float, units: Sequence[tuple[str, int]]) -> tuple[str, int]:
    for name, scale in units:
        if value >= scale:
            return name, scale
    return units[-1]


def _row_of(r: Record) -> tuple[int | None, str] | None:
    """The timeline row (device, track) a record is drawn on, or None."""
    k = r.kind
    if k in ("is_init", "param_synced"):
        return (r.device, "params")
    if k.startswith("float_status_") or k == "hazard":
        return (r.device, r.track or "float_status")
    if k in ("kernel", "copy"):
        return (r.device, r.track)
    if k == "host" and r.duration > 0:
        return (r.device, r.track or "host")
    if k == "event_wait" and r.duration > 0:
        return (r.device, r.track)
    return None


def _row_key(row: tuple[int | None, str]) -> tuple[Any, ...]:
    device, track = row
    ranks = ("host", "params", "stream", "pcie.h2d", "pcie", "hccs", "net", "float_status")
    rank = next((i for i, p in enumerate(ranks) if track.startswith(p)), len(ranks))
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", track))
    return (device is not None, device or 0, rank, parts)


def _row_label(row: tuple[int | None, str]) -> str:
    device, track = row
    where = "host" if device is None else f"npu{device}"
    if track == "host" and device is None:
        return "host"
    return f"{where} {track.replace('float_status', 'float status')}"


def _box_style(r: Record) -> str:
    if r.kind == "kernel":
        unit = r.arg("unit")
        return unit if unit in ("cube", "vector") else "kernel"
    if r.kind == "copy":
        if r.name.startswith("init H2D"):
            return "init"
        if r.track == "pcie.h2d":
            return "h2d"
        if r.track == "pcie.d2h":
            return "d2h"
        return "d2d"
    if r.kind == "event_wait":
        return "wait"
    return "launch"


def _memory_lines(records: list[Record]) -> list[tuple[str, list[tuple[int, int]]]]:
    """``(label, [(t, bytes)])`` per device (all its pools summed) and for the host, devices
    first; the same figures as :meth:`TraceLog.memory_series`, in time order."""
    used: dict[int | None, dict[str, int]] = {}
    points: dict[int | None, list[tuple[int, int]]] = {}
    for r in sorted((r for r in records if r.kind in ("alloc", "free")), key=_by_time):
        pools = used.setdefault(r.device, {})
        pools[r.track] = int(r.arg("used_after", 0) or 0)
        points.setdefault(r.device, [(0, 0)]).append((r.start, sum(pools.values())))
    order = sorted(points, key=lambda d: (d is None, d or 0))
    return [("host" if d is None else f"npu{d}", points[d]) for d in order]


def _by_time(r: Record) -> tuple[int, int]:
    return (r.start, r.seq)


def _need_matplotlib() -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MsImportError(
            "--plot needs matplotlib, which is not installed; install it with "
            "pip install 'ascendsim[plot]' (or pip install matplotlib)"
        ) from None
    return Figure, FigureCanvasAgg


def plot_format(path: str | os.PathLike[str]) -> str:
    """The image format :func:`plot_trace` would write ``path`` in (``png``, ``svg``, ``pdf``),
    after checking that matplotlib can be imported (so tools can fail before a long run).

    Raises:
        MsValueError: another suffix.
        MsImportError: matplotlib is not installed.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".") or "png"
    if fmt not in ("png", "svg", "pdf"):
        raise MsValueError(
            f"cannot plot to {path}: unknown image format {fmt!r}; use a .png, .svg or .pdf file"
        )
    _need_matplotlib()
    return fmt


def plot_trace(trace: TraceLog, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Draw ``trace`` (see the module docstring) and write it to ``path``; returns the path.

    Raises:
        MsImportError: matplotlib is not installed.
        MsValueError: the suffix is not ``.png``, ``.svg`` or ``.pdf``.
        OSError: the file cannot be written (nothing is left behind).
    """
    path = Path(path)
    fmt = plot_format(path)
    Figure, FigureCanvasAgg = _need_matplotlib()
    records = list(trace)
    rows = sorted({row for r in records if (row := _row_of(r)) is not None}, key=_row_key)
    end = max((r.end for r in records), default=0)
    tname, tscale = _unit(max(end, 1), _TIME_UNITS)

    height = 3.2 + 0.34 * max(len(rows), 1) + 1.1
    fig = Figure(figsize=(12, height), dpi=110)
    FigureCanvasAgg(fig)
    mem_h, tl_h = 2.4, 0.34 * max(len(rows), 1) + 0.4
    gs = fig.add_gridspec(2, 1, height_ratios=[mem_h, tl_h], hspace=0.08)
    ax_mem = fig.add_subplot(gs[0])
    ax_tl = fig.add_subplot(gs[1], sharex=ax_mem)
    span = max(end, 1) / tscale
    ax_mem.set_xlim(-0.01 * span, 1.01 * span)

    _draw_memory(ax_mem, records, tscale)
    _draw_timeline(ax_tl, records, rows, tscale, span, fig.get_figwidth())
    _mark_lines(ax_mem, ax_tl, records, tscale)
    ax_tl.set_xlabel(f"simulated time ({tname})")
    ax_mem.tick_params(labelbottom=False)
    fig.suptitle(title or "ascendsim run", x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.subplots_adjust(left=0.14, right=0.985, top=1 - 0.45 / height, bottom=1.0 / height)
    _legend(fig, records)
    return _save(fig, path, fmt)


def _draw_memory(ax: Any, records: list[Record], tscale: int) -> None:
    lines = _memory_lines(records)
    peak = max((u for _, pts in lines for _, u in pts), default=0)
    bname, bscale = _unit(max(peak, 1), _BYTE_UNITS)
    end = max((r.end for r in records), default=0)
    for label, pts in lines:
        xs = [t / tscale for t, _ in pts] + [end / tscale]
        ys = [u / bscale for _, u in pts] + [pts[-1][1] / bscale]
        style = {"linestyle": "--", "color": "#555555"} if label == "host" else {}
        top = max(u for _, u in pts)
        ax.step(
            xs,
            ys,
            where="post",
            linewidth=1.6,
            label=f"{label} (peak {format_bytes(top)})",
            **style,
        )
    if not lines:
        ax.text(0.5, 0.5, "no allocations", transform=ax.transAxes, ha="center", color="gray")
    ax.set_ylabel(f"memory in use ({bname})")
    ax.set_ylim(bottom=0, top=max(peak / bscale * 1.35, 1))  # room for the legend
    ax.grid(True, axis="y", alpha=0.3)
    if lines:
        ax.legend(loc="upper left", fontsize=8, frameon=False)


def _draw_timeline(
    ax: Any, records: list[Record], rows: list[Any], tscale: int, span: float, fig_w: float
) -> None:
    index = {row: i for i, row in enumerate(rows)}
    spans: dict[int, list[tuple[float, float, str, str]]] = {}
    markers: dict[str, list[tuple[float, int, Record]]] = {}
    min_w = span / 1500
    for r in records:
        row = _row_of(r)
        if row is None:
            continue
        y = index[row]
        if r.kind in _MARKER_KINDS:
            markers.setdefault(r.kind, []).append((r.start / tscale, y, r))
            continue
        w = max(r.duration / tscale, min_w)
        label = (r.cause or r.name) if r.kind == "copy" else r.name
        spans.setdefault(y, []).append((r.start / tscale, w, _box_style(r), label))
    boxes: dict[tuple[float, float, str], list[tuple[float, float]]] = {}
    labelled: list[tuple[float, float, float, float, str]] = []
    for y, items in spans.items():
        # overlapping boxes on one row (transfers sharing a link) go to separate lanes
        lanes = _lanes([(x0, w) for x0, w, _, _ in items])
        n = max(lanes) + 1
        h = 0.72 / n
        for (x0, w, style, name), lane in zip(items, lanes, strict=True):
            yb = y - 0.36 + lane * h
            boxes.setdefault((yb, h, style), []).append((x0, w))
            labelled.append((x0, w, yb + h / 2, h, name))
    px_per_unit = fig_w * 110 * 0.84 / (span * 1.02)
    for (yb, h, style), bars in sorted(boxes.items()):
        colour, _ = _BOX_STYLE[style]
        hatch = "///" if style == "wait" else None
        # outlines only where boxes are a few pixels wide (dense rows would turn dark)
        dense = len(bars) * 4 > span * px_per_unit
        ax.broken_barh(
            bars,
            (yb, h),
            facecolors=colour,
            edgecolor="none" if dense else "#333333",
            linewidth=0 if dense else 0.4,
            hatch=hatch,
        )
    # names inside the boxes that are wide enough (about 5.3 px per character at 6.5 pt)
    shown = 0
    for x0, w, yc, h, name in sorted(labelled, key=lambda b: -b[1]):
        if shown >= _MAX_BOX_LABELS:
            break
        text = name if len(name) <= 28 else name[:27] + "…"
        if h >= 0.3 and w * px_per_unit > 5.3 * len(text) + 4:
            ax.text(x0 + w / 2, yc, text, ha="center", va="center", fontsize=6.5, clip_on=True)
            shown += 1
    _draw_markers(ax, markers, span)
    ax.set_yticks(range(len(rows)), [_row_label(r) for r in rows], fontsize=8)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.grid(True, axis="x", alpha=0.25)
    if not rows:
        ax.text(0.5, 0.5, "no device activity", transform=ax.transAxes, ha="center", color="gray")


def _lanes(items: list[tuple[float, float]]) -> list[int]:
    """A lane per box so that boxes in one lane do not overlap (first fit, in start order)."""
    order = sorted(range(len(items)), key=lambda i: (items[i][0], i))
    ends: list[float] = []
    lanes = [0] * len(items)
    for i in order:
        x0, w = items[i]
        for lane, end in enumerate(ends):
            if end <= x0 + 1e-12:
                ends[lane] = x0 + w
                lanes[i] = lane
                break
        else:
            ends.append(x0 + w)
            lanes[i] = len(ends) - 1
    return lanes


def _draw_markers(
    ax: Any, markers: dict[str, list[tuple[float, int, Record]]], span: float
) -> None:
    groups: dict[tuple[float, int, str], list[str]] = {}
    for kind in _MARKER_KINDS:
        pts = markers.get(kind)
        if not pts:
            continue
        marker, colour, _ = _MARKER_KINDS[kind]
        faces = [colour] * len(pts)
        if kind == "float_status_read":
            faces = ["#d62728" if r.arg("is_set") else "white" for _, _, r in pts]
        size = 90 if kind == "hazard" else 46
        ax.scatter(
            [p[0] for p in pts],
            [p[1] for p in pts],
            marker=marker,
            s=size,
            c=faces,
            edgecolors=colour,
            linewidths=1.1,
            zorder=5,
        )
        for x, y, r in pts:
            groups.setdefault((x, y, kind), []).append(r.cause or r.name)
    if len(groups) > _MAX_MARKER_LABELS:
        return
    # one label per (time, row, kind) group; a label close to the previous one on its row
    # goes below the row instead of above, so neighbours do not collide
    last: dict[int, tuple[float, bool]] = {}
    for (x, y, kind), names in sorted(groups.items(), key=lambda g: (g[0][1], g[0][0], g[0][2])):
        names = list(dict.fromkeys(names))
        text = ", ".join(names) if len(names) <= 2 else f"{names[0]} +{len(names) - 1}"
        colour = "#333333"
        if kind == "hazard":
            text, colour = f"hazard: {text}", "#c00000"
        prev = last.get(y)
        below = prev is not None and x - prev[0] < span * 0.08 and not prev[1]
        right = x > span * 0.85  # near the right edge: write the label leftwards
        ax.annotate(
            text,
            (x, y),
            xytext=(-4 if right else 4, -7 if below else 5),
            textcoords="offset points",
            fontsize=6.5,
            ha="right" if right else "left",
            va="top" if below else "bottom",
            color=colour,
            clip_on=True,
        )
        last[y] = (x, below)


def _mark_lines(ax_mem: Any, ax_tl: Any, records: list[Record], tscale: int) -> None:
    flips = sorted({r.start for r in records if r.kind == "is_init"})
    hazards = sorted({r.start for r in records if r.kind == "hazard"})
    for t in flips[:50]:
        ax_mem.axvline(t / tscale, color="#2ca02c", linewidth=0.8, alpha=0.5, linestyle=":")
    for t in hazards[:50]:
        for ax in (ax_mem, ax_tl):
            ax.axvline(t / tscale, color="#e41a1c", linewidth=1.0, alpha=0.7, linestyle="--")


def _legend(fig: Any, records: list[Record]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    kinds = {r.kind for r in records}
    styles = {_box_style(r) for r in records if _row_of(r) and r.kind not in _MARKER_KINDS}
    handles: list[Any] = [
        Patch(facecolor=c, edgecolor="#333333", hatch="///" if k == "wait" else None, label=lab)
        for k, (c, lab) in _BOX_STYLE.items()
        if k in styles
    ]
    for kind, (marker, colour, label) in _MARKER_KINDS.items():
        if kind in kinds:
            face = "white" if kind == "float_status_read" else colour
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=marker,
                    linestyle="",
                    markerfacecolor=face,
                    markeredgecolor=colour,
                    color=colour,
                    label=label,
                )
            )
    if handles:
        fig.legend(
            handles=handles,
            loc="lower center",
            ncol=min(5, len(handles)),
            fontsize=7.5,
            frameon=False,
            bbox_to_anchor=(0.56, 0.0),
        )


def _file_mode() -> int:
    """0666 less the process umask (what ``open(path, "w")`` would give)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _save(fig: Any, path: Path, fmt: str) -> Path:
    metadata: dict[str, Any] = {
        "png": {"Software": "ascendsim"},
        "svg": {"Date": None, "Creator": "ascendsim"},
        "pdf": {"CreationDate": None, "Creator": "ascendsim", "Producer": "ascendsim"},
    }[fmt]
    parent = path.parent if str(path.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as f:
            fig.savefig(f, format=fmt, metadata=metadata)
        os.chmod(tmp, _file_mode())  # mkstemp makes it 0600; a plot is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
