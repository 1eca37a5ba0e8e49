"""The tasks a stream runs, and the events that order streams.

A :class:`Task` is one unit of work queued on a :class:`~ascendsim.device.stream.Stream`:
a kernel, a copy, the record of a :class:`StreamEvent`, or a wait (for a record, or for any
simpy event). ``start``/``end`` are ``None`` until it runs. Its callbacks and its simpy
``done`` event live in a separate :class:`_Hooks` object created only when used, so the common
kernel costs one small object. Each non-kernel task knows how to begin itself
(``_begin(stream, now) -> finished at once?``); kernels are started inline by the stream (the
hot path).

A wait targets the latest record of its event submitted before it, so the order of submission
alone cannot deadlock; :class:`ExternalWaitTask` (a wait for any simpy event) can.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import simpy

from ascendsim.trace.record import Record

if TYPE_CHECKING:
    from ascendsim.device.stream import Stream

__all__ = [
    "StreamEvent",
    "Task",
    "KernelTask",
    "CopyTask",
    "RecordTask",
    "WaitTask",
    "ExternalWaitTask",
]

_RECORD_KEYS = ("event",)
_WAIT_KEYS = ("event", "record_seq", "record_stream")
Callback = Callable[["Task"], Any] | None


class StreamEvent:
    """An ACL event: recorded on one stream, waited on by others (see the module docstring)."""

    __slots__ = ("name", "id", "device", "last_record")

    def __init__(self, name: str, id: int, device: int | None = None) -> None:
        self.name = name
        self.id = id
        self.device = device
        #: the latest record task submitted for this event (``None``: never recorded)
        self.last_record: RecordTask | None = None

    @property
    def recorded(self) -> bool:
        """True once the latest submitted record has been reached by its stream."""
        return self.last_record is not None and self.last_record.end is not None

    def __repr__(self) -> str:
        return f"<StreamEvent {self.name!r} recorded={self.recorded}>"


class _Hooks:
    """The rarely used parts of a task, kept out of the hot path: callbacks and done event."""

    __slots__ = ("on_start", "on_done", "done")

    def __init__(self, on_start: Callback = None, on_done: Callback = None) -> None:
        self.on_start = on_start
        self.on_done = on_done
        self.done: simpy.Event | None = None


def _hooks(on_start: Callback, on_done: Callback) -> _Hooks | None:
    return None if on_start is None and on_done is None else _Hooks(on_start, on_done)


class Task:
    """A unit of work on a stream. ``start``/``end`` are ``None`` until it runs."""

    __slots__ = ("stream", "name", "cause", "ready_at", "start", "end", "_hooks")
    kind = "task"

    def __init__(
        self,
        stream: Stream,
        name: str,
        cause: str = "",
        ready_at: int | None = None,
        hooks: _Hooks | None = None,
    ) -> None:
        self.stream = stream
        self.name = name
        self.cause = cause
        self.ready_at = ready_at
        self.start: int | None = None
        self.end: int | None = None
        self._hooks = hooks

    @property
    def on_start(self) -> Callback:
        """The callable run at the task's simulated start (or None)."""
        return self._hooks.on_start if self._hooks is not None else None

    @property
    def on_done(self) -> Callback:
        """The callable run at the task's simulated end (or None)."""
        return self._hooks.on_done if self._hooks is not None else None

    @property
    def done(self) -> simpy.Event:
        """A simpy event that succeeds (value: this task) when the task ends; made on demand."""
        hooks = self._hooks
        if hooks is None:
            hooks = self._hooks = _Hooks()
        if hooks.done is None:
            hooks.done = self.stream._env.event()
            if self.end is not None:
                hooks.done.succeed(self)
        return hooks.done

    def _finish(self) -> None:
        hooks = self._hooks
        if hooks is not None:
            if hooks.on_done is not None:
                hooks.on_done(self)
            if hooks.done is not None:
                hooks.done.succeed(self)

    def describe(self) -> str:
        """A one-line description for messages."""
        return f"{self.kind} {self.name!r}"

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.name!r} on {self.stream.scoped_name} "
            f"start={self.start} end={self.end}>"
        )


class KernelTask(Task):
    """A compute kernel of ``duration`` ns on the AI cores (or the AI CPU)."""

    __slots__ = ("duration", "flops", "nbytes", "unit", "dtype")
    kind = "kernel"

    def __init__(
        self, stream, name, cause, ready_at, hooks, duration, flops, nbytes, unit, dtype
    ) -> None:
        # Task.__init__ inlined: this runs once per kernel on the hot path
        self.stream = stream
        self.name = name
        self.cause = cause
        self.ready_at = ready_at
        self.start = None
        self.end = None
        self._hooks = hooks
        self.duration = duration
        self.flops = flops
        self.nbytes = nbytes
        self.unit = unit
        self.dtype = dtype

    def _as_record(self, seq: int) -> Record:
        """The ``kernel`` record of this finished task (the trace log stores the task itself
        on the hot path and calls this on first read)."""
        stream = self.stream
        args = (("dtype", self.dtype), ("flops", self.flops), ("unit", self.unit))
        return Record(
            seq,
            "kernel",
            self.start,
            self.end,
            stream.device,
            stream.name,
            self.name,
            self.cause,
            self.nbytes,
            args,
        )


class CopyTask(Task):
    """A copy of ``nbytes`` over ``link``; the stream waits for the transfer."""

    __slots__ = ("link", "nbytes")
    kind = "copy"

    def describe(self) -> str:
        return f"copy {self.name!r} ({self.nbytes} B over {self.link.name})"

    def _begin(self, stream: Stream, now: int) -> bool:
        self.start = now
        stream._busy = True
        args = (("stream", stream.scoped_name),)
        ev = self.link.transfer(self.nbytes, cause=self.cause, name=self.name, args=args)
        ev.callbacks.append(stream._copy_done)
        if self.on_start is not None:
            self.on_start(self)
        return False


class RecordTask(Task):
    """Marks ``event`` as recorded when the stream reaches it; ``seq`` is its trace record."""

    __slots__ = ("event", "seq", "waiters")
    kind = "record"

    def describe(self) -> str:
        return f"record of event {self.event.name!r}"

    def _begin(self, stream: Stream, now: int) -> bool:
        stream._queue.popleft()
        self.start = self.end = now
        self.seq = stream._row(
            "event_record", now, self.name, self.cause, _RECORD_KEYS, (self.name,)
        )
        self._finish()
        waiters, self.waiters = self.waiters, []
        for other in waiters:
            other._unblock()
        return True


class WaitTask(Task):
    """Blocks the stream until ``target`` (a record of ``event``) has been reached."""

    __slots__ = ("event", "target")
    kind = "wait"

    def describe(self) -> str:
        return f"wait for event {self.event.name!r}"

    def _begin(self, stream: Stream, now: int) -> bool:
        self.start = now
        if self.target.end is None:
            stream._busy = True
            self.target.waiters.append(stream)
            return False
        stream._queue.popleft()
        self._end(stream, now)
        return True

    def _end(self, stream: Stream, now: int) -> None:
        self.end = now
        rec = self.target
        vals = (self.name, rec.seq, rec.stream.scoped_name)
        stream._row("event_wait", self.start, self.name, self.cause, _WAIT_KEYS, vals, end=now)
        self._finish()


class ExternalWaitTask(Task):
    """Blocks the stream until a simpy ``event`` (e.g. a cross-device rendezvous) is processed."""

    __slots__ = ("event",)
    kind = "wait"

    def describe(self) -> str:
        return f"wait for {self.name!r} (a simpy event that has not triggered)"

    def _begin(self, stream: Stream, now: int) -> bool:
        self.start = now
        if self.event.callbacks is not None:  # not processed yet
            stream._busy = True
            self.event.callbacks.append(lambda _ev: stream._unblock())
            return False
        stream._queue.popleft()
        self._end(stream, now)
        return True

    def _end(self, stream: Stream, now: int) -> None:
        self.end = now
        stream._row(
            "event_wait", self.start, self.name, self.cause, ("event",), (self.name,), end=now
        )
        self._finish()
