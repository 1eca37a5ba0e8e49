"""The graph IR: values, nodes, edges and the graph that holds them.

A :class:`Graph` is what the tracer records from GRAPH_MODE code: nodes in program (trace) order
with ids ``0, 1, 2 ...``, the placeholders it was traced with, the constants and parameters it
uses, its outputs and the edges that order its nodes. Ops, parameters, specs and constants are
opaque objects: the graph reads only ``op.name``, ``op.side_effect``, ``op.inplace`` and
``op.float_status`` of an op, and ``_uid``/``name`` of a parameter (see
``brief/OPS_GRAPH_CONTRACT.md``). Nothing here imports the front end, the backend or the device.

Edge kinds (see :mod:`ascendsim.graph.ordering` for how they are derived):

``data``    the destination consumes a value the source produced;
``depend``  the source is input 1 of a ``Depend`` (a control dependency);
``mem``     program order of side-effect ops of kind ``"mem"`` (Assign, optimizer ops ...);
``io``      program order of side-effect ops of kind ``"io"`` (Print);
``load``    a parameter read ordered against the writes of that parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ascendsim.errors import DependCycleError, GraphError

__all__ = ["ValueRef", "Node", "Edge", "Graph", "EDGE_KINDS"]

#: every edge kind, in the order summaries list them
EDGE_KINDS: tuple[str, ...] = ("data", "depend", "mem", "io", "load")
_REF_KINDS = ("node", "input", "param", "const")


@dataclass(frozen=True, slots=True)
class ValueRef:
    """A value flowing in a graph (immutable and hashable).

    Attributes:
        kind: ``"node"`` (an output of a node), ``"input"`` (a graph placeholder), ``"param"``
            (a parameter) or ``"const"`` (an entry of ``Graph.constants``).
        index: the node id, the input index, the parameter's ``_uid`` or the constant index.
        output: which output of the node (``"node"`` refs only; 0 otherwise).
        obj: the parameter object (``"param"`` refs only); not part of equality or hashing,
            so two refs to the same parameter compare equal by ``_uid``.

    Build refs with :meth:`of_node`, :meth:`of_input`, :meth:`of_param`, :meth:`of_const`.
    """

    kind: str
    index: int
    output: int = 0
    obj: Any = field(default=None, compare=False, hash=False, repr=False)

    @classmethod
    def of_node(cls, node_id: int, output: int = 0) -> ValueRef:
        """Output ``output`` of node ``node_id``."""
        return cls("node", node_id, output)

    @classmethod
    def of_input(cls, index: int) -> ValueRef:
        """Graph placeholder number ``index``."""
        return cls("input", index)

    @classmethod
    def of_param(cls, param: Any) -> ValueRef:
        """A parameter (any object with an int ``_uid`` and a str ``name``)."""
        uid = getattr(param, "_uid", None)
        if not isinstance(uid, int):
            raise GraphError(
                f"cannot use {param!r} as a graph parameter: it has no integer `_uid`; "
                "pass a Parameter object"
            )
        return cls("param", uid, 0, param)

    @classmethod
    def of_const(cls, index: int) -> ValueRef:
        """Entry ``index`` of ``Graph.constants``."""
        return cls("const", index)

    @property
    def node_id(self) -> int | None:
        """The producing node's id, or ``None`` if this is not a node output."""
        return self.index if self.kind == "node" else None

    def label(self) -> str:
        """Short text: ``%3``, ``%3.1`` (output 1), ``in0``, ``c2`` or ``param:NAME``."""
        if self.kind == "node":
            return f"%{self.index}" if self.output == 0 else f"%{self.index}.{self.output}"
        if self.kind == "input":
            return f"in{self.index}"
        if self.kind == "const":
            return f"c{self.index}"
        return f"param:{getattr(self.obj, 'name', self.index)}"


@dataclass(frozen=True, slots=True)
class Node:
    """One op application in a graph.

    Attributes:
        id: position in program (trace) order, also the index in ``Graph.nodes``.
        op: the opaque op (``name``, ``side_effect``, ``inplace``, ``float_status`` ...).
        inputs: the values it consumes, in argument order.
        out_specs: one opaque spec per output.
        source: ``"file:line"`` of the user code that traced it.
        name: unique in the graph, ``"Add-3"`` unless the user gave one.
    """

    id: int
    op: Any
    inputs: tuple[ValueRef, ...]
    out_specs: tuple[Any, ...]
    source: str
    name: str

    @property
    def op_name(self) -> str:
        """The op's MindSpore name (``"Add"``, ``"NPUGetFloatStatus"``)."""
        return str(getattr(self.op, "name", type(self.op).__name__))

    @property
    def side_effect(self) -> str | None:
        """``None``, ``"mem"`` or ``"io"``."""
        return getattr(self.op, "side_effect", None)

    @property
    def inplace(self) -> tuple[int, ...]:
        """Indices of inputs the kernel updates in place."""
        return tuple(getattr(self.op, "inplace", ()) or ())

    @property
    def float_status(self) -> str | None:
        """``None``, ``"alloc"``, ``"clear"`` or ``"get"``."""
        return getattr(self.op, "float_status", None)

    @property
    def is_depend(self) -> bool:
        """A ``Depend``: output 0 is input 0 (same buffer), input 1 is a control dependency."""
        return self.op_name == "Depend"

    @property
    def outputs(self) -> tuple[ValueRef, ...]:
        """Refs to this node's outputs."""
        return tuple(ValueRef.of_node(self.id, i) for i in range(len(self.out_specs)))

    def describe(self) -> str:
        """``Get-5 (NPUGetFloatStatus, at net.py:12)``: for messages."""
        return f"{self.name} ({self.op_name}, at {self.source or '<unknown>'})"


class Edge(NamedTuple):
    """An ordering constraint: ``src`` runs before ``dst``, for reason ``kind``."""

    src: int
    dst: int
    kind: str


def _check_ref(ref: Any, where: str, n_nodes: int, n_inputs: int, n_consts: int, specs) -> None:
    if not isinstance(ref, ValueRef) or ref.kind not in _REF_KINDS:
        raise GraphError(f"{where}: {ref!r} is not a ValueRef; trace values through the Tracer")
    if ref.kind == "node":
        if not 0 <= ref.index < n_nodes:
            raise GraphError(
                f"{where} names node {ref.index}, which is not in the graph "
                f"(it has {n_nodes} nodes); use a value returned by Tracer.add"
            )
        if not 0 <= ref.output < len(specs[ref.index]):
            raise GraphError(
                f"{where} names output {ref.output} of node {ref.index}, which has "
                f"{len(specs[ref.index])} outputs"
            )
    elif ref.kind == "input" and not 0 <= ref.index < n_inputs:
        raise GraphError(f"{where} names graph input {ref.index}; the graph has {n_inputs}")
    elif ref.kind == "const" and not 0 <= ref.index < n_consts:
        raise GraphError(f"{where} names constant {ref.index}; the graph has {n_consts}")


class Graph:
    """An immutable dataflow graph with ordering edges.

    Build one with :class:`ascendsim.graph.Tracer` (which also checks acyclicity), or directly
    (``edges=None`` derives data, Depend and automatic side-effect edges from the nodes).

    Raises:
        GraphError: a node id that is not its position, a ref (input or output) naming a node,
            input or constant that is not in the graph, an edge between unknown nodes.
    """

    def __init__(
        self,
        nodes: Sequence[Node],
        inputs: Sequence[Any] = (),
        outputs: Sequence[ValueRef] = (),
        constants: Sequence[Any] = (),
        edges: Iterable[Edge] | None = None,
    ) -> None:
        self.nodes: tuple[Node, ...] = tuple(nodes)
        self.inputs: tuple[Any, ...] = tuple(inputs)
        self.outputs: tuple[ValueRef, ...] = tuple(outputs)
        self.constants: tuple[Any, ...] = tuple(constants)
        n = len(self.nodes)
        specs = [node.out_specs for node in self.nodes]
        dims = (n, len(self.inputs), len(self.constants), specs)
        for i, node in enumerate(self.nodes):
            if node.id != i:
                raise GraphError(f"node {node.name} has id {node.id} at position {i}")
            for k, ref in enumerate(node.inputs):
                _check_ref(ref, f"input {k} of {node.describe()}", *dims)
        for k, ref in enumerate(self.outputs):
            _check_ref(ref, f"graph output {k}", *dims)
        if edges is None:
            from ascendsim.graph.ordering import build_edges

            edges = build_edges(self.nodes)
        self.edges: tuple[Edge, ...] = tuple(sorted(set(edges)))
        succ: list[list[int]] = [[] for _ in range(n)]
        pred: list[list[int]] = [[] for _ in range(n)]
        for src, dst, kind in self.edges:
            if not (0 <= src < n and 0 <= dst < n) or src == dst:
                raise GraphError(f"bad {kind} edge {src} -> {dst} in a graph of {n} nodes")
            # edges are sorted by (src, dst, kind): both lists grow in ascending order, and
            # the several kinds of one pair are adjacent
            if not succ[src] or succ[src][-1] != dst:
                succ[src].append(dst)
                pred[dst].append(src)
        self._succ = succ
        self._pred = pred
        self.parameters: tuple[Any, ...] = self._collect_parameters()
        self._by_name = {node.name: node for node in self.nodes}

    def _collect_parameters(self) -> tuple[Any, ...]:
        seen: dict[int, Any] = {}
        refs = [r for node in self.nodes for r in node.inputs] + list(self.outputs)
        for ref in refs:
            if ref.kind == "param" and ref.index not in seen:
                seen[ref.index] = ref.obj
        return tuple(seen.values())

    def __len__(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        return f"<Graph {len(self.nodes)} nodes, {len(self.edges)} edges>"

    def node(self, key: int | str) -> Node:
        """The node with this id or name (``GraphError`` if there is none)."""
        if isinstance(key, str):
            if key not in self._by_name:
                raise GraphError(f"no node named {key!r} in the graph")
            return self._by_name[key]
        if not 0 <= key < len(self.nodes):
            raise GraphError(f"no node {key} in a graph of {len(self.nodes)} nodes")
        return self.nodes[key]

    def preds(self, n: int) -> list[int]:
        """Distinct ids of nodes with an edge into node ``n``, ascending."""
        return self._pred[n]

    def succs(self, n: int) -> list[int]:
        """Distinct ids of nodes with an edge from node ``n``, ascending."""
        return self._succ[n]

    def edges_between(self, src: int, dst: int) -> list[str]:
        """The kinds of the edges ``src -> dst`` (sorted)."""
        return sorted(e.kind for e in self.edges if e.src == src and e.dst == dst)

    def count_orders(self) -> int | None:
        """The number of valid execution orders (linear extensions), computed once; None if
        too costly (see :func:`ascendsim.graph.count.count_linear_extensions`)."""
        if not hasattr(self, "_order_count"):
            from ascendsim.graph.count import count_linear_extensions

            self._order_count = count_linear_extensions(len(self.nodes), self._pred)
        return self._order_count

    def topo_check(self) -> None:
        """Check the edges form no cycle.

        Raises:
            DependCycleError: naming every node on one cycle (op name and source line) and the
                edge kinds between them; ``err.graph`` is this graph (for ``to_dot``).
        """
        n = len(self.nodes)
        indeg = [len(p) for p in self._pred]
        stack = [i for i in range(n) if indeg[i] == 0]
        seen = 0
        while stack:
            v = stack.pop()
            seen += 1
            for w in self._succ[v]:
                indeg[w] -= 1
                if indeg[w] == 0:
                    stack.append(w)
        if seen == n:
            return
        left = {i for i in range(n) if indeg[i] > 0}
        cycle = self._find_cycle(left)
        parts = []
        for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            kinds = ",".join(self.edges_between(a, b))
            parts.append(f"{self.nodes[a].describe()} -[{kinds}]->")
        text = " ".join(parts) + f" {self.nodes[cycle[0]].name}"
        err = DependCycleError(
            f"the graph has a dependency cycle: {text}. A Depend (or a side-effect order) makes "
            "a node wait for a value computed from its own result; make the Depend's second "
            "input something computed before its first input is used"
        )
        err.graph = self  # type: ignore[attr-defined]
        raise err

    def _find_cycle(self, left: set[int]) -> list[int]:
        # every node left by Kahn's algorithm has a predecessor that is also left: walk
        # predecessors (smallest id first) until a node repeats
        v = min(left)
        pos: dict[int, int] = {}
        walk: list[int] = []
        while v not in pos:
            pos[v] = len(walk)
            walk.append(v)
            v = min(p for p in self._pred[v] if p in left)
        cycle = walk[pos[v] :][::-1]  # forward direction
        k = cycle.index(min(cycle))
        return cycle[k:] + cycle[:k]

    def to_dot(self, name: str = "G") -> str:
        """DOT text of the graph, edges styled by kind (see :mod:`ascendsim.graph.dot`)."""
        from ascendsim.graph.dot import to_dot

        return to_dot(self, name=name)

    def summary(self) -> str:
        """A readable listing: counts, one line per node with its inputs and source, outputs."""
        counts = {k: 0 for k in EDGE_KINDS}
        for e in self.edges:
            counts[e.kind] = counts.get(e.kind, 0) + 1
        edge_text = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        lines = [
            f"graph: {len(self.nodes)} nodes, {len(self.inputs)} inputs, "
            f"{len(self.parameters)} parameters, {len(self.constants)} constants, "
            f"{len(self.outputs)} outputs; edges: {edge_text or 'none'}"
        ]
        for node in self.nodes:
            args = ", ".join(r.label() for r in node.inputs)
            flags = []
            if node.side_effect:
                flags.append(f"side_effect={node.side_effect}")
            if node.inplace:
                flags.append(f"inplace={list(node.inplace)}")
            extra = f" [{' '.join(flags)}]" if flags else ""
            lines.append(
                f"  %{node.id} {node.name} = {node.op_name}({args}){extra}  # {node.source}"
            )
        lines.append("  return (" + ", ".join(r.label() for r in self.outputs) + ")")
        return "\n".join(lines)
