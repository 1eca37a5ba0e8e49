"""Collective communication ops: AllReduce and Broadcast (r1.6 attributes and checks).

On one device their kernels are identities. The ``collective`` attribute (``"allreduce"`` /
``"broadcast"``) tells the runtime to time them as collectives over the device links; the
values a multi-device run exchanges are the runtime's business, not the kernel's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsTypeError, MsValueError
from ...common import dtype as mstype
from .._checks import check_tensor_dtype, check_value_type
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["AllReduce", "Broadcast", "ReduceOp", "WORLD_COMM_GROUP"]

#: the default communication group's name on Ascend (HCCL)
WORLD_COMM_GROUP = "hccl_world_group"


class ReduceOp:
    """Reduction kinds of :class:`AllReduce` (``ReduceOp.SUM`` ...)."""

    SUM = "sum"
    MAX = "max"
    MIN = "min"
    PROD = "prod"


_REDUCE_OPS = (ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN, ReduceOp.PROD)


def _check_str(prim: str, arg: str, value: Any) -> None:
    if not isinstance(value, str):
        raise MsTypeError(
            f"For '{prim}', the '{arg}' should be str, but got {type(value).__name__}."
        )


@register_op
class AllReduce(Primitive):
    """Reduce a tensor over every device of ``group`` (identity on one device).

    Raises:
        MsTypeError: ``op`` or ``group`` not a str; an input that is not an int8/int32/float16/
            float32 tensor.
        MsValueError: (at inference) an ``op`` other than sum, max, min, prod.
    """

    collective = "allreduce"

    def __init__(self, op: str = ReduceOp.SUM, group: str = WORLD_COMM_GROUP) -> None:
        super().__init__()
        _check_str(self.name, "op", op)
        _check_str(self.name, "group", group)
        for k, v in (("op", op), ("group", group), ("fusion", 0), ("index", 0)):
            self.add_prim_attr(k, v)

    def infer(self, x: Any) -> Spec:
        check_tensor_dtype(
            self.name, "x", x, (mstype.int8, mstype.int32, mstype.float16, mstype.float32)
        )
        if self.op not in _REDUCE_OPS:
            raise MsValueError(
                f"For '{self.name}', the 'op' should be one of {list(_REDUCE_OPS)}, but got "
                f"'{self.op}'."
            )
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        return np.array(x, copy=True)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(outs[0].size, io_bytes(ins, outs), "vector")


@register_op
class Broadcast(Primitive):
    """Send a tuple of tensors from ``root_rank`` to every device (identity on one device).

    Called as ``Broadcast(0)((x, y))``; returns a tuple. Raises MsTypeError when the input is
    not a tuple or ``root_rank`` is not an int.
    """

    collective = "broadcast"

    def __init__(self, root_rank: int, group: str = WORLD_COMM_GROUP) -> None:
        super().__init__()
        check_value_type(self.name, "root_rank", root_rank, [int])
        check_value_type(self.name, "group", group, [str])
        for k, v in (("root_rank", root_rank), ("group", group), ("no_eliminate", True)):
            self.add_prim_attr(k, v)

    def __call__(self, input_x: Any) -> Any:  # type: ignore[override]
        if not isinstance(input_x, tuple):
            kind = "TensorType" if hasattr(input_x, "dtype") else type(input_x).__name__
            raise MsTypeError(
                f"For '{self.name}', the 'input_x' should be a tuple, but got {kind}!"
            )
        return super().__call__(*input_x)

    def infer(self, *xs: Any) -> tuple[Spec, ...]:
        for i, x in enumerate(xs):
            check_tensor_dtype(
                self.name, f"input_x[{i}]", x,
                (mstype.int8, mstype.int32, mstype.float16, mstype.float32),
            )  # fmt: skip
        return tuple(Spec(x.shape, x.dtype) for x in xs)

    def kernel(self, ctx: Any, *xs: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(np.array(x, copy=True) for x in xs)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")
