"""``mindspore.ops``: primitives, the functional and composite helpers, and the op registry.

``from ascendsim.ms import ops`` gives what r1.6 code uses: ``ops.Add()``, ``ops.depend``,
``ops.MatMul(transpose_b=True)``, ``ops.NPUGetFloatStatus()`` ... Each primitive infers shapes
and dtypes with r1.6's rules and errors, computes with numpy and reports a cost
(:mod:`.primitive`). :func:`get_op_class` finds an op class by name (scenario files use it).
Importing this package also gives Tensors their arithmetic operators and r1.6's methods
(:mod:`._tensor_methods`).
"""

from __future__ import annotations

from . import _tensor_methods, composite, functional, operations
from .composite import GradOperation, HyperMap, Map, MultitypeFuncGraph
from .functional import (
    add,
    addn,
    assign,
    assign_add,
    assign_sub,
    cast,
    depend,
    dtype,
    equal,
    expand_dims,
    fill,
    isfinite,
    log,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    mul,
    not_equal,
    ones_like,
    print_,
    rank,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_sum,
    reshape,
    select,
    shape,
    size,
    sqrt,
    square,
    squeeze,
    sub,
    tensor_add,
    transpose,
    zeros_like,
)
from .operations import *  # noqa: F403
from .operations import __all__ as _ops_all
from .primitive import Cost, KernelContext, Primitive, Spec, get_op_class, op_names, register_op

_tensor_methods.install()

__all__ = list(_ops_all) + [
    "Primitive", "Spec", "Cost", "KernelContext", "get_op_class", "op_names", "register_op",
    "functional", "composite", "operations", "HyperMap", "Map", "MultitypeFuncGraph",
    "GradOperation",
    "add", "addn", "assign", "assign_add", "assign_sub", "cast", "depend", "dtype", "equal",
    "expand_dims", "fill", "isfinite", "log", "logical_and", "logical_not", "logical_or",
    "maximum", "minimum", "mul", "not_equal", "ones_like", "print_", "rank", "reduce_max",
    "reduce_mean", "reduce_min", "reduce_sum", "reshape", "select", "shape", "size", "sqrt",
    "square", "squeeze", "sub", "tensor_add", "transpose", "zeros_like",
]  # fmt: skip
