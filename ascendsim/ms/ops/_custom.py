"""User-defined primitives: ``prim_attr_register``, ``constexpr``, ``PrimitiveWithInfer``,
``PrimitiveWithCheck`` (as ``mindspore.ops`` r1.6 exports them).

* ``@prim_attr_register`` on a Primitive subclass's ``__init__``: initialises the Primitive
  with the class name, then records every ``__init__`` argument (defaults included) as a
  primitive attribute (``self.<name>``, ``self.attrs``, ``self.init_attrs``) before running the
  body, as r1.6 does.
* ``PrimitiveWithInfer``: ``infer`` calls r1.6's ``infer_shape(*shapes)`` (lists) and
  ``infer_dtype(*dtypes)`` (``mstype.tensor_type(Float32)`` for tensors, the value otherwise),
  or ``__infer__(*dicts)`` with ``{'shape', 'dtype', 'value'}`` when the class defines it.
  ``PrimitiveWithCheck`` calls ``check_shape``/``check_dtype`` (or ``__check__``) and keeps the
  first input's shape and dtype. ascendsim needs a numpy kernel to run such an op: define
  ``kernel(self, ctx, *values)`` (an ascendsim extension); without one, calling the op raises
  ``RuntimeError`` (r1.6 would fail to find a device kernel for an unknown op too).
* ``@constexpr``: the function runs on the host when called (in a graph: at trace time, since
  its arguments are constants), as r1.6 folds it at compile time.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from ...errors import MsRuntimeError
from ..common import dtype as mstype
from .primitive import Primitive, Spec

__all__ = ["prim_attr_register", "constexpr", "PrimitiveWithInfer", "PrimitiveWithCheck"]


def prim_attr_register(fn: Callable[..., None]) -> Callable[..., None]:
    """Decorate a Primitive subclass's ``__init__`` (see the module docstring)."""

    @functools.wraps(fn)
    def deco(self: Primitive, *args: Any, **kwargs: Any) -> None:
        name = getattr(type(self), "substitute_name", type(self).__name__)
        Primitive.__init__(self, name)
        bound = inspect.signature(fn).bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        arguments.pop("self", None)
        self.init_attrs = {}
        for key, value in arguments.items():
            self.add_prim_attr(key, value)
            self.init_attrs[key] = value
        fn(self, *args, **kwargs)

    deco.decorated_func = fn  # type: ignore[attr-defined]
    return deco


def _view(arg: Any) -> dict[str, Any]:
    if isinstance(arg, Spec):
        return {"shape": list(arg.shape), "dtype": mstype.tensor_type(arg.dtype), "value": None}
    return {"shape": [], "dtype": _value_type(arg), "value": arg}


def _value_type(value: Any) -> Any:
    try:
        return mstype.get_py_obj_dtype(value)
    except Exception:  # noqa: BLE001 - any value without a MindSpore type
        return None


def _element(dtype: Any) -> Any:
    return dtype.element_type() if isinstance(dtype, mstype.TensorType) else dtype


def _specs(shape: Any, dtype: Any) -> Spec | tuple[Spec, ...]:
    if isinstance(dtype, tuple | list):
        return tuple(Spec(tuple(s), _element(d)) for s, d in zip(shape, dtype, strict=True))
    return Spec(tuple(shape), _element(dtype))


class _UserPrimitive(Primitive):
    """Shared part: a user op runs only if it defines ``kernel``."""

    def _check_kernel(self) -> None:
        if getattr(type(self), "kernel", None) in (Primitive.kernel, None):
            raise MsRuntimeError(
                f"For '{self.name}', ascendsim has no kernel for this user-defined primitive: "
                "define kernel(self, ctx, *values) returning numpy arrays to run it."
            )


class PrimitiveWithInfer(_UserPrimitive):
    """A primitive whose output is inferred by ``infer_shape``/``infer_dtype`` (r1.6)."""

    def infer_shape(self, *shapes: Any) -> Any:
        """Default: the first input's shape."""
        return shapes[0]

    def infer_dtype(self, *dtypes: Any) -> Any:
        """Default: the first input's dtype."""
        return dtypes[0]

    def infer(self, *args: Any) -> Spec | tuple[Spec, ...]:
        self._check_kernel()
        views = [_view(a) for a in args]
        custom = type(self).__dict__.get("__infer__") or next(
            (c.__dict__["__infer__"] for c in type(self).__mro__ if "__infer__" in c.__dict__),
            None,
        )
        if custom is not None:
            out = custom(self, *views)
            return _specs(out["shape"], out["dtype"])
        shape = self.infer_shape(*(v["shape"] for v in views))
        dtype = self.infer_dtype(*(v["dtype"] for v in views))
        return _specs(shape, dtype)


class PrimitiveWithCheck(_UserPrimitive):
    """A primitive that checks its inputs (``check_shape``/``check_dtype``) and returns the
    first input's shape and dtype."""

    def check_shape(self, *shapes: Any) -> None:
        """Default: no check."""

    def check_dtype(self, *dtypes: Any) -> None:
        """Default: no check."""

    def infer(self, *args: Any) -> Spec:
        self._check_kernel()
        views = [_view(a) for a in args]
        check = getattr(type(self), "__check__", None)
        if check is not None:
            check(self, *views)
        else:
            self.check_shape(*(v["shape"] for v in views))
            self.check_dtype(*(v["dtype"] for v in views))
        first = args[0]
        return Spec(tuple(first.shape), first.dtype)


def constexpr(
    fn: Callable[..., Any] | None = None, get_instance: bool = True, name: str | None = None
) -> Any:
    """Make ``fn`` a compile-time constant function (see the module docstring)."""

    def deco(fn: Callable[..., Any]) -> Any:
        class CompileOp(PrimitiveWithInfer):
            const_value = True

            def __init__(self) -> None:
                super().__init__(name or fn.__name__)

            def infer_value(self, *args: Any) -> Any:
                return fn(*args)

            def __call__(self, *args: Any, **kwargs: Any) -> Any:
                return fn(*args)

        CompileOp.__name__ = CompileOp.__qualname__ = "CompileOp"
        return CompileOp() if get_instance else CompileOp

    if fn is not None:
        return deco(fn)
    return deco
