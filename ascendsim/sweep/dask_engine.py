"""The Dask engine: points (or explorer parts) as tasks of a ``dask.distributed`` cluster.

:class:`DaskEngine` joins a running scheduler (``--scheduler tcp://HOST:PORT``; the connection
is given ``connect_timeout`` seconds, at most 10, and failing it is a one-line
:class:`~ascendsim.sweep.engines.EngineError`) or starts a ``LocalCluster`` of ``workers``
single-threaded worker processes and closes it afterwards. Tasks are submitted all at once; a
task whose worker died (``KilledWorker``) is resubmitted once, then reported ``crashed``. On a
cluster started here the scheduler itself does not retry (``allowed-failures: 0``) and gives a
worker one task at a time (``worker-saturation: 1.0``), so a task is charged only for a death
it was running at. Dask is an optional extra (``pip install "ascendsim[dist]"``): this module
is imported only for ``--engine dask``, after :func:`~ascendsim.sweep.engines._require_dask`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from ascendsim.sweep.engines import (
    _MAIN_HINT,
    MAX_CONNECT_TIMEOUT,
    EngineError,
    OnDone,
    TaskDone,
    _one_line,
    _require_dask,
    default_workers,
)

__all__ = ["DaskEngine"]

_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|ucx|inproc)://)?\[?[A-Za-z0-9_.:\-]+\]?:\d{1,5}$")
_DIED = (
    "the Dask worker running this point died twice (killed, out of memory, or the "
    "program ended the process); it was retried once"
)


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
                # fork, as the local process pool does: workers start with this process's
                # imports and caches instead of re-importing everything (spawn, Dask's default)
                "distributed.worker.multiprocessing-method": "fork",
                # the workers' statistical profiler samples every thread's stack each 10 ms:
                # a cost on every point for a report nobody reads here
                "distributed.worker.profile.enabled": False,
            }
        ):
            try:
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=self.processes,
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,
                )
            except (RuntimeError, OSError, TimeoutError) as exc:
                raise EngineError(
                    f"could not start a local Dask cluster ({_one_line(exc)}); {_MAIN_HINT}"
                ) from None
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
                    on_done(TaskDone(i, crashed=_DIED))
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
