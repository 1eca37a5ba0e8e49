"""Small fakes for the graph-layer tests: ops, specs, parameters and a toy runtime.

The graph layer treats ops and parameters as opaque objects with a few attributes
(``OPS_GRAPH_CONTRACT.md``); these fakes have exactly those attributes, so the tests do not
depend on ``ascendsim.ms``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ascendsim.graph import Graph, RunOutcome


@dataclass(frozen=True)
class Spec:
    shape: tuple[int, ...] = ()
    dtype: str = "Float32"


F32 = Spec((3, 3), "Float32")
STATUS = Spec((8,), "Float32")
I32 = Spec((), "Int32")


class Op:
    """A fake primitive: the attributes the graph reads, plus a toy ``run`` for the runtimes."""

    def __init__(self, name, *, side_effect=None, inplace=(), float_status=None, fn=None):
        self.name = name
        self.side_effect = side_effect
        self.inplace = tuple(inplace)
        self.float_status = float_status
        self.fn = fn

    def __repr__(self) -> str:
        return f"Op({self.name})"


class Param:
    """A fake Parameter: a stable ``_uid`` and a ``name``."""

    def __init__(self, uid: int, name: str) -> None:
        self._uid = uid
        self.name = name


def ops():
    """A fresh set of fake primitives."""
    return {
        "Add": Op("Add", fn=lambda a, b: a + b),
        "MatMul": Op("MatMul", fn=lambda a, b: a @ b),
        "Mul": Op("Mul", fn=lambda a, b: a * b),
        "Depend": Op("Depend"),
        "Alloc": Op("NPUAllocFloatStatus", float_status="alloc"),
        "Get": Op("NPUGetFloatStatus", inplace=(0,), float_status="get"),
        "Clear": Op("NPUClearFloatStatus", float_status="clear"),
        "Assign": Op("Assign", side_effect="mem", inplace=(0,)),
        "AssignAdd": Op("AssignAdd", side_effect="mem", inplace=(0,)),
        "Print": Op("Print", side_effect="io"),
        "ReduceSum": Op("ReduceSum", fn=lambda a: np.asarray(a.sum(), dtype=a.dtype)),
    }


class Register:
    """The float-status register of the toy runtime (8 float32 words)."""

    def __init__(self) -> None:
        self.words = np.zeros(8, np.float32)


def numpy_runtime(graph: Graph, inputs=(), params=None):
    """An ``execute(order)`` for graphs of :func:`ops`, in saturation mode.

    Values are numpy arrays; Depend returns its input 0 (same buffer); Get copies the register
    into its input in place; Assign/AssignAdd update the parameter array in place; a kernel
    (or Assign/AssignAdd) whose result has inf/NaN sets the register and is saturated to +-65504 (float16) or
    +-max (float32). The observable is (outputs, Get readings, final params, printed lines).
    """
    params = params or {}

    def execute(order):
        reg = Register()
        pvals = {uid: np.array(v) for uid, v in params.items()}
        vals: dict[int, tuple] = {}
        readings, printed, setters = [], [], set()

        def value(ref):
            if ref.kind == "node":
                return vals[ref.index][ref.output]
            if ref.kind == "input":
                return inputs[ref.index]
            if ref.kind == "param":
                return pvals[ref.index]
            return graph.constants[ref.index]

        def saturate(nid, out):
            if np.issubdtype(out.dtype, np.floating) and not np.all(np.isfinite(out)):
                setters.add(nid)
                reg.words[0] = 1
                big = np.finfo(out.dtype).max
                out = np.nan_to_num(out, nan=0.0, posinf=big, neginf=-big)
            return out

        for nid in order:
            node = graph.nodes[nid]
            args = [value(r) for r in node.inputs]
            name = node.op_name
            if name == "Depend":
                out = args[0]
            elif name == "NPUAllocFloatStatus":
                out = np.zeros(8, np.float32)
            elif name == "NPUGetFloatStatus":
                args[0][...] = reg.words
                readings.append((node.name, float(reg.words.sum())))
                out = np.zeros(8, np.float32)
            elif name == "NPUClearFloatStatus":
                reg.words[...] = 0
                out = np.zeros(8, np.float32)
            elif name in ("Assign", "AssignAdd"):
                with np.errstate(all="ignore"):
                    new = args[1] if name == "Assign" else args[0] + args[1]
                new = saturate(nid, np.asarray(new, dtype=args[0].dtype))
                args[0][...] = new
                out = args[0].copy()  # a value snapshot: only Depend aliases a buffer
            elif name == "Print":
                printed.append(" ".join(str(a) for a in args))
                out = np.zeros((), np.int32)
            else:
                with np.errstate(all="ignore"):
                    out = saturate(nid, node.op.fn(*args))
            vals[nid] = (out,)
        observable = (
            tuple(tuple(np.asarray(value(r)).ravel().tolist()) for r in graph.outputs),
            tuple(sorted(readings)),
            tuple(sorted((u, tuple(v.ravel().tolist())) for u, v in pvals.items())),
            tuple(printed),
        )
        return RunOutcome(observable, frozenset(setters))

    return execute
