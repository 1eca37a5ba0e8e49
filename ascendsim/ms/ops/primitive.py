"""The operator protocol: :class:`Primitive`, :class:`Spec`, :class:`Cost`, the kernel context.

A primitive is MindSpore's op object (``ops.Add()``): a name, attributes, shape/dtype
inference that raises MindSpore r1.6's errors, a numpy kernel, a cost for the device model and
its side-effect class. Calling it hands the call to :func:`ascendsim.ms._dispatch.call`, which
traces it into a graph or launches it at once: this module never executes anything itself.

Conventions every op follows (the contract in ``OPS_GRAPH_CONTRACT.md``):

* ``infer(*args)`` receives a :class:`Spec` for every tensor argument and plain Python values
  (scalars, axis tuples, dtypes) for everything else; it returns a Spec or a tuple of Specs.
* ``kernel(ctx, *values)`` receives numpy arrays for tensor arguments and the same plain
  values; it computes in the output dtype with IEEE arithmetic (the runtime detects overflow)
  and may mutate only the inputs listed in ``inplace``.
* ``cost(ins, outs)`` gives FLOPs, bytes moved (read + written) and the unit
  (``"cube"`` | ``"vector"`` | ``"aicpu"`` | ``"none"``; ``"none"`` is host bookkeeping that
  MindSpore folds away and that runs no device task).

Op classes register themselves by class name (:func:`register_op`); :func:`get_op_class`
looks one up and names close matches when the name is unknown.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

import numpy as np

from ascendsim.errors import MsNotImplementedError

from ...errors import UnknownOpError
from ..common import dtype as mstype

__all__ = [
    "Spec",
    "Cost",
    "KernelContext",
    "Primitive",
    "register_op",
    "get_op_class",
    "op_names",
    "UNITS",
]

#: the units a Cost may name ("none": no device task)
UNITS = ("cube", "vector", "aicpu", "none")


@dataclass(frozen=True)
class Spec:
    """Shape and dtype of a tensor flowing into or out of an op (no values)."""

    shape: tuple[int, ...]
    dtype: mstype.Type

    @property
    def size(self) -> int:
        """Number of elements (1 for a scalar)."""
        n = 1
        for d in self.shape:
            n *= int(d)
        return n

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return len(self.shape)

    @property
    def nbytes(self) -> int:
        """Bytes the tensor occupies (``Bool`` is one byte per element)."""
        return self.size * mstype.itemsize(self.dtype)

    def __str__(self) -> str:
        return f"Spec(shape={self.shape}, dtype={self.dtype})"


@dataclass(frozen=True)
class Cost:
    """What an op costs on the device: FLOPs, bytes read + written (HBM traffic) and the unit.

    Raises:
        ValueError: ``unit`` is not one of :data:`UNITS` or a count is negative.
    """

    flops: int
    nbytes: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Cost unit {self.unit!r} is not one of {UNITS}.")
        if self.flops < 0 or self.nbytes < 0:
            raise ValueError(
                f"Cost counts must be >= 0, got flops={self.flops}, nbytes={self.nbytes}."
            )


@runtime_checkable
class KernelContext(Protocol):
    """What a kernel may touch besides its inputs; implemented by the backend runtime."""

    overflow_mode: str  # "saturation" | "inf_nan"
    rng: np.random.Generator

    def float_status_read(self) -> np.ndarray:
        """The (8,) float32 words of the device's float-status register."""
        ...

    def float_status_clear(self) -> None:
        """Clear the device's float-status register."""
        ...

    def emit(self, text: str) -> None:
        """Output of ``Print`` (one call per Print, lines joined by newlines)."""
        ...


# --- registry ---------------------------------------------------------------------------------

_OPS: dict[str, type[Primitive]] = {}
_P = TypeVar("_P", bound="type[Primitive]")


def register_op(cls: _P) -> _P:
    """Class decorator: make ``cls`` findable by its class name with :func:`get_op_class`."""
    _OPS[cls.__name__] = cls
    return cls


def get_op_class(name: str) -> type[Primitive]:
    """The op class named ``name`` (``"Add"``, ``"NPUGetFloatStatus"`` ...).

    Raises:
        UnknownOpError: no such op; the message names the closest known op names.
    """
    try:
        return _OPS[name]
    except KeyError:
        pass
    close = difflib.get_close_matches(name, list(_OPS), n=3, cutoff=0.6)
    folded = [n for n in _OPS if n.lower() == str(name).lower()]
    hints = list(dict.fromkeys(folded + close))
    hint = f" Did you mean {', '.join(repr(h) for h in hints)}?" if hints else ""
    raise UnknownOpError(
        f"Unknown operator {name!r}: ascendsim does not emulate it.{hint} "
        f"Known operators: ascendsim.ms.ops.op_names() lists all {len(_OPS)}."
    )


def op_names() -> list[str]:
    """Every registered op name, sorted."""
    return sorted(_OPS)


# --- the base class ---------------------------------------------------------------------------


class Primitive:
    """Base of every op (MindSpore's ``mindspore.ops.Primitive``).

    Class attributes describe the op's behaviour for the graph layer and the runtime:
    ``side_effect`` (None | "mem" | "io"), ``inplace`` (indices of inputs the kernel updates),
    ``float_status`` (None | "alloc" | "clear" | "get"), ``ascend_only`` and ``collective``
    (None | "allreduce" | "broadcast"). Instance attributes: ``name`` and ``attrs`` (r1.6's
    attribute dictionary; ``repr`` prints ``Prim[Name]<attr=value, ...>`` as r1.6 does).
    """

    side_effect: ClassVar[str | None] = None
    inplace: ClassVar[tuple[int, ...]] = ()
    float_status: ClassVar[str | None] = None
    ascend_only: ClassVar[bool] = False
    #: the targets with a kernel for this op (None: every target)
    platforms: ClassVar[tuple[str, ...] | None] = None
    collective: ClassVar[str | None] = None
    _repr_ignore: ClassVar[tuple[str, ...]] = ("input_names", "output_names")

    def __init__(self, name: str | None = None) -> None:
        self.name: str = name or type(self).__name__
        self.attrs: dict[str, Any] = {}
        self.instance_name = ""

    # r1.6 API -------------------------------------------------------------------------------
    def add_prim_attr(self, name: str, value: Any) -> Primitive:
        """Set attribute ``name`` (also readable as ``self.<name>``); returns self."""
        self.__dict__[name] = value
        self.attrs[name] = value
        self.__dict__.pop("_infer_cache", None)  # inference depends on attributes
        return self

    def del_prim_attr(self, name: str) -> Primitive:
        """Remove attribute ``name`` if present; returns self."""
        self.attrs.pop(name, None)
        self.__dict__.pop("_infer_cache", None)
        self.__dict__.pop(name, None)
        return self

    def init_prim_io_names(self, inputs: list[str], outputs: list[str]) -> None:
        """Record the names of inputs and outputs (attributes ``input_names``/``output_names``)."""
        self.add_prim_attr("input_names", list(inputs))
        self.add_prim_attr("output_names", list(outputs))

    def set_prim_instance_name(self, instance_name: str) -> Primitive:
        """Name of this instance inside a Cell (used in node names); returns self."""
        self.instance_name = instance_name
        return self

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.attrs.items() if k not in self._repr_ignore)
        return f"Prim[{self.name}]" + (f"<{shown}>" if shown else "")

    # the op protocol ------------------------------------------------------------------------
    def infer(self, *args: Any) -> Spec | tuple[Spec, ...]:
        """Output spec(s) of a call with these argument specs (raises MindSpore's errors)."""
        raise MsNotImplementedError(
            f"{type(self).__name__} defines no infer(); a Primitive subclass must infer its "
            "output shapes and dtypes"
        )

    def kernel(self, ctx: KernelContext | None, *values: Any) -> Any:
        """numpy computation of the outputs from the argument values."""
        raise MsNotImplementedError(
            f"{type(self).__name__} defines no kernel(); a Primitive subclass must compute its "
            "outputs with numpy to run on the simulated device"
        )

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        """Default cost: elementwise on the vector unit (one op per output element)."""
        out_elems = sum(o.size for o in outs if isinstance(o, Spec))
        return Cost(out_elems, io_bytes(ins, outs), "vector")

    def __call__(self, *args: Any) -> Any:
        return (_DISPATCH or _dispatch_module()).call(self, args)


_DISPATCH: Any = None


def _dispatch_module() -> Any:
    """``ascendsim.ms._dispatch``, imported on first call (it imports this module's users)."""
    global _DISPATCH
    from .. import _dispatch

    _DISPATCH = _dispatch
    return _DISPATCH


def io_bytes(ins: tuple[Any, ...], outs: tuple[Any, ...]) -> int:
    """Bytes read (tensor inputs) plus bytes written (tensor outputs)."""
    return sum(s.nbytes for s in ins if isinstance(s, Spec)) + sum(
        s.nbytes for s in outs if isinstance(s, Spec)
    )
