"""The tracer: records op applications of GRAPH_MODE code as the nodes of a :class:`Graph`.

The front end (``ascendsim.ms._dispatch``) calls :meth:`Tracer.add` once per primitive call
while a Cell or ms_function is being traced, after it inferred the output specs. Values are
:class:`ValueRef` s; a plain Python or numpy value given as an input becomes a constant.
:meth:`Tracer.finish` adds the automatic ordering edges
(:mod:`ascendsim.graph.ordering`), validates every reference and checks acyclicity.

A node input may name a node that is added later (``ValueRef.of_node(k)``): declarative
front ends (scenario files) can express any graph this way, and :meth:`finish` reports a
reference to a node that never came as a :class:`GraphError` and a cycle as a
:class:`DependCycleError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ascendsim.errors import GraphError
from ascendsim.graph.ir import Graph, Node, ValueRef

__all__ = ["Tracer"]


class Tracer:
    """Builds one :class:`Graph`. Holds no global state: make one per traced function."""

    def __init__(self) -> None:
        self.begin()

    def begin(self) -> None:
        """Start (or restart) recording an empty graph."""
        self._nodes: list[Node] = []
        self._inputs: list[Any] = []
        self._consts: list[Any] = []
        self._names: set[str] = set()
        self._params: dict[int, Any] = {}

    @property
    def nodes(self) -> tuple[Node, ...]:
        """The nodes recorded so far."""
        return tuple(self._nodes)

    def add_input(self, spec: Any) -> ValueRef:
        """Declare the next graph placeholder, with its (opaque) spec."""
        self._inputs.append(spec)
        return ValueRef.of_input(len(self._inputs) - 1)

    def add_const(self, value: Any) -> ValueRef:
        """Record a constant (any Python or numpy value) and return its ref."""
        self._consts.append(value)
        return ValueRef.of_const(len(self._consts) - 1)

    def param(self, obj: Any) -> ValueRef:
        """The ref of a parameter (an object with an int ``_uid`` and a str ``name``).

        Raises:
            GraphError: ``obj`` has no integer ``_uid``, or another object already used the
                same ``_uid``.
        """
        ref = ValueRef.of_param(obj)
        known = self._params.setdefault(ref.index, obj)
        if known is not obj:
            raise GraphError(
                f"two different parameters share _uid {ref.index} "
                f"({getattr(known, 'name', known)!r} and {getattr(obj, 'name', obj)!r})"
            )
        return ref

    def _as_ref(self, value: Any) -> ValueRef:
        return value if isinstance(value, ValueRef) else self.add_const(value)

    def add(
        self,
        op: Any,
        inputs: Sequence[Any],
        out_specs: Sequence[Any] | Any,
        *,
        source: str = "",
        name: str | None = None,
    ) -> tuple[ValueRef, ...]:
        """Append a node applying ``op`` to ``inputs``; return refs to its outputs.

        Args:
            op: the opaque op (a Primitive).
            inputs: ValueRefs; any other value becomes a constant.
            out_specs: one spec per output (a single non-tuple spec means one output).
            source: ``"file:line"`` of the user code making the call.
            name: a user-given node name; ``"<Op>-<id>"`` if None. A name already used in this
                graph gets ``-<id>`` appended so names stay unique.

        Raises:
            GraphError: a parameter ref whose ``_uid`` clashes with another parameter.
        """
        refs = tuple(self._as_ref(v) for v in inputs)
        for ref in refs:
            if ref.kind == "param":
                self.param(ref.obj)
        specs = tuple(out_specs) if isinstance(out_specs, (tuple, list)) else (out_specs,)
        nid = len(self._nodes)
        if name is None:
            name = f"{getattr(op, 'name', type(op).__name__)}-{nid}"
        if name in self._names:
            name = f"{name}-{nid}"
        self._names.add(name)
        node = Node(nid, op, refs, specs, source, name)
        self._nodes.append(node)
        return node.outputs

    def finish(self, outputs: Sequence[Any] | ValueRef = ()) -> Graph:
        """Close the graph with these outputs (a ref, or a sequence; other values: constants).

        Raises:
            GraphError: a ref to a node, input or constant that is not in the graph.
            DependCycleError: the data, Depend and ordering edges form a cycle.
        """
        if isinstance(outputs, ValueRef):
            outputs = (outputs,)
        outs = tuple(self._as_ref(v) for v in outputs)
        graph = Graph(self._nodes, self._inputs, outs, self._consts)
        graph.topo_check()
        return graph

    def end(self, outputs: Sequence[Any] | ValueRef = ()) -> Graph:
        """Alias of :meth:`finish` (the contract's name)."""
        return self.finish(outputs)
