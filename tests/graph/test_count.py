"""Counting linear extensions, checked against brute force."""

from __future__ import annotations

from functools import cache
from math import factorial

from hypothesis import given, settings
from hypothesis import strategies as st

from ascendsim.graph import count_linear_extensions


def _brute(n: int, preds: list[list[int]]) -> int:
    @cache
    def rec(done: frozenset[int]) -> int:
        if len(done) == n:
            return 1
        return sum(
            rec(done | {v}) for v in range(n) if v not in done and all(p in done for p in preds[v])
        )

    return rec(frozenset())


def _preds(n: int, pairs) -> list[list[int]]:
    preds: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs:
        preds[b].append(a)
    return preds


def test_known_counts():
    assert count_linear_extensions(5, _preds(5, [])) == 120
    assert count_linear_extensions(4, _preds(4, [(0, 1), (1, 2), (2, 3), (0, 3)])) == 1
    # the "N" poset a<c, b<c, b<d: 5 orders; with 2 free nodes: 5 * 6!/(4! 1! 1!) = 150
    assert count_linear_extensions(4, _preds(4, [(0, 2), (1, 2), (1, 3)])) == 5
    assert count_linear_extensions(6, _preds(6, [(0, 2), (1, 2), (1, 3)])) == 150
    # an out-tree, a root with two chains of 2: 5! / (5 * 2 * 1 * 2 * 1) = 6
    assert count_linear_extensions(5, _preds(5, [(0, 1), (1, 2), (0, 3), (3, 4)])) == 6
    # 200 free nodes and a 12-node chain: 212! / 12!
    n = 212
    chain = [(200 + i, 201 + i) for i in range(11)]
    expected = factorial(212) // factorial(12)
    assert count_linear_extensions(n, _preds(n, chain)) == expected


def test_gives_up_when_a_component_has_too_many_down_sets():
    # a wide bipartite component (not a forest): 2^12 down-sets of the middle layer
    pairs = [(0, i) for i in range(1, 13)] + [(i, 13) for i in range(1, 13)]
    pairs += [(1, 14), (2, 14)]
    preds = _preds(15, pairs)
    assert count_linear_extensions(15, preds, max_states=100) is None
    assert count_linear_extensions(15, preds) == _brute(15, preds)


def test_a_cycle_gives_none():
    assert count_linear_extensions(2, _preds(2, [(0, 1), (1, 0)])) is None


@st.composite
def dags(draw):
    n = draw(st.integers(1, 8))
    perm = draw(st.permutations(range(n)))
    pairs = [(perm[i], perm[j]) for i in range(n) for j in range(i + 1, n) if draw(st.booleans())]
    return n, pairs


@settings(max_examples=200, deadline=None)
@given(dags())
def test_matches_brute_force(dag):
    n, pairs = dag
    preds = _preds(n, pairs)
    assert count_linear_extensions(n, preds) == _brute(n, preds)
    assert count_linear_extensions(n, preds, max_states=1) in (None, _brute(n, preds))
