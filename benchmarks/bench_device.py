"""Benchmarks of the device layer (issue 2's numbers).

1. ``stream_tasks_per_s_ratio``: wall time to submit and simulate N kernel tasks on one stream
   (N = 100,000; quick: 10,000), divided by the wall time of a bare simpy process yielding N
   timeouts, measured in the same run (best of 3 each). Target: ratio <= 3.
2. ``pool_1m_alloc_free_s``: wall time of 1,000,000 allocations and frees (quick: 100,000) of
   varied sizes through one device's HBM pool, trace records included. Target: < 10 s (the
   quick run does 100,000 and reports under the same name). ``pool_peak_rss_mb`` is the
   process's peak RSS afterwards (informational; the pool runs first so it dominates).

Run ``python benchmarks/bench_device.py [--quick]``; :func:`figures` returns the rows.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from array import array
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import simpy

from ascendsim.config import load_hardware
from ascendsim.device import System

Row = tuple[str, float, str, bool]


def _bare_loop(n: int) -> float:
    env = simpy.Environment()

    def proc():
        for _ in range(n):
            yield env.timeout(1)

    env.process(proc())
    t0 = time.perf_counter()
    env.run()
    return time.perf_counter() - t0


def _stream_run(config, n: int) -> float:
    system = System(config)
    launch = system.device(0).stream().launch_kernel
    t0 = time.perf_counter()
    for _ in range(n):
        launch("Add", flops=1_000_000, nbytes=6_144, dtype="float16")
    system.run()
    elapsed = time.perf_counter() - t0
    assert len(system.trace) == n
    return elapsed


def stream_figures(quick: bool) -> list[Row]:
    """Stream hot path vs a bare simpy loop (best of 3 each, interleaved)."""
    config = load_hardware("ascend910a")
    n = 10_000 if quick else 100_000
    bare, ours = [], []
    for _ in range(3):
        gc.collect()
        bare.append(_bare_loop(n))
        gc.collect()
        ours.append(_stream_run(config, n))
    ratio = min(ours) / min(bare)
    return [
        ("stream_tasks_per_s_ratio", round(ratio, 2), "<= 3", ratio <= 3),
        ("stream_tasks_per_s", round(n / min(ours)), "informational", True),
        ("bare_simpy_timeouts_per_s", round(n / min(bare)), "informational", True),
    ]


def pool_figures(quick: bool) -> list[Row]:
    """1M (quick: 100k) alloc/free operations of varied sizes through an HBM pool."""
    config = load_hardware("ascend910a")
    ops = 100_000 if quick else 1_000_000
    rng = np.random.default_rng(0)
    # sizes log-uniform in [1 B, 64 MiB); at most 2,000 live blocks; 1 in 8 persistent
    # (array, not list: 8 bytes a value, so the inputs barely count in the peak RSS)
    sizes = array("q", np.exp(rng.uniform(0, np.log(64 << 20), ops)).astype(np.int64).tobytes())
    coins = array("d", rng.random(ops).tobytes())
    picks = array("q", rng.integers(0, 1 << 30, ops).tobytes())
    system = System(config)
    pool = system.device(0).memory
    alloc, free = pool.alloc, pool.free
    live: list = []
    gc.collect()
    t0 = time.perf_counter()
    for i in range(ops):
        n_live = len(live)
        if n_live and (coins[i] < 0.5 or n_live >= 2_000):
            j = picks[i] % n_live
            live[j], live[-1] = live[-1], live[j]
            free(live.pop())
        else:
            live.append(alloc(sizes[i], owner="t", persistent=coins[i] > 0.9375))
    elapsed = time.perf_counter() - t0
    assert len(system.trace) == ops
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return [
        ("pool_1m_alloc_free_s", round(elapsed, 3), "< 10 s", elapsed < 10.0),
        ("pool_peak_rss_mb", round(rss_mb, 1), "informational", True),
    ]


def figures(quick: bool) -> list[Row]:
    """Every figure of this benchmark as ``(name, value, target, ok)`` rows."""
    return pool_figures(quick) + stream_figures(quick)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rows = figures("--quick" in argv)
    for name, value, target, ok in rows:
        print(f"{name}: {value} (target {target}) {'ok' if ok else 'MISSED'}")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
