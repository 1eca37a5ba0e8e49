"""The schedule explorer: run every order that matters, report every observable difference.

A graph admits a huge number of execution orders, but two orders can only differ in what they
observe (outputs, float-status readings, final parameter values, printed lines) if they order
two *conflicting* accesses to shared state differently (:mod:`ascendsim.graph.access`). The
*relevant* nodes have a conflicting access; conflicts the graph already orders never vary, so
the explorer enumerates the orders of the *racing* nodes R (those with a conflicting access the
graph leaves unordered) that respect the graph's reachability, one representative per
Mazurkiewicz trace (two orders are equivalent iff they order every conflicting pair the same
way), by depth-first search with sleep sets (Godefroid 1996), choices in ascending node id. A
branch whose sleep set holds a node that nothing left can wake (no remaining non-descendant
conflicts with it) is cut, since it can never complete. Each R sequence becomes a full order by
a topological sort that places the other nodes as early as possible, in program order;
``execute`` runs it.

Before the search, one *probe* run in program order tells which nodes outside the
order-sensitive cone set the float-status register; it is not counted in ``orders_explored``.

Parallel use: :func:`explore_prefixes` lists the R-prefixes of the search tree at a depth, in
search order; ``explore(..., prefix=p)`` explores only the orders starting with ``p``; and
:func:`merge_explorations` of the per-prefix results, in prefix order, equals the single-process
result whenever no part hit its ``max_orders`` bound.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from ascendsim.errors import GraphError
from ascendsim.graph.access import Analysis, analyze_accesses
from ascendsim.graph.ir import Graph
from ascendsim.graph.outcome import Exploration, Outcome, RunOutcome, merge_explorations
from ascendsim.graph.schedule import schedule

__all__ = [
    "RunOutcome",
    "Outcome",
    "Exploration",
    "explore",
    "explore_prefixes",
    "merge_explorations",
    "analyze",
]


Execute = Callable[[list[int]], Any]


def _as_run(result: Any) -> RunOutcome:
    if isinstance(result, RunOutcome):
        return result
    observable = getattr(result, "observable", result)
    return RunOutcome(observable, frozenset(getattr(result, "set_nodes", ()) or ()))


def analyze(
    graph: Graph,
    execute: Execute | None = None,
    *,
    set_nodes_hint: Iterable[int] | None = None,
    is_floating: Callable[[Any], bool] | None = None,
) -> Analysis:
    """The static analysis the search uses, after a probe run in program order.

    Without ``execute`` no probe runs (then nodes outside the cone never count as setters,
    so pass ``set_nodes_hint``).

    Raises:
        DependCycleError: the graph has a cycle.
    """
    probe: frozenset[int] = frozenset()
    if execute is not None:
        probe = _as_run(execute(schedule(graph, "program"))).set_nodes
    return analyze_accesses(graph, probe, set_nodes_hint=set_nodes_hint, is_floating=is_floating)


class _Search:
    """Sleep-set DFS over the racing nodes (bitmasks over positions in ``racing``)."""

    def __init__(self, a: Analysis) -> None:
        self.a = a
        self.m = len(a.racing)
        self.full = (1 << self.m) - 1
        self.desc = a.desc

    def candidates(self, done: int, sleep: int) -> list[int]:
        return [
            i
            for i in range(self.m)
            if not (done >> i) & 1 and self.a.anc[i] & ~done == 0 and not (sleep >> i) & 1
        ]

    def child_sleep(self, done: int, sleep: int, e: int) -> int | None:
        """The child's sleep set, or None if the child can never complete."""
        new_sleep = sleep & ~self.a.conf[e]
        remaining = self.full & ~(done | 1 << e)
        s = new_sleep
        while s:
            b = s & -s
            s ^= b
            i = b.bit_length() - 1
            if not self.a.conf[i] & remaining & ~self.desc[i]:
                return None
        return new_sleep

    def replay(self, prefix: Sequence[int]) -> tuple[int, int] | None:
        """(done, sleep) after ``prefix`` (node ids), None if the search never completes it."""
        pos = {v: i for i, v in enumerate(self.a.racing)}
        done = sleep = 0
        for v in prefix:
            if v not in pos:
                raise GraphError(f"prefix node {v} is not a racing node of this graph")
            e = pos[v]
            cands = self.candidates(done, sleep)
            if e not in cands:
                raise GraphError(f"{list(prefix)} is not a prefix of this graph's search tree")
            for c in cands:
                if c == e:
                    break
                sleep |= 1 << c
            nxt = self.child_sleep(done, sleep, e)
            if nxt is None:
                return None
            done, sleep = done | 1 << e, nxt
        return done, sleep

    def walk(self, start: tuple[int, int], depth: int | None = None):
        """Yield the paths (positions, relative to ``start``) of complete leaves, or of the
        search-tree nodes ``depth`` steps below ``start``; in search order."""
        done0, sleep0 = start
        if done0 == self.full or depth == 0:
            yield []
            return
        path: list[int] = []
        stack = [(done0, sleep0, self.candidates(done0, sleep0), 0)]
        while stack:
            done, sleep, cands, k = stack[-1]
            if k == len(cands):
                stack.pop()
                if path:
                    path.pop()
                continue
            e = cands[k]
            # later siblings sleep on e (its subtree covers every order starting with it)
            stack[-1] = (done, sleep | 1 << e, cands, k + 1)
            child = self.child_sleep(done, sleep, e)
            if child is None:
                continue
            cdone = done | 1 << e
            path.append(e)
            if cdone == self.full or len(path) == depth:
                yield list(path)
                path.pop()
                continue
            stack.append((cdone, child, self.candidates(cdone, child), 0))


def _full_order(graph: Graph, racing_seq: list[int], is_rel: list[bool]) -> list[int]:
    n = len(graph.nodes)
    indeg = [len(graph.preds(i)) for i in range(n)]
    heap = [i for i in range(n) if indeg[i] == 0 and not is_rel[i]]
    heapq.heapify(heap)
    ready_rel = {i for i in range(n) if indeg[i] == 0 and is_rel[i]}
    order: list[int] = []
    k = 0
    while len(order) < n:
        if heap:
            v = heapq.heappop(heap)
        else:
            v = racing_seq[k]
            k += 1
            if v not in ready_rel:  # cannot happen for a sequence the search produced
                raise GraphError(f"node {graph.nodes[v].name} scheduled before its inputs")
            ready_rel.discard(v)
        order.append(v)
        for w in graph.succs(v):
            indeg[w] -= 1
            if indeg[w] == 0:
                if is_rel[w]:
                    ready_rel.add(w)
                else:
                    heapq.heappush(heap, w)
    return order


def _analysis(graph, execute, analysis, set_nodes_hint, is_floating) -> Analysis:
    if analysis is not None:
        return analysis
    return analyze(graph, execute, set_nodes_hint=set_nodes_hint, is_floating=is_floating)


def explore(
    graph: Graph,
    execute: Execute,
    *,
    max_orders: int = 10_000,
    set_nodes_hint: Iterable[int] | None = None,
    prefix: Sequence[int] = (),
    analysis: Analysis | None = None,
    is_floating: Callable[[Any], bool] | None = None,
) -> Exploration:
    """Run ``graph`` once per Mazurkiewicz trace of its racing nodes; collect the outcomes.

    Args:
        graph: an acyclic graph.
        execute: runs the whole graph in the given node order and returns a
            :class:`RunOutcome` (or any object with ``observable`` and ``set_nodes``).
            Faults it raises propagate; to explore them, return them as observables.
        max_orders: stop after this many runs (then ``complete`` is False if more remained).
        set_nodes_hint: the nodes that may set the float-status register, replacing the
            conservative guess inside the order-sensitive cone.
        prefix: explore only orders whose racing nodes start with these node ids (one of
            :func:`explore_prefixes`).
        analysis: a precomputed :func:`analyze` result (skips the probe run).
        is_floating: ``spec -> bool``, whether an output spec is floating point (default: its
            dtype's name contains "float" or "complex").

    Raises:
        DependCycleError: the graph has a cycle.
        GraphError: ``max_orders`` < 1, or a prefix that is not one of the search tree.
    """
    if max_orders < 1:
        raise GraphError(f"max_orders must be at least 1, got {max_orders}")
    graph.topo_check()
    a = _analysis(graph, execute, analysis, set_nodes_hint, is_floating)
    search = _Search(a)
    prefix = tuple(prefix)
    start = search.replay(prefix)
    is_rel = [False] * len(graph.nodes)
    for v in a.racing:
        is_rel[v] = True
    found: dict[Hashable, list[Any]] = {}
    runs = 0
    hit = False
    unpredicted: set[int] = set()
    if start is not None:
        for path in search.walk(start):
            if runs == max_orders:
                hit = True
                break
            seq = list(prefix) + [a.racing[i] for i in path]
            order = _full_order(graph, seq, is_rel)
            res = _as_run(execute(order))
            runs += 1
            unpredicted |= res.set_nodes - a.setters
            if res.observable in found:
                found[res.observable][1] += 1
            else:
                found[res.observable] = [tuple(order), 1]
    outcomes = tuple(Outcome(obs, w, c) for obs, (w, c) in found.items())
    complete = not hit and not unpredicted
    return Exploration(
        outcomes=outcomes,
        orders_explored=runs,
        complete=complete,
        order_independent=complete and len(outcomes) == 1,
        relevant_nodes=a.relevant,
        racing_nodes=a.racing,
        naive_orders=graph.count_orders(),
        conflicts=a.conflicts,
        unpredicted_setters=frozenset(unpredicted),
        prefix=prefix,
    )


def explore_prefixes(
    graph: Graph,
    depth: int,
    execute: Execute | None = None,
    *,
    set_nodes_hint: Iterable[int] | None = None,
    analysis: Analysis | None = None,
    is_floating: Callable[[Any], bool] | None = None,
) -> list[tuple[int, ...]]:
    """The racing-node prefixes of length ``depth`` of the search tree, in search order
    (shorter ones where the whole sequence is shorter). Pass the same ``execute`` and
    ``set_nodes_hint`` (or ``analysis``) as to :func:`explore`, so both see the same analysis.

    Raises:
        GraphError: ``depth`` < 0, or none of ``execute``, ``set_nodes_hint``, ``analysis``.
        DependCycleError: the graph has a cycle.
    """
    if depth < 0:
        raise GraphError(f"prefix depth must be >= 0, got {depth}")
    if analysis is None and execute is None and set_nodes_hint is None:
        raise GraphError(
            "explore_prefixes needs the analysis explore will use: pass execute "
            "(for the probe run), set_nodes_hint, or analysis=analyze(graph, execute)"
        )
    graph.topo_check()
    a = _analysis(graph, execute, analysis, set_nodes_hint, is_floating)
    return [tuple(a.racing[i] for i in p) for p in _Search(a).walk((0, 0), depth)]
