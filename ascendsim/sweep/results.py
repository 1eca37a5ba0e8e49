"""Sweep results: one row per point, in point order, as CSV, JSON lines, a table, a DataFrame.

A row holds ``point`` (its index in the sweep), ``hash`` (the resolved scenario's), the value
of every axis (the column is the axis path), the figures of :mod:`ascendsim.sweep.worker`, one
``expect.I.KIND`` column per expectation (``pass``/``fail``) and ``error``. Rows are kept in
point order whatever the engine or the completion order, and nothing in them depends on wall
time or on the machine, so two runs of a sweep write byte-identical files.

Files (:class:`ResultsFiles`): ``--out STEM`` writes ``STEM.csv`` and ``STEM.jsonl``, each whole
or not at all (a temporary file renamed over the old one). While a sweep runs they are
rewritten with the rows finished so far at most every few seconds, so an interrupted sweep keeps
them. ``--resume FILE`` (the ``.jsonl``, or a ``.csv`` next to one) reads the rows of an earlier
run: points whose hash is there are not run again, except ``crashed`` ones.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ascendsim.errors import AscendSimError

__all__ = ["SweepError", "SweepResult", "ResultsFiles", "columns_of", "read_rows",
           "results_table", "make_row", "STATUSES"]  # fmt: skip

STATUSES = ("pass", "fail", "error", "crashed")
_CHECKPOINT_S = 2.0


class SweepError(AscendSimError):
    """A results file cannot be read or written, or an optional package is missing
    (invalid input: exit code 2)."""

    exit_code = 2


def make_row(
    index: int, point_hash: str, axes: Sequence[tuple[str, Any]], figures: dict[str, Any]
) -> dict[str, Any]:
    """A row from a point's axis values and the figures its run returned."""
    from ascendsim.sweep.worker import FIGURES

    row: dict[str, Any] = {"point": index, "hash": point_hash}
    for path, value in axes:
        row[path] = value
    for key in FIGURES:
        row[key] = figures.get(key)
    kinds = figures.get("expect_kinds", [])
    for i, (kind, verdict) in enumerate(zip(kinds, figures.get("expect", []), strict=False)):
        row[f"expect.{i}.{kind}"] = verdict
    row["error"] = figures.get("error")
    return row


def columns_of(rows: Sequence[dict[str, Any]], axes: Sequence[str]) -> list[str]:
    """The column order: point, hash, the axes, the figures, expectations, error."""
    from ascendsim.sweep.worker import FIGURES

    expect: dict[str, tuple[int, int]] = {}
    for row in rows:
        for key in row:
            if key.startswith("expect.") and key not in expect and key not in axes:
                expect[key] = (int(key.split(".")[1]), len(expect))
    return ["point", "hash", *axes, *FIGURES, *sorted(expect, key=expect.__getitem__), "error"]


@dataclass
class SweepResult:
    """What :func:`ascendsim.sweep` returns: the rows in point order and how the sweep ended.

    Attributes:
        rows: one dict per finished point, in point order (``columns`` keys each).
        columns: the column order of the files.
        axes: the axis paths.
        total: points in the sweep (``len(rows) < total`` after an interruption).
        resumed: rows taken from the ``resume`` file.
        interrupted: Ctrl-C stopped the sweep (finished rows are kept and written).
        files: the results files written.
    """

    rows: list[dict[str, Any]]
    columns: list[str]
    axes: list[str]
    total: int
    resumed: int = 0
    interrupted: bool = False
    files: list[Path] = field(default_factory=list)
    title: str = ""

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return self.rows[i]

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Rows whose status is not ``pass``."""
        return [r for r in self.rows if r["status"] != "pass"]

    @property
    def exit_code(self) -> int:
        """0: every point passed; 1: a point failed, raised or crashed; 130: interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.failed else 0

    def dataframe(self) -> Any:
        """The rows as a ``pandas.DataFrame`` (columns in file order).

        Raises:
            SweepError: pandas is not installed.
        """
        try:
            import pandas
        except ImportError:
            raise SweepError("SweepResult.dataframe() needs pandas: pip install pandas") from None
        return pandas.DataFrame.from_records(
            [[r.get(c) for c in self.columns] for r in self.rows], columns=self.columns
        )


# --- files --------------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def jsonl_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    return "".join(
        json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n" for row in rows
    )


def _share(path: str) -> None:
    """Give a file from ``mkstemp`` (mode 0600) the mode a plain ``open`` would."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _write_atomic(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            _share(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SweepError(f"cannot write {path}: {exc.strerror or exc}") from None


class ResultsFiles:
    """``STEM.csv`` and ``STEM.jsonl``, rewritten whole (see the module docstring)."""

    def __init__(self, out: str | Path) -> None:
        p = Path(out)
        stem = p.with_suffix("") if p.suffix in (".csv", ".jsonl") else p
        self.csv = stem.with_name(stem.name + ".csv")
        self.jsonl = stem.with_name(stem.name + ".jsonl")
        self._last = time.monotonic()

    def check(self) -> None:
        """Fail now, before a long sweep, if the files cannot be written.

        Raises:
            SweepError: the folder cannot be created or written.
        """
        for path in self.paths:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
                os.close(fd)
                os.unlink(tmp)
            except OSError as exc:
                raise SweepError(f"cannot write {path}: {exc.strerror or exc}") from None

    @property
    def paths(self) -> list[Path]:
        return [self.csv, self.jsonl]

    def write(self, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
        """Write both files now."""
        _write_atomic(self.jsonl, jsonl_text(rows, columns))
        _write_atomic(self.csv, csv_text(rows, columns))
        self._last = time.monotonic()

    def due(self) -> bool:
        """The last write is a few seconds old: time to write the rows finished so far."""
        return time.monotonic() - self._last >= _CHECKPOINT_S


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """The rows of a ``.jsonl`` results file (or of the ``.jsonl`` next to a ``.csv``).

    Raises:
        SweepError: no such file, or a line that is not a results row.
    """
    p = Path(path)
    if p.suffix != ".jsonl":
        sibling = p.with_suffix(".jsonl") if p.suffix == ".csv" else p.with_name(p.name + ".jsonl")
        if not sibling.is_file():
            raise SweepError(
                f"--resume {p}: give the .jsonl results file (CSV loses the types of the values)"
            )
        p = sibling
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise SweepError(f"--resume {p}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise SweepError(f"--resume {p}: not a UTF-8 results file") from None
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SweepError(
                f"{p}:{n}: not a results row ({exc.msg}); give a .jsonl file "
                "written by ascendsim sweep"
            ) from None
        if (
            not isinstance(row, dict)
            or not isinstance(row.get("hash"), str)
            or row.get("status") not in STATUSES
        ):
            raise SweepError(
                f"{p}:{n}: not a results row (no 'hash' and 'status'); give a "
                ".jsonl file written by ascendsim sweep"
            )
        rows.append(row)
    return rows


# --- the table ----------------------------------------------------------------------------------
def _fmt(column: str, value: Any) -> str:
    from ascendsim import units

    if value is None:
        return ""
    if column.endswith("_ns") and isinstance(value, int):
        return units.format_ns(value)
    if column.endswith("_bytes") and isinstance(value, int):
        return units.format_bytes(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


_TABLE_FIGURES = ("status", "simulated_ns", "init_graph_ns", "peak_hbm_bytes", "host_peak_bytes",
                  "events", "overflow_steps")  # fmt: skip


def _clip(text: str, limit: int = 48) -> str:
    """The start of an error (the files hold all of it)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown(value: Any) -> bool:
    """Worth a table column: not missing, empty or zero."""
    return value not in (None, "", 0, [])


_STYLE = {"pass": "green", "fail": "red", "error": "red", "crashed": "magenta"}


def results_table(result: SweepResult, max_rows: int = 200) -> Any:
    """A rich table of the rows: axis values, status and the main figures."""
    from rich.table import Table
    from rich.text import Text

    n = len(result.rows)
    title = f"{result.title}: {n} of {result.total} points" if result.title else None
    table = Table(title=title)
    cols = [
        "point",
        *result.axes,
        *(c for c in _TABLE_FIGURES if c == "status" or any(_shown(r.get(c)) for r in result.rows)),
    ]
    heads = {"simulated_ns": "simulated", "init_graph_ns": "init graph",
             "peak_hbm_bytes": "peak HBM", "host_peak_bytes": "host peak",
             "overflow_steps": "overflow steps"}  # fmt: skip
    last = [a.rsplit(".", 1)[-1] for a in result.axes]
    short = {a: s for a, s in zip(result.axes, last, strict=True) if last.count(s) == 1}
    shown = result.rows[:max_rows]
    texts = [
        [_clip(_fmt(c, row.get(c))) if c == "error" else _fmt(c, row.get(c)) for c in cols]
        for row in shown
    ]
    for k, c in enumerate(cols):
        width = max([len(t[k]) for t in texts] + [1]) if c != "error" else None
        right = c.endswith(("_ns", "_bytes")) or c in ("point", "events")
        head = heads.get(c, short.get(c, c))
        table.add_column(
            head,
            overflow="fold",
            justify="right" if right else "left",
            min_width=width if c != "error" else 20,
        )
    for t in texts:
        table.add_row(
            *(
                Text(x, style=_STYLE.get(x, "") if c == "status" else "")
                for c, x in zip(cols, t, strict=True)
            )
        )
    if n > max_rows:
        table.caption = f"{n - max_rows} more rows in the results files"
    return table
