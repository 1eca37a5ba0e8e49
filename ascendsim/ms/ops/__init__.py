"""``mindspore.ops``: primitives, the functional and composite helpers, and the op registry.

``from ascendsim.ms import ops`` gives what r1.6 code uses: ``ops.Add()``, ``ops.depend``,
``ops.MatMul(transpose_b=True)``, ``ops.NPUGetFloatStatus()`` ... Each primitive infers shapes
and dtypes with r1.6's rules and errors, computes with numpy and reports a cost
(:mod:`.primitive`). :func:`get_op_class` finds an op class by name (scenario files use it).
Importing this package also gives Tensors their arithmetic operators and r1.6's methods
(:mod:`._tensor_methods`). ``get_op_class``/``op_names`` are ascendsim extensions; the op
protocol types (``Spec``, ``Cost``, ``KernelContext``, ``register_op``) live in
:mod:`.primitive`, not in this namespace (r1.6's ``ops`` has no such names).
"""

from __future__ import annotations

from . import _tensor_methods, composite, functional, operations
from ._custom import PrimitiveWithCheck, PrimitiveWithInfer, constexpr, prim_attr_register
from .composite import (
    GradOperation,
    HyperMap,
    Map,
    MultitypeFuncGraph,
    clip_by_global_norm,
    clip_by_value,
    matmul,
    repeat_elements,
)
from .functional import (
    absolute,
    add,
    addn,
    assign,
    assign_add,
    assign_sub,
    cast,
    cos,
    cumsum,
    depend,
    div,
    dtype,
    equal,
    erf,
    exp,
    expand_dims,
    eye,
    fill,
    floor,
    floordiv,
    floormod,
    gather,
    gather_d,
    gather_nd,
    ge,
    gt,
    identity,
    isfinite,
    isnan,
    le,
    less,
    log,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    mul,
    neg_tensor,
    not_equal,
    ones_like,
    pows,
    print_,
    rank,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    reshape,
    scatter_nd,
    select,
    shape,
    sin,
    size,
    sort,
    sqrt,
    square,
    squeeze,
    stack,
    stop_gradient,
    strided_slice,
    sub,
    tanh,
    tensor_add,
    tensor_div,
    tensor_exp,
    tensor_floordiv,
    tensor_ge,
    tensor_gt,
    tensor_le,
    tensor_lt,
    tensor_mod,
    tensor_mul,
    tensor_pow,
    tensor_scatter_update,
    tensor_slice,
    tensor_sub,
    tile,
    transpose,
    zeros_like,
)
from .operations import *  # noqa: F403
from .operations import __all__ as _ops_all
from .primitive import Primitive, get_op_class, op_names

_tensor_methods.install()

__all__ = list(_ops_all) + [
    "Primitive", "PrimitiveWithInfer", "PrimitiveWithCheck", "prim_attr_register", "constexpr",
    "get_op_class", "op_names",
    "functional", "composite", "operations", "HyperMap", "Map", "MultitypeFuncGraph",
    "GradOperation", "cumsum", "floordiv", "floormod", "gather", "gather_nd", "reduce_prod",
    "strided_slice", "tensor_pow", "tensor_slice", "tile",
    "add", "addn", "assign", "assign_add", "assign_sub", "cast", "depend", "dtype", "equal",
    "expand_dims", "fill", "isfinite", "log", "logical_and", "logical_not", "logical_or",
    "maximum", "minimum", "mul", "not_equal", "ones_like", "print_", "rank", "reduce_max",
    "reduce_mean", "reduce_min", "reduce_sum", "reshape", "select", "shape", "size", "sqrt",
    "square", "squeeze", "sub", "tensor_add", "transpose", "zeros_like",
    # added: r1.6 composite helpers and functional aliases
    "clip_by_global_norm", "clip_by_value", "matmul", "repeat_elements",
    "absolute", "div", "erf", "exp", "eye", "floor", "gather_d", "ge", "gt", "identity", "isnan", "le", "less", "neg_tensor", "pows", "scatter_nd", "sin", "cos", "tanh", "sort", "stack", "stop_gradient", "tensor_div", "tensor_exp", "tensor_floordiv", "tensor_ge", "tensor_gt", "tensor_le", "tensor_lt", "tensor_mod", "tensor_mul", "tensor_scatter_update", "tensor_sub",
]  # fmt: skip
