"""The append-only event log of one simulated system.

Every state change of the model is appended here once; exporters, narratives and test helpers
only read it. Appending is on the simulator's hot path (one record per kernel, copy, alloc ...),
so the device layer appends a plain tuple through :meth:`TraceLog.append_row` and the frozen
:class:`~ascendsim.trace.record.Record` objects are built on first read, in place. That is
invisible to readers: every public accessor returns ``Record`` objects, and a record's ``seq``
is its position in the log.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from types import EllipsisType
from typing import Any, overload

from ascendsim.errors import MsValueError
from ascendsim.trace.record import JsonValue, Record

__all__ = ["TraceLog", "RecordsView"]

# A raw row: (kind, start, end, device, track, name, cause, nbytes, arg_keys, *arg_values).
# ``arg_keys`` is a sorted tuple of names shared by every row of one kind, and the argument
# values follow it in the row itself: a flat tuple of atoms, which the garbage collector stops
# tracking at its first pass (a nested fresh tuple would take two). With ``arg_keys`` None, the
# one element after it holds the (key, value) pairs. A row may also be any finished object
# with an ``_as_record(seq) -> Record`` method (the device layer appends kernel tasks this way,
# see ``append_lazy``); such an object must not keep anything big alive (a finished kernel task
# drops its callbacks, which reference its outputs).
_Row = tuple[Any, ...]


class RecordsView(Sequence[Record]):
    """A read-only, live view of a log's records (indexing by ``seq``)."""

    __slots__ = ("_log",)

    def __init__(self, log: TraceLog) -> None:
        self._log = log

    def __len__(self) -> int:
        return len(self._log._rows)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        rows = self._log._materialise()
        return rows[index]

    def __iter__(self) -> Iterator[Record]:
        return iter(self._log._materialise())

    def __repr__(self) -> str:
        return f"<RecordsView of {len(self)} records>"


class TraceLog:
    """An append-only list of :class:`Record` objects; records are never mutated or removed."""

    __slots__ = ("_rows", "_clean")

    def __init__(self) -> None:
        self._rows: list[Record | _Row] = []
        self._clean = 0  # every row before this index is already a Record

    # --- appending ----------------------------------------------------------------------
    def add(
        self,
        kind: str,
        *,
        start: int,
        end: int | None = None,
        device: int | None = None,
        track: str = "",
        name: str = "",
        cause: str = "",
        nbytes: int = 0,
        **args: JsonValue,
    ) -> Record:
        """Append one record and return it.

        ``start``/``end`` are simulated ns (``end`` defaults to ``start``: an instant);
        ``args`` become the record's sorted ``(key, value)`` pairs and must be JSON-able.

        Raises:
            MsValueError: ``end < start``, a negative time, or a non-integer time.
        """
        try:
            start = operator.index(start)
            end = start if end is None else operator.index(end)
            nbytes = operator.index(nbytes)
        except TypeError:
            raise MsValueError(
                f"trace record {kind!r} ({name!r}): times and byte counts must be integers "
                f"(simulated ns), got start={start!r}, end={end!r}, nbytes={nbytes!r}"
            ) from None
        if start < 0 or end < start:
            raise MsValueError(
                f"trace record {kind!r} ({name!r}): needs 0 <= start <= end, got "
                f"start={start}, end={end}"
            )
        if device is not None:
            device = operator.index(device)
        record = Record(
            len(self._rows),
            kind,
            start,
            end,
            device,
            track,
            name,
            cause,
            nbytes,
            tuple(sorted(args.items())),
        )
        self._rows.append(record)
        return record

    def append_row(
        self,
        kind: str,
        start: int,
        end: int,
        device: int | None,
        track: str,
        name: str,
        cause: str,
        nbytes: int,
        arg_keys: tuple[str, ...] | None = None,
        arg_values: tuple[JsonValue, ...] = (),
    ) -> int:
        """Append a record cheaply (no validation, no object) and return its ``seq``.

        For the simulator's hot paths. ``arg_keys`` must be sorted and pair with
        ``arg_values``; with ``arg_keys=None``, ``arg_values`` is the sorted pairs themselves.
        """
        rows = self._rows
        if arg_keys is None:
            rows.append((kind, start, end, device, track, name, cause, nbytes, None, arg_values))
        else:
            rows.append(
                (kind, start, end, device, track, name, cause, nbytes, arg_keys, *arg_values)
            )
        return len(rows) - 1

    def append_lazy(self, item: Any) -> int:
        """Append an object whose ``_as_record(seq)`` builds its Record on first read; the
        object must not change afterwards. Returns its ``seq``."""
        rows = self._rows
        rows.append(item)
        return len(rows) - 1

    # --- reading ------------------------------------------------------------------------
    def _materialise(self) -> list[Record]:
        rows = self._rows
        n = len(rows)
        i = self._clean
        if i < n:
            while i < n:
                row = rows[i]
                cls = type(row)
                if cls is tuple:
                    keys = row[8]
                    args = tuple(zip(keys, row[9:], strict=True)) if keys is not None else row[9]
                    rows[i] = Record(i, *row[:8], args)
                elif cls is not Record:
                    rows[i] = row._as_record(i)
                i += 1
            self._clean = n
        return rows  # type: ignore[return-value]

    @property
    def records(self) -> RecordsView:
        """Every record, in ``seq`` order (a live read-only view)."""
        return RecordsView(self)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Record]:
        return iter(self._materialise())

    def __repr__(self) -> str:
        return f"<TraceLog of {len(self._rows)} records>"

    def filter(
        self,
        kind: str | None = None,
        device: int | None | EllipsisType = ...,
        name: str | None = None,
        cause: str | None = None,
        track: str | None = None,
    ) -> list[Record]:
        """Records matching every given field, in ``seq`` order.

        ``device`` is compared exactly when given (``device=None`` selects host records);
        leave it out to match every device. The other filters are ignored when ``None``.
        """
        out = []
        for r in self._materialise():
            if kind is not None and r.kind != kind:
                continue
            if device is not ... and r.device != device:
                continue
            if name is not None and r.name != name:
                continue
            if cause is not None and r.cause != cause:
                continue
            if track is not None and r.track != track:
                continue
            out.append(r)
        return out

    def first(
        self,
        kind: str | None = None,
        device: int | None | EllipsisType = ...,
        name: str | None = None,
        cause: str | None = None,
        track: str | None = None,
    ) -> Record | None:
        """The first record :meth:`filter` would return, or ``None``."""
        for r in self._materialise():
            if (
                (kind is None or r.kind == kind)
                and (device is ... or r.device == device)
                and (name is None or r.name == name)
                and (cause is None or r.cause == cause)
                and (track is None or r.track == track)
            ):
                return r
        return None

    def kinds(self) -> list[str]:
        """The distinct kinds in the log, in order of first appearance."""
        return list(dict.fromkeys(r.kind for r in self._materialise()))

    def memory_series(self, device: int | None, track: str | None = None) -> list[tuple[int, int]]:
        """``(time ns, used bytes)`` after each alloc/free of ``device`` (``None``: the host),
        in log order; starts with ``(0, 0)``. ``track`` restricts it to one pool."""
        series = [(0, 0)]
        for r in self._materialise():
            if (r.kind == "alloc" or r.kind == "free") and r.device == device:
                if track is not None and r.track != track:
                    continue
                series.append((r.start, r.arg("used_after")))
        return series
