"""What the explorer reports: one run's outcome, the distinct outcomes, and their merge.

:class:`RunOutcome` is what the runtime's ``execute(order)`` returns; :class:`Exploration` is
the result of :func:`ascendsim.graph.explore`, with :meth:`Exploration.describe` for people;
:func:`merge_explorations` combines the results of a search split by prefixes.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from ascendsim.errors import GraphError
from ascendsim.graph.ir import Graph

__all__ = ["RunOutcome", "Outcome", "Exploration", "merge_explorations"]


@dataclass(frozen=True)
class RunOutcome:
    """What one run of a whole graph in a given order showed.

    Attributes:
        observable: hashable summary of everything a user can see (opaque to the explorer).
        set_nodes: the nodes that actually set the float-status register in that run.
    """

    observable: Hashable
    set_nodes: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Outcome:
    """One distinct observable, the first order found producing it, and how many did."""

    observable: Hashable
    witness: tuple[int, ...]
    count: int


@dataclass(frozen=True)
class Exploration:
    """The result of :func:`explore`.

    Attributes:
        outcomes: distinct outcomes in discovery order.
        orders_explored: runs made (the probe run excluded).
        complete: every trace was run (the ``max_orders`` bound was not hit) and no run set the
            register at a node the analysis had ruled out (see ``unpredicted_setters``).
        order_independent: complete and exactly one outcome.
        relevant_nodes: ids of the nodes with a conflicting shared-state access.
        racing_nodes: the relevant nodes with a conflicting access the graph leaves unordered
            (the nodes the search orders; prefixes name them).
        naive_orders: linear extensions of the whole graph (None if too costly to count).
        conflicts: conflicting pairs the graph leaves unordered: ``(a, b, resource)``.
        unpredicted_setters: nodes that set the register although the analysis said they
            could not (then the reduction may have missed orders).
        prefix: the R-prefix this exploration was limited to (``()``: none).
    """

    outcomes: tuple[Outcome, ...]
    orders_explored: int
    complete: bool
    order_independent: bool
    relevant_nodes: tuple[int, ...]
    racing_nodes: tuple[int, ...]
    naive_orders: int | None
    conflicts: tuple[tuple[int, int, str], ...] = ()
    unpredicted_setters: frozenset[int] = frozenset()
    prefix: tuple[int, ...] = ()

    def describe(self, graph: Graph) -> str:
        """Readable report: verdict, then each outcome's witness (relevant nodes only) and the
        conflicting pairs it orders unlike witness 1."""
        n = len(self.outcomes)
        word = "outcome" if n == 1 else "outcomes"
        runs = "order" if self.orders_explored == 1 else "orders"
        if not self.complete and n <= 1:
            verdict = "undecided"
        else:
            verdict = "order-independent" if n == 1 and self.complete else "order-dependent"
        naive = _big(self.naive_orders)
        head = (
            f"{verdict}: {n} {word} from {self.orders_explored} {runs} explored"
            f" ({len(self.relevant_nodes)} relevant nodes of {len(graph.nodes)},"
            f" {len(self.racing_nodes)} racing;"
            f" valid orders of the whole graph: {naive})"
        )
        lines = [head]
        if not self.complete:
            lines.append("search incomplete: the max_orders bound was hit")
        if self.unpredicted_setters:
            names = ", ".join(graph.nodes[v].name for v in sorted(self.unpredicted_setters))
            lines.append(f"warning: unpredicted float-status setters {names}; pass set_nodes_hint")
        rel = set(self.relevant_nodes)
        first = None
        for k, out in enumerate(self.outcomes, 1):
            seq = [v for v in out.witness if v in rel]
            text = ", ".join(graph.nodes[v].name for v in seq)
            times = "order" if out.count == 1 else "orders"
            line = f"outcome {k} ({out.count} {times}): witness {k}: {text or '(any order)'}"
            if first is None:
                first = {v: i for i, v in enumerate(out.witness)}
            else:
                here = {v: i for i, v in enumerate(out.witness)}
                diffs = []
                for a, b, res in self.conflicts:
                    if (first[a] < first[b]) != (here[a] < here[b]):
                        x, y = (a, b) if here[a] < here[b] else (b, a)
                        diffs.append(f"{graph.nodes[x].name} before {graph.nodes[y].name} ({res})")
                if diffs:
                    line += "; unlike witness 1: " + "; ".join(diffs)
            lines.append(line)
            lines.append(f"  observable: {_short(out.observable)}")
        return "\n".join(lines)


def _big(n: int | None) -> str:
    """``1,260``; ``about 3.2e+302`` for huge counts; ``unknown`` for None."""
    if n is None:
        return "unknown"
    if n < 10**15:
        return f"{n:,}"
    exp = int(math.log10(n))
    mant = n / 10**exp  # exact int division rounding, fine for huge ints
    if mant >= 10:
        mant, exp = mant / 10, exp + 1
    return f"about {mant:.1f}e+{exp}"


def _short(obj: Any, limit: int = 160) -> str:
    text = repr(obj)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def merge_explorations(parts: Sequence[Exploration]) -> Exploration:
    """Combine per-prefix explorations, given in :func:`explore_prefixes` order.

    Outcomes are matched by observable: the first part that found one gives its witness, counts
    add up, and the discovery order is kept; runs add up; the result is complete iff every
    part is. When no part hit its bound this equals the single-process :func:`explore`.

    Raises:
        GraphError: ``parts`` is empty.
    """
    if not parts:
        raise GraphError("merge_explorations needs at least one exploration")
    found: dict[Hashable, list[Any]] = {}
    for part in parts:
        for out in part.outcomes:
            if out.observable in found:
                found[out.observable][1] += out.count
            else:
                found[out.observable] = [out.witness, out.count]
    outcomes = tuple(Outcome(obs, w, c) for obs, (w, c) in found.items())
    complete = all(p.complete for p in parts)
    return Exploration(
        outcomes=outcomes,
        orders_explored=sum(p.orders_explored for p in parts),
        complete=complete,
        order_independent=complete and len(outcomes) == 1,
        relevant_nodes=parts[0].relevant_nodes,
        racing_nodes=parts[0].racing_nodes,
        naive_orders=parts[0].naive_orders,
        conflicts=parts[0].conflicts,
        unpredicted_setters=frozenset().union(*(p.unpredicted_setters for p in parts)),
        prefix=(),
    )
