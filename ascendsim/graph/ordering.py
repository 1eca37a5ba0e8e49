"""Edges of a traced graph: data flow, Depend, and MindSpore's automatic side-effect order.

MindSpore r1.6 (its "auto-monad" pass) keeps ops with side effects in program order: all ops
with ``side_effect == "mem"`` (Assign, AssignAdd, optimizer ops ...) form one chain, all ops with
``side_effect == "io"`` (Print) another. A read of a parameter is ordered against the writes of
that parameter: it runs after the latest earlier write and before the next one, so
``y = p + x; assign(p, v); z = p + x`` reads the old value into ``y`` and the new one into ``z``
(checked with r1.6: p=1, x=2, assign(p, 10*x): y=3, z=22). The float-status ops have no side
effect in this classification, so only data and Depend edges order them.

A *write* of parameter P is an op with a side effect that has P (possibly through Depend
outputs, which alias their input 0) at one of its ``inplace`` input positions; any other use of P
as an input is a *read*, except by a Depend, which runs no kernel: the users of its output read
P instead. Writers of the same P are ordered in program order too.
"""

from __future__ import annotations

from collections.abc import Sequence

from ascendsim.graph.ir import Edge, Node, ValueRef

__all__ = ["build_edges", "alias_root", "data_edges", "order_edges"]


def alias_root(ref: ValueRef, nodes: Sequence[Node]) -> ValueRef:
    """The buffer ``ref`` names: follow ``Depend`` outputs to their input 0.

    A Depend's output 0 is the same buffer as its input 0, so ``depend(depend(p, a), b)`` is
    ``p``. Cycles of Depends (only possible in a malformed graph) stop the walk.
    """
    seen: set[int] = set()
    while ref.kind == "node" and ref.output == 0 and ref.index not in seen:
        if not 0 <= ref.index < len(nodes):
            break
        node = nodes[ref.index]
        if not node.is_depend or not node.inputs:
            break
        seen.add(ref.index)
        ref = node.inputs[0]
    return ref


def data_edges(nodes: Sequence[Node]) -> list[Edge]:
    """One edge per node-valued input: ``data``, or ``depend`` for a Depend's inputs 1, 2 ..."""
    edges = []
    for node in nodes:
        dep = node.is_depend
        for k, ref in enumerate(node.inputs):
            if ref.kind == "node" and ref.index != node.id:
                edges.append(Edge(ref.index, node.id, "depend" if dep and k > 0 else "data"))
    return edges


def order_edges(nodes: Sequence[Node]) -> list[Edge]:
    """The automatic ``mem``, ``io`` and ``load`` edges (see the module docstring)."""
    edges: list[Edge] = []
    last: dict[str, int] = {}
    # per parameter uid: the events in program order: (node id, is_write)
    events: dict[int, list[tuple[int, bool]]] = {}
    for node in nodes:
        kind = node.side_effect
        if kind in ("mem", "io"):
            if kind in last:
                edges.append(Edge(last[kind], node.id, kind))
            last[kind] = node.id
        if node.is_depend:  # no kernel: the users of its output read the buffer
            continue
        writes: set[int] = set()
        reads: set[int] = set()
        inplace = set(node.inplace) if kind else set()
        for k, ref in enumerate(node.inputs):
            root = alias_root(ref, nodes) if ref.kind == "node" else ref
            if root.kind != "param":
                continue
            (writes if k in inplace else reads).add(root.index)
        for uid in sorted(writes | reads):
            events.setdefault(uid, []).append((node.id, uid in writes))
    pairs = {(e.src, e.dst) for e in edges}
    for seq in events.values():
        prev_writer: int | None = None
        pending_reads: list[int] = []
        for nid, is_write in seq:
            if is_write:
                for r in pending_reads:
                    edges.append(Edge(r, nid, "load"))
                if prev_writer is not None and (prev_writer, nid) not in pairs:
                    edges.append(Edge(prev_writer, nid, "load"))
                prev_writer = nid
                pending_reads = []
            else:
                if prev_writer is not None:
                    edges.append(Edge(prev_writer, nid, "load"))
                pending_reads.append(nid)
    return edges


def build_edges(nodes: Sequence[Node]) -> list[Edge]:
    """All edges of a graph of ``nodes``, deduplicated and sorted by (src, dst, kind)."""
    return sorted(set(data_edges(nodes)) | set(order_edges(nodes)))
