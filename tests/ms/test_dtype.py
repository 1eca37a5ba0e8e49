"""MindSpore dtype objects: names, reprs and conversions (golden strings from MindSpore r1.6)."""

import numpy as np
import pytest

from ascendsim.errors import AscendSimError, MsKeyError, MsTypeError
from ascendsim.ms.common import dtype as mstype

# (name in mstype, str, repr) as printed by MindSpore r1.6.1
R16_NAMES = [
    ("int8", "Int8", "mindspore.int8"), ("int16", "Int16", "mindspore.int16"),
    ("int32", "Int32", "mindspore.int32"), ("int64", "Int64", "mindspore.int64"),
    ("uint8", "UInt8", "mindspore.uint8"), ("uint16", "UInt16", "mindspore.uint16"),
    ("uint32", "UInt32", "mindspore.uint32"), ("uint64", "UInt64", "mindspore.uint64"),
    ("float16", "Float16", "mindspore.float16"), ("float32", "Float32", "mindspore.float32"),
    ("float64", "Float64", "mindspore.float64"), ("bool_", "Bool", "mindspore.bool_"),
    ("complex64", "Complex64", "mindspore.complex64"),
    ("complex128", "Complex128", "mindspore.complex128"), ("number", "Number", "mindspore.number"),
    ("int_", "Int", "mindspore.int_"), ("uint", "UInt", "mindspore.uint"),
    ("float_", "Float", "mindspore.float_"), ("string", "String", "mindspore.string_"),
    ("list_", "List", "mindspore.list_"), ("tuple_", "Tuple", "mindspore.tuple_"),
    ("type_none", "kMetaTypeNone", "mindspore.type_none"), ("tensor", "Tensor", "mindspore.tensor"),
    ("half", "Float16", "mindspore.float16"), ("single", "Float32", "mindspore.float32"),
    ("double", "Float64", "mindspore.float64"), ("byte", "Int8", "mindspore.int8"),
    ("short", "Int16", "mindspore.int16"), ("intc", "Int32", "mindspore.int32"),
    ("intp", "Int64", "mindspore.int64"), ("ubyte", "UInt8", "mindspore.uint8"),
    ("ushort", "UInt16", "mindspore.uint16"), ("uintc", "UInt32", "mindspore.uint32"),
    ("uintp", "UInt64", "mindspore.uint64"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "rep"), R16_NAMES)
def test_names_print_as_r16(name: str, text: str, rep: str) -> None:
    t = getattr(mstype, name)
    assert (str(t), repr(t)) == (text, rep)


def test_types_are_values() -> None:
    assert mstype.Float(32) == mstype.float32 == mstype.single
    assert hash(mstype.Float(32)) == hash(mstype.float32)
    assert mstype.Int(32) != mstype.UInt(32)
    assert {mstype.float32: 1}[mstype.Float(32)] == 1
    assert str(mstype.TensorType(mstype.float32)) == "Tensor[Float32]"


def test_issubclass() -> None:
    assert mstype.issubclass_(mstype.int32, mstype.int_)
    assert mstype.issubclass_(mstype.int32, mstype.number)
    assert not mstype.issubclass_(mstype.float32, mstype.int_)
    assert not mstype.issubclass_(np.float32, mstype.number)


def test_numpy_and_python_conversions() -> None:
    assert mstype.dtype_to_nptype(mstype.float16) is np.float16
    assert mstype.dtype_to_nptype(mstype.bool_) is np.bool_
    assert mstype.nptype_to_dtype(np.dtype("int8")) == mstype.int8
    assert mstype.nptype_to_dtype("float64") == mstype.float64
    assert mstype.nptype_to_dtype(np.uint16) == mstype.uint16
    assert mstype.dtype_to_pytype(mstype.uint8) is int
    assert mstype.dtype_to_pytype(mstype.float16) is float
    assert mstype.dtype_to_pytype(mstype.bool_) is bool
    # r1.6: pytype_to_dtype(int) is Int64, a numpy dtype maps through its scalar type
    assert mstype.pytype_to_dtype(int) == mstype.int64
    assert mstype.pytype_to_dtype(float) == mstype.float64
    assert mstype.pytype_to_dtype(np.dtype("float16")) == mstype.float16
    assert mstype.pytype_to_dtype(mstype.int8) == mstype.int8
    assert str(mstype.get_py_obj_dtype(1)) == "Int64"
    assert str(mstype.get_py_obj_dtype(mstype.int8)) == "kMetaTypeTypeType"


def test_conversion_errors() -> None:
    with pytest.raises(MsTypeError, match="must be a python type object"):
        mstype.pytype_to_dtype(3)
    with pytest.raises(NotImplementedError, match="cannot be converted to MindSpore type"):
        mstype.pytype_to_dtype(dict)
    with pytest.raises(KeyError) as err:
        mstype.dtype_to_nptype(mstype.string)
    assert isinstance(err.value, AscendSimError)
    with pytest.raises(MsTypeError, match="has no MindSpore tensor type"):
        mstype.nptype_to_dtype(np.dtype("U3"))


def test_itemsize() -> None:
    sizes = {
        t: mstype.itemsize(t)
        for t in (
            mstype.bool_,
            mstype.int8,
            mstype.float16,
            mstype.float32,
            mstype.int64,
            mstype.complex128,
        )
    }
    assert list(sizes.values()) == [1, 1, 2, 4, 8, 16]


def test_implicit_conversion_order() -> None:
    order = sorted(mstype.implicit_conversion_seq, key=mstype.implicit_rank)
    assert [str(t) for t in order] == [
        "Bool", "Int8", "UInt8", "Int16", "Int32", "Int64", "Float16", "Float32", "Float64",
        "Complex64", "Complex128",
    ]  # fmt: skip
    with pytest.raises(
        MsKeyError, match="mindspore.uint16 is not in MindSpore's implicit conversion order"
    ):
        mstype.implicit_rank(mstype.uint16)
