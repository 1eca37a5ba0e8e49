"""``mindspore.ops.composite`` (``C``): what the loss-scale cells need, as plain Python.

* :class:`MultitypeFuncGraph`: a function overloaded on argument types
  (``@f.register("Tensor", "Tensor")``), dispatched at call time.
* :class:`HyperMap` / :class:`Map`: apply a function elementwise over (nested) tuples/lists.
* ``ones_like`` / ``zeros_like``: ``OnesLike`` / ``ZerosLike`` mapped over tuples.

r1.6 compiles these into graphs; here they run in Python, so inside a traced Cell they simply
emit the primitive calls they make. ``GradOperation`` is not part of this module yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....errors import MsTypeError
from ...common import dtype as mstype
from .. import operations as P

__all__ = ["MultitypeFuncGraph", "HyperMap", "Map", "ones_like", "zeros_like", "GradOperation",
           "clip_by_value", "clip_by_global_norm", "matmul", "repeat_elements"]  # fmt: skip


def python_type_name(arg: Any) -> str:
    """The type name MultitypeFuncGraph registrations use for ``arg``."""
    if hasattr(arg, "shape") and isinstance(getattr(arg, "dtype", None), mstype.Type):
        return "Tensor"
    for kind, name in ((bool, "Bool"), (int, "Number"), (float, "Number"), (str, "String"),
                       (tuple, "Tuple"), (list, "List"), (type(None), "None")):  # fmt: skip
        if isinstance(arg, kind):
            return name
    return "Function" if callable(arg) else type(arg).__name__


def _matches(name: str, arg: Any) -> bool:
    got = python_type_name(arg)
    return name == got or (name == "Number" and got == "Bool")


class MultitypeFuncGraph:
    """A function with one implementation per tuple of argument type names.

    Type names: ``"Tensor"`` (Tensors and Parameters), ``"Number"``, ``"Bool"``, ``"String"``,
    ``"Tuple"``, ``"List"``, ``"Function"``, ``"None"``; ``"RowTensor"``/``"SparseTensor"``
    never match (ascendsim has no sparse tensors).

    Raises:
        MsTypeError: (when called) no registered implementation fits the arguments.
    """

    def __init__(self, name: str, read_value: bool = False) -> None:
        self.name = name
        self.read_value = read_value
        self.entries: list[tuple[tuple[str, ...], Callable[..., Any]]] = []

    def register(self, *type_names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering an implementation for these argument type names."""

        def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.entries.append((tuple(type_names), fn))
            return fn

        return deco

    def __call__(self, *args: Any) -> Any:
        for types, fn in self.entries:
            if len(types) == len(args) and all(
                _matches(t, a) for t, a in zip(types, args, strict=True)
            ):
                return fn(*args)
        got = ", ".join(python_type_name(a) for a in args)
        known = "; ".join("(" + ", ".join(t) + ")" for t, _ in self.entries) or "none"
        raise MsTypeError(
            f"The '{self.name}' operation does not support the input types ({got}); registered "
            f"signatures: {known}."
        )


class HyperMap:
    """Apply ``ops`` (or the first call argument) elementwise over tuples and lists.

    ``HyperMap()(f, xs, ys)`` calls ``f(x, y)`` for each pair and returns a tuple (nested
    sequences are mapped recursively); ``HyperMap(f)(xs, ys)`` does the same with ``f`` fixed.
    Leaves that are not sequences are passed to ``f`` directly.
    """

    def __init__(self, ops: Callable[..., Any] | None = None, reduce_event: bool = False) -> None:
        self.ops = ops
        self.reduce_event = reduce_event

    def __call__(self, *args: Any) -> Any:
        fn, seqs = (self.ops, args) if self.ops is not None else (args[0], args[1:])
        return _hyper_map(fn, seqs)


def _hyper_map(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    seqs = [a for a in args if isinstance(a, tuple | list)]
    if not seqs:
        return fn(*args)
    n = len(seqs[0])
    if any(len(s) != n for s in seqs):
        raise MsTypeError(
            f"HyperMap: the sequences must have the same length, got {[len(s) for s in seqs]}."
        )
    return tuple(
        _hyper_map(fn, tuple(a[i] if isinstance(a, tuple | list) else a for a in args))
        for i in range(n)
    )


class Map(HyperMap):
    """Like :class:`HyperMap` but one level deep only (r1.6's ``Map``)."""

    def __call__(self, *args: Any) -> Any:
        fn, seqs = (self.ops, args) if self.ops is not None else (args[0], args[1:])
        if not any(isinstance(a, tuple | list) for a in seqs):
            return fn(*seqs)
        n = len(next(a for a in seqs if isinstance(a, tuple | list)))
        return tuple(
            fn(*(a[i] if isinstance(a, tuple | list) else a for a in seqs)) for i in range(n)
        )


_ones_like = P.OnesLike()
_zeros_like = P.ZerosLike()


def ones_like(x: Any) -> Any:
    """Ones shaped like ``x`` (mapped over tuples/lists)."""
    return _hyper_map(_ones_like, (x,))


def zeros_like(x: Any) -> Any:
    """Zeros shaped like ``x`` (mapped over tuples/lists)."""
    return _hyper_map(_zeros_like, (x,))


from .grad import GradOperation  # noqa: E402  (issue 6: reverse-mode differentiation)
from .math_ops import (  # noqa: E402
    clip_by_global_norm,
    clip_by_value,
    matmul,
    repeat_elements,
)
