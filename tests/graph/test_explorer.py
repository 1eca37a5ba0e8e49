"""The schedule explorer on hand-made cases, with a toy runtime that simulates the register."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ascendsim.errors import DependCycleError, GraphError
from ascendsim.graph import (
    Edge,
    Graph,
    RunOutcome,
    Tracer,
    analyze,
    explore,
    explore_prefixes,
    merge_explorations,
)
from ascendsim.graph.ordering import data_edges

from . import F32, STATUS, Param, numpy_runtime, ops

BIG = np.full((3, 3), 300, np.float16)  # MatMul(BIG, BIG) = 270000: overflows float16


def seed_example(product_depend: bool = True) -> Graph:
    """The guide's float-status example (seed-parameter-guide.md, "Dependency Control")."""
    o = ops()
    t = Tracer()
    x, y = t.add_input(F32), t.add_input(F32)
    (init,) = t.add(o["Alloc"], [], STATUS, source="seed.py:9")
    (sum_,) = t.add(o["Add"], [x, y], F32, source="seed.py:10")
    (product,) = t.add(o["MatMul"], [x, y], F32, source="seed.py:11")
    (init,) = t.add(o["Depend"], [init, sum_], STATUS, source="seed.py:12")
    if product_depend:
        (init,) = t.add(o["Depend"], [init, product], STATUS, source="seed.py:13")
    (get,) = t.add(o["Get"], [init], STATUS, source="seed.py:14")
    (sum_,) = t.add(o["Depend"], [sum_, get], F32, source="seed.py:15")
    (product,) = t.add(o["Depend"], [product, get], F32, source="seed.py:16")
    (out,) = t.add(o["Add"], [sum_, product], F32, source="seed.py:17")
    (init,) = t.add(o["Depend"], [init, out], STATUS, source="seed.py:18")
    (clear,) = t.add(o["Clear"], [init], STATUS, source="seed.py:19")
    (out,) = t.add(o["Depend"], [out, clear], F32, source="seed.py:20")
    return t.finish([out, init])


def test_independent_nodes_need_one_order():
    o = ops()
    t = Tracer()
    x = t.add_input(F32)
    outs = [t.add(o["Add"], [x, float(i)], F32)[0] for i in range(6)]
    g = t.finish(outs)
    ex = explore(g, numpy_runtime(g, (np.ones((3, 3), np.float32),)))
    assert (ex.orders_explored, ex.complete, ex.order_independent) == (1, True, True)
    assert ex.relevant_nodes == () and ex.naive_orders == 720
    assert ex.outcomes[0].witness == (0, 1, 2, 3, 4, 5) and ex.outcomes[0].count == 1
    assert ex.describe(g).splitlines()[0] == (
        "order-independent: 1 outcome from 1 order explored (0 relevant nodes of 6, 0 racing; "
        "valid orders of the whole graph: 720)"
    )


def test_seed_example_with_all_depends_is_order_independent():
    g = seed_example()
    ex = explore(g, numpy_runtime(g, (BIG, BIG)))
    assert (ex.orders_explored, ex.order_independent, len(ex.outcomes)) == (1, True, 1)
    # MatMul-2 overflows; the Add-8 of two saturated values overflows again
    assert [g.nodes[v].name for v in ex.relevant_nodes] == [
        "MatMul-2",
        "NPUGetFloatStatus-5",
        "Add-8",
        "NPUClearFloatStatus-10",
    ]
    assert ex.outcomes[0].observable[1] == (("NPUGetFloatStatus-5", 1.0),)
    assert ex.racing_nodes == () and ex.conflicts == ()  # every conflict is ordered
    assert ex.naive_orders == 16


def test_seed_example_without_the_depend_on_matmul_misses_the_overflow():
    g = seed_example(product_depend=False)
    ex = explore(g, numpy_runtime(g, (BIG, BIG)))
    assert (ex.orders_explored, ex.complete, ex.order_independent) == (2, True, False)
    first, second = ex.outcomes
    assert first.observable[1] == (("NPUGetFloatStatus-4", 1.0),)
    assert second.observable[1] == (("NPUGetFloatStatus-4", 0.0),)  # overflow missed
    assert first.witness == (0, 1, 3, 2, 4, 5, 6, 7, 8, 9, 10)
    assert second.witness == (0, 1, 3, 4, 5, 2, 6, 7, 8, 9, 10)  # Get before MatMul
    assert ex.conflicts == ((2, 4, "float-status register"),)  # Add-7 follows Get: a Depend
    assert ex.racing_nodes == (2, 4)
    text = ex.describe(g).splitlines()
    assert text[0] == (
        "order-dependent: 2 outcomes from 2 orders explored (4 relevant nodes of 11, 2 racing; "
        "valid orders of the whole graph: 22)"
    )
    assert text[1] == (
        "outcome 1 (1 order): witness 1: MatMul-2, NPUGetFloatStatus-4, Add-7, "
        "NPUClearFloatStatus-9"
    )
    assert text[3] == (
        "outcome 2 (1 order): witness 2: NPUGetFloatStatus-4, MatMul-2, Add-7, "
        "NPUClearFloatStatus-9; unlike witness 1: NPUGetFloatStatus-4 before MatMul-2 "
        "(float-status register)"
    )
    assert text[4].startswith("  observable: (((65504.0, ")


def test_without_overflow_the_missing_depend_is_harmless():
    g = seed_example(product_depend=False)
    ex = explore(g, numpy_runtime(g, (np.ones((3, 3), np.float16),) * 2))
    assert (ex.orders_explored, ex.order_independent) == (1, True)
    assert [g.nodes[v].name for v in ex.relevant_nodes] == [
        "NPUGetFloatStatus-4",
        "NPUClearFloatStatus-9",
    ]


def test_a_depend_cycle_raises():
    nodes = list(seed_example().nodes)
    # make the first Depend wait for the Get that consumes it: Depend-3 <- Get-5 <- Depend-4
    nodes[3] = replace(nodes[3], inputs=(nodes[3].inputs[0], nodes[5].outputs[0]))
    g = Graph(nodes, (F32, F32))
    with pytest.raises(DependCycleError, match="Depend-3 .* -\\[depend\\]-> Depend-3"):
        explore(g, numpy_runtime(g, (BIG, BIG)))


def _three_way() -> Graph:
    """Three MatMuls that overflow, and a Get unordered with each: 8 traces, 2 outcomes."""
    o = ops()
    t = Tracer()
    x = t.add_input(F32)
    (s,) = t.add(o["Alloc"], [], STATUS)
    for _ in range(3):
        t.add(o["MatMul"], [x, x], F32)
    (get,) = t.add(o["Get"], [s], STATUS)
    (d,) = t.add(o["Depend"], [s, get], STATUS)
    return t.finish([d])


def test_max_orders_bound_makes_the_search_incomplete():
    g = _three_way()
    run = numpy_runtime(g, (BIG,))
    full = explore(g, run)
    # the sets commute, so only Get's place among the three MatMuls matters: 2^3 traces
    assert (full.orders_explored, len(full.outcomes), full.complete) == (8, 2, True)
    assert [o.count for o in full.outcomes] == [7, 1]  # Get sees the flag unless it runs first
    assert full.outcomes[1].witness == (0, 4, 5, 1, 2, 3)
    cut = explore(g, run, max_orders=1)
    assert (cut.orders_explored, cut.complete, cut.order_independent) == (1, False, False)
    assert cut.describe(g).splitlines()[:2] == [
        "undecided: 1 outcome from 1 order explored (4 relevant nodes of 6, 4 racing; "
        "valid orders of the whole graph: 120)",
        "search incomplete: the max_orders bound was hit",
    ]
    exact = explore(g, run, max_orders=8)
    assert exact.complete and exact.orders_explored == 8
    with pytest.raises(GraphError, match="max_orders must be at least 1"):
        explore(g, run, max_orders=0)


def _read_vs_assign() -> Graph:
    """y = p * x; assign(p, x + x); z = p * x."""
    o = ops()
    t = Tracer()
    x = t.add_input(F32)
    p = t.param(Param(1, "w"))
    (y,) = t.add(o["Mul"], [p, x], F32, source="a.py:1")
    (v,) = t.add(o["Add"], [x, x], F32, source="a.py:2")
    t.add(o["Assign"], [p, v], F32, source="a.py:3")
    (z,) = t.add(o["Mul"], [p, x], F32, source="a.py:4")
    return t.finish([y, z])


def test_parameter_reads_are_ordered_against_assign_by_the_automatic_edges():
    g = _read_vs_assign()
    run = numpy_runtime(g, (np.full((3, 3), 2, np.float32),), {1: np.ones((3, 3), np.float32)})
    ex = explore(g, run)
    assert (ex.orders_explored, ex.order_independent) == (1, True)
    assert ex.relevant_nodes == (0, 2, 3) and ex.racing_nodes == ()
    y, z = ex.outcomes[0].observable[0]
    assert (y[0], z[0]) == (2.0, 8.0)  # old value read before, new value after
    assert analyze(g, run).cone == frozenset()  # both reads are pinned by the load edges


def test_without_the_automatic_edges_assign_races_with_the_reads():
    traced = _read_vs_assign()
    g = Graph(traced.nodes, traced.inputs, traced.outputs, edges=data_edges(traced.nodes))
    run = numpy_runtime(g, (np.full((3, 3), 2, np.float32),), {1: np.ones((3, 3), np.float32)})
    ex = explore(g, run)
    assert ex.conflicts == ((0, 2, "parameter w"), (2, 3, "parameter w"))
    got = sorted((o.observable[0][0][0], o.observable[0][1][0], o.count) for o in ex.outcomes)
    assert got == [(2.0, 2.0, 1), (2.0, 8.0, 1), (8.0, 2.0, 1), (8.0, 8.0, 1)]
    assert ex.orders_explored == 4 and not ex.order_independent
    # the cone: both reads may see either value, so both are potential setters; the Assign
    # overwrites with a value computed from the input alone
    a = analyze(g, run)
    assert a.cone == frozenset({0, 3}) and a.setters == frozenset({0, 3})


def test_a_setter_the_analysis_ruled_out_makes_the_result_incomplete():
    g = _three_way()

    calls = []

    def lying(order):  # claims node 1 set the register, except in the probe run
        calls.append(order)
        return RunOutcome("same", frozenset() if len(calls) == 1 else {1})

    ex = explore(g, lying, set_nodes_hint=())
    assert ex.relevant_nodes == () and len(calls) == 2
    assert ex.unpredicted_setters == frozenset({1}) and not ex.complete
    assert "warning: unpredicted float-status setters MatMul-1" in ex.describe(g)


def test_set_nodes_hint_replaces_the_guess_for_shape_only_runs():
    g = _three_way()
    calls = []

    def shape_only(order):
        calls.append(tuple(order))
        return RunOutcome(order.index(4) > order.index(2), frozenset({2}))

    ex = explore(g, shape_only, set_nodes_hint={2})
    assert ex.relevant_nodes == (2, 4) and ex.orders_explored == 2
    assert [o.observable for o in ex.outcomes] == [True, False]
    assert calls[0] == (0, 1, 2, 3, 4, 5)  # the probe, in program order


def test_prefix_split_merges_to_the_single_process_result():
    g = _three_way()
    run = numpy_runtime(g, (BIG,))
    single = explore(g, run)
    for depth in range(0, 6):
        prefixes = explore_prefixes(g, depth, run)
        parts = [explore(g, run, prefix=p) for p in prefixes]
        assert merge_explorations(parts) == single
    assert explore_prefixes(g, 1, run) == [(1,), (2,), (3,), (4,)]
    # under Get-4 first, MatMul-2 would sleep on MatMul-1 forever: that branch is cut
    assert explore_prefixes(g, 2, run) == [(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4), (4, 1)]
    with pytest.raises(GraphError, match="is not a prefix of this graph's search tree"):
        explore(g, run, prefix=(2, 1))
    with pytest.raises(GraphError, match="needs the analysis explore will use"):
        explore_prefixes(g, 1)


def test_buffers_updated_in_place_are_followed_through_depend():
    # status = depend(status, get); total = ReduceSum(status): the sum reads Get's write
    o = ops()
    t = Tracer()
    x = t.add_input(F32)
    (s,) = t.add(o["Alloc"], [], STATUS)
    (get,) = t.add(o["Get"], [s], STATUS)
    (mm,) = t.add(o["MatMul"], [x, x], F32)
    (s2,) = t.add(o["Depend"], [s, mm], STATUS)
    (total,) = t.add(o["ReduceSum"], [s2], STATUS)
    g = t.finish([total])
    # Get-1 is left unordered with the MatMul and the sum: no automatic edge orders it
    assert g.edges == (
        Edge(0, 1, "data"),
        Edge(0, 3, "data"),
        Edge(2, 3, "depend"),
        Edge(3, 4, "data"),
    )
    ex = explore(g, numpy_runtime(g, (BIG,)))
    a = analyze(g, numpy_runtime(g, (BIG,)))
    assert a.accesses[a.relevant.index(4)] == (
        ("buffer of NPUAllocFloatStatus-0", "R"),
        ("float-status register", "S"),  # in the cone with a floating output
    )
    assert a.cone == frozenset({4})  # the ReduceSum may see the status before or after Get
    # (Get's reading, the sum): Get before MatMul; between MatMul and the sum; after the sum
    got = [(o.observable[1][0][1], o.observable[0][0][0]) for o in ex.outcomes]
    assert got == [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0)] and ex.orders_explored == 3
