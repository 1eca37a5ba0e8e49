"""A graph ready to run: the IR plus what the front end knew when tracing it.

The graph layer stores ops and parameters as opaque objects. The front end adds, per node, the
op's cost (FLOPs, bytes, unit) and, per value, its shape and numpy dtype, so the backend never
needs to call back into :mod:`ascendsim.ms`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["CompiledGraph", "ParamInfo"]


@dataclass
class ParamInfo:
    """A parameter as the backend sees it (the front-end object is kept for ``is_init``)."""

    obj: Any
    uid: int
    name: str
    shape: tuple[int, ...]
    dtype: np.dtype
    #: bytes this device holds (a shard's size when the parameter is sliced)
    nbytes: int
    layerwise_parallel: bool = False
    ps: bool = False

    @property
    def values(self) -> np.ndarray | None:
        return getattr(self.obj, "_value", None)


@dataclass
class CompiledGraph:
    graph: Any
    #: node id -> Cost (flops, nbytes, unit)
    costs: dict[int, Any]
    #: node id -> per-output (shape, numpy dtype)
    out_types: dict[int, list[tuple[tuple[int, ...], np.dtype]]]
    #: graph input index -> (shape, numpy dtype)
    input_types: list[tuple[tuple[int, ...], np.dtype]]
    #: parameters by uid, in first-use order
    params: dict[int, ParamInfo] = field(default_factory=dict)
    name: str = "graph"
    #: how many times the graph ran
    runs: int = 0
    #: how the outputs nest: None for one tensor, else a tuple whose items are None (a leaf)
    #: or such tuples again (lists and dicts come back as tuples, as in r1.6)
    out_structure: Any = None
    #: True if a node does IO (Print): a run then returns when the graph has finished, so
    #: what it prints comes before what the program prints after the call (r1.6's order)
    has_io: bool = False
    #: front-end dtype of each output (for wrapping results)
    out_dtypes: list[Any] = field(default_factory=list)
    #: execution plans by node order (see :mod:`ascendsim.backend.executor`)
    plans: dict[tuple[int, ...], Any] = field(default_factory=dict)
    #: the parameters MindSpore's _exec_init_graph covers when this graph is compiled: every
    #: parameter of the Cell (``parameters_dict``); none for an ms_function
    init_params: list[ParamInfo] = field(default_factory=list)
    #: schedule policy name -> node order (policies are deterministic, so this is a cache)
    orders: dict[str, list[int]] = field(default_factory=dict)
