"""``--plot METRIC:AXIS[:BY]``: one figure of a sweep's results, drawn with matplotlib.

The x axis is the sweep axis ``AXIS`` (its values in sweep order; numbers on a numeric scale,
anything else, such as ``16GB/s`` or a preset name, as categories); one line per value of the
axis ``BY`` when given. A point whose metric is missing (it failed) leaves a gap. When other
axes vary too, each plotted value is the mean over them (the title says so). Times are drawn
in the unit that suits their size (us, ms, s), sizes in MiB or GiB. A point whose run failed but
still has the figure (the peak memory reached before an out-of-memory error) is marked with a
red cross. matplotlib is imported only
here, with the headless ``Agg`` backend; the PNG is written whole or not at all.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ascendsim.errors import AscendSimError

__all__ = ["PlotSpec", "parse_plot", "plot", "METRICS"]

#: numeric row columns that can be plotted, with their labels
METRICS = {
    "simulated_ns": "simulated time",
    "init_graph_ns": "init-graph time",
    "peak_hbm_bytes": "peak HBM (largest device)",
    "final_hbm_bytes": "final HBM (largest device)",
    "host_peak_bytes": "host peak memory",
    "events": "trace events",
}


class PlotError(AscendSimError):
    """A malformed ``--plot`` or an unknown metric or axis (invalid input: exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class PlotSpec:
    metric: str
    x: str
    by: str | None = None


def parse_plot(text: str, axes: list[str] | None = None) -> PlotSpec:
    """``init_graph_ns:devices:hardware.pcie.h2d_bandwidth`` -> a PlotSpec; with ``axes``,
    the axis names are checked too.

    Raises:
        PlotError: not METRIC:AXIS[:BY], an unknown metric, or an axis the sweep lacks.
    """
    parts = [p.strip() for p in text.split(":")]
    if len(parts) not in (2, 3) or not all(parts):
        raise PlotError(
            f"--plot {text!r}: write it as METRIC:AXIS or METRIC:AXIS:BY, e.g. "
            "init_graph_ns:devices:hardware.pcie.h2d_bandwidth"
        )
    metric, x = parts[0], parts[1]
    by = parts[2] if len(parts) == 3 else None
    if metric not in METRICS:
        close = difflib.get_close_matches(metric, list(METRICS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise PlotError(
            f"--plot {text!r}: unknown metric {metric!r}; {hint}metrics: {', '.join(METRICS)}"
        )
    if axes is not None:
        for name in (x, by):
            if name is not None and name not in axes:
                close = difflib.get_close_matches(name, axes, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise PlotError(
                    f"--plot {text!r}: {name!r} is not an axis of the sweep; "
                    f"{hint}axes: {', '.join(axes)}"
                )
        if by == x:
            raise PlotError(f"--plot {text!r}: give two different axes")
    return PlotSpec(metric, x, by)


def _key(v: Any) -> str:
    import json

    return v if isinstance(v, str) else json.dumps(v, sort_keys=True)


def _numeric(values: list[Any]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _scale(metric: str, peak: float) -> tuple[float, str]:
    if metric.endswith("_ns"):
        for unit, s in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
            if peak >= s:
                return s, unit
        return 1.0, "ns"
    if metric.endswith("_bytes"):
        for unit, s in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
            if peak >= s:
                return float(s), unit
        return 1.0, "B"
    return 1.0, ""


def plot(result: Any, spec: PlotSpec, path: str | Path) -> Path:
    """Draw ``spec`` from ``result`` (a SweepResult) into the PNG ``path``.

    Raises:
        PlotError: no point has a value for the metric, or the file cannot be written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in result.rows if r.get(spec.metric) is not None]
    if not rows:
        raise PlotError(f"--plot: no point has a value for {spec.metric} (did every point fail?)")
    xs = list({_key(r[spec.x]): r[spec.x] for r in result.rows}.values())
    lines = (
        [None]
        if spec.by is None
        else list({_key(r[spec.by]): r[spec.by] for r in result.rows}.values())
    )
    others = [a for a in result.axes if a not in (spec.x, spec.by)]
    varied = [a for a in others if len({_key(r[a]) for r in result.rows}) > 1]
    peak = max(float(r[spec.metric]) for r in rows)
    scale, unit = _scale(spec.metric, peak)
    numeric = _numeric(xs)
    pos = {_key(v): (float(v) if numeric else i) for i, v in enumerate(xs)}
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    try:
        failed: list[tuple[float, float]] = []
        for line in lines:
            pts = []
            for v in xs:
                here = [
                    r
                    for r in rows
                    if _key(r[spec.x]) == _key(v)
                    and (line is None or _key(r[spec.by]) == _key(line))
                ]
                if here:
                    y = sum(float(r[spec.metric]) for r in here) / len(here) / scale
                    pts.append((pos[_key(v)], y))
                    if any(r.get("status") != "pass" for r in here):
                        failed.append(pts[-1])
            if pts:
                label = None if line is None else str(line)
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
        if failed:
            ax.scatter(
                [p[0] for p in failed],
                [p[1] for p in failed],
                marker="x",
                s=90,
                color="red",
                zorder=3,
                label="point failed",
            )
        if not numeric:
            ax.set_xticks(range(len(xs)), [str(v) for v in xs])
            ax.set_xlim(-0.5, len(xs) - 0.5)
        elif len(xs) <= 12:
            ax.set_xticks([float(v) for v in xs], [str(v) for v in xs])
        ax.set_xlabel(spec.x)
        ax.set_ylabel(f"{METRICS[spec.metric]}" + (f" ({unit})" if unit else ""))
        title = result.title or "sweep"
        if varied:
            title += f" (mean over {', '.join(varied)})"
        ax.set_title(title, fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
        if spec.by is not None or failed:
            ax.legend(title=spec.by, fontsize=8, title_fontsize=8)
        fig.tight_layout()
        return _save(fig, Path(path))
    finally:
        plt.close(fig)


def _share(path: str) -> None:
    """Give a file from ``mkstemp`` (mode 0600) the mode a plain ``open`` would."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _save(fig: Any, path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".png")
        os.close(fd)
        try:
            fig.savefig(tmp, format="png")
            _share(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PlotError(f"cannot write the plot {path}: {exc.strerror or exc}") from None
    return path
