"""The explorer against brute force: random small programs, every valid order run.

For each random program (float-status ops, Depends, Assign/AssignAdd on parameters, Prints,
arithmetic that may overflow float16) the set of observables over *all* linear extensions must
equal the set the explorer finds, the explorer must run exactly one order per Mazurkiewicz
trace, every witness must reproduce its outcome, and prefix splitting must merge back exactly.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ascendsim.graph import (
    Graph,
    Tracer,
    ValueRef,
    alias_root,
    analyze,
    explore,
    explore_prefixes,
    merge_explorations,
)
from ascendsim.graph.ordering import data_edges

from . import Param, Spec, numpy_runtime, ops

V = Spec((2,), "Float16")
S = Spec((8,), "Float32")
P = Spec((), "Int32")


@st.composite
def programs(draw):
    o = ops()
    t = Tracer()
    x = t.add_input(V)
    params = [t.param(Param(10 + i, f"p{i}")) for i in range(2)]
    vals: list[ValueRef] = [x, *params]
    stats: list[ValueRef] = []
    anything: list[ValueRef] = [x]
    steps = draw(st.integers(3, 7))
    for _ in range(steps):
        kinds = ["Add", "Mul", "Mul", "Assign", "AssignAdd", "Print", "Alloc", "Depend"]
        if stats:
            kinds += ["Get", "Get", "Clear", "ReduceSum"]
        kind = draw(st.sampled_from(kinds))
        pick = lambda pool: draw(st.sampled_from(pool))  # noqa: E731
        if kind in ("Add", "Mul"):
            (r,) = t.add(o[kind], [pick(vals), pick(vals)], V)
            vals.append(r)
        elif kind in ("Assign", "AssignAdd"):
            targets = [v for v in vals if alias_root(v, t.nodes).kind == "param"]
            (r,) = t.add(o[kind], [pick(targets), pick(vals)], V)
            vals.append(r)
        elif kind == "Print":
            (r,) = t.add(o["Print"], [pick(vals)], P)
        elif kind == "Alloc":
            (r,) = t.add(o["Alloc"], [], S)
            stats.append(r)
        elif kind in ("Get", "Clear"):
            (r,) = t.add(o[kind], [pick(stats)], S)
            stats.append(r)
        elif kind == "ReduceSum":
            (r,) = t.add(o["ReduceSum"], [pick(stats)], Spec((), "Float32"))
            vals.append(r)
        else:
            first = pick(vals + stats)
            (r,) = t.add(o["Depend"], [first, pick(anything)], S if first in stats else V)
            (stats if first in stats else vals).append(r)
        anything.append(r)
    outs = draw(st.lists(st.sampled_from(vals + stats), min_size=1, max_size=3))
    g = t.finish(outs)
    if draw(st.booleans()):  # without MindSpore's automatic order: parameter races too
        g = Graph(g.nodes, g.inputs, g.outputs, g.constants, edges=data_edges(g.nodes))
    return g


def _all_orders(g: Graph):
    n = len(g.nodes)
    order: list[int] = []
    placed = [False] * n

    def rec():
        if len(order) == n:
            yield list(order)
            return
        for v in range(n):
            if not placed[v] and all(placed[p] for p in g.preds(v)):
                placed[v] = True
                order.append(v)
                yield from rec()
                order.pop()
                placed[v] = False

    yield from rec()


@settings(max_examples=80, deadline=None, derandomize=True)
@given(programs(), st.sampled_from([(200.0, 300.0), (1.0, 2.0), (60000.0, 0.5)]))
def test_explorer_finds_every_observable_with_one_order_per_trace(g, xs):
    x = np.array(xs, np.float16)
    params = {10: np.array([250.0, 0.25], np.float16), 11: np.array([3.0, 70.0], np.float16)}
    run = numpy_runtime(g, (x,), params)
    ex = explore(g, run)
    assert ex.complete and not ex.unpredicted_setters
    truth = set()
    traces = set()
    for order in _all_orders(g):
        truth.add(run(order).observable)
        pos = {v: i for i, v in enumerate(order)}
        traces.add(tuple(pos[a] < pos[b] for a, b, _ in ex.conflicts))
    assert {o.observable for o in ex.outcomes} == truth
    assert ex.orders_explored == len(traces) == sum(o.count for o in ex.outcomes)
    assert ex.naive_orders == sum(1 for _ in _all_orders(g))
    for out in ex.outcomes:
        assert run(list(out.witness)).observable == out.observable
    a = analyze(g, run)
    for depth in (1, 2, 3):
        parts = [explore(g, run, prefix=p, analysis=a) for p in explore_prefixes(g, depth, run)]
        assert merge_explorations(parts) == ex
