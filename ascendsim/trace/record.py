"""One immutable entry of the event log.

A :class:`Record` says what happened (``kind``, ``name``), when (``start``/``end`` in simulated
ns), where (``device``: an NPU index or ``None`` for the host; ``track``: a stream, link or memory
name local to that device) and why (``cause``: the graph node or parameter named by the caller).
``args`` holds extra facts as a tuple of ``(key, value)`` pairs with JSON-able values, sorted by
key, so that records compare, hash and serialise deterministically.

Kinds written by :mod:`ascendsim.device`: ``alloc``, ``free``, ``copy``, ``kernel``,
``event_record``, ``event_wait``, ``float_status_set``, ``float_status_clear``,
``float_status_read`` and ``host``. Higher layers add their own kinds (``is_init``,
``param_synced``, ``graph``, ``hazard`` ...) through :meth:`TraceLog.add
<ascendsim.trace.log.TraceLog.add>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Record", "JsonValue"]

#: what a value in ``Record.args`` may be (it is written to JSON as is)
JsonValue = Any


@dataclass(frozen=True, slots=True)
class Record:
    """An immutable, timed event of one simulated system.

    Attributes:
        seq: position in the system's log (0, 1, 2 ... in the order records were appended).
        kind: the category of event (``"kernel"``, ``"copy"``, ``"alloc"`` ...).
        start: simulated start time in ns.
        end: simulated end time in ns (``== start`` for an instantaneous event).
        device: NPU index, or ``None`` for the host.
        track: where on that device it happened (``"stream0"``, ``"pcie.h2d"``, ``"hbm"``).
        name: what happened (kernel or op name, tensor owner ...).
        cause: the graph node or parameter that caused it (``""`` if none was given).
        nbytes: bytes moved, allocated or freed (0 if not applicable).
        args: extra ``(key, value)`` pairs, sorted by key.
    """

    seq: int
    kind: str
    start: int
    end: int
    device: int | None
    track: str
    name: str
    cause: str
    nbytes: int
    args: tuple[tuple[str, JsonValue], ...] = ()

    @property
    def duration(self) -> int:
        """``end - start`` in ns."""
        return self.end - self.start

    def arg(self, key: str, default: JsonValue = None) -> JsonValue:
        """The value of one entry of ``args`` (``default`` if absent)."""
        for k, v in self.args:
            if k == key:
                return v
        return default

    @property
    def args_dict(self) -> dict[str, JsonValue]:
        """``args`` as a new dict."""
        return dict(self.args)

    def to_dict(self) -> dict[str, JsonValue]:
        """A JSON-able dict of every field (``args`` as a nested dict)."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "device": self.device,
            "track": self.track,
            "name": self.name,
            "cause": self.cause,
            "nbytes": self.nbytes,
            "args": dict(self.args),
        }
