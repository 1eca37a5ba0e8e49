"""The IR and the tracer: nodes, refs, automatic ordering edges, errors, DOT and summary."""

from __future__ import annotations

import pytest

from ascendsim.errors import DependCycleError, GraphError
from ascendsim.graph import Edge, Graph, Tracer, ValueRef, build_edges

from . import F32, I32, STATUS, Param, ops


def test_tracer_records_nodes_refs_constants_and_parameters_by_first_use():
    o = ops()
    t = Tracer()
    x = t.add_input(F32)
    p, q = Param(7, "w"), Param(3, "b")
    (a,) = t.add(o["Add"], [t.param(q), 2.5], F32, source="net.py:4")
    (b,) = t.add(o["Mul"], [a, ValueRef.of_param(p)], F32, source="net.py:5", name="scale")
    (c,) = t.add(o["Add"], [b, x], F32, source="net.py:6", name="scale")
    g = t.finish(c)
    assert [(n.id, n.name, n.op_name, n.source) for n in g.nodes] == [
        (0, "Add-0", "Add", "net.py:4"),
        (1, "scale", "Mul", "net.py:5"),
        (2, "scale-2", "Add", "net.py:6"),
    ]
    assert g.nodes[0].inputs == (ValueRef("param", 3), ValueRef("const", 0))
    assert g.constants == (2.5,)
    assert [prm.name for prm in g.parameters] == ["b", "w"]
    assert g.inputs == (F32,) and g.outputs == (ValueRef.of_node(2),)
    assert g.node("scale") is g.nodes[1] and g.node(2).name == "scale-2"
    assert g.preds(2) == [1] and g.succs(0) == [1]


def test_param_refs_compare_by_uid_and_need_one():
    p = Param(5, "w")
    same = Param(5, "other object")
    assert ValueRef.of_param(p) == ValueRef.of_param(same)
    assert hash(ValueRef.of_param(p)) == hash(ValueRef("param", 5))
    assert ValueRef.of_param(p).label() == "param:w"
    with pytest.raises(GraphError, match="has no integer `_uid`"):
        ValueRef.of_param(object())
    t = Tracer()
    t.param(p)
    with pytest.raises(GraphError, match="two different parameters share _uid 5"):
        t.param(same)


def _side_effect_program():
    """y = p + x; print(y); assign(p, x); z = p + x; print(z); assign(p, z); w = p * q;
    assign_add(q, w)  (the load order checked against MindSpore r1.6 in ordering.py)."""
    o = ops()
    t = Tracer()
    x = t.add_input(F32)
    p, q = t.param(Param(1, "p")), t.param(Param(2, "q"))
    (y,) = t.add(o["Add"], [p, x], F32, source="n.py:1")
    t.add(o["Print"], [y], I32, source="n.py:2")
    t.add(o["Assign"], [p, x], F32, source="n.py:3")
    (z,) = t.add(o["Add"], [p, x], F32, source="n.py:4")
    t.add(o["Print"], [z], I32, source="n.py:5")
    t.add(o["Assign"], [p, z], F32, source="n.py:6")
    (w,) = t.add(o["Mul"], [p, q], F32, source="n.py:7")
    t.add(o["AssignAdd"], [q, w], F32, source="n.py:8")
    return t.finish([y, z, w])


def test_automatic_order_mem_io_and_parameter_loads():
    g = _side_effect_program()
    assert g.edges == (
        Edge(0, 1, "data"),
        Edge(0, 2, "load"),  # read of p before the next write
        Edge(1, 4, "io"),
        Edge(2, 3, "load"),  # read of p after the latest write
        Edge(2, 5, "mem"),  # writers of p: the mem chain already orders them
        Edge(3, 4, "data"),
        Edge(3, 5, "data"),
        Edge(3, 5, "load"),
        Edge(5, 6, "load"),
        Edge(5, 7, "mem"),
        Edge(6, 7, "data"),
        Edge(6, 7, "load"),  # read of q before its AssignAdd
    )


def test_depend_edges_and_aliasing_through_depend():
    o = ops()
    t = Tracer()
    x = t.add_input(F32)
    p = t.param(Param(1, "p"))
    (a,) = t.add(o["Add"], [x, x], F32)
    (d,) = t.add(o["Depend"], [p, a], F32)  # d is p's buffer
    t.add(o["Assign"], [d, x], F32)  # writes p through the Depend
    (r,) = t.add(o["Mul"], [d, x], F32)  # reads p (through the Depend) after the write
    g = t.finish(r)
    assert g.edges == (
        Edge(0, 1, "depend"),
        Edge(1, 2, "data"),
        Edge(1, 3, "data"),
        Edge(2, 3, "load"),
    )


def test_writers_of_a_parameter_outside_the_mem_chain_are_ordered():
    o = ops()
    writer = ops()["Get"]
    writer.side_effect = "io"  # an io op that writes a parameter in place
    t = Tracer()
    p = t.param(Param(1, "p"))
    t.add(o["Assign"], [p, 1.0], F32)
    t.add(writer, [p], F32)
    g = t.finish()
    assert g.edges == (Edge(0, 1, "load"),)


def test_output_naming_a_missing_node_is_an_error_but_plain_inputs_are_fine():
    t = Tracer()
    x = t.add_input(F32)
    g = t.finish([x, 4])
    assert g.nodes == () and g.outputs == (ValueRef.of_input(0), ValueRef.of_const(0))
    assert g.constants == (4,)
    t = Tracer()
    t.add(ops()["Add"], [1.0, 2.0], F32)
    with pytest.raises(GraphError, match="graph output 0 names node 5, which is not in the graph"):
        t.finish(ValueRef.of_node(5))
    with pytest.raises(GraphError, match="names output 1 of node 0, which has 1 outputs"):
        t.finish(ValueRef.of_node(0, 1))
    with pytest.raises(GraphError, match="names graph input 0; the graph has 0"):
        t.finish(ValueRef.of_input(0))


def test_input_naming_a_node_that_never_came_is_an_error():
    t = Tracer()
    t.add(ops()["Add"], [ValueRef.of_node(3), 1.0], F32, source="n.py:9")
    with pytest.raises(GraphError) as err:
        t.finish()
    assert str(err.value).startswith(
        "input 0 of Add-0 (Add, at n.py:9) names node 3, which is not in the graph"
    )


def test_depend_cycle_names_the_nodes_sources_and_edge_kinds():
    # a = depend(a, b) where b consumes the new a: b is node 2, declared before it exists
    o = ops()
    t = Tracer()
    x = t.add_input(F32)
    (a,) = t.add(o["Add"], [x, x], F32, source="c.py:1")
    (a2,) = t.add(o["Depend"], [a, ValueRef.of_node(2)], F32, source="c.py:3")
    t.add(o["Mul"], [a2, x], F32, source="c.py:2")
    with pytest.raises(DependCycleError) as err:
        t.finish(a2)
    assert str(err.value).startswith(
        "the graph has a dependency cycle: Depend-1 (Depend, at c.py:3) -[data]-> "
        "Mul-2 (Mul, at c.py:2) -[depend]-> Depend-1. "
    )
    assert "make the Depend's second input something computed before" in str(err.value)
    assert isinstance(err.value, GraphError) and isinstance(err.value, ValueError)
    assert "n2 -> n1" in err.value.graph.to_dot()


def test_graph_checks_ids_and_edges():
    t = Tracer()
    t.add(ops()["Add"], [1.0, 2.0], F32)
    node = t.nodes[0]
    with pytest.raises(GraphError, match="has id 0 at position 1"):
        Graph([node, node], constants=(1.0, 2.0))
    with pytest.raises(GraphError, match="bad data edge 0 -> 4"):
        Graph([node], constants=(1.0, 2.0), edges=[Edge(0, 4, "data")])
    assert build_edges([node]) == []


def test_summary_lists_nodes_with_inputs_flags_and_sources():
    g = _side_effect_program()
    assert g.summary() == "\n".join(
        [
            "graph: 8 nodes, 1 inputs, 2 parameters, 0 constants, 3 outputs; "
            "edges: data 4, mem 2, io 1, load 5",
            "  %0 Add-0 = Add(param:p, in0)  # n.py:1",
            "  %1 Print-1 = Print(%0) [side_effect=io]  # n.py:2",
            "  %2 Assign-2 = Assign(param:p, in0) [side_effect=mem inplace=[0]]  # n.py:3",
            "  %3 Add-3 = Add(param:p, in0)  # n.py:4",
            "  %4 Print-4 = Print(%3) [side_effect=io]  # n.py:5",
            "  %5 Assign-5 = Assign(param:p, %3) [side_effect=mem inplace=[0]]  # n.py:6",
            "  %6 Mul-6 = Mul(param:p, param:q)  # n.py:7",
            "  %7 AssignAdd-7 = AssignAdd(param:q, %6) [side_effect=mem inplace=[0]]  # n.py:8",
            "  return (%0, %3, %6)",
        ]
    )


def test_dot_styles_edges_by_kind():
    g = _side_effect_program()
    dot = g.to_dot()
    assert dot.startswith('digraph "G" {\n')
    for line in [
        '  n0 [label="Add-0\\nAdd\\nn.py:1", shape=box];',
        '  n2 [label="Assign-2\\nAssign\\nn.py:3", shape=box, style="filled", fillcolor="salmon"];',
        '  p1 [label="param p", shape=ellipse];',
        '  p1 -> n0 [color="gray40", label="0"];',
        '  n0 -> n1 [color="black"];',
        '  n1 -> n4 [color="darkgreen", style="bold", label="io"];',
        '  n2 -> n5 [color="red", style="bold", label="mem"];',
        '  n2 -> n3 [color="purple", style="dotted", label="load"];',
        '  ret [label="return %0, %3, %6", shape=doublecircle, fontsize=10];',
    ]:
        assert line + "\n" in dot
    assert dot == g.to_dot()  # deterministic


def test_float_status_nodes_have_no_automatic_order():
    # the hazard of the guide: the float-status ops are side-effect free
    o = ops()
    t = Tracer()
    (s,) = t.add(o["Alloc"], [], STATUS)
    t.add(o["Clear"], [s], STATUS)
    t.add(o["Assign"], [t.param(Param(1, "p")), 1.0], F32)
    t.add(o["Get"], [s], STATUS)
    g = t.finish()
    assert g.edges == (Edge(0, 1, "data"), Edge(0, 3, "data"))
    assert [n.float_status for n in g.nodes] == ["alloc", "clear", None, "get"]
    assert g.nodes[3].inplace == (0,) and g.nodes[2].side_effect == "mem"
