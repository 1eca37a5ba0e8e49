"""Matrix products on the cube unit: MatMul and BatchMatMul (r1.6 names, checks, messages).

Neither op converts dtypes implicitly: both inputs must already share a float or int dtype.
Values accumulate in r1.6's order (float16 in float32, rounded to float16 at the end, as the
cube unit does); see :mod:`ascendsim.ms.ops._accumulate`. Cost: ``2*M*N*K`` FLOPs per matrix
on ``"cube"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsValueError
from ...common import dtype as mstype
from .._accumulate import cube_matmul
from .._checks import check_tensors_same, check_value_type, shape_str
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["MatMul", "BatchMatMul"]

_VALID = mstype.float_type + mstype.int_type


@register_op
class MatMul(Primitive):
    """``x1 @ x2`` for 2-D tensors, optionally transposing either (``transpose_a``/``_b``).

    Raises:
        MsTypeError: a non-bool transpose flag; inputs not float/int tensors of one dtype.
        MsValueError: an input that is not 2-D; inner dimensions that differ.
    """

    def __init__(self, transpose_a: bool = False, transpose_b: bool = False) -> None:
        super().__init__()
        self.add_prim_attr("transpose_a", transpose_a)
        self.add_prim_attr("transpose_b", transpose_b)
        self.init_prim_io_names(inputs=["x1", "x2"], outputs=["output"])
        check_value_type(self.name, "transpose_a", transpose_a, [bool])
        check_value_type(self.name, "transpose_b", transpose_b, [bool])

    def _check_rank(self, x1: Spec, x2: Spec) -> None:
        if len(x1.shape) != 2 or len(x2.shape) != 2:
            raise MsValueError(
                f"For '{self.name}', inputs 'x', 'y' should have the same dimension size and be "
                f"equal to 2, but got the size of 'x': ({len(x1.shape)}) and the size of 'y': "
                f"({len(x2.shape)})."
            )

    def _mnk(self, x1: Spec, x2: Spec) -> tuple[int, int, int]:
        a, b = x1.shape[-2:], x2.shape[-2:]
        m, k1 = (a[1], a[0]) if self.transpose_a else (a[0], a[1])
        k2, n = (b[1], b[0]) if self.transpose_b else (b[0], b[1])
        if k1 != k2:
            raise MsValueError(
                f"For '{self.name}', the input dimensions must be equal, but got 'x1_col': {k1} "
                f"and 'x2_row': {k2}. And 'x' shape {shape_str(x1.shape)}"
                f"(transpose_a={self.transpose_a}), 'y' shape {shape_str(x2.shape)}"
                f"(transpose_b={self.transpose_b})."
            )
        return m, n, k1

    def _batch(self, x1: Spec, x2: Spec) -> tuple[int, ...]:
        return ()

    def infer(self, x1: Any, x2: Any) -> Spec:
        check_tensors_same(self.name, {"x1": x1, "x2": x2}, _VALID)
        self._check_rank(x1, x2)
        m, n, _ = self._mnk(x1, x2)
        return Spec(self._batch(x1, x2) + (m, n), x1.dtype)

    def kernel(self, ctx: Any, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
        a = np.swapaxes(x1, -1, -2) if self.transpose_a else np.asarray(x1)
        b = np.swapaxes(x2, -1, -2) if self.transpose_b else np.asarray(x2)
        order = "dot" if self.transpose_b and not self.transpose_a else "gemm"
        return cube_matmul(a, b, np.asarray(x1).dtype, order)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        x1, x2 = ins[0], ins[1]
        m, n, k = self._mnk(x1, x2)
        batch = 1
        for d in self._batch(x1, x2):
            batch *= d
        return Cost(2 * batch * m * n * k, io_bytes(ins, outs), "cube")


@register_op
class BatchMatMul(MatMul):
    """Batched ``x1 @ x2`` over the last two axes; ``x1`` has rank >= 3, ``x2`` rank >= 2,
    batch dimensions broadcast.

    Raises:
        MsValueError: ranks too small, inner dimensions that differ, batch dimensions that do
            not broadcast.
    """

    def _check_rank(self, x1: Spec, x2: Spec) -> None:
        if len(x1.shape) < 3 or len(x2.shape) < 2:
            raise MsValueError(
                f"For '{self.name}', input 'x' should be greater than or equal to 3, input 'y' "
                f"should be greater than or equal to 2, but got 'x' size: {len(x1.shape)}, "
                f"'y' size: {len(x2.shape)}."
            )

    def _batch(self, x1: Spec, x2: Spec) -> tuple[int, ...]:
        a, b = x1.shape[:-2], x2.shape[:-2]
        try:
            return tuple(np.broadcast_shapes(a, b))
        except ValueError:
            raise MsValueError(
                f"For '{self.name}', the batch dimensions of 'x' {shape_str(a)} and 'y' "
                f"{shape_str(b)} can not broadcast (x shape {shape_str(x1.shape)}, y shape "
                f"{shape_str(x2.shape)})."
            ) from None
