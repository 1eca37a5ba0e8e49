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
* :class:`DaskEngine` (``--engine dask``): joins a running ``dask.distributed`` scheduler
  (``--scheduler tcp://HOST:PORT``, connect timeout ``connect_timeout`` seconds, at most 10) or
  starts a ``LocalCluster`` of ``workers`` single-threaded worker processes and closes it after.
  A task whose worker died (``KilledWorker``) is resubmitted once, then reported ``crashed``;
  on a cluster started here the scheduler itself does not retry (``allowed-failures: 0``).
  Dask is an optional extra: without it, :func:`make_engine` raises a one-line
  :class:`EngineError` naming ``pip install "ascendsim[dist]"``.
"""

from __future__ import annotations

import os
import re
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ascendsim.errors import AscendSimError

__all__ = ["TaskDone", "Engine", "LocalEngine", "DaskEngine", "EngineError", "make_engine",
           "default_workers", "MAX_CONNECT_TIMEOUT"]  # fmt: skip

MAX_CONNECT_TIMEOUT = 10.0
_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|ucx|inproc)://)?\[?[A-Za-z0-9_.:\-]+\]?:\d{1,5}$")


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
_DIED_DASK = (
    "the Dask worker running this point died twice (killed, out of memory, or the "
    "program ended the process); it was retried once"
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
        raise EngineError(
            "the worker processes could not start; a script that calls ascendsim.sweep or "
            'explores in parallel must do it under `if __name__ == "__main__":` (each worker '
            "imports the script again)"
        ) from None


def _terminate(pool: Any) -> None:
    """Stop a pool now: cancel what is queued and terminate its processes (Ctrl-C)."""
    procs = list(getattr(pool, "_processes", {}).values())  # no public API before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=5)


class DaskEngine:
    """A Dask cluster: joined at ``scheduler`` or started locally (see the module docstring).

    Args:
        scheduler: ``tcp://HOST:PORT``, a ``distributed.Client``, or None (a ``LocalCluster``).
        workers: worker processes of a local cluster (ignored when joining one).
        connect_timeout: seconds to reach the scheduler (at most 10).
        processes: local cluster with worker processes (False: threads of this process, for
            tests; points then run one at a time).
    """

    name = "dask"

    def __init__(
        self,
        scheduler: Any = None,
        workers: int | None = None,
        *,
        connect_timeout: float = 5.0,
        processes: bool = True,
    ) -> None:
        _require_dask()
        if isinstance(scheduler, str):
            scheduler = scheduler.strip()
            if not _ADDRESS.match(scheduler):
                raise EngineError(
                    f"--scheduler {scheduler!r}: expected an address such as "
                    "tcp://HOST:PORT (the Dask scheduler's)"
                )
        if not 0 < connect_timeout <= MAX_CONNECT_TIMEOUT:
            raise EngineError(
                f"connect timeout {connect_timeout} s: give 0 < seconds <= {MAX_CONNECT_TIMEOUT:g}"
            )
        self.scheduler = scheduler
        self.workers = workers or default_workers()
        self.connect_timeout = connect_timeout
        self.processes = processes
        self._client: Any = None
        self._cluster: Any = None
        self._own_client = False

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (connecting or starting the cluster on first use).

        Raises:
            EngineError: the scheduler cannot be reached within the timeout.
        """
        if self._client is None:
            self._connect()
        return self._client

    def _connect(self) -> None:
        import logging

        import dask
        from distributed import Client, LocalCluster

        if self.scheduler is not None and not isinstance(self.scheduler, str):
            self._client = self.scheduler  # a Client the caller owns
            return
        if isinstance(self.scheduler, str):
            try:
                self._client = Client(
                    self.scheduler, timeout=self.connect_timeout, set_as_default=False
                )
            except (OSError, TimeoutError, ValueError) as exc:
                why = str(exc).replace("\n", " ").strip() or type(exc).__name__
                raise EngineError(
                    f"cannot reach the Dask scheduler at {self.scheduler} within "
                    f"{self.connect_timeout:g} s ({why}); check the address and that "
                    "`dask scheduler` runs there, or leave out --scheduler to start a local "
                    "cluster"
                ) from None
            self._own_client = True
            return
        with dask.config.set(
            {
                "distributed.scheduler.allowed-failures": 0,
                "distributed.scheduler.worker-saturation": 1.0,
            }
        ):
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=self.processes,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
        self._client = Client(self._cluster, set_as_default=False)
        self._own_client = True

    def map(self, fn: Callable[[Any], Any], payloads: Sequence[Any], on_done: OnDone) -> None:
        from distributed import KilledWorker, as_completed

        client = self.client
        run = uuid.uuid4().hex[:8]
        attempts = [0] * len(payloads)
        futures: dict[Any, int] = {}

        def submit(i: int) -> Any:
            attempts[i] += 1
            name = getattr(fn, "__name__", "task")
            f = client.submit(
                fn, payloads[i], key=f"ascendsim-{name}-{run}-{i}-{attempts[i]}", pure=False
            )
            futures[f] = i
            return f

        pending = as_completed([submit(i) for i in range(len(payloads))], loop=client.loop)
        try:
            for f in pending:
                i = futures.pop(f)
                try:
                    value = f.result()
                except KilledWorker:
                    if attempts[i] < 2:
                        pending.add(submit(i))
                        continue
                    on_done(TaskDone(i, crashed=_DIED_DASK))
                except Exception as exc:  # noqa: BLE001 - cancelled, lost, cannot unpickle
                    on_done(TaskDone(i, crashed=_one_line(exc)))
                else:
                    on_done(TaskDone(i, value))
                finally:
                    f.release()
        except BaseException:
            client.cancel(list(futures), force=True)
            raise

    def start(self) -> None:
        """Connect to the scheduler or start the local cluster now (errors before any run)."""
        if self._client is None:
            self._connect()

    def capacity(self) -> int:
        """How many tasks run at once: the cluster's worker threads (connects if needed)."""
        try:
            info = self.client.scheduler_info()
            return max(1, sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()))
        except (OSError, TimeoutError, AttributeError, TypeError, ValueError):
            return self.workers

    def close(self) -> None:
        """Close the client and the local cluster if this engine made them."""
        if self._own_client and self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None


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
        return DaskEngine(scheduler, workers, connect_timeout=connect_timeout, processes=processes)
    raise EngineError(f"unknown engine {engine!r}; choose local or dask")
