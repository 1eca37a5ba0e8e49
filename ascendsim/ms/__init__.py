"""``ascendsim.ms``: the MindSpore-compatible front end (``import mindspore`` under ``exec``).

It mirrors the parts of MindSpore r1.6 that the parameter guide and Ascend training code use:
``Tensor``, ``Parameter``, ``ParameterTuple``, the dtypes, ``common.initializer``, ``set_seed``,
``context``, ``ops`` (``P``/``F``/``C``), ``nn`` and ``communication``. Ops run on the simulated
system of :mod:`ascendsim.ms._session` (built lazily from the context's ``hardware`` preset).
:func:`install_as_mindspore` makes ``import mindspore`` load this package.
"""

from ascendsim.ms import _session, common, context  # noqa: I001  (ops must follow Tensor)
from ascendsim.ms._alias import install_as_mindspore, missing_name, uninstall_mindspore
from ascendsim.ms._graph_mode import ms_function
from ascendsim.ms.common import dtype
from ascendsim.ms.common.dtype import (
    bool_,
    complex64,
    complex128,
    dtype_to_nptype,
    dtype_to_pytype,
    float16,
    float32,
    float64,
    get_py_obj_dtype,
    int8,
    int16,
    int32,
    int64,
    issubclass_,
    pytype_to_dtype,
    uint8,
    uint16,
    uint32,
    uint64,
)  # fmt: skip
from ascendsim.ms.common.parameter import Parameter, ParameterTuple
from ascendsim.ms.common.seed import get_seed, set_seed
from ascendsim.ms.common.tensor import Tensor
from ascendsim.ms.context import (
    GRAPH_MODE,
    PYNATIVE_MODE,
    ParallelMode,
    get_context,
    get_ps_context,
    reset_ps_context,
    set_context,
    set_ps_context,
)
from ascendsim.ms import ops  # noqa: E402  (ops registers Tensor operators on import)
from ascendsim.ms import nn  # noqa: E402

_session._install_listener()

__version__ = "1.6.1"

__all__ = [
    "Tensor", "Parameter", "ParameterTuple", "set_seed", "get_seed", "context", "common",
    "dtype", "ops", "nn", "ms_function", "install_as_mindspore", "uninstall_mindspore",
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128", "dtype_to_nptype",
    "dtype_to_pytype", "pytype_to_dtype", "get_py_obj_dtype", "issubclass_",
    "set_context", "get_context", "GRAPH_MODE", "PYNATIVE_MODE", "ParallelMode",
    "set_ps_context", "get_ps_context", "reset_ps_context",
]  # fmt: skip


def __getattr__(name: str) -> object:
    if name == "communication":
        import importlib

        return importlib.import_module("ascendsim.ms.communication")
    raise missing_name(__name__, name)
