"""Argument checks of the ops, raising MindSpore r1.6's exception types with its messages.

r1.6 validates in two places with two message styles: Python ``Validator`` checks
(``For 'Add', the type of 'x' should be one of ...``) and C++ infer functions
(``For primitive[Square], the input argument[x] must be a type of {...}``). Each op uses the
style r1.6 uses for it (captured from r1.6 1.6.1 and recorded in the tests).

Arguments of ``infer`` are :class:`~ascendsim.ms.ops.primitive.Spec` objects for tensors and
plain values otherwise; a Python ``bool``/``int``/``float`` in a tensor position is a *scalar*
that r1.6's implicit conversion may turn into a tensor (:mod:`._promote`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ...errors import MsTypeError, MsValueError
from ..common import dtype as mstype
from .primitive import Spec

__all__ = [
    "SUPPORT_HINT",
    "is_scalar",
    "type_name",
    "tensor_str",
    "check_tensor_dtype",
    "check_is_tensor",
    "check_tensors_same",
    "check_cpp_tensor",
    "check_value_type",
    "check_int_rel",
    "check_int_range",
    "broadcast_shape",
    "broadcast_shape_cpp",
    "check_implicit_arg",
    "shape_str",
]

SUPPORT_HINT = (
    " . The supported data types depend on the hardware that executes the operator, please "
    "refer the official api document to get more information about the data type."
)


def is_scalar(value: Any) -> bool:
    """A Python (or numpy) number or bool that implicit conversion accepts in a tensor slot."""
    import numpy as np

    return isinstance(value, bool | int | float | np.bool_ | np.integer | np.floating)


def type_name(arg: Any) -> str:
    """How r1.6 names the type of an argument: ``Tensor[Float32]``, ``Float32``, ``Int64``..."""
    import numpy as np

    if isinstance(arg, Spec):
        return f"Tensor[{arg.dtype}]"
    if isinstance(arg, bool | np.bool_):
        return "Bool"
    if isinstance(arg, int | np.integer):
        return "Int64"
    if isinstance(arg, float | np.floating):
        return "Float32"
    if isinstance(arg, mstype.Type):
        return str(arg)
    return type(arg).__name__


def tensor_str(dtypes: Iterable[mstype.Type]) -> str:
    """``Tensor[Int8], Tensor[Int16], ...`` (the Python validator's list)."""
    return ", ".join(f"Tensor[{t}]" for t in dtypes)


def check_tensor_dtype(prim: str, arg_name: str, arg: Any, valid: Sequence[mstype.Type]) -> None:
    """Python-validator check: ``arg`` is a Spec whose dtype is in ``valid``.

    Raises:
        MsTypeError: ``For 'Op', the type of 'x' should be one of Tensor[...], but got ...``.
    """
    if isinstance(arg, Spec) and arg.dtype in valid:
        return
    listed = tensor_str(valid) if valid else "Tensor"
    one_of = "one of " if len(valid) > 1 else ""
    raise MsTypeError(
        f"For '{prim}', the type of '{arg_name}' should be {one_of}{listed}, "
        f"but got {type_name(arg)}{SUPPORT_HINT}"
    )


def check_is_tensor(prim: str, arg_name: str, arg: Any) -> None:
    """Python ``check_subclass(..., mstype.tensor)``: ``should be Tensor, but got Float32``."""
    if not isinstance(arg, Spec):
        raise MsTypeError(
            f"For '{prim}', the type of '{arg_name}' should be Tensor, but got {type_name(arg)}"
            f"{SUPPORT_HINT}"
        )


def check_tensors_same(prim: str, args: dict[str, Any], valid: Sequence[mstype.Type]) -> None:
    """Python ``check_tensors_dtypes_same_and_valid``: each valid, then all the same dtype.

    Raises:
        MsTypeError: an invalid dtype (first offender named) or two different dtypes.
    """
    items = list(args.items())
    for name, arg in items:
        check_tensor_dtype(prim, name, arg, valid)
    first_name, first = items[0]
    for name, arg in items[1:]:
        if arg.dtype != first.dtype:
            raise MsTypeError(
                f"For '{prim}', type of '{name}' should be same as '{first_name}', but got "
                f"'{first_name}' with type Tensor[{first.dtype}] and '{name}' with type "
                f"Tensor[{arg.dtype}]."
            )


def check_cpp_tensor(
    prim: str, arg_name: str, arg: Any, valid: Sequence[mstype.Type] | None
) -> None:
    """C++-infer check (``CheckTensorTypeValid``): a tensor, with a dtype in ``valid``.

    ``valid`` None accepts any dtype. Raises ``MsTypeError`` with r1.6's C++ wording.
    """
    if not isinstance(arg, Spec):
        raise MsTypeError(
            f"For Primitive[{prim}], the input argument[{arg_name}] must be a Tensor but got "
            f"{type_name(arg)}."
        )
    if valid is not None and arg.dtype not in valid:
        listed = "".join(f" Tensor[{t}]," for t in valid)
        raise MsTypeError(
            f"For primitive[{prim}], the input argument[{arg_name}] must be a type of "
            f"{{{listed}}}, but got Tensor[{arg.dtype}]."
        )


def check_value_type(prim: str | None, arg_name: str, value: Any, valid: Sequence[type]) -> Any:
    """r1.6 ``check_value_type`` (a bool is not an int unless bool is listed).

    Raises:
        MsTypeError: ``For 'Op', the type of `arg` should be 'int', but got '1.0' with type 'float'.``
    """
    valid = tuple(valid)
    ok = isinstance(value, valid) and not (isinstance(value, bool) and bool not in valid)
    if not ok:
        names = [t.__name__ for t in valid]
        what = f"one of '{names}'" if len(names) > 1 else f"'{names[0]}'"
        prefix = f"For '{prim}', the" if prim else "The"
        raise MsTypeError(
            f"{prefix} type of `{arg_name}` should be {what}, but got '{value}' with type "
            f"'{type(value).__name__}'."
        )
    return value


_REL = {"==": "= {}", ">": "> {}", ">=": ">= {}", "<": "< {}", "<=": "<= {}"}


def check_int_rel(prim: str, arg_name: str, value: Any, rel: str, bound: int) -> int:
    """r1.6 ``check_number`` on an int: ``value <rel> bound``.

    Raises:
        MsValueError: ``\\`pad item\\` in \\`Conv2D\\` should be int and must >= 0, but got ...``
        MsTypeError: ``value`` is not an int (bools count as a type mismatch).
    """
    info = f"`{arg_name}` in `{prim}`"
    if not isinstance(value, int):
        raise MsTypeError(f"{info} must be int, but got `{type(value).__name__}`")
    ok = {
        "==": value == bound,
        ">": value > bound,
        ">=": value >= bound,
        "<": value < bound,
        "<=": value <= bound,
    }[rel]
    if isinstance(value, bool) or not ok:
        cls = MsTypeError if isinstance(value, bool) else MsValueError
        raise cls(
            f"{info} should be int and must {_REL[rel].format(bound)}, but got `{value}` with type "
            f"`{type(value).__name__}`."
        )
    return value


def check_int_range(prim: str, arg_name: str, value: Any, low: int, high: int, incl: str) -> int:
    """r1.6 ``check_int_range``; ``incl`` is ``"[)"`` or ``"[]"``.

    Raises:
        MsTypeError: not an int (``\\`axis\\` in \\`ExpandDims\\` must be \\`int\\`, ...``).
        MsValueError: out of range (``... should be in range of [-2, 2), but got 2 ...``).
    """
    if not isinstance(value, int) or isinstance(value, bool):
        raise MsTypeError(
            f"`{arg_name}` in `{prim}` must be `int`,  but got `{type(value).__name__}`."
        )
    ok = low <= value < high if incl == "[)" else low <= value <= high
    if not ok:
        raise MsValueError(
            f"`{arg_name}` in `{prim}` should be in range of {incl[0]}{low}, {high}{incl[1]}, "
            f"but got {value} with type `int`."
        )
    return value


def shape_str(shape: Sequence[int]) -> str:
    """A shape as r1.6's Python messages print it: ``[2, 3]``."""
    return str(list(shape))


def broadcast_shape(
    prim: str, x: Sequence[int], y: Sequence[int], names: tuple[str, str] = ("x", "y")
) -> tuple[int, ...]:
    """Broadcast two shapes (r1.6 ``get_broadcast_shape``; Python-style error).

    Raises:
        MsValueError: ``For 'Add', x.shape and y.shape are supposed to broadcast, ...``.
    """
    x, y = tuple(x), tuple(y)
    if x == y:
        return x
    n = min(len(x), len(y))
    back = []
    for i in range(-n, 0):
        if x[i] == 1:
            back.append(y[i])
        elif y[i] == 1 or x[i] == y[i]:
            back.append(x[i])
        else:
            a, b = names
            raise MsValueError(
                f"For '{prim}', {a}.shape and {b}.shape are supposed to broadcast, where broadcast "
                f"means that {a}.shape[i] = 1 or -1 or {b}.shape[i] = 1 or -1 or {a}.shape[i] = "
                f"{b}.shape[i], but now {a}.shape and {b}.shape can not broadcast, got i: {i}, "
                f"{a}.shape: {shape_str(x)}, {b}.shape: {shape_str(y)}."
            )
    front = y[: len(y) - n] if n == len(x) else x[: len(x) - n]
    return tuple(front) + tuple(back)


def broadcast_shape_cpp(prim: str, x: Sequence[int], y: Sequence[int]) -> tuple[int, ...]:
    """Broadcast two shapes with r1.6's C++ error (``For op Less, the two input ...``).

    The message also names the shapes (an ascendsim addition after r1.6's sentence).
    """
    try:
        return broadcast_shape(prim, x, y)
    except MsValueError:
        raise MsValueError(
            f"For op {prim}, the two input 'input1' and 'input2' can not broadcast "
            f"(shapes {shape_str(x)} and {shape_str(y)})"
        ) from None


def _numpy_non_float(arg: Any) -> bool:
    import numpy as np

    return isinstance(arg, np.generic) and not isinstance(arg, float)


def check_implicit_arg(prim: str, index: int, arg: Any) -> None:
    """An argument of an implicitly-converting op must be a Tensor or a scalar.

    Raises:
        MsTypeError: ``For 'Add', the 1th input var is a not support implicit conversion. ...``
    """
    # Python scalars only, as r1.6: numpy scalars are refused, except np.float64, which is a
    # subclass of Python's float
    if isinstance(arg, Spec | bool | int | float) and not _numpy_non_float(arg):
        return
    raise MsTypeError(
        f"For '{prim}', the {index}th input var is a not support implicit conversion. Its type "
        f"is {type(arg).__name__}, and the value is {arg}. Only support Tensor or Scalar."
    )
