"""Which nodes touch which shared state: the static analysis behind the schedule explorer.

Shared resources and the accesses of each node (``"R"`` read, ``"W"`` write, ``"S"`` set):

- the float-status register: NPUClearFloatStatus writes it, NPUGetFloatStatus reads it, a node
  that overflows *sets* it. Sets commute with each other (the register is sticky) but conflict
  with reads and writes. NPUAllocFloatStatus touches no shared resource.
- each parameter and each value buffer that some node updates in place (an ``inplace`` input;
  NPUGetFloatStatus writes its input 0): the updater writes, every other user reads. A Depend's
  output is the same buffer as its input 0, so users of the Depend output use that buffer; the
  Depend itself runs no kernel and touches nothing.
- ``io``: every node with ``side_effect == "io"`` (Print) writes it.

Two accesses conflict unless both are reads or both are sets. A resource nobody writes (or
only sets) has no conflicts and is ignored. The *relevant* nodes have a conflicting access; the
*racing* ones have a conflicting access the graph leaves unordered: only their order can change
what a run observes, so the explorer searches over them. Every conflict involves a *key* node
(a writer, or a Get of the register), and key nodes are few, so reachability is computed as
bitmasks over the key nodes only: linear in the graph for a fixed number of them.

Which nodes *set* the register can depend on values, and values can depend on the order only
through mutable state. The *order-sensitive cone* is every node that reads the old value of a
mutable resource (a written parameter or an in-place-updated buffer: any use, including an
in-place update such as AssignAdd's, except Assign's overwrite) *when that value can depend on
the order*: some writer of the resource is unordered with the reader, or a writer ordered
before it wrote an order-dependent value (a writer in the cone, or a Get, which copies the
register in); plus every node data-dependent on one (following data edges; a Depend passes on
only its input 0). The float-status ops are never in it: their outputs are zeros whatever the
order. So the reads MindSpore's automatic order already pins (a forward pass reading weights
that the optimizer updates afterwards) stay outside. Outside the cone a node's values are
the same in every order, so it sets the register iff it did in a probe run in program order.
Inside the cone every node with a floating output is a potential setter, except Depends.
``set_nodes_hint`` replaces that conservative guess (for example the declared overflows of a
shape-only run).

The runtime must give an Assign's output as a value, not a live view of the parameter
(MindSpore r1.6: ``o = assign(p, 10*x); assign(p, 100*x); o + x`` is 22 for x=2), while a
Depend's output *is* a live view (``d = depend(p, x); assign(p, 100*x); d + x`` is 202).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ascendsim.graph.ir import Graph, ValueRef
from ascendsim.graph.ordering import alias_root

__all__ = ["Analysis", "analyze_accesses", "default_is_floating", "REGISTER", "IO"]

#: resource keys of the two non-buffer resources
REGISTER = "float-status register"
IO = "io"


def default_is_floating(spec: Any) -> bool:
    """True if an output spec's ``dtype`` prints as a float or complex type (``Float16``,
    ``float32`` ...); a spec without a dtype counts as floating (the safe answer)."""
    dtype = getattr(spec, "dtype", None)
    if dtype is None:
        return True
    text = str(getattr(dtype, "name", dtype)).lower()
    return "float" in text or "complex" in text


def _conflict(a: str, b: str) -> bool:
    return not (a == b and a in ("R", "S"))


def _merge(old: str | None, new: str) -> str:
    return new if old is None or old == new else "W"


@dataclass(frozen=True)
class Analysis:
    """The explorer's view of a graph (plain ints and strings: picklable, comparable).

    Attributes:
        relevant: ids of the nodes with a conflicting shared-resource access, ascending.
        racing: the relevant nodes with a conflicting access the graph leaves unordered,
            ascending: the nodes the search orders.
        setters: nodes treated as possibly setting the float-status register.
        cone: the order-sensitive cone (node ids).
        accesses: per relevant node, ``((resource label, "R"|"W"|"S"), ...)``.
        anc: per racing node (by position in ``racing``), the bitmask of racing nodes that
            must run before it.
        conf: per racing node, the bitmask of racing nodes it conflicts with (unordered).
        conflicts: the conflicting pairs the graph leaves unordered: ``(a, b, resource)``, a<b.
        probe_set_nodes: the setters observed in the probe run in program order.
    """

    relevant: tuple[int, ...]
    racing: tuple[int, ...]
    setters: frozenset[int]
    cone: frozenset[int]
    accesses: tuple[tuple[tuple[str, str], ...], ...]
    anc: tuple[int, ...]
    conf: tuple[int, ...]
    conflicts: tuple[tuple[int, int, str], ...]
    probe_set_nodes: frozenset[int]

    @property
    def desc(self) -> tuple[int, ...]:
        """Per racing node, the bitmask of racing nodes that must run after it."""
        out = [0] * len(self.racing)
        for i, a in enumerate(self.anc):
            while a:
                b = a & -a
                a ^= b
                out[b.bit_length() - 1] |= 1 << i
        return tuple(out)


def _resource_label(graph: Graph, root: ValueRef) -> str:
    if root.kind == "param":
        return f"parameter {getattr(root.obj, 'name', root.index)}"
    if root.kind == "node":
        suffix = f" output {root.output}" if root.output else ""
        return f"buffer of {graph.nodes[root.index].name}{suffix}"
    if root.kind == "input":
        return f"graph input {root.index}"
    return f"constant c{root.index}"


def _label(graph: Graph, res: Any) -> str:
    return res if isinstance(res, str) else _resource_label(graph, res)


def _node_accesses(graph: Graph) -> tuple[list[dict[Any, str]], list[set[Any]]]:
    """Per node: {resource: kind} (buffers nobody writes dropped), and the buffers whose old
    value it reads."""
    acc: list[dict[Any, str]] = [{} for _ in graph.nodes]
    reads: list[set[Any]] = [set() for _ in graph.nodes]
    for node in graph.nodes:
        a = acc[node.id]
        if node.is_depend:
            continue
        if node.float_status == "clear":
            a[REGISTER] = "W"
        elif node.float_status == "get":
            a[REGISTER] = "R"
        if node.side_effect == "io":
            a[IO] = "W"
        inplace = set(node.inplace)
        for k, ref in enumerate(node.inputs):
            root = alias_root(ref, graph.nodes)
            a[root] = _merge(a.get(root), "W" if k in inplace else "R")
            # an in-place update reads the old value (AssignAdd, ApplyMomentum ...), except
            # Assign (overwrites) and NPUGetFloatStatus (copies the register in)
            if k not in inplace or not (node.op_name == "Assign" or node.float_status):
                reads[node.id].add(root)
    written = {r for a in acc for r, k in a.items() if k == "W"}
    for a in acc:
        for res in [r for r in a if r not in written and r != REGISTER]:
            del a[res]
    return acc, reads


class _Reach:
    """Which key nodes must run before / after each node (bitmasks over the key nodes)."""

    def __init__(self, graph: Graph, order: list[int], keys: list[int]) -> None:
        self.bit = {v: 1 << i for i, v in enumerate(keys)}
        bit = self.bit
        n = len(graph.nodes)
        self.anc = [0] * n
        self.desc = [0] * n
        for v in order:
            a = 0
            for p in graph.preds(v):
                a |= self.anc[p] | bit.get(p, 0)
            self.anc[v] = a
        for v in reversed(order):
            d = 0
            for w in graph.succs(v):
                d |= self.desc[w] | bit.get(w, 0)
            self.desc[v] = d

    def unordered(self, v: int, mask: int) -> int:
        """The key nodes in ``mask`` (other than ``v``) that are unordered with ``v``."""
        return mask & ~self.anc[v] & ~self.desc[v] & ~self.bit.get(v, 0)


def _cone(graph: Graph, order: list[int], reads: list[set[Any]], reach: _Reach, writers_of):
    """The order-sensitive cone (module docs), in one pass in topological order."""
    cone: set[int] = set()
    tainted = 0  # key nodes that wrote an order-dependent value
    for v in order:
        node = graph.nodes[v]
        ins = node.inputs[:1] if node.is_depend else node.inputs
        hit = False
        if not node.float_status:  # their outputs are zeros whatever the order
            hit = any(r.kind == "node" and r.index in cone for r in ins)
            for r in reads[v]:
                if hit:
                    break
                w = writers_of.get(r, 0)
                hit = bool(reach.unordered(v, w) or w & reach.anc[v] & tainted)
        if hit:
            cone.add(v)
        if v in reach.bit and (hit or node.float_status == "get"):
            tainted |= reach.bit[v]
    return cone


def _topo_order(graph: Graph) -> list[int]:
    from ascendsim.graph.schedule import schedule

    return schedule(graph, "program")


def analyze_accesses(
    graph: Graph,
    probe_set_nodes: Iterable[int] = (),
    *,
    set_nodes_hint: Iterable[int] | None = None,
    is_floating: Callable[[Any], bool] | None = None,
) -> Analysis:
    """Derive resources, accesses, the cone, the setters and the racing nodes of ``graph``.

    ``probe_set_nodes`` are the setters of a run in program order (see the module docs).

    Raises:
        DependCycleError: the graph has a cycle.
    """
    floating = is_floating or default_is_floating
    order = _topo_order(graph)
    acc, reads = _node_accesses(graph)
    # key nodes: writers of anything, and Gets (the register's readers); setters are not
    keys = [v for v, a in enumerate(acc) if any(k == "W" or r == REGISTER for r, k in a.items())]
    reach = _Reach(graph, order, keys)
    writers_of: dict[Any, int] = {}
    for v in keys:
        for r, k in acc[v].items():
            if k == "W":
                writers_of[r] = writers_of.get(r, 0) | reach.bit[v]
    cone = _cone(graph, order, reads, reach, writers_of)
    probe = frozenset(probe_set_nodes)
    if set_nodes_hint is not None:
        setters = set(set_nodes_hint) | probe
    else:
        setters = set(probe)
        for v in cone:
            node = graph.nodes[v]
            if not node.is_depend and any(floating(s) for s in node.out_specs):
                setters.add(v)
    for v in setters:
        acc[v][REGISTER] = _merge(acc[v].get(REGISTER), "S")
    # per resource: all accessors, and the key nodes that conflict with each kind of access
    by_res: dict[Any, list[tuple[int, str]]] = {}
    for v, a in enumerate(acc):
        for res, kind in a.items():
            by_res.setdefault(res, []).append((v, kind))
    relevant: set[int] = set()
    shared: set[Any] = set()
    conflicts: set[tuple[int, int, str]] = set()
    keyed = {b: v for v, b in reach.bit.items()}
    for res, lst in by_res.items():
        if len(lst) < 2 or {k for _, k in lst} in ({"R"}, {"S"}):
            continue
        shared.add(res)
        label = _label(graph, res)
        relevant.update(v for v, _ in lst)
        w_mask = writers_of.get(res, 0)
        r_mask = sum(reach.bit[v] for v, k in lst if k == "R" and v in reach.bit)
        for v, kind in lst:
            partners = w_mask | (r_mask if kind != "R" else 0)
            free = reach.unordered(v, partners)
            while free:
                b = free & -free
                free ^= b
                w = keyed[b]
                conflicts.add((min(v, w), max(v, w), label))
    racing = tuple(sorted({v for a, b, _ in conflicts for v in (a, b)}))
    pos = {v: 1 << i for i, v in enumerate(racing)}
    anc_full = [0] * len(graph.nodes)
    for v in order:
        a = 0
        for p in graph.preds(v):
            a |= anc_full[p] | pos.get(p, 0)
        anc_full[v] = a
    conf = {v: 0 for v in racing}
    for a, b, _ in conflicts:
        conf[a] |= pos[b]
        conf[b] |= pos[a]
    rel = tuple(sorted(relevant))
    return Analysis(
        relevant=rel,
        racing=racing,
        setters=frozenset(setters),
        cone=frozenset(cone),
        accesses=tuple(
            tuple(sorted((_label(graph, r), k) for r, k in acc[v].items() if r in shared))
            for v in rel
        ),
        anc=tuple(anc_full[v] for v in racing),
        conf=tuple(conf[v] for v in racing),
        conflicts=tuple(sorted(conflicts)),
        probe_set_nodes=probe,
    )
