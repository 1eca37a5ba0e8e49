"""More elementwise ops: ReLU6, Elu, HSwish, HSigmoid, Softplus, Sign, IsNan, IsInf,
SquaredDifference.

Each uses the validation style r1.6 uses for it (Python validator or C++ infer, see
:mod:`.unary_ops`); values were compared with r1.6 1.6.1 on CPU (transcendentals are computed
in float64 and rounded once, so they may differ from r1.6's in the last bit).
"""

from __future__ import annotations

import numpy as np

from ....errors import MsValueError
from ...common import dtype as mstype
from .._checks import check_value_type
from ..primitive import register_op
from .math_ops import _BinaryOp
from .unary_ops import _UnaryOp

__all__ = ["ReLU6", "Elu", "HSwish", "HSigmoid", "Softplus", "Sign", "IsNan", "IsInf",
           "SquaredDifference"]  # fmt: skip

F16_32 = (mstype.float16, mstype.float32)


@register_op
class ReLU6(_UnaryOp):
    """``min(max(x, 0), 6)`` (float16/float32)."""

    _arg = "x"
    _err_arg = "input_x"
    _valid = F16_32

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.minimum(np.maximum(x, x.dtype.type(0)), x.dtype.type(6))


@register_op
class Elu(_UnaryOp):
    """``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``; r1.6 accepts only ``alpha == 1.0``.

    Raises:
        MsTypeError: ``alpha`` not a float; a non-float input.
        MsValueError: ``alpha`` other than 1.0.
    """

    _err_arg = "input_x"
    _valid = mstype.float_type

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.add_prim_attr("alpha", alpha)
        check_value_type(self.name, "alpha", alpha, [float])
        if alpha != 1.0:
            raise MsValueError(f"For '{self.name}' the `alpha` must = 1.0, but got {alpha}.")

    def _compute(self, x: np.ndarray) -> np.ndarray:
        w = x.astype(np.float64)
        return np.where(w > 0, w, self.alpha * np.expm1(w))


@register_op
class HSwish(_UnaryOp):
    """Hard swish: 0 for ``x <= -3``, ``x`` for ``x >= 3``, else ``x * (x + 3) / 6``."""

    _out = "output"
    _valid = F16_32

    def _compute(self, x: np.ndarray) -> np.ndarray:
        t = x.dtype.type
        mid = x * (x + t(3)) / t(6)
        return np.where(x <= -3, t(0), np.where(x >= 3, x, mid))


@register_op
class HSigmoid(_UnaryOp):
    """Hard sigmoid: 0 for ``x <= -3``, 1 for ``x >= 3``, else ``(x + 3) / 6``."""

    _arg = "input_x"
    _out = "output"
    _check = "cpp"
    _valid = F16_32

    def _compute(self, x: np.ndarray) -> np.ndarray:
        t = x.dtype.type
        return np.where(x <= -3, t(0), np.where(x >= 3, t(1), (x + t(3)) / t(6)))


@register_op
class Softplus(_UnaryOp):
    """``log(1 + exp(x))`` (float16/float32)."""

    _out = "output"
    _check = "cpp"
    _valid = F16_32

    def _compute(self, x: np.ndarray) -> np.ndarray:
        out = np.logaddexp(0.0, x.astype(np.float64))
        tiny = np.finfo(x.dtype).tiny  # r1.6 gives 0 where the result is below x's range
        return np.where(np.abs(out) < tiny, 0.0, out)


@register_op
class Sign(_UnaryOp):
    """-1, 0 or 1 by the sign of each element (any number dtype)."""

    _out = "output"

    def _compute(self, x: np.ndarray) -> np.ndarray:
        sign = np.sign(x)
        if sign.dtype.kind == "f":
            sign[np.isnan(sign)] = 0  # r1.6: the sign of NaN is 0
        return sign


@register_op
class IsNan(_UnaryOp):
    """Whether each element is NaN (Bool output; r1.6 checks only that it is a tensor)."""

    _out = "output"
    _check = "tensor"
    _bool_out = True

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.isnan(x) if x.dtype.kind in "fc" else np.zeros(x.shape, np.bool_)


@register_op
class IsInf(_UnaryOp):
    """Whether each element is +-inf (Bool output; float inputs)."""

    _out = "output"
    _check = "cpp"
    _valid = mstype.float_type
    _bool_out = True

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.isinf(x)


@register_op
class SquaredDifference(_BinaryOp):
    """``(x - y) ** 2`` with broadcasting (float16, float32, int32)."""

    _valid = (mstype.float16, mstype.float32, mstype.int32)

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        d = np.subtract(a, b)
        return np.multiply(d, d)
