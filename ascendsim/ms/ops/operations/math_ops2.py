"""More elementwise math: Pow, FloorDiv, FloorMod, Mod and the unary Sin, Cos, Erf, Floor,
Ceil, Round, Sigmoid, Tanh (r1.6 names, checks and messages, captured from r1.6 1.6.1 on CPU).

Binary ops use r1.6's implicit type conversion (:mod:`ascendsim.ms.ops._promote`), as
``Add`` does. Integer division by zero does what r1.6's CPU kernels do (measured): FloorDiv
gives 0 for ``0 // 0`` and the dtype's max/min for ``x // 0``; FloorMod gives the dtype's min.
Sin and Round have no integer kernel on CPU (r1.6 raises ``TypeError`` at kernel selection:
raised here at inference); Erf and Ceil have no CPU kernel at all (``RuntimeError`` on that
target, as r1.6). Kernels (measured against r1.6 on 4000 random float32 inputs):

* ``Pow`` by a constant integral exponent squares and multiplies in the input dtype, as r1.6's
  CPU kernel does (bit-exact); other exponents use ``pow`` in extended precision rounded to
  the dtype, which equals the C library's ``powf`` r1.6 calls (bit-exact on the inputs tested).
* ``Sin``/``Cos`` round the float64 result (bit-exact with r1.6).
* ``Tanh``, ``Sigmoid`` (and ``GeLU`` in :mod:`.nn_ops2`) evaluate in float64 and round; r1.6's
  vectorised CPU kernels are not correctly rounded, so 10-35% of float32 results differ from
  r1.6's in the last bit (float16 results: ``Tanh`` equal, ``Sigmoid`` equal).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from ....errors import MsTypeError
from ...common import dtype as mstype
from ..primitive import register_op
from .math_ops import _BinaryOp
from .unary_ops import CPP_COMMON, _UnaryOp

__all__ = ["Pow", "FloorDiv", "FloorMod", "Mod", "Sin", "Cos", "Erf", "Floor", "Ceil", "Round",
           "Sigmoid", "Tanh"]  # fmt: skip

F16_32 = (mstype.float16, mstype.float32)
F16_32_64 = mstype.float_type


def _int_pow(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer power; a negative exponent truncates ``1 / a**-b`` toward zero."""
    neg = b < 0
    out = np.power(a, np.where(neg, 0, b))
    if neg.any():
        ones = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0))
        out = np.where(neg, ones, out)
    return out.astype(a.dtype)


@register_op
class Pow(_BinaryOp):
    """``x ** y`` with broadcasting and implicit conversion (``x1``/``x2`` in r1.6)."""

    _cpp = True
    _valid = CPP_COMMON

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x1", "x2"], outputs=["y"])

    def kernel(self, ctx: Any, x: Any, y: Any) -> np.ndarray:
        exponent = _integral_scalar(y)
        if exponent is not None and isinstance(x, np.ndarray) and x.dtype == np.float32:
            with np.errstate(all="ignore"):
                return _square_multiply(x, exponent)
        return super().kernel(ctx, x, y)

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.dtype.kind in "iu":
            return _int_pow(a, b)
        if a.dtype == np.float64:
            return np.power(a, b)
        # extended precision, rounded once: matches the C library's powf (r1.6's kernel)
        return np.power(a.astype(np.longdouble), b.astype(np.longdouble)).astype(a.dtype)


def _integral_scalar(y: Any) -> int | None:
    """The exponent as an int when it is a Python number with an integral value."""
    if isinstance(y, bool) or not isinstance(y, int | float):
        return None
    return int(y) if float(y).is_integer() and abs(y) < 2**31 else None


def _square_multiply(x: np.ndarray, exponent: int) -> np.ndarray:
    """r1.6's CPU power by a constant integer: square-and-multiply in the input dtype."""
    result = np.ones_like(x)
    base = x.copy()
    n = abs(exponent)
    while n:
        if n % 2:
            result = (result * base).astype(x.dtype)
        base = (base * base).astype(x.dtype)
        n //= 2
    return result if exponent >= 0 else (x.dtype.type(1) / result).astype(x.dtype)


def _int_extremes(dtype: np.dtype) -> tuple[int, int]:
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


@register_op
class FloorDiv(_BinaryOp):
    """``floor(x / y)``; integer ``x // 0`` is 0 for ``x == 0`` else the dtype's max/min."""

    _cpp = True
    _valid = (mstype.int8, mstype.int32, mstype.int64, mstype.uint8, mstype.float16,
              mstype.float32, mstype.float64)  # fmt: skip

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.dtype.kind in "iu":
            lo, hi = _int_extremes(a.dtype)
            safe = np.where(b == 0, 1, b)
            q = np.floor_divide(a, safe)
            zero = np.where(a == 0, 0, np.where(a > 0, hi, lo))
            return np.where(b == 0, zero, q).astype(a.dtype)
        return np.floor(np.true_divide(a, b)).astype(a.dtype)


@register_op
class FloorMod(_BinaryOp):
    """``x - floor(x / y) * y`` (the sign of ``y``); integer ``x mod 0`` is the dtype's min."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.dtype.kind in "iu":
            lo, _ = _int_extremes(a.dtype)
            safe = np.where(b == 0, 1, b)
            return np.where(b == 0, lo, np.remainder(a, safe)).astype(a.dtype)
        return np.remainder(a, b).astype(a.dtype)


@register_op
class Mod(_BinaryOp):
    """C's ``fmod``: the remainder with the sign of ``x``."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.dtype.kind in "iu":
            safe = np.where(b == 0, 1, b)
            return np.where(b == 0, 0, np.fmod(a, safe)).astype(a.dtype)
        return np.fmod(a, b).astype(a.dtype)


class _FloatUnary(_UnaryOp):
    """A unary op checked by r1.6's C++ infer (``_valid``), and whose CPU kernel exists only
    for ``_kernel`` dtypes (others: r1.6's kernel-selection ``TypeError``)."""

    _check = "cpp"
    _out = "y"
    _kernel: ClassVar[tuple[mstype.Type, ...] | None] = None

    def infer(self, x: Any) -> Any:
        spec = super().infer(x)
        if self._kernel is not None and x.dtype not in self._kernel:
            kind = f"kNumberType{x.dtype}"
            raise MsTypeError(
                f"Operator[{self.name}]  input({kind}) output({kind}) is not supported. This "
                "error means the current input type is not supported, please refer to the "
                "MindSpore doc for supported types."
            )
        return spec


@register_op
class Sin(_FloatUnary):
    """Sine (float inputs on CPU)."""

    _valid = None
    _kernel = F16_32_64

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.sin(x.astype(np.float64))


@register_op
class Cos(Sin):
    """Cosine (float inputs on CPU)."""

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.cos(x.astype(np.float64))


@register_op
class Erf(_FloatUnary):
    """The error function (float16/float32; no CPU kernel in r1.6)."""

    _valid = F16_32
    platforms = ("Ascend", "GPU")

    def _compute(self, x: np.ndarray) -> np.ndarray:
        flat = [math.erf(float(v)) for v in x.reshape(-1)]
        return np.array(flat, x.dtype).reshape(x.shape)


@register_op
class Floor(_FloatUnary):
    """Round toward -inf (float inputs)."""

    _valid = F16_32_64

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.floor(x)


@register_op
class Ceil(_FloatUnary):
    """Round toward +inf (float16/float32; no CPU kernel in r1.6)."""

    _arg = "input_x"
    _valid = F16_32
    platforms = ("Ascend", "GPU")

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.ceil(x)


@register_op
class Round(_FloatUnary):
    """Round half to even (float inputs on CPU)."""

    _arg = "input_x"
    _err_arg = "x"
    _out = "output"
    _valid = None
    _kernel = F16_32_64

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.rint(x)


@register_op
class Sigmoid(_FloatUnary):
    """``1 / (1 + exp(-x))`` (float16/float32)."""

    _out = "output"
    _valid = F16_32

    def _compute(self, x: np.ndarray) -> np.ndarray:
        if x.dtype == np.float16:  # r1.6: exp rounded to float32, then 1 / (1 + e) in float32
            e = np.exp(-x.astype(np.float64)).astype(np.float32)
            return np.float32(1) / (np.float32(1) + e)
        return 1.0 / (1.0 + np.exp(-x.astype(np.float64)))


@register_op
class Tanh(_FloatUnary):
    """Hyperbolic tangent (float16/float32)."""

    _out = "output"
    _valid = F16_32

    def _compute(self, x: np.ndarray) -> np.ndarray:
        return np.tanh(x.astype(np.float64))
