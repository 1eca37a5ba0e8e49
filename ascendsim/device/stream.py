"""Streams: FIFO task queues on one device, and their timing rules.

As in the ACL runtime, the tasks of one stream run strictly in submission order; two streams
are ordered only through a :class:`~ascendsim.device.task.StreamEvent` that one stream records
and the other waits on (``aclrtRecordEvent`` / ``aclrtStreamWaitEvent``). A wait targets the
*latest record submitted before it*; a wait on an event nobody recorded yet raises
:class:`~ascendsim.errors.EventNotRecorded` at once.

Timing rules (all integer ns):
- A task cannot start before its ``ready_at`` (when the host finished launching it) nor before
  the previous task of its stream ended.
- Kernels of one device serialise on its AI cores (the cost model prices a kernel at the whole
  chip's peak): the device keeps a "cores busy until" time shared by all its streams, and a
  ready kernel starts at ``max(now, cores busy until)``, in the order kernels become ready.
  AI-CPU kernels (``unit="aicpu"``) serialise on the AI CPU instead. Copies run on a
  :class:`~ascendsim.device.link.Link`, concurrently with kernels; the stream is busy until
  the transfer has finished.
- Records and waits take no time.

Hot path: a kernel costs one task object, one scheduling of the stream's reusable simpy timer
and one trace row (the task itself, turned into a Record on first read; a finished task drops
its callbacks, so the log keeps nothing else alive); a task's ``done``
event exists only if somebody asks for it. Records appended: ``kernel`` (on the stream's
track), ``event_record`` and ``event_wait`` (args ``event``, ``record_seq``,
``record_stream``, from which the Chrome exporter draws flow arrows); copies are recorded by
their link.
"""

from __future__ import annotations

import operator
from collections import deque
from typing import TYPE_CHECKING, Any

import simpy
from simpy.events import NORMAL, Timeout

from ascendsim.device.cost import ceil_ns
from ascendsim.device.task import (
    Callback,
    CopyTask,
    ExternalWaitTask,
    KernelTask,
    RecordTask,
    StreamEvent,
    Task,
    WaitTask,
    _Hooks,
    _hooks,
)
from ascendsim.errors import EventNotRecorded, MsValueError, format_ns

if TYPE_CHECKING:
    from ascendsim.device.link import Link
    from ascendsim.device.npu import Npu

__all__ = ["Stream"]


class Stream:
    """A FIFO queue of tasks on one device (create with :meth:`Npu.stream`)."""

    def __init__(self, npu: Npu, name: str, index: int) -> None:
        self.npu = npu
        self.name = name
        self.index = index
        self.scoped_name = f"{npu.name}.{name}"
        self.device = npu.index
        self._env = npu.system.env
        self._trace = npu.system.trace
        self._rows = self._trace._rows  # appended to directly on the hot path
        self._kernel_ns = npu.cost.kernel_ns
        self._queue: deque[Task] = deque()
        self._busy = False  # the head task is running, blocked, or waiting for ready_at
        # One reusable, already-triggered simpy event serves as the stream's timer (a stream
        # waits for at most one timer at a time): scheduling it is one heap push, with no
        # allocation per task. Its callbacks lists are reused too (simpy does not mutate them).
        timer = self._timer = simpy.Event(self._env)
        timer._ok = True
        timer._value = None
        self._kernel_done_cbs = [self._kernel_done]
        self._resume_cbs = [self._resume]

    # --- submission -----------------------------------------------------------------------
    def launch_kernel(
        self,
        name: str,
        *,
        flops: float = 0,
        nbytes: int = 0,
        unit: str = "vector",
        dtype: str = "float16",
        duration: int | None = None,
        cause: str = "",
        ready_at: int | None = None,
        on_start: Callback = None,
        on_done: Callback = None,
    ) -> KernelTask:
        """Queue a kernel; its duration comes from the cost model unless ``duration`` (ns)
        is given. ``on_start``/``on_done(task)`` run at its simulated start and end.

        Raises:
            MsValueError: a negative duration, or an unknown unit/dtype (cost model).
        """
        if duration is None:
            duration = self._kernel_ns(flops, nbytes, unit, dtype)
        elif type(duration) is not int or duration < 0:
            duration = self._check_ns(duration, f"kernel {name!r} duration")
        if ready_at is not None and type(ready_at) is not int:
            ready_at = self._check_ns(ready_at, f"kernel {name!r} ready_at")
        hooks = None if on_start is None and on_done is None else _Hooks(on_start, on_done)
        task = KernelTask(self, name, cause, ready_at, hooks, duration, flops, nbytes, unit, dtype)
        self._queue.append(task)
        if not self._busy:
            self._advance()
        return task

    def copy(
        self,
        link: Link,
        nbytes: int,
        *,
        cause: str = "",
        name: str = "",
        ready_at: int | None = None,
        on_start: Callback = None,
        on_done: Callback = None,
    ) -> CopyTask:
        """Queue a copy of ``nbytes`` over ``link``; the stream is busy until it arrives."""
        task = CopyTask(
            self, name or f"copy {link.track}", cause, ready_at, _hooks(on_start, on_done)
        )
        task.link = link
        task.nbytes = nbytes
        return self._submit(task)

    def record(
        self, event: StreamEvent, ready_at: int | None = None, *, cause: str = ""
    ) -> RecordTask:
        """Queue a record of ``event``: later waits on it (from any stream) wait for this."""
        task = RecordTask(self, event.name, cause, ready_at)
        task.event = event
        task.seq = None
        task.waiters = []
        event.last_record = task
        return self._submit(task)

    def wait(self, event: StreamEvent, ready_at: int | None = None, *, cause: str = "") -> WaitTask:
        """Queue a wait for the latest record of ``event`` submitted so far.

        Raises:
            EventNotRecorded: no record of ``event`` was submitted before this wait.
        """
        target = event.last_record
        if target is None:
            raise EventNotRecorded(
                f"{self.scoped_name}: wait on event {event.name!r} at "
                f"{format_ns(self._env.now)}, but no stream has a record of it submitted "
                f"before the wait; submit stream.record({event.name!r}) on the producing "
                f"stream first"
            )
        task = WaitTask(self, event.name, cause, ready_at)
        task.event = event
        task.target = target
        return self._submit(task)

    def wait_for(
        self,
        event: simpy.Event,
        *,
        name: str = "",
        cause: str = "",
        ready_at: int | None = None,
    ) -> ExternalWaitTask:
        """Queue a wait for any simpy ``event`` of this system (a rendezvous of a collective,
        a host-side signal ...). Unlike :meth:`wait` it can deadlock: if the event never
        triggers, :meth:`System.run` raises ``UnfinishedWork`` naming it."""
        task = ExternalWaitTask(self, name or repr(event), cause, ready_at)
        task.event = event
        return self._submit(task)

    def _check_ns(self, value: Any, what: str) -> int:
        """An integer number of ns (floats round up), or MsValueError."""
        try:
            ns = ceil_ns(float(value)) if isinstance(value, float) else operator.index(value)
        except TypeError:
            ns = -1
        if ns < 0:
            raise MsValueError(
                f"{self.scoped_name}: {what} must be a non-negative number of ns, got {value!r}"
            )
        return ns

    def _submit(self, task: Task) -> Any:
        if task.ready_at is not None and type(task.ready_at) is not int:
            task.ready_at = self._check_ns(task.ready_at, f"{task.kind} {task.name!r} ready_at")
        self._queue.append(task)
        if not self._busy:
            self._advance()
        return task

    # --- state ----------------------------------------------------------------------------
    @property
    def idle(self) -> bool:
        """True when every submitted task has finished."""
        return not self._queue

    @property
    def pending(self) -> list[Task]:
        """The unfinished tasks, head first."""
        return list(self._queue)

    def sync_event(self) -> simpy.Event:
        """A simpy event that succeeds when every task submitted so far has finished."""
        if self._queue:
            return self._queue[-1].done
        ev = self._env.event()
        ev.succeed()
        return ev

    def describe_stuck(self) -> str:
        """Why this stream has not drained: its head task and what that waits on."""
        n = len(self._queue)
        if not n:
            return f"{self.scoped_name}: idle"
        head = self._queue[0]
        text = f"{self.scoped_name}: {n} task(s) pending; first: {head.describe()}"
        if isinstance(head, WaitTask):
            rec = head.target
            where = rec.stream
            if rec.end is None:
                pos = list(where._queue).index(rec) if rec in where._queue else -1
                text += (
                    f", waiting for its record on {where.scoped_name} (task {pos + 1} of that "
                    f"stream's queue, not reached)"
                )
        return text

    # --- the engine -----------------------------------------------------------------------
    def _advance(self) -> None:
        """Start head tasks until one takes time (or the queue is empty)."""
        q = self._queue
        env = self._env
        while q and not self._busy:
            task = q[0]
            now = env._now
            ready = task.ready_at
            if ready is not None and ready > now:
                self._busy = True
                timer = self._timer
                timer.callbacks = self._resume_cbs
                env.schedule(timer, NORMAL, ready - now)
                return
            cls = type(task)
            if cls is KernelTask:
                npu = self.npu
                aicpu = task.unit == "aicpu"
                free = npu._aicpu_free if aicpu else npu._cores_free
                start = now if free <= now else free
                end = start + task.duration
                if aicpu:
                    npu._aicpu_free = end
                else:
                    npu._cores_free = end
                task.start = start
                self._busy = True
                timer = self._timer
                timer.callbacks = self._kernel_done_cbs
                env.schedule(timer, NORMAL, end - now)
                hooks = task._hooks
                if hooks is not None and hooks.on_start is not None:
                    if start == now:
                        hooks.on_start(task)
                    else:
                        Timeout(env, start - now).callbacks.append(
                            lambda _ev, t=task, f=hooks.on_start: f(t)
                        )
                return
            if not task._begin(self, now):  # copy, record, wait: see the task classes
                return

    def _row(
        self, kind: str, start: int, name: str, cause: str, keys: tuple, vals: tuple, end=None
    ) -> int:
        return self._trace.append_row(
            kind,
            start,
            start if end is None else end,
            self.device,
            self.name,
            name,
            cause,
            0,
            keys,
            vals,
        )

    def _unblock(self) -> None:
        """The head wait is satisfied (its record was reached or its simpy event fired)."""
        task = self._queue.popleft()
        task._end(self, self._env._now)  # type: ignore[attr-defined]
        self._busy = False
        self._advance()

    def _resume(self, _ev: simpy.Event) -> None:
        self._busy = False
        self._advance()

    def _kernel_done(self, _ev: simpy.Event) -> None:
        task = self._queue.popleft()
        task.end = self._env._now
        self._rows.append(task)  # becomes a Record on first read (KernelTask._as_record)
        if task._hooks is not None:
            task._finish()
            # drop the callbacks of the finished task: they usually reference the task's
            # outputs, which reference the task (a cycle only the slow cyclic collector frees)
            task._hooks = None
        self._busy = False
        if self._queue:
            self._advance()

    def _copy_done(self, _ev: simpy.Event) -> None:
        task = self._queue.popleft()
        task.end = self._env._now
        task._finish()
        self._busy = False
        self._advance()

    def __repr__(self) -> str:
        return f"<Stream {self.scoped_name} pending={len(self._queue)}>"
