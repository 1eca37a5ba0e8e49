"""MindSpore's data-type objects (``mindspore.dtype`` / ``mindspore.common.dtype``), as in r1.6.

A type is a small immutable value object: ``Float(32)`` equals ``float32`` and hashes like it,
``str(float32)`` is ``Float32`` (what ``Parameter`` and ``Tensor`` reprs print) and
``repr(float32)`` is ``mindspore.float32``. Generic types (``int_``, ``float_``, ``number``)
exist for ``issubclass_`` and ``dtype_to_pytype``; tensors only ever hold the concrete ones of
:data:`number_type` plus :data:`bool_`.

Besides r1.6's functions (``dtype_to_nptype``, ``dtype_to_pytype``, ``pytype_to_dtype``,
``get_py_obj_dtype``, ``issubclass_``) this module offers :func:`nptype_to_dtype` (numpy dtype
-> MindSpore type), :func:`itemsize` (bytes per element) and :func:`implicit_rank`, the
position of a type in the implicit-conversion order that ``Parameter.set_data`` uses
(:data:`implicit_conversion_seq`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ascendsim.errors import MsNotImplementedError

from ...errors import MsKeyError, MsTypeError

__all__ = [
    "Type", "Bool", "Int", "UInt", "Float", "Complex", "Number", "String", "List", "Tuple",
    "TypeNone", "TensorType", "TypeType", "tensor_type",
    "bool_", "int8", "byte", "int16", "short", "int32", "intc", "int64", "intp",
    "uint8", "ubyte", "uint16", "ushort", "uint32", "uintc", "uint64", "uintp",
    "float16", "half", "float32", "single", "float64", "double", "complex64", "complex128",
    "number", "int_", "uint", "float_", "string", "list_", "tuple_", "type_none", "tensor",
    "number_type", "int_type", "uint_type", "float_type", "implicit_conversion_seq",
    "dtype_to_nptype", "dtype_to_pytype", "pytype_to_dtype", "get_py_obj_dtype", "issubclass_",
    "nptype_to_dtype", "itemsize", "implicit_rank",
]  # fmt: skip


class Type:
    """Base of all MindSpore type objects: compared and hashed by kind and bit width."""

    _kind = "Type"
    _numeric = False

    def __init__(self, nbits: int | None = None) -> None:
        self._nbits = nbits

    def _key(self) -> tuple[Any, ...]:
        return (self._kind, self._nbits)

    @property
    def nbits(self) -> int | None:
        """Bit width of a concrete numeric type (``None`` for generic and non-numeric types)."""
        return self._nbits

    def __eq__(self, other: object) -> bool:
        # on the PyNative hot path: identity first, then a key cached per (immutable) type
        if self is other:
            return True
        return isinstance(other, Type) and self._cached_key() == other._cached_key()

    def _cached_key(self) -> tuple[Any, ...]:
        key = self.__dict__.get("_k")
        if key is None:
            key = self.__dict__["_k"] = self._key()
        return key

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        h = self.__dict__.get("_h")
        if h is None:
            h = self.__dict__["_h"] = hash(self._cached_key())
        return h

    def __str__(self) -> str:
        return self._kind if self._nbits is None else f"{self._kind}{self._nbits}"

    def __repr__(self) -> str:
        return f"mindspore.{_REPR_NAMES.get(self._key(), str(self).lower())}"


class Number(Type):
    """The generic number type ``mindspore.number`` (every numeric type is a subclass)."""

    _kind = "Number"
    _numeric = True


class Bool(Type):
    """``mindspore.bool_``; prints ``Bool``."""

    _kind = "Bool"
    _numeric = True


class Int(Type):
    """Signed integers: ``Int(8)``...``Int(64)``; ``Int()`` is the generic ``int_``."""

    _kind = "Int"
    _numeric = True


class UInt(Type):
    """Unsigned integers: ``UInt(8)``...``UInt(64)``; ``UInt()`` is the generic ``uint``."""

    _kind = "UInt"
    _numeric = True


class Float(Type):
    """Floats: ``Float(16)``, ``Float(32)``, ``Float(64)``; ``Float()`` is ``float_``."""

    _kind = "Float"
    _numeric = True


class Complex(Type):
    """Complex numbers: ``Complex(64)``, ``Complex(128)``."""

    _kind = "Complex"
    _numeric = True


class String(Type):
    """``mindspore.string``."""

    _kind = "String"


class List(Type):
    """``mindspore.list_``."""

    _kind = "List"


class Tuple(Type):
    """``mindspore.tuple_``."""

    _kind = "Tuple"


class TypeNone(Type):
    """``mindspore.type_none``; prints ``kMetaTypeNone`` as in r1.6."""

    _kind = "kMetaTypeNone"


class TypeType(Type):
    """The type of type objects (``get_py_obj_dtype(mstype.int8)``)."""

    _kind = "kMetaTypeTypeType"


class TensorType(Type):
    """``mindspore.tensor``; ``TensorType(float32)`` prints ``Tensor[Float32]``."""

    _kind = "Tensor"

    def __init__(self, element: Type | None = None) -> None:
        super().__init__(None)
        self._element = element

    def element_type(self) -> Type | None:
        """The element type (``None`` for the generic tensor type)."""
        return self._element

    def _key(self) -> tuple[Any, ...]:
        return (self._kind, self._element)

    def __str__(self) -> str:
        return "Tensor" if self._element is None else f"Tensor[{self._element}]"


tensor_type = TensorType

bool_ = Bool()
int8, int16, int32, int64 = Int(8), Int(16), Int(32), Int(64)
uint8, uint16, uint32, uint64 = UInt(8), UInt(16), UInt(32), UInt(64)
float16, float32, float64 = Float(16), Float(32), Float(64)
complex64, complex128 = Complex(64), Complex(128)
byte, short, intc, intp = int8, int16, int32, int64
ubyte, ushort, uintc, uintp = uint8, uint16, uint32, uint64
half, single, double = float16, float32, float64
number, int_, uint, float_ = Number(), Int(), UInt(), Float()
string, list_, tuple_, type_none = String(), List(), Tuple(), TypeNone()
tensor = TensorType()
_type_type = TypeType()

_REPR_NAMES = {
    bool_._key(): "bool_", int_._key(): "int_", float_._key(): "float_", string._key(): "string_",
    list_._key(): "list_", tuple_._key(): "tuple_", type_none._key(): "type_none",
    tensor._key(): "tensor", uint._key(): "uint", number._key(): "number",
}  # fmt: skip

number_type = (int8, int16, int32, int64, uint8, uint16, uint32, uint64,
               float16, float32, float64, complex64, complex128)  # fmt: skip
int_type = (int8, int16, int32, int64)
uint_type = (uint8, uint16, uint32, uint64)
float_type = (float16, float32, float64)

#: r1.6's implicit-conversion order (set_data casts to a type only from a lower one).
implicit_conversion_seq = {
    t: i
    for i, t in enumerate(
        (bool_, int8, uint8, int16, int32, int64, float16, float32, float64, complex64, complex128)
    )
}

_NP_OF = {
    bool_: np.bool_, int8: np.int8, int16: np.int16, int32: np.int32, int64: np.int64,
    uint8: np.uint8, uint16: np.uint16, uint32: np.uint32, uint64: np.uint64,
    float16: np.float16, float32: np.float32, float64: np.float64,
    complex64: np.complex64, complex128: np.complex128,
}  # fmt: skip
_MS_OF_NP = {np.dtype(v): k for k, v in _NP_OF.items()}

_SIMPLE_TYPES: dict[type, Type] = {
    list: list_, tuple: tuple_, type(None): type_none, bool: bool_, int: int64, float: float64,
    complex: complex128, str: string, np.str_: string,
    **{np.dtype(v).type: k for k, v in _NP_OF.items()},
}  # fmt: skip


def dtype_to_nptype(type_: Type) -> type:
    """numpy scalar type of a concrete MindSpore type (``KeyError`` for others, as r1.6)."""
    try:
        return _NP_OF[type_]
    except KeyError:
        raise MsKeyError(
            f"{type_!r} has no numpy equivalent: use one of the tensor types "
            f"{[repr(t) for t in _NP_OF]}."
        ) from None


def nptype_to_dtype(np_type: Any) -> Type:
    """MindSpore type of a numpy dtype, scalar type or dtype name (``MsTypeError`` if none)."""
    try:
        return _MS_OF_NP[np.dtype(np_type)]
    except (KeyError, TypeError):
        raise MsTypeError(
            f"numpy dtype {np_type!r} has no MindSpore tensor type; supported: "
            f"{[np.dtype(v).name for v in _NP_OF.values()]}."
        ) from None


def dtype_to_pytype(type_: Type) -> type:
    """Python type of a MindSpore type (``int`` for every integer type, ``KeyError`` if none)."""
    if isinstance(type_, (Int, UInt)):
        return int
    if isinstance(type_, Float):
        return float
    if isinstance(type_, Complex) and type_.nbits is not None:
        return complex
    table = {bool_: bool, list_: list, tuple_: tuple, string: str, type_none: type(None)}
    try:
        return table[type_]
    except KeyError:
        raise MsKeyError(f"{type_!r} has no Python type equivalent.") from None


def pytype_to_dtype(obj: Any) -> Type:
    """MindSpore type of a Python or numpy type (or numpy dtype); types pass through.

    Raises ``MsTypeError`` if ``obj`` is not a type, ``NotImplementedError`` if it has no
    MindSpore equivalent (both as r1.6).
    """
    if isinstance(obj, np.dtype):
        obj = obj.type
    if isinstance(obj, Type):
        return obj
    if not isinstance(obj, type):
        raise MsTypeError(
            "The argument 'obj' must be a python type object, such as int, float, str, etc."
            f"But got type {type(obj)}."
        )
    if obj in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[obj]
    raise MsNotImplementedError(f"The python type {obj} cannot be converted to MindSpore type.")


def get_py_obj_dtype(obj: Any) -> Type:
    """MindSpore type of a Python object or type (tensors give ``Tensor[<dtype>]``)."""
    if hasattr(obj, "shape") and isinstance(getattr(obj, "dtype", None), Type):
        return TensorType(obj.dtype)
    if hasattr(obj, "__primitive_flag__") or hasattr(obj, "construct"):
        return Type()  # r1.6: mstype.function; not modelled further here
    if isinstance(obj, Type):
        return _type_type
    if isinstance(obj, type):
        return pytype_to_dtype(obj)
    return pytype_to_dtype(type(obj))


def issubclass_(type_: Any, dtype: Type) -> bool:
    """Whether ``type_`` is ``dtype`` or a concrete case of the generic ``dtype``."""
    if not isinstance(type_, Type):
        return False
    if type_ == dtype:
        return True
    if isinstance(dtype, Number) and type_._numeric:
        return True
    return dtype.nbits is None and type(type_) is type(dtype) and type_._numeric


def itemsize(type_: Type) -> int:
    """Bytes per element of a concrete tensor type (``Bool`` is 1 byte)."""
    return int(np.dtype(dtype_to_nptype(type_)).itemsize)


def implicit_rank(type_: Type) -> int:
    """Position of ``type_`` in :data:`implicit_conversion_seq` (higher wins).

    Raises ``MsKeyError`` for a type outside the order (UInt16/32/64, as r1.6's dict lookup).
    """
    try:
        return implicit_conversion_seq[type_]
    except KeyError:
        raise MsKeyError(
            f"{type_!r} is not in MindSpore's implicit conversion order "
            f"{[str(t) for t in implicit_conversion_seq]}; convert the data explicitly."
        ) from None
