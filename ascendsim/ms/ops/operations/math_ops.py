"""Binary elementwise ops (arithmetic, comparisons, logic) and AddN (r1.6 names).

Binary ops convert their arguments with r1.6's implicit type conversion
(:mod:`ascendsim.ms.ops._promote`), then check dtypes and broadcast shapes. r1.6 validates some
of them in Python and some in C++; each op here raises the exception type and wording r1.6
raises for it (``_cpp`` marks the C++ ones). Kernels compute in the converted dtype with IEEE
arithmetic; integer division truncates toward zero, as r1.6's kernels do.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ascendsim.errors import MsNotImplementedError

from ....errors import MsTypeError, MsValueError
from ...common import dtype as mstype
from .._checks import (
    broadcast_shape,
    broadcast_shape_cpp,
    check_cpp_tensor,
    check_implicit_arg,
    check_tensors_same,
)
from .._promote import as_array, as_spec, promote, value_dtype
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op
from .unary_ops import REAL

__all__ = [
    "Add", "TensorAdd", "Sub", "Mul", "RealDiv", "Div", "Maximum", "Minimum",
    "Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual",
    "LogicalAnd", "LogicalOr", "AddN",
]  # fmt: skip

NUMBER = mstype.number_type


def _trunc_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer division rounding toward zero (C semantics); division by zero gives 0."""
    safe = np.where(b == 0, 1, b)
    q = np.floor_divide(a, safe)
    fix = (np.remainder(a, safe) != 0) & ((a < 0) != (safe < 0))
    return np.where(b == 0, 0, q + fix).astype(a.dtype)


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind in "iu":
        return _trunc_div(a, b)
    return np.true_divide(a, b).astype(a.dtype)


class _BinaryOp(Primitive):
    """Two inputs of one dtype group, broadcast against each other."""

    _valid: ClassVar[tuple[mstype.Type, ...]] = NUMBER
    _cpp: ClassVar[bool] = False
    _bool_out: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x", "y"], outputs=["output"])

    def _converted(self, x: Any, y: Any) -> tuple[Spec, Spec, tuple[int, ...]]:
        check_implicit_arg(self.name, 0, x)
        check_implicit_arg(self.name, 1, y)
        dt = promote([x, y])
        xs, ys = as_spec(x, dt), as_spec(y, dt)
        if self._cpp:
            if not (isinstance(xs, Spec) and isinstance(ys, Spec)):
                raise MsTypeError(
                    f"The primitive[{self.name}]'s input arguments must be all tensor."
                )
            check_cpp_tensor(self.name, "x", xs, self._valid)
            check_cpp_tensor(self.name, "y", ys, self._valid)
            return xs, ys, broadcast_shape_cpp(self.name, xs.shape, ys.shape)
        check_tensors_same(self.name, {"x": xs, "y": ys}, self._valid)
        return xs, ys, broadcast_shape(self.name, xs.shape, ys.shape)

    def infer(self, x: Any, y: Any) -> Spec:
        xs, _, shape = self._converted(x, y)
        return Spec(shape, mstype.bool_ if self._bool_out else xs.dtype)

    def kernel(self, ctx: Any, x: Any, y: Any) -> np.ndarray:
        if type(x) is np.ndarray and type(y) is np.ndarray and x.dtype is y.dtype:
            # the common PyNative case: no conversion needed; with a context the runtime has
            # numpy's floating-point warnings off already
            if ctx is not None or x.dtype.kind not in "fc":
                return np.asarray(self._compute(x, y))
            with np.errstate(all="ignore"):
                return np.asarray(self._compute(x, y))
        dt = promote([x, y])
        if dt is None:
            dt = value_dtype(x) or value_dtype(y)
        with np.errstate(all="ignore"):
            return np.asarray(self._compute(as_array(x, dt), as_array(y, dt)))

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        raise MsNotImplementedError(f"{type(self).__name__} defines no _compute()")


@register_op
class Add(_BinaryOp):
    """``x + y`` with broadcasting and implicit type conversion."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.add(a, b)


@register_op
class TensorAdd(Add):
    """Deprecated r1.x alias of :class:`Add` (its ``name`` is ``"Add"``, as in r1.6)."""

    def __init__(self) -> None:
        super().__init__()
        self.name = "Add"


@register_op
class Sub(_BinaryOp):
    """``x - y``."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.subtract(a, b)


@register_op
class Mul(_BinaryOp):
    """``x * y``."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.multiply(a, b)


@register_op
class RealDiv(_BinaryOp):
    """``x / y`` in the inputs' dtype (integers truncate toward zero, as r1.6 on CPU)."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return _div(a, b)


@register_op
class Div(_BinaryOp):
    """``x / y`` in the inputs' dtype (integers truncate toward zero, as r1.6 on CPU)."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return _div(a, b)


@register_op
class Maximum(_BinaryOp):
    """Elementwise maximum; ``x > y ? x : y``, so a NaN in ``y`` wins and one in ``x`` loses
    (what r1.6 computes)."""

    _cpp = True

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.where(a > b, a, b)


@register_op
class Minimum(_BinaryOp):
    """Elementwise minimum; ``x < y ? x : y`` (NaN handling as :class:`Maximum`)."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.where(a < b, a, b)


@register_op
class Equal(_BinaryOp):
    """``x == y`` (Bool output; Bool inputs allowed)."""

    _valid = NUMBER + (mstype.bool_,)
    _bool_out = True

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.equal(a, b)


@register_op
class NotEqual(Equal):
    """``x != y`` (Bool output)."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.not_equal(a, b)


@register_op
class Greater(_BinaryOp):
    """``x > y`` (Bool output)."""

    _bool_out = True

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.greater(a, b)


@register_op
class GreaterEqual(Greater):
    """``x >= y`` (Bool output)."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.greater_equal(a, b)


@register_op
class Less(_BinaryOp):
    """``x < y`` (Bool output; checked by r1.6's C++ infer)."""

    _valid = REAL
    _cpp = True
    _bool_out = True

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.less(a, b)


@register_op
class LessEqual(Less):
    """``x <= y`` (Bool output)."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.less_equal(a, b)


@register_op
class LogicalAnd(_BinaryOp):
    """``x and y`` on Bool tensors."""

    _valid = (mstype.bool_,)
    _cpp = True
    _bool_out = True

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.logical_and(a, b)


@register_op
class LogicalOr(LogicalAnd):
    """``x or y`` on Bool tensors."""

    def _compute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.logical_or(a, b)


@register_op
class AddN(Primitive):
    """Sum of a list or tuple of tensors of one shape and dtype, added in list order.

    Called as ``AddN()([a, b, c])``; the list is unpacked into the op's inputs, so ``infer``
    and ``kernel`` receive one argument per tensor.
    """

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["inputs"], outputs=["sum"])

    def __call__(self, inputs: Any) -> Any:  # type: ignore[override]
        if not isinstance(inputs, list | tuple):
            raise MsTypeError(
                f"The input of AddN must be list or tuple of tensors, but got "
                f"{type(inputs).__name__}: pass AddN()([x, y, ...])."
            )
        if len(inputs) == 1 and hasattr(inputs[0], "shape") and hasattr(inputs[0], "dtype"):
            return inputs[0]  # r1.6 eliminates a one-element AddN
        return super().__call__(*inputs)

    def infer(self, *xs: Any) -> Spec:
        if not xs:
            raise MsValueError(
                "For primitive[AddN], the concat element num must be greater than or equal to 1, "
                "but got 0."
            )
        if not all(isinstance(x, Spec) for x in xs):
            raise MsTypeError("The primitive[AddN]'s input arguments must be all tensor.")
        first = xs[0]
        for i, x in enumerate(xs[1:], start=1):
            if x.shape != first.shape:
                raise MsValueError(
                    f"The primitive[AddN]'s input shape must be same, but got the shape of "
                    f"input[{i}]: {x.shape}, shape of input[0]:{first.shape}"
                )
        for x in xs[1:]:
            if x.dtype != first.dtype:
                raise MsTypeError(
                    "For primitive[AddN], the input type must be same (got "
                    f"{', '.join(f'Tensor[{x.dtype}]' for x in xs)})."
                )
        check_cpp_tensor(self.name, "element_0", first, NUMBER)
        return Spec(first.shape, first.dtype)

    def kernel(self, ctx: Any, *xs: np.ndarray) -> np.ndarray:
        acc = np.array(xs[0], copy=True)
        with np.errstate(all="ignore"):
            for x in xs[1:]:
                acc = np.add(acc, x).astype(acc.dtype)
        return acc

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        out = outs[0]
        return Cost(out.size * max(len(ins) - 1, 1), io_bytes(ins, outs), "vector")
