"""MindSpore-compatible data types of ascendsim's front end (``mindspore.common``, r1.6).

:mod:`.dtype` (type objects), :mod:`.tensor` (Tensor and its simulator hooks),
:mod:`.parameter` (Parameter, ParameterTuple), :mod:`.initializer` (initializers, bit-exact
with r1.6) and :mod:`.seed` (``set_seed``/``get_seed``). As in r1.6, this package exports the
dtype names, Tensor, Parameter, ParameterTuple and the seed functions, and
``mindspore.common.initializer`` is the module (not the function). Private helpers:
``_philox`` (r1.6's normal generator), ``_libm32`` (glibc's float32 ``logf``/``sinf``/``cosf``),
``_ndtri`` (scipy's truncated-normal transform), ``_cast`` (C++ conversion rules),
``_tensor_format`` (r1.6's ``repr``) and ``_param_flags`` (Parameter's parallel and PS flags).
"""

from . import dtype, initializer
from .dtype import (
    Int,
    Type,
    bool_,
    byte,
    complex64,
    complex128,
    double,
    dtype_to_nptype,
    dtype_to_pytype,
    float16,
    float32,
    float64,
    float_,
    get_py_obj_dtype,
    half,
    int8,
    int16,
    int32,
    int64,
    int_,
    intc,
    intp,
    issubclass_,
    list_,
    number,
    pytype_to_dtype,
    short,
    single,
    string,
    tensor,
    tensor_type,
    tuple_,
    type_none,
    ubyte,
    uint,
    uint8,
    uint16,
    uint32,
    uint64,
    uintc,
    uintp,
    ushort,
)
from .parameter import Parameter, ParameterTuple
from .seed import get_seed, set_seed
from .tensor import Tensor, add_materialise_listener, remove_materialise_listener

__all__ = [
    "int8", "byte", "int16", "short", "int32", "intc", "int64", "intp", "uint8", "ubyte",
    "uint16", "ushort", "uint32", "uintc", "uint64", "uintp", "float16", "half", "float32",
    "single", "float64", "double", "bool_", "float_", "list_", "tuple_", "int_", "uint",
    "number", "tensor", "string", "type_none", "tensor_type", "Type", "Int", "complex64",
    "complex128", "dtype_to_nptype", "issubclass_", "dtype_to_pytype", "pytype_to_dtype",
    "get_py_obj_dtype", "Tensor", "Parameter", "ParameterTuple", "dtype", "set_seed", "get_seed",
    "initializer", "add_materialise_listener", "remove_materialise_listener",
]  # fmt: skip
