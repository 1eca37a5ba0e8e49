"""DOT (Graphviz) export of a graph, edges styled by kind.

Nodes are boxes labelled ``name / op / source``; ops with a memory side effect are red, IO
side effects green, float-status ops orange, Depends grey and small. Graph inputs, parameters
and constants used by a node appear as ellipses; the outputs as one ``return`` node.
Edge styles: ``data`` solid black, ``depend`` dashed blue, ``mem`` bold red, ``io`` bold
green, ``load`` dotted purple. The text is deterministic (nodes by id, edges sorted).
"""

from __future__ import annotations

from ascendsim.graph.ir import Graph, ValueRef

__all__ = ["to_dot", "EDGE_STYLES"]

#: DOT attributes per edge kind
EDGE_STYLES: dict[str, str] = {
    "data": 'color="black"',
    "depend": 'color="blue", style="dashed", label="depend"',
    "mem": 'color="red", style="bold", label="mem"',
    "io": 'color="darkgreen", style="bold", label="io"',
    "load": 'color="purple", style="dotted", label="load"',
}


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _leaf_id(ref: ValueRef) -> str:
    return {"input": "in", "const": "c", "param": "p"}[ref.kind] + str(ref.index)


def _leaf_label(graph: Graph, ref: ValueRef) -> str:
    if ref.kind == "input":
        return f"input {ref.index}"
    if ref.kind == "const":
        text = repr(graph.constants[ref.index])
        return f"const {text if len(text) <= 24 else text[:21] + '...'}"
    return f"param {getattr(ref.obj, 'name', ref.index)}"


def to_dot(graph: Graph, *, name: str = "G") -> str:
    """The DOT text of ``graph`` (a ``digraph`` named ``name``)."""
    lines = [f"digraph {_q(name)} {{", "  rankdir=TB;", '  node [fontname="Helvetica"];']
    leaves: dict[str, str] = {}
    leaf_edges: list[str] = []
    for node in graph.nodes:
        if node.is_depend:
            style = 'shape=box, style="rounded,filled", fillcolor="lightgrey", fontsize=10'
        elif node.float_status:
            style = 'shape=box, style="filled", fillcolor="orange"'
        elif node.side_effect == "mem":
            style = 'shape=box, style="filled", fillcolor="salmon"'
        elif node.side_effect == "io":
            style = 'shape=box, style="filled", fillcolor="palegreen"'
        else:
            style = "shape=box"
        label = f"{node.name}\n{node.op_name}\n{node.source}"
        lines.append(f"  n{node.id} [label={_q(label)}, {style}];")
        for k, ref in enumerate(node.inputs):
            if ref.kind == "node":
                continue
            lid = _leaf_id(ref)
            leaves.setdefault(lid, _leaf_label(graph, ref))
            leaf_edges.append(f'  {lid} -> n{node.id} [color="gray40", label="{k}"];')
    for lid, label in leaves.items():
        lines.append(f"  {lid} [label={_q(label)}, shape=ellipse];")
    lines.extend(leaf_edges)
    for src, dst, kind in graph.edges:
        lines.append(f"  n{src} -> n{dst} [{EDGE_STYLES.get(kind, '')}];")
    outs = ", ".join(r.label() for r in graph.outputs)
    lines.append(f"  ret [label={_q('return ' + outs)}, shape=doublecircle, fontsize=10];")
    for k, ref in enumerate(graph.outputs):
        if ref.kind == "node":
            lines.append(f'  n{ref.index} -> ret [color="gray40", label="{k}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
