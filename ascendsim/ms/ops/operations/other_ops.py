"""Control and debug ops: Depend (execution order) and Print (IO side effect).

``Depend()(value, expr)`` returns ``value`` and makes ``expr`` run before any consumer of the
result; it is bookkeeping (cost unit ``"none"``): the graph layer turns it into a ``depend``
edge and no device task exists.

``Print`` has MindSpore's ``side_effect_io``. As in r1.6, calling it outside a graph
(PyNative) is Python's ``print`` of each argument, on the host, at once; inside a graph it is a
node whose kernel writes, through ``ctx.emit``, what r1.6's graph-mode Print writes (its C++
tensor printer without commas, measured on r1.6's CPU backend)::

    Tensor(shape=[3], dtype=Int32, value=[1 2 3])
    Tensor(shape=[2, 1], dtype=Int32, value=
    [[1]
     [1]])

Floats print in full ``%15.8e`` (float16 ``%11.4e``); a 1-D tensor is never elided and breaks
its line after every 12 floats/bools or 24 integers; higher ranks show at most 3 leading and 3
trailing entries per dimension around ``...``; a 0-d tensor prints its bare value as C++
streams it (``2.5``, ``1`` for True, an (u)int8 as its character). Strings print as they are;
one ``emit`` per Print, lines joined by newlines.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ....errors import MsTypeError
from ...common import dtype as mstype
from ...common._tensor_format import _c_float, _Writer
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


class _PrintWriter(_Writer):
    """r1.6's C++ tensor printer as Print uses it: the repr layout without commas."""

    separator = " "

    def summary(self, cursor: int, depth: int) -> int:
        start = len(self.parts)
        cursor = super().summary(cursor, depth)
        if depth == 0:  # rows are separated by a bare newline, not ",\n"
            self.parts[start:] = [p.replace(",\n", "\n") for p in self.parts[start:]]
        return cursor


def _print_scalar(value: np.generic) -> str:
    """A 0-d tensor as C++'s ``operator<<`` writes its element."""
    kind = value.dtype.kind
    if kind == "b":
        return "1" if value else "0"
    if kind == "f":
        return _c_float(float(value), "g")
    if kind in "iu" and value.dtype.itemsize == 1:
        return chr(int(value) & 0xFF)
    return str(value.item())


def format_print_value(value: Any) -> str:
    """One argument of a graph-mode Print as r1.6 writes it (see the module docstring)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, np.ndarray | np.generic):
        return str(value)
    arr = np.asarray(value)
    if arr.ndim == 0:
        return _print_scalar(arr[()])
    dtype = mstype.nptype_to_dtype(arr.dtype)
    shape = "[" + ", ".join(str(d) for d in arr.shape) + "]"
    writer = _PrintWriter(arr.reshape(-1), arr.shape)
    writer.summary(0, 0)
    sep = "\n" if arr.ndim > 1 else ""
    return f"Tensor(shape={shape}, dtype={dtype}, value={sep}{writer.text()})"


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
