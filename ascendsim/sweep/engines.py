"""Engines: run a picklable function over plain-data payloads in parallel, locally or on Dask.

Both engines offer :meth:`Engine.map` ``(fn, payloads, on_done)``: ``fn`` is a module-level
function (pickled by reference: its module must be importable on the workers) and each payload
is plain data. ``on_done`` receives a :class:`TaskDone` per payload as tasks finish, in
completion order (callers sort their results; nothing here depends on that order).

* :class:`LocalEngine` (``--engine local``): a ``ProcessPoolExecutor`` of ``workers`` processes
  (default: the CPUs this process may use), started with ``spawn`` so a worker inherits nothing
  of the driver but ``sys.path``. At most ``workers`` tasks are in flight, so when a worker dies
  the tasks in flight are exactly the suspects: each is retried once, alone in a fresh
  one-process pool; one that kills its worker again is reported ``crashed``. Workers ignore
  SIGINT: Ctrl-C reaches the driver, which cancels what is pending and terminates the workers.
* ``DaskEngine`` (``--engine dask``, :mod:`ascendsim.sweep.dask_engine`): a running Dask
  scheduler or a ``LocalCluster`` started for the sweep. Dask is an optional extra: without it,
  :func:`make_engine` raises a one-line :class:`EngineError` naming
  ``pip install "ascendsim[dist]"``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ascendsim.errors import AscendSimError

__all__ = ["TaskDone", "Engine", "LocalEngine", "EngineError", "make_engine",
           "default_workers", "MAX_CONNECT_TIMEOUT"]  # fmt: skip

MAX_CONNECT_TIMEOUT = 10.0


class EngineError(AscendSimError):
    """An engine cannot start: Dask missing, a malformed or unreachable scheduler address, a bad
    worker count (invalid input: exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class TaskDone:
    """A finished task: its payload's index and ``value``, or why it has none (``crashed``)."""

    index: int
    value: Any = None
    crashed: str | None = None


OnDone = Callable[[TaskDone], None]


class Engine(Protocol):
    """What the sweep and the parallel explorer need of an engine."""

    name: str

    def map(self, fn: Callable[[Any], Any], payloads: Sequence[Any], on_done: OnDone) -> None:
        """Run ``fn(payload)`` for every payload; KeyboardInterrupt cancels the rest."""

    def start(self) -> None:
        """Connect or start what :meth:`map` needs (raises EngineError before any task)."""

    def capacity(self) -> int:
        """How many tasks can run at once."""

    def close(self) -> None:
        """Release workers and clusters this engine started."""


def default_workers() -> int:
    """The number of CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _one_line(exc: BaseException) -> str:
    text = str(exc).replace("\n", " ").strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


_DIED = (
    "the worker process running this point died twice (killed, out of memory, or the "
    "program ended the process); it was retried once alone"
)


class LocalEngine:
    """A process pool on this machine (see the module docstring)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()

    def _pool(self, n: int) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=n,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_ignore_sigint,
        )

    def map(self, fn: Callable[[Any], Any], payloads: Sequence[Any], on_done: OnDone) -> None:
        todo = deque(range(len(payloads)))
        n = max(1, min(self.workers, len(payloads)))
        while todo:
            suspects = self._round(fn, payloads, todo, n, on_done)
            if suspects:
                self._isolate(fn, payloads, sorted(suspects), on_done)

    def _round(
        self, fn: Any, payloads: Sequence[Any], todo: deque[int], n: int, on_done: OnDone
    ) -> list[int]:
        """Run ``todo`` on a pool until it is empty or the pool breaks; returns the indices
        that were in flight when a worker died."""
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        pool = self._pool(n)
        _check_start(pool)
        inflight: dict[Any, int] = {}
        suspects: list[int] = []
        try:
            while (todo and not suspects) or inflight:
                while todo and not suspects and len(inflight) < n:
                    i = todo.popleft()
                    try:
                        inflight[pool.submit(fn, payloads[i])] = i
                    except BrokenProcessPool:
                        todo.appendleft(i)
                        break
                if not inflight:
                    break
                done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
                for f in sorted(done, key=inflight.__getitem__):
                    i = inflight.pop(f)
                    try:
                        value = f.result()
                    except BrokenProcessPool:
                        suspects.append(i)
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot pickle
                        on_done(TaskDone(i, crashed=_one_line(exc)))
                    else:
                        on_done(TaskDone(i, value))
        except BaseException:
            _terminate(pool)
            raise
        pool.shutdown(wait=True)
        return suspects

    def _isolate(
        self, fn: Any, payloads: Sequence[Any], suspects: list[int], on_done: OnDone
    ) -> None:
        """Retry each suspect alone, so a point that kills its worker cannot take others
        down with it."""
        from concurrent.futures.process import BrokenProcessPool

        pool = None
        try:
            for i in suspects:
                pool = pool or self._pool(1)
                try:
                    value = pool.submit(fn, payloads[i]).result()
                except BrokenProcessPool:
                    on_done(TaskDone(i, crashed=_DIED))
                    pool.shutdown(wait=True)
                    pool = None
                except Exception as exc:  # noqa: BLE001
                    on_done(TaskDone(i, crashed=_one_line(exc)))
                else:
                    on_done(TaskDone(i, value))
        except BaseException:
            if pool is not None:
                _terminate(pool)
            raise
        if pool is not None:
            pool.shutdown(wait=True)

    def capacity(self) -> int:
        """How many tasks run at once."""
        return self.workers

    def start(self) -> None:
        """Nothing to do before :meth:`map` (the pool starts with it)."""

    def close(self) -> None:
        """Nothing outlives :meth:`map`."""


_MAIN_HINT = (
    "a script that calls ascendsim.sweep or explores in parallel must do it under "
    '`if __name__ == "__main__":` (each worker process imports the script again)'
)


def _ping() -> int:
    return os.getpid()


def _check_start(pool: Any) -> None:
    """Fail clearly if the pool's workers cannot even start (the classic cause: a script that
    starts a sweep at import time, which ``spawn`` re-runs in every worker)."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        pool.submit(_ping).result()
    except BrokenProcessPool:
        pool.shutdown(wait=True)
        raise EngineError(f"the worker processes could not start; {_MAIN_HINT}") from None


def _terminate(pool: Any) -> None:
    """Stop a pool now: cancel what is queued and terminate its processes (Ctrl-C)."""

    def processes() -> list[Any]:  # no public API before 3.14
        return list((getattr(pool, "_processes", None) or {}).values())

    procs = processes()
    pool.shutdown(wait=False, cancel_futures=True)
    # a worker the pool was starting while we looked is registered by now
    procs += [p for p in processes() if p not in procs]
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=5)
        if p.is_alive():  # did not stop on SIGTERM: no orphan is left behind
            p.kill()
            p.join(timeout=5)


def _require_dask() -> None:
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise EngineError(
            'the dask engine needs Dask, which is not installed: pip install "ascendsim[dist]"'
        ) from None


def make_engine(
    engine: str = "local",
    *,
    workers: int | None = None,
    scheduler: Any = None,
    connect_timeout: float = 5.0,
    processes: bool = True,
) -> Engine:
    """The engine named ``engine`` (``local`` or ``dask``).

    Raises:
        EngineError: an unknown engine, ``workers`` < 1, a scheduler with the local engine,
            Dask not installed, a malformed scheduler address.
    """
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise EngineError(f"--workers {workers!r}: give a whole number of worker processes >= 1")
    if engine == "local":
        if scheduler is not None:
            raise EngineError("--scheduler joins a Dask cluster: add --engine dask")
        return LocalEngine(workers)
    if engine == "dask":
        from ascendsim.sweep.dask_engine import DaskEngine

        return DaskEngine(scheduler, workers, connect_timeout=connect_timeout, processes=processes)
    raise EngineError(f"unknown engine {engine!r}; choose local or dask")
