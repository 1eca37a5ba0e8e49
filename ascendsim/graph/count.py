"""Counting linear extensions (the number of valid execution orders of a graph).

Exact counting is #P-complete in general, so :func:`count_linear_extensions` combines cheap
exact cases and gives up (returns ``None``) when a component is too large:

- the count of a disjoint union is the multinomial ``n! / prod(n_i!)`` times the product of the
  components' counts (weakly connected components);
- a component whose Hasse diagram is a forest (every node has at most one immediate
  predecessor, or every node at most one immediate successor) has ``m! / prod(subtree sizes)``
  orders (the hook-length formula for forests); above 4000 nodes the edges as given are
  checked instead of the Hasse diagram, and any other such component gives up;
- any other component is counted by dynamic programming over its down-sets (sets of nodes
  closed under predecessors), if it has at most ``max_states`` of them of any one size and
  ``20 * max_states`` in all.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import factorial

__all__ = ["count_linear_extensions"]

#: largest component for which the Hasse diagram (transitive reduction) is computed
_MAX_REDUCE = 4000


def _components(n: int, preds: Sequence[Sequence[int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for v in range(n):
        for p in preds[v]:
            a, b = find(v), find(p)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for v in range(n):
        groups.setdefault(find(v), []).append(v)
    return list(groups.values())


def _topo(members: list[int], preds: dict[int, list[int]]) -> list[int] | None:
    indeg = {v: len(preds[v]) for v in members}
    succ: dict[int, list[int]] = {v: [] for v in members}
    for v in members:
        for p in preds[v]:
            succ[p].append(v)
    stack = sorted((v for v in members if indeg[v] == 0), reverse=True)
    order = []
    while stack:
        v = stack.pop()
        order.append(v)
        for w in succ[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                stack.append(w)
    return order if len(order) == len(members) else None


def _hasse_preds(order: list[int], preds: dict[int, list[int]]) -> dict[int, list[int]]:
    """Immediate predecessors: drop a pred that is an ancestor of another pred."""
    bit = {v: 1 << i for i, v in enumerate(order)}
    anc: dict[int, int] = {}
    out: dict[int, list[int]] = {}
    for v in order:
        ps = preds[v]
        a = 0
        for p in ps:
            a |= anc[p] | bit[p]
        anc[v] = a
        out[v] = [p for p in ps if not any(anc[q] & bit[p] for q in ps if q != p)]
    return out


def _forest_count(order: list[int], hpreds: dict[int, list[int]]) -> int | None:
    m = len(order)
    hsuccs: dict[int, list[int]] = {v: [] for v in order}
    for v in order:
        for p in hpreds[v]:
            hsuccs[p].append(v)
    if all(len(hpreds[v]) <= 1 for v in order):  # out-forest: subtree = descendants
        size = {}
        for v in reversed(order):
            size[v] = 1 + sum(size[w] for w in hsuccs[v])
    elif all(len(hsuccs[v]) <= 1 for v in order):  # in-forest: subtree = ancestors
        size = {}
        for v in order:
            size[v] = 1 + sum(size[p] for p in hpreds[v])
    else:
        return None
    denom = 1
    for s in size.values():
        denom *= s
    return factorial(m) // denom


def _ideal_count(order: list[int], preds: dict[int, list[int]], max_states: int) -> int | None:
    idx = {v: i for i, v in enumerate(order)}
    m = len(order)
    need = [0] * m
    succ: list[list[int]] = [[] for _ in range(m)]
    for v in order:
        for p in preds[v]:
            need[idx[v]] |= 1 << idx[p]
            succ[idx[p]].append(idx[v])
    start = sum(1 << i for i in range(m) if need[i] == 0)
    # down-set mask -> (number of orders reaching it, mask of its minimal missing nodes)
    layer: dict[int, tuple[int, int]] = {0: (1, start)}
    work = 0
    for _ in range(m):
        nxt: dict[int, tuple[int, int]] = {}
        for mask, (ways, cand) in layer.items():
            c = cand
            while c:
                b = c & -c
                c ^= b
                key = mask | b
                if key in nxt:
                    nxt[key] = (nxt[key][0] + ways, nxt[key][1])
                    continue
                new_cand = cand ^ b
                for w in succ[b.bit_length() - 1]:
                    if need[w] & key == need[w]:
                        new_cand |= 1 << w
                nxt[key] = (ways, new_cand)
                if len(nxt) > max_states:
                    return None
        work += len(nxt)
        if len(nxt) > max_states or work > 20 * max_states:
            return None
        layer = nxt
    return sum(ways for ways, _ in layer.values())


def count_linear_extensions(
    n: int, preds: Sequence[Sequence[int]], *, max_states: int = 100_000
) -> int | None:
    """The number of orders of nodes ``0..n-1`` in which every ``preds[v]`` precedes ``v``.

    Returns ``None`` when some component is neither a forest nor small enough for the
    down-set DP (``max_states`` down-sets of one size), or when the edges have a cycle
    (then the count would be 0, but a cyclic graph is an error elsewhere).
    """
    denom = 1
    product = 1
    for comp in _components(n, preds):
        if len(comp) == 1:
            continue
        denom *= factorial(len(comp))
        cpreds = {v: sorted(set(preds[v])) for v in comp}
        order = _topo(comp, cpreds)
        if order is None:
            return None
        if len(comp) <= _MAX_REDUCE:
            count = _forest_count(order, _hasse_preds(order, cpreds))
            if count is None:
                count = _ideal_count(order, cpreds, max_states)
        else:  # too big to reduce: only a forest as given (a long chain, say) is counted
            count = _forest_count(order, cpreds)
        if count is None:
            return None
        product *= count
    return factorial(n) // denom * product
