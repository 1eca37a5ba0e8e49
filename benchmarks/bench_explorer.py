"""Benchmarks of the graph layer: partial-order reduction and schedule speed (issue 4).

1. A step with 12 float-status / side-effect nodes (Alloc, two Clears, two Gets, three
   overflowing MatMuls, two Assigns, two Prints; two Depends are missing, so some orders miss
   overflows or see them twice) among 200 independent elementwise nodes. ``explorer_naive_orders`` is the number
   of valid orders of the whole graph, ``explorer_orders_explored`` the orders the explorer ran,
   ``explorer_reduction_percent`` = 100 * explored / naive (target <= 1 %). The naive count
   (about 1e400) does not fit a float: ``explorer_naive_orders`` is then ``inf`` and
   ``explorer_naive_orders_log10`` gives its size. The runtime is a
   fake ``execute`` that simulates the register, the parameter and the printed lines (the real
   runtime is wired in by the backend).
2. ``schedule_100k_nodes_per_s``: nodes per second scheduled by the "program" policy on
   100,000 elementwise nodes in 100 chains (quick: 20,000); informational.

Run ``python benchmarks/bench_explorer.py [--quick]``; :func:`figures` returns the rows.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ascendsim.graph import Graph, RunOutcome, Tracer, explore, schedule

Row = tuple[str, float, str, bool]


class _Spec:
    def __init__(self, shape: tuple[int, ...], dtype: str = "Float16") -> None:
        self.shape, self.dtype = shape, dtype


class _Op:
    """A fake primitive with the attributes the graph layer reads (plain class: run.py loads
    this file without registering it in sys.modules, which dataclasses need)."""

    def __init__(
        self, name: str, *, side_effect=None, inplace=(), float_status=None, overflows=False
    ):
        self.name, self.side_effect, self.inplace = name, side_effect, inplace
        self.float_status, self.overflows = float_status, overflows


ADD, MATMUL = _Op("Add"), _Op("MatMul", overflows=True)
DEPEND, PRINT = _Op("Depend"), _Op("Print", side_effect="io")
ASSIGN = _Op("Assign", side_effect="mem", inplace=(0,))
ALLOC = _Op("NPUAllocFloatStatus", float_status="alloc")
CLEAR = _Op("NPUClearFloatStatus", float_status="clear")
GET = _Op("NPUGetFloatStatus", inplace=(0,), float_status="get")
V, S, INT = _Spec((16, 16)), _Spec((8,), "Float32"), _Spec((), "Int32")


class _Param:
    _uid, name = 1, "weight"


def step_graph(independent: int = 200) -> Graph:
    """The benchmark graph: 12 relevant nodes interleaved with ``independent`` Adds."""
    t = Tracer()
    x = t.add_input(V)
    w = t.param(_Param())
    fillers = iter(range(independent))

    def filler(k: int) -> None:
        for _ in range(k):
            t.add(ADD, [x, float(next(fillers))], V, source="bench.py:filler")

    per = independent // 12
    (s,) = t.add(ALLOC, [], S)
    filler(per)
    (c1,) = t.add(CLEAR, [s], S)
    filler(per)
    (m1,) = t.add(MATMUL, [t.add(DEPEND, [x, c1], V)[0], x], V)  # after the Clear
    filler(per)
    (m2,) = t.add(MATMUL, [x, x], V)  # missing Depend: may run before the Clear
    filler(per)
    (g1,) = t.add(GET, [t.add(DEPEND, [s, m1], S)[0]], S)  # missing Depend on m2
    filler(per)
    t.add(ASSIGN, [w, m1], V)
    filler(per)
    t.add(PRINT, [m2], INT)
    filler(per)
    (c2,) = t.add(CLEAR, [t.add(DEPEND, [s, g1], S)[0]], S)
    filler(per)
    (m3,) = t.add(MATMUL, [x, x], V)  # missing Depend: may run before the second Clear
    filler(per)
    (s2,) = t.add(DEPEND, [t.add(DEPEND, [s, c2], S)[0], m3], S)
    (g2,) = t.add(GET, [s2], S)
    filler(per)
    t.add(PRINT, [g2], INT)
    filler(per)
    t.add(ASSIGN, [w, m3], V)
    filler(independent - 11 * per)
    return t.finish([t.add(DEPEND, [s, g2], S)[0]])


def fake_execute(graph: Graph):
    """A cheap ``execute``: register, Get readings, the parameter's last writer, prints."""

    def execute(order: list[int]) -> RunOutcome:
        reg, readings, printed, weight, setters = 0, [], [], None, set()
        for v in order:
            node = graph.nodes[v]
            if node.op.overflows:
                reg = 1
                setters.add(v)
            elif node.float_status == "clear":
                reg = 0
            elif node.float_status == "get":
                readings.append((node.name, reg))
            elif node.side_effect == "io":
                printed.append(node.name)
            elif node.side_effect == "mem":
                weight = node.name
        return RunOutcome((tuple(sorted(readings)), tuple(printed), weight), frozenset(setters))

    return execute


def explorer_figures(quick: bool) -> list[Row]:
    g = step_graph(200)
    ex = explore(g, fake_execute(g))
    assert ex.complete and len(ex.relevant_nodes) == 12 - 1  # Alloc touches nothing shared
    naive = ex.naive_orders or 0
    percent = 100 * ex.orders_explored / naive if naive else 100.0  # exact int division
    # 200 free nodes alone have 200! ~ 7.9e374 orders: beyond a float, hence the log10 row
    as_float = float(naive) if naive < 10**308 else math.inf
    return [
        ("explorer_naive_orders", as_float, "informational", True),
        ("explorer_naive_orders_log10", math.log10(naive) if naive else 0.0, "informational", True),
        ("explorer_orders_explored", float(ex.orders_explored), "informational", True),
        ("explorer_reduction_percent", percent, "<= 1% of naive", percent <= 1.0),
        ("explorer_outcomes", float(len(ex.outcomes)), "informational", True),
    ]


def schedule_figures(quick: bool) -> list[Row]:
    n = 20_000 if quick else 100_000
    t = Tracer()
    x = t.add_input(V)
    heads = [x] * 100
    for i in range(n):
        (heads[i % 100],) = t.add(ADD, [heads[i % 100], x], V)
    g = t.finish(heads)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        order = schedule(g, "program")
        best = min(best, time.perf_counter() - t0)
    assert len(order) == n
    return [("schedule_100k_nodes_per_s", n / best, "informational", True)]


def figures(quick: bool) -> list[Row]:
    """All rows ``(name, value, target, ok)`` of this benchmark."""
    return explorer_figures(quick) + schedule_figures(quick)


def _fmt(value: float) -> str:
    if math.isinf(value) or value >= 1e15:
        return f"{value:.3e}"
    return f"{value:.4g}" if not float(value).is_integer() else f"{int(value)}"


if __name__ == "__main__":
    for name, value, target, ok in figures("--quick" in sys.argv):
        print(f"{name}: {_fmt(value)} (target {target}) {'ok' if ok else 'MISSED'}")
