"""The graph layer: IR, tracer, automatic side-effect ordering, schedules, explorer.

It knows nothing of the front end, the backend or the device: ops, parameters, specs and
constants are opaque objects with the attributes named in ``OPS_GRAPH_CONTRACT.md``.

- :mod:`~ascendsim.graph.ir`: :class:`ValueRef`, :class:`Node`, :class:`Edge`, :class:`Graph`
- :mod:`~ascendsim.graph.tracer`: :class:`Tracer` records GRAPH_MODE code as a graph
- :mod:`~ascendsim.graph.ordering`: data, Depend and MindSpore's automatic order edges
- :mod:`~ascendsim.graph.schedule`: :func:`schedule` under named policies
- :mod:`~ascendsim.graph.access`: shared-state accesses (the explorer's static analysis)
- :mod:`~ascendsim.graph.explorer`: :func:`explore` with partial-order reduction; its results
  (:class:`RunOutcome`, :class:`Exploration`, :func:`merge_explorations`) in
  :mod:`~ascendsim.graph.outcome`
- :mod:`~ascendsim.graph.count`: counting valid orders; :mod:`~ascendsim.graph.dot`: DOT export
"""

from ascendsim.graph.access import Analysis
from ascendsim.graph.count import count_linear_extensions
from ascendsim.graph.dot import to_dot
from ascendsim.graph.explorer import (
    Exploration,
    Outcome,
    RunOutcome,
    analyze,
    explore,
    explore_prefixes,
    merge_explorations,
)
from ascendsim.graph.ir import EDGE_KINDS, Edge, Graph, Node, ValueRef
from ascendsim.graph.ordering import alias_root, build_edges
from ascendsim.graph.schedule import POLICIES, register_policy, schedule
from ascendsim.graph.tracer import Tracer

__all__ = [
    "Analysis",
    "EDGE_KINDS",
    "Edge",
    "Exploration",
    "Graph",
    "Node",
    "Outcome",
    "POLICIES",
    "RunOutcome",
    "Tracer",
    "ValueRef",
    "alias_root",
    "analyze",
    "build_edges",
    "count_linear_extensions",
    "explore",
    "explore_prefixes",
    "merge_explorations",
    "register_policy",
    "schedule",
    "to_dot",
]
