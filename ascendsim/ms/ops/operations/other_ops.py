"""Control and debug ops: Depend (execution order) and Print (IO side effect).

``Depend()(value, expr)`` returns ``value`` and makes ``expr`` run before any consumer of the
result; it is bookkeeping (cost unit ``"none"``): the graph layer turns it into a ``depend``
edge and no device task exists.

``Print`` has MindSpore's ``side_effect_io``. As in r1.6, calling it outside a graph
(PyNative) is Python's ``print`` of each argument, on the host, at once; inside a graph it is a
node whose kernel writes, through ``ctx.emit``, what r1.6's graph-mode Print writes::

    Tensor(shape=[2, 1], dtype=Int32, value=
    [[1]
     [1]])

(strings as they are; one ``emit`` per Print, lines joined by newlines).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ....errors import MsTypeError
from ...common import dtype as mstype
from ..primitive import Cost, Primitive, Spec, register_op

__all__ = ["Depend", "Print", "format_print_value"]


@register_op
class Depend(Primitive):
    """``Depend()(value, expr)``: ``value``, after ``expr`` (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.add_prim_attr("side_effect_propagate", 1)

    def infer(self, value: Any, expr: Any) -> Any:
        return value

    def kernel(self, ctx: Any, value: Any, expr: Any) -> Any:
        return value

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, 0, "none")

    def __call__(self, value: Any, expr: Any) -> Any:  # type: ignore[override]
        if not (hasattr(value, "shape") and isinstance(getattr(value, "dtype", None), mstype.Type)):
            return value  # a Python constant: nothing can consume it on the device
        return super().__call__(value, expr)


def format_print_value(value: Any) -> str:
    """One argument of a graph-mode Print as r1.6 writes it."""
    if isinstance(value, str):
        return value
    arr = np.asarray(value)
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        dtype = mstype.nptype_to_dtype(arr.dtype)
        shape = list(arr.shape)
        if arr.ndim == 0:
            return f"Tensor(shape={shape}, dtype={dtype}, value={arr})"
        return f"Tensor(shape={shape}, dtype={dtype}, value=\n{arr})"
    return str(value)


@register_op
class Print(Primitive):
    """Print tensors, numbers and strings (see the module docstring)."""

    side_effect = "io"

    def __init__(self) -> None:
        super().__init__()
        self.add_prim_attr("side_effect_io", True)

    def __call__(self, *args: Any) -> Any:
        from ... import _dispatch

        if _dispatch.current_tracer() is None:
            for arg in args:  # r1.6 PyNative: Python's print, on the host
                print(arg)
            return None
        return super().__call__(*args)

    def infer(self, *args: Any) -> Spec:
        for arg in args:
            if not isinstance(arg, Spec | str | numbers.Number):
                raise MsTypeError(
                    f"For '{self.name}', the type of 'input' should be one of Tensor, Int, Float, "
                    f"Bool, String, but got {type(arg).__name__}: {arg!r}."
                )
        return Spec((1,), mstype.int32)

    def kernel(self, ctx: Any, *values: Any) -> np.ndarray:
        text = "\n".join(format_print_value(v) for v in values)
        if ctx is not None:
            ctx.emit(text)
        return np.zeros((1,), np.int32)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, sum(s.nbytes for s in ins if isinstance(s, Spec)), "aicpu")
