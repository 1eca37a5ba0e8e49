"""Schedule policies: turn a graph's partial order into one execution order.

:func:`schedule` runs Kahn's algorithm; a *policy* decides which ready node runs next. Every
policy respects every edge. Policies live in the registry :data:`POLICIES`, keyed by name;
:func:`register_policy` adds one. A policy is a factory ``(graph, arg, cost) -> ReadySet``
where ``arg`` is the text after ``:`` in the policy name (``"random:7"`` -> ``"7"``) or None.

Built-in policies (ties always broken by node id, so results are deterministic):

``program``        the ready node with the smallest id (program order when the graph allows).
``random:<seed>``  ``numpy.random.Generator(PCG64(seed))``: whenever more than one node is
                   ready, take the next uniform ``u`` of ``rng.random`` (drawn 4096 at a time)
                   and run the ``floor(u * len(ready))``-th ready node in ascending id order.
``reverse``        the most recently readied node first (depth-first, adversarial to program
                   order); nodes readied at the same step: larger id first.
``critical-path``  the ready node with the largest remaining path cost first (its own cost plus
                   the costliest path to a sink); ``cost(node) -> int`` ns, 1 per node if no
                   callback is given.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from ascendsim.errors import GraphError
from ascendsim.graph.ir import Graph, Node

__all__ = ["schedule", "POLICIES", "register_policy", "ReadySet", "CostFn"]

#: a node's cost in integer ns
CostFn = Callable[[Node], int]


class ReadySet(Protocol):
    """The ready nodes of a running schedule; the policy's choice is what ``pop`` returns."""

    def push(self, node: int, step: int) -> None:
        """``node`` became ready after ``step`` nodes had been scheduled."""

    def pop(self) -> int:
        """Remove and return the node to run next."""

    def __len__(self) -> int: ...


PolicyFactory = Callable[[Graph, "str | None", "CostFn | None"], ReadySet]

#: policy name -> factory
POLICIES: dict[str, PolicyFactory] = {}


def register_policy(name: str) -> Callable[[PolicyFactory], PolicyFactory]:
    """Decorator registering a policy factory under ``name`` (which must not contain ``:``)."""
    if ":" in name:
        raise GraphError(f"policy name {name!r} must not contain ':' (it separates the argument)")

    def deco(factory: PolicyFactory) -> PolicyFactory:
        POLICIES[name] = factory
        return factory

    return deco


class _HeapReady:
    """Ready nodes in a heap keyed by ``key(node, step)``; the key must end in the node id."""

    def __init__(self, key: Callable[[int, int], Any]) -> None:
        self._heap: list[Any] = []
        self._key = key

    def push(self, node: int, step: int) -> None:
        heapq.heappush(self._heap, self._key(node, step))

    def pop(self) -> int:
        return heapq.heappop(self._heap)[-1]

    def __len__(self) -> int:
        return len(self._heap)


class _ProgramReady:
    """Smallest id first: a plain heap of ints (the fast path)."""

    def __init__(self) -> None:
        self._heap: list[int] = []

    def push(self, node: int, step: int) -> None:
        heapq.heappush(self._heap, node)

    def pop(self) -> int:
        return heapq.heappop(self._heap)

    def __len__(self) -> int:
        return len(self._heap)


class _RandomReady:
    """Uniform choice among ready nodes sorted by id: a counting segment tree over ids, so
    finding and removing the k-th smallest ready id is one O(log n) walk from the root."""

    def __init__(self, n: int, seed: int) -> None:
        self._rng = np.random.Generator(np.random.PCG64(seed))
        size = 1
        while size < max(n, 1):
            size *= 2
        self._size = size
        self._tree = [0] * (2 * size)
        self._draws: list[float] = []
        self._next = 0

    def push(self, node: int, step: int) -> None:
        tree = self._tree
        i = node + self._size
        while i:
            tree[i] += 1
            i >>= 1

    def pop(self) -> int:
        tree = self._tree
        count = tree[1]
        k = 0
        if count > 1:
            if self._next == len(self._draws):
                self._draws = self._rng.random(4096).tolist()
                self._next = 0
            k = int(self._draws[self._next] * count)
            self._next += 1
        tree[1] -= 1
        i, size = 1, self._size
        while i < size:
            i *= 2
            if tree[i] <= k:
                k -= tree[i]
                i += 1
            tree[i] -= 1
        return i - size

    def __len__(self) -> int:
        return self._tree[1]


@register_policy("program")
def _program(graph: Graph, arg: str | None, cost: CostFn | None) -> ReadySet:
    return _ProgramReady()


@register_policy("random")
def _random(graph: Graph, arg: str | None, cost: CostFn | None) -> ReadySet:
    try:
        seed = int(arg) if arg is not None else None
    except ValueError:
        seed = None
    if seed is None or seed < 0:
        raise GraphError(
            f"policy 'random' needs a non-negative integer seed, as in 'random:0' (got {arg!r})"
        )
    return _RandomReady(len(graph.nodes), seed)


@register_policy("reverse")
def _reverse(graph: Graph, arg: str | None, cost: CostFn | None) -> ReadySet:
    return _HeapReady(lambda node, step: (-step, -node, node))


@register_policy("critical-path")
def _critical_path(graph: Graph, arg: str | None, cost: CostFn | None) -> ReadySet:
    order = _kahn(graph, _ProgramReady())
    level = [0] * len(graph.nodes)
    for v in reversed(order):
        c = int(cost(graph.nodes[v])) if cost is not None else 1
        level[v] = c + max((level[w] for w in graph.succs(v)), default=0)
    return _HeapReady(lambda node, step: (-level[node], node))


@register_policy("adversarial")
def _adversarial(graph: Graph, arg: str | None, cost: CostFn | None) -> ReadySet:
    """Hazard-seeking: among ready nodes, float-status reads (``NPUGetFloatStatus``) run as
    early and clears (``NPUClearFloatStatus``) as late as the edges allow, everything else
    latest-ready first. An order that a missing ``Depend`` lets go wrong is then likely to."""
    rank = [
        0 if n.float_status == "get" else 2 if n.float_status == "clear" else 1 for n in graph.nodes
    ]
    return _HeapReady(lambda node, step: (rank[node], -step, -node, node))


def _kahn(graph: Graph, ready: ReadySet) -> list[int]:
    n = len(graph.nodes)
    indeg = [len(graph.preds(i)) for i in range(n)]
    succ = graph._succ  # noqa: SLF001 - hot loop, same package
    for i in range(n):
        if indeg[i] == 0:
            ready.push(i, 0)
    order: list[int] = []
    append = order.append
    while len(ready):
        v = ready.pop()
        append(v)
        step = len(order)
        for w in succ[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                ready.push(w, step)
    if len(order) != n:
        graph.topo_check()  # raises DependCycleError naming the cycle
        raise GraphError("schedule did not place every node, yet no cycle was found")
    return order


def schedule(graph: Graph, policy: str = "program", *, cost: CostFn | None = None) -> list[int]:
    """An execution order of all nodes of ``graph`` under ``policy`` (see the module docs).

    Raises:
        GraphError: unknown policy name (lists the registered ones) or a bad policy argument.
        DependCycleError: the graph has a cycle.
    """
    name, _, arg = policy.partition(":")
    if name not in POLICIES:
        known = ", ".join(sorted(POLICIES))
        raise GraphError(
            f"unknown schedule policy {policy!r}; known policies: {known} "
            "(random takes a seed: 'random:0')"
        )
    return _kahn(graph, POLICIES[name](graph, arg if _ else None, cost))
