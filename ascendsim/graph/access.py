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
only sets) has no conflicts and is ignored.

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
        relevant: ids of the nodes with a conflicting shared-resource access, ascending (R).
        setters: nodes treated as possibly setting the float-status register.
        cone: the order-sensitive cone (node ids).
        accesses: per relevant node, ``((resource label, "R"|"W"|"S"), ...)``.
        anc: per relevant node (by position in ``relevant``), the bitmask of relevant nodes
            that must run before it (reachability).
        conf: per relevant node, the bitmask of relevant nodes it conflicts with.
        conflicts: the conflicting pairs not ordered by the graph: ``(a, b, resource)``, a < b.
        probe_set_nodes: the setters observed in the probe run in program order.
    """

    relevant: tuple[int, ...]
    setters: frozenset[int]
    cone: frozenset[int]
    accesses: tuple[tuple[tuple[str, str], ...], ...]
    anc: tuple[int, ...]
    conf: tuple[int, ...]
    conflicts: tuple[tuple[int, int, str], ...]
    probe_set_nodes: frozenset[int]

    @property
    def desc(self) -> tuple[int, ...]:
        """Per relevant node, the bitmask of relevant nodes that must run after it."""
        out = [0] * len(self.relevant)
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


def _node_accesses(graph: Graph) -> tuple[list[dict[Any, str]], list[set[Any]]]:
    """Per node: {resource: kind}, and the buffers whose old value it reads."""
    acc: list[dict[Any, str]] = [{} for _ in graph.nodes]
    reads: list[set[Any]] = [set() for _ in graph.nodes]
    for node in graph.nodes:
        a = acc[node.id]
        if node.is_depend:
            continue
        if node.float_status == "clear":
            a[REGISTER] = _merge(a.get(REGISTER), "W")
        elif node.float_status == "get":
            a[REGISTER] = _merge(a.get(REGISTER), "R")
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
    return acc, reads


def _cone(
    graph: Graph, order: list[int], acc: list[dict[Any, str]], reads: list[set[Any]], mutable
) -> set[int]:
    """The order-sensitive cone (module docs), in one pass in topological order.

    A read of mutable X is order-sensitive if some writer of X is unordered with the reader,
    or a writer ordered before it wrote an order-sensitive value (a writer in the cone, or a
    Get, which copies the register in).
    """
    wid = {
        v: i
        for i, v in enumerate(
            v for v in range(len(acc)) if any(k == "W" and r in mutable for r, k in acc[v].items())
        )
    }
    writers_of: dict[Any, int] = {}
    for v, i in wid.items():
        for r, k in acc[v].items():
            if k == "W" and r in mutable:
                writers_of[r] = writers_of.get(r, 0) | 1 << i
    anc = [0] * len(acc)  # writers that must run before each node
    desc = [0] * len(acc)  # writers that must run after it
    for v in order:
        for p in graph.preds(v):
            anc[v] |= anc[p] | (1 << wid[p] if p in wid else 0)
    for v in reversed(order):
        for w in graph.succs(v):
            desc[v] |= desc[w] | (1 << wid[w] if w in wid else 0)
    cone: set[int] = set()
    tainted = 0
    for v in order:
        node = graph.nodes[v]
        ins = node.inputs[:1] if node.is_depend else node.inputs
        hit = False
        if not node.float_status:  # their outputs are zeros whatever the order
            hit = any(r.kind == "node" and r.index in cone for r in ins)
            own = 1 << wid[v] if v in wid else 0
            for r in reads[v]:
                if hit:
                    break
                others = writers_of.get(r, 0) & ~own
                hit = bool(others & ~anc[v] & ~desc[v] or others & anc[v] & tainted)
        if hit:
            cone.add(v)
        if v in wid and (hit or node.float_status == "get"):
            tainted |= 1 << wid[v]
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
    """Derive resources, accesses, the cone, the setters and the relevant nodes of ``graph``.

    ``probe_set_nodes`` are the setters of a run in program order (see the module docs).

    Raises:
        DependCycleError: the graph has a cycle.
    """
    floating = is_floating or default_is_floating
    order = _topo_order(graph)
    acc, reads = _node_accesses(graph)
    writers: dict[Any, int] = {}
    for a in acc:
        for res, kind in a.items():
            if kind == "W" and res not in (REGISTER, IO):
                writers[res] = writers.get(res, 0) + 1
    # buffers and parameters nobody writes are not shared mutable state
    for a in acc:
        for res in [r for r in a if r not in (REGISTER, IO) and r not in writers]:
            del a[res]
    cone = _cone(graph, order, acc, reads, set(writers))
    probe = frozenset(probe_set_nodes)
    if set_nodes_hint is not None:
        setters = set(set_nodes_hint) | probe
    else:
        setters = set(probe)
        for v in cone:
            node = graph.nodes[v]
            if node.is_depend or node.float_status:
                continue
            if any(floating(s) for s in node.out_specs):
                setters.add(v)
    for v in setters:
        acc[v][REGISTER] = _merge(acc[v].get(REGISTER), "S")
    # keep resources with at least one conflicting pair of accesses
    by_res: dict[Any, list[tuple[int, str]]] = {}
    for v, a in enumerate(acc):
        for res, kind in a.items():
            by_res.setdefault(res, []).append((v, kind))
    shared = {
        res
        for res, lst in by_res.items()
        if len(lst) > 1 and {k for _, k in lst} not in ({"R"}, {"S"})
    }
    relevant = tuple(v for v in range(len(graph.nodes)) if any(r in shared for r in acc[v]))
    pos = {v: i for i, v in enumerate(relevant)}
    anc_full = [0] * len(graph.nodes)
    for v in order:
        a = 0
        for p in graph.preds(v):
            a |= anc_full[p]
            if p in pos:
                a |= 1 << pos[p]
        anc_full[v] = a
    anc = tuple(anc_full[v] for v in relevant)
    labels = {res: _label(graph, res) for res in shared}
    conf = [0] * len(relevant)
    conflicts = []
    for res in shared:
        lst = by_res[res]
        for x, (v, kv) in enumerate(lst):
            for w, kw in lst[x + 1 :]:
                if not _conflict(kv, kw):
                    continue
                i, j = pos[v], pos[w]
                conf[i] |= 1 << j
                conf[j] |= 1 << i
                if not (anc[j] >> i) & 1 and not (anc[i] >> j) & 1:
                    conflicts.append((min(v, w), max(v, w), labels[res]))
    accesses = tuple(
        tuple(sorted((labels[r], k) for r, k in acc[v].items() if r in shared)) for v in relevant
    )
    return Analysis(
        relevant=relevant,
        setters=frozenset(setters),
        cone=frozenset(cone),
        accesses=accesses,
        anc=anc,
        conf=tuple(conf),
        conflicts=tuple(sorted(set(conflicts))),
        probe_set_nodes=probe,
    )


def _label(graph: Graph, res: Any) -> str:
    return res if isinstance(res, str) else _resource_label(graph, res)
