"""Unary elementwise ops: Sqrt, Square, Exp, Log, Reciprocal, Neg, Abs, IsFinite, LogicalNot.

Each validates its input the way r1.6 does for it (a Python dtype check, a bare "is a Tensor"
check, or a C++ infer check) and keeps the input's shape. Sqrt, Exp, Log and Reciprocal have no
integer kernels in r1.6 (it raises ``TypeError`` at kernel selection); ascendsim raises that at
inference.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ascendsim.errors import MsNotImplementedError

from ....errors import MsTypeError
from ...common import dtype as mstype
from .._checks import check_cpp_tensor, check_is_tensor, check_tensor_dtype
from ..primitive import Primitive, Spec, register_op

__all__ = ["Sqrt", "Square", "Exp", "Log", "Reciprocal", "Neg", "Abs", "IsFinite", "LogicalNot",
           "CPP_COMMON", "REAL"]  # fmt: skip

NUMBER = mstype.number_type
#: r1.6's C++ "common valid types" list (its own order: Int16 before Int8)
CPP_COMMON = (
    (mstype.int16, mstype.int8, mstype.int32, mstype.int64) + mstype.uint_type + mstype.float_type
)
#: every real (non-complex, non-bool) dtype
REAL = mstype.int_type + mstype.uint_type + mstype.float_type


class _UnaryOp(Primitive):
    """One tensor in, same shape out. ``_check`` picks r1.6's validation for the op."""

    _arg: ClassVar[str] = "x"
    _err_arg: ClassVar[str | None] = None  # the name r1.6's checks use, if not the io name
    _out: ClassVar[str] = "output"
    _check: ClassVar[str] = "python"  # "python" (dtype list) | "tensor" (any dtype) | "cpp"
    _valid: ClassVar[tuple[mstype.Type, ...] | None] = NUMBER
    _float_only: ClassVar[bool] = False
    _bool_out: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=[self._arg], outputs=[self._out])

    def infer(self, x: Any) -> Spec:
        arg = self._err_arg or self._arg
        if self._check == "cpp":
            check_cpp_tensor(self.name, arg, x, self._valid)
        elif self._check == "tensor":
            check_is_tensor(self.name, arg, x)
        else:
            check_tensor_dtype(self.name, arg, x, self._valid or ())
        if self._float_only and not isinstance(x.dtype, mstype.Float):
            raise MsTypeError(
                f"For '{self.name}', the input type Tensor[{x.dtype}] is not supported: r1.6 "
                f"has no {self.name} kernel for it (TypeError at kernel selection). Cast the "
                "input to float16 or float32 first."
            )
        return Spec(x.shape, mstype.bool_ if self._bool_out else x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        with np.errstate(all="ignore"):
            out = self._compute(x)
        return np.asarray(out) if self._bool_out else np.asarray(out, dtype=x.dtype)

    def _compute(self, x: np.ndarray) -> np.ndarray:
        raise MsNotImplementedError(f"{type(self).__name__} defines no _compute()")


@register_op
class Sqrt(_UnaryOp):
    """Square root (float inputs; ``sqrt(-1)`` is NaN)."""

    _float_only = True

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.sqrt(x)


@register_op
class Square(_UnaryOp):
    """``x * x``."""

    _arg = "input_x"
    _err_arg = "x"
    _check = "cpp"
    _valid = CPP_COMMON

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.multiply(x, x)


@register_op
class Exp(_UnaryOp):
    """``e ** x`` (float inputs)."""

    _out = "y"
    _check = "tensor"
    _float_only = True

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.exp(x)


@register_op
class Log(Exp):
    """Natural logarithm (float inputs; ``log(0)`` is -inf, ``log(-1)`` NaN)."""

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.log(x)


@register_op
class Reciprocal(Exp):
    """``1 / x`` (float inputs; ``1/0`` is inf)."""

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.reciprocal(x)


@register_op
class Neg(_UnaryOp):
    """``-x``."""

    _out = "y"

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.negative(x)


@register_op
class Abs(_UnaryOp):
    """``|x|``."""

    _arg = "input_x"
    _err_arg = "x"
    _check = "cpp"
    _valid = CPP_COMMON

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.abs(x)


@register_op
class IsFinite(_UnaryOp):
    """Whether each element is finite (Bool output; integers and bools are always finite)."""

    _valid = NUMBER + (mstype.bool_,)
    _bool_out = True

    def _compute(self, x: np.ndarray) -> np.ndarray:
        if x.dtype.kind in "biu":
            return np.ones(x.shape, np.bool_)
        return np.isfinite(x)


@register_op
class LogicalNot(_UnaryOp):
    """``not x`` on a Bool tensor."""

    _check = "cpp"
    _valid = (mstype.bool_,)
    _bool_out = True

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.logical_not(x)
