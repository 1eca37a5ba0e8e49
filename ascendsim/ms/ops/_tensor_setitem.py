"""``Tensor.__setitem__``: ``x[index] = value`` as one device kernel.

r1.6 lowers an assignment through an index to a chain of primitives (``TensorScatterUpdate``,
``Select``, ``StridedSlice`` ... picked by the index's kind) whose result replaces the tensor's
data (``assign_value``). ascendsim runs it as one ``TensorSetItem`` kernel that reads the tensor
and the value and writes the updated tensor (the same bytes moved as the chain's last op), with
NumPy's indexing rules, which r1.6's follow:

* the index may be an int, slice, ``...``, ``None``, bool, int or bool Tensor, list, or a tuple of
  these; the value a Python number, Tensor, list or tuple, cast to the tensor's dtype and
  broadcast to the indexed shape;
* errors are r1.6's: ``IndexError`` for an out-of-range int (NumPy's wording) or an index of
  another type, ``ValueError`` for a value of another type or one that does not broadcast.

In PyNative the kernel is launched like any op and the tensor takes the result (reading it
afterwards waits for the kernel: ascendsim synchronises there, r1.6 does not). In GRAPH_MODE
the assignment becomes a graph node and the name in ``construct`` refers to its output from
then on; a Parameter, or a tensor made outside ``construct``, cannot be assigned through an
index inside a graph (use ``ops.Assign`` or ``ops.ScatterUpdate``): the graph's node would not
reach it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import MsIndexError, MsRuntimeError, MsValueError
from .. import _dispatch
from ..common import dtype as mstype
from .primitive import Cost, Primitive, Spec, io_bytes

__all__ = ["setitem"]

# r1.6's message, its placeholders unformatted as r1.6 prints them
_BAD_INDEX = (
    "Tensor setitem index only support integers, slices(`:`), ellipsis(`...`), bool, tensor, "
    "        list and tuple, but got {index} with type{type(index)}"
)


class _Slot:
    """Where a tensor of the index goes (the kernel gets its values as an input)."""

    __slots__ = ("position",)

    def __init__(self, position: int) -> None:
        self.position = position


class TensorSetItem(Primitive):
    """``x[index] = value`` (internal: made by :func:`setitem`, one per assignment)."""

    def __init__(self, index: Any) -> None:
        super().__init__("TensorSetItem")
        self.index = index  # the index with each tensor replaced by a _Slot

    def _numpy_index(self, tensors: tuple[Any, ...]) -> Any:
        def one(part: Any) -> Any:
            if isinstance(part, _Slot):
                return tensors[part.position]
            if isinstance(part, list):
                return [one(p) for p in part]
            return part

        index = self.index
        return tuple(one(p) for p in index) if isinstance(index, tuple) else one(index)

    def infer(self, x: Spec, value: Any, *index_tensors: Spec) -> Spec:
        if not x.shape and self.index is not Ellipsis:
            raise MsIndexError("tuple index out of range")  # r1.6 on a 0-d tensor
        if any(s.dtype == mstype.bool_ for s in index_tensors):
            return Spec(x.shape, x.dtype)  # a mask selects by values: checked by the kernel
        dummies = tuple(np.zeros(s.shape, np.int64) for s in index_tensors)
        try:
            selected = np.empty(x.shape, np.bool_)[self._numpy_index(dummies)].shape
        except IndexError as exc:
            raise MsIndexError(str(exc)) from None
        shape = tuple(value.shape) if isinstance(value, Spec) else ()
        try:
            np.broadcast_to(np.empty(shape, np.bool_), selected)
        except ValueError:
            raise MsValueError(f"{shape} could not broadcast with {selected}.") from None
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: Any, value: Any, *index_tensors: Any) -> np.ndarray:
        out = np.array(x, copy=True)
        try:
            out[self._numpy_index(index_tensors)] = np.asarray(value).astype(out.dtype)
        except IndexError as exc:
            raise MsIndexError(str(exc)) from None
        except ValueError as exc:  # a bool mask whose selection the value does not fit
            raise MsValueError(str(exc)) from None
        return out

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(outs[0].size, io_bytes(ins, outs), "vector")


def _tensor_cls() -> Any:
    from ..common.tensor import Tensor

    return Tensor


def _template(index: Any, tensors: list[Any], Tensor: type) -> Any:
    """``index`` with its tensors moved to ``tensors`` (checks the kinds, as r1.6)."""
    if isinstance(index, Tensor):
        tensors.append(index)
        return _Slot(len(tensors) - 1)
    if isinstance(index, tuple):
        return tuple(_template(p, tensors, Tensor) for p in index)
    if isinstance(index, list):
        return [_template(p, tensors, Tensor) for p in index]
    if index is None or index is Ellipsis or isinstance(index, bool | int | slice):
        return index
    raise MsIndexError(_BAD_INDEX)


def setitem(x: Any, index: Any, value: Any) -> None:
    """``x[index] = value`` (see the module docstring)."""
    from ..common.parameter import Parameter

    Tensor = _tensor_cls()
    if isinstance(value, list | tuple):
        value = Tensor(np.asarray(value), dtype=x.dtype)
    elif isinstance(value, bool | int | float):  # Python numbers (np.float64 is a float)
        with np.errstate(all="ignore"):  # 70000.0 into float16 is inf, as in r1.6
            value = Tensor(np.asarray(value, mstype.dtype_to_nptype(x.dtype)))
    elif not isinstance(value, Tensor):
        raise MsValueError(
            "only support numbers, Tensor, tuple, list as value,but got "
            f"{value} with type {type(value)}."
        )
    if isinstance(index, Tensor) and index.dtype == mstype.bool_ and value.size != 1:
        raise MsValueError(
            f"When assign value is a tensor, its size should be 1, but current size is {value.size}."
        )
    tensors: list[Any] = []
    template = _template(index, tensors, Tensor)
    tracing = _dispatch.current_tracer() is not None
    if tracing and getattr(x, "_ref", None) is None:  # not a value of the graph itself
        what = f"Parameter {x.name!r}" if isinstance(x, Parameter) else "a tensor made outside it"
        raise MsRuntimeError(
            f"x[...] = value on {what} inside a graph (GRAPH_MODE) is not supported: update a "
            "Parameter with ops.Assign or ops.ScatterUpdate, assign into a copy made inside "
            "construct, or run in PYNATIVE_MODE"
        )
    out = TensorSetItem(template)(x, value, *tensors)
    if tracing:  # x names the node's output from now on (the tapes keep what it named)
        from ._grad.tape import retire

        retire(x)
        x._ref, x._sync = out._ref, out._sync
    else:
        x.assign_value(out)
