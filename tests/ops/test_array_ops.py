"""Array ops: Cast, Reshape, Transpose, Select, Fill, Shape, DType, Identity, OnesLike,
ZerosLike, Squeeze, ExpandDims (r1.6 values and messages, captured from r1.6 1.6.1 CPU)."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.tensor import Tensor
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops.primitive import Cost

from . import S

HINT = (
    " . The supported data types depend on the hardware that executes the operator, please refer "
    "the official api document to get more information about the data type."
)


def test_cast_values_match_r16() -> None:
    f = np.array([1.7, -1.7, 2.5, -2.5], np.float32)
    assert P.Cast().kernel(None, f, mstype.int32).tolist() == [1, -1, 2, -2]
    assert P.Cast().kernel(None, np.array([300.0, 255.9], np.float32), mstype.uint8).tolist() == [
        44,
        255,
    ]
    assert P.Cast().kernel(None, np.array([0.0, 0.1, -2.0], np.float32), mstype.bool_).tolist() == [
        False,
        True,
        True,
    ]
    big = P.Cast().kernel(None, np.array([70000.0, 65519.0, 65520.0], np.float32), mstype.float16)
    assert big.tolist() == [np.inf, 65504.0, np.inf]
    scalar = P.Cast().kernel(None, 2.5, mstype.int32)
    assert (scalar.shape, scalar.dtype, scalar.tolist()) == ((), np.int32, 2)
    assert P.Cast().infer(2.5, mstype.int32) == S((), mstype.int32)
    assert P.Cast().infer(True, mstype.float32) == S((), mstype.float32)
    assert P.Cast().infer(S((2, 3), mstype.float16), mstype.float32) == S((2, 3))


def test_cast_errors_match_r16() -> None:
    cases = [
        (
            (S((2,)), "float32"),
            f"For 'Cast', the type of 'type' should be Number, but got float32{HINT}",
        ),
        (
            (S((2,)), np.float16),
            f"For 'Cast', the type of 'type' should be Number, but got <class 'numpy.float16'>{HINT}",
        ),
        (
            ("a", mstype.float32),
            f"For 'Cast', the type of 'input_x' should be one of Tensor, Number, but got String{HINT}",
        ),
    ]
    for args, msg in cases:
        with pytest.raises(MsTypeError) as info:
            P.Cast().infer(*args)
        assert str(info.value) == msg


def test_reshape() -> None:
    assert P.Reshape().infer(S((6,)), (-1, 2)) == S((3, 2))
    assert P.Reshape().infer(S((1,)), ()) == S(())
    assert P.Reshape().kernel(None, np.arange(6, dtype=np.float32), (-1, 2)).tolist() == [
        [0, 1],
        [2, 3],
        [4, 5],
    ]
    cases = [
        ((S((2, 3)), (4, 2)), MsValueError, "For 'Reshape', the shape of 'input_x' is [2, 3], the value of 'input_shape' value is [4, 2]. The product of the shape of 'input_x' should be equal to product of 'input_shape', but product of the shape of 'input_x' is 6, product of 'input_shape' is 8."),
        ((S((2, 3)), (-1, -1)), MsValueError, "For 'Reshape', there can be at most one '-1' in 'input_shape', but got [-1, -1]."),
        ((S((2, 3)), (-2, 3)), MsValueError, "For 'Reshape', the shape of 'input_x' is [2, 3], the value of 'input_shape' is [-2, 3]. The product of 'input_shape' should > 0, but got -6."),
        ((S((2, 3)), (0, 6)), MsValueError, "For 'Reshape', the shape of 'input_x' is [2, 3], the value of 'input_shape' is [0, 6]. The product of 'input_shape' should > 0, but got 0."),
        ((S((2, 3)), (-1, 4)), MsValueError, "For 'Reshape', the shape of 'input_x' is [2, 3], the value of 'input_shape' value is [1, 4]. The product of the shape of 'input_x' should be equal to product of 'input_shape', but product of the shape of 'input_x' is 6, product of 'input_shape' is 4."),
        ((S((2, 3)), [3, 2]), MsTypeError, "For 'Reshape', the type of `shape` should be 'tuple', but got '[3, 2]' with type 'list'."),
        ((S((2, 3)), (3.0, 2)), MsTypeError, "For 'Reshape', the type of `shape[0]` should be 'int', but got '3.0' with type 'float'."),
        ((S((6,)), 6), MsTypeError, "For 'Reshape', the type of `shape` should be 'tuple', but got '6' with type 'int'."),
        ((1.0, (1,)), MsTypeError, f"For 'Reshape', the type of 'x' should be Tensor, but got Float32{HINT}"),
    ]  # fmt: skip
    for args, exc, msg in cases:
        with pytest.raises(exc) as info:
            P.Reshape().infer(*args)
        assert str(info.value) == msg


def test_transpose() -> None:
    x = np.arange(6, dtype=np.float32).reshape(1, 2, 3)
    assert P.Transpose().kernel(None, x, (2, 0, 1)).tolist() == [
        [[0.0, 3.0]],
        [[1.0, 4.0]],
        [[2.0, 5.0]],
    ]
    assert P.Transpose().infer(S((1, 2, 3)), (2, 0, 1)) == S((3, 1, 2))
    cases = [
        ((S((2, 3)), (0,)), MsValueError, "For 'Transpose', the dimension of x 2 and perm 1 must be equal (x shape [2, 3], perm (0,))."),
        ((S((2, 3)), (0, 0)), MsValueError, "For 'Transpose', the value of perm is wrong: (0, 0) repeats an axis."),
        ((S((2, 3)), (0, 2)), MsValueError, "For primitive[Transpose], the perm element must be less than 2, but got 2."),
        ((S((2, 3)), (-1, 0)), MsValueError, "For primitive[Transpose], the perm element must be greater than or equal to 0, but got -1."),
        ((S((2, 3)), [1, 0]), MsTypeError, "For primitive[Transpose], the input[perm] must be a tuple with all Int elements, but got [1, 0]."),
        ((1.0, ()), MsTypeError, "For primitive[Transpose], the input argument[x] must be a type of { Tensor,}, but got Float32."),
    ]  # fmt: skip
    for args, exc, msg in cases:
        with pytest.raises(exc) as info:
            P.Transpose().infer(*args)
        assert str(info.value) == msg


def test_select() -> None:
    cond = np.array([True, False])
    out = P.Select().kernel(
        None, cond, np.array([1.0, 2.0], np.float32), np.array([3.0, 4.0], np.float32)
    )
    assert out.tolist() == [1.0, 4.0]
    b = mstype.bool_
    assert P.Select().infer(S((2,), b), S((2,), mstype.int32), S((2,), mstype.int32)) == S(
        (2,), mstype.int32
    )
    cases = [
        ((S((2,)), S((2,)), S((2,))), MsTypeError, "For primitive[Select], the input argument[cond] must be a type of { Tensor[Bool],}, but got Tensor[Float32]."),
        ((S((2,), b), 1.0, S((2,))), MsTypeError, "For primitive[Select], the input argument[x_type] must be a type of { Tensor,}, but got Float32."),
        ((S((2,), b), S((2,), mstype.int32), S((2,))), MsTypeError, "Select's the x_type Tensor[Int32] must be the same as y_type Tensor[Float32]"),
        ((S((2,), b), S((3,)), S((3,))), MsValueError, "For 'Select', the shape of cond, x and y should be equal, but got cond [2], x [3], y [3]."),
        ((S((2, 1), b), S((2, 3)), S((2, 3))), MsValueError, "For 'Select', the shape of cond, x and y should be equal"),
    ]  # fmt: skip
    for args, exc, msg in cases:
        with pytest.raises(exc) as info:
            P.Select().infer(*args)
        assert str(info.value).startswith(msg)


def test_fill() -> None:
    out = P.Fill().kernel(None, mstype.float32, (2, 2), 1)
    assert (out.dtype, out.tolist()) == (np.float32, [[1.0, 1.0], [1.0, 1.0]])
    assert P.Fill().kernel(None, mstype.int32, (3,), 2.7).tolist() == [2, 2, 2]  # r1.6 truncates
    assert P.Fill().kernel(None, mstype.bool_, (2,), 1).tolist() == [True, True]
    assert P.Fill().infer(mstype.float32, (), 1.0) == S(())
    valid = "Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float16, Float32, Float64, Complex64, Complex128"
    cases = [
        ((np.float32, (2,), 1.0), MsTypeError, f"For 'Fill', the type of 'value' should be one of {valid}, but got <class 'numpy.float32'>{HINT}"),
        ((mstype.float32, [2], 1.0), MsTypeError, "For 'Fill', the type of `shape` should be 'tuple', but got '[2]' with type 'list'."),
        ((mstype.float32, 2, 1.0), MsTypeError, "For 'Fill', the type of `shape` should be 'tuple', but got '2' with type 'int'."),
        ((mstype.float32, (2, -1), 1.0), MsValueError, "`dims[1]` in `Fill` should be int and must > 0, but got `-1` with type `int`."),
        ((mstype.float32, (2.0,), 1.0), MsTypeError, "`dims[0]` in `Fill` must be int, but got `float`"),
        ((mstype.float32, (2,), "a"), MsTypeError, "For 'Fill', the type of `value` should be one of '['Number', 'bool']', but got 'a' with type 'str'."),
    ]  # fmt: skip
    for args, exc, msg in cases:
        with pytest.raises(exc) as info:
            P.Fill().infer(*args)
        assert str(info.value) == msg


def test_shape_and_dtype_are_folded(monkeypatch: pytest.MonkeyPatch) -> None:
    from ascendsim.ms import _dispatch

    monkeypatch.setattr(
        _dispatch, "call", lambda prim, args: pytest.fail("Shape/DType must not dispatch")
    )
    t = Tensor(np.ones((2, 3), np.float32))
    assert P.Shape()(t) == (2, 3)
    assert P.Shape()(Tensor(1.0)) == ()
    assert P.DType()(t) == mstype.float32
    assert repr(P.DType()(t)) == "mindspore.float32"  # r1.6 prints the dtype's repr
    with pytest.raises(MsTypeError) as info:
        P.Shape()(1.0)
    assert (
        str(info.value)
        == "For primitive[Shape], the input argument[shape type] must be a type of { Tensor,}, but got Float32."
    )
    with pytest.raises(MsTypeError) as info:
        P.DType()(1.0)
    assert (
        str(info.value)
        == "For Primitive[DType], the input argument[infer type] must be a Tensor but got Float32."
    )
    assert P.Shape().cost((S((2, 3)),), ()) == Cost(0, 0, "none")


def test_identity_ones_zeros() -> None:
    assert P.Identity().infer(S((2,), mstype.bool_)) == S((2,), mstype.bool_)
    assert P.Identity().cost((S((2,)),), (S((2,)),)) == Cost(0, 0, "none")
    with pytest.raises(MsTypeError) as info:
        P.Identity().infer(1.0)
    assert (
        str(info.value)
        == f"For 'Identity', the type of 'x' should be Tensor, but got Float32{HINT}"
    )
    ones = P.OnesLike().kernel(None, np.array([[1, 2]], np.int32))
    assert (ones.dtype, ones.tolist()) == (np.int32, [[1, 1]])
    zeros = P.ZerosLike().kernel(None, np.array([[1, 2]], np.float16))
    assert (zeros.dtype, zeros.tolist()) == (np.float16, [[0.0, 0.0]])
    with pytest.raises(MsTypeError) as info:
        P.OnesLike().infer(1.0)
    assert (
        str(info.value)
        == "For Primitive[OnesLike], the input argument[infer_type] must be a Tensor but got Float32."
    )
    assert P.ZerosLike().cost((S((4,)),), (S((4,)),)) == Cost(4, 16, "vector")


def test_squeeze_and_expand_dims() -> None:
    assert P.Squeeze().infer(S((1, 2, 1))) == S((2,))
    assert P.Squeeze(2).infer(S((1, 2, 1))) == S((1, 2))
    assert P.Squeeze((0, -1)).kernel(None, np.ones((1, 2, 1), np.float32)).shape == (2,)
    assert P.ExpandDims().infer(S((2,)), -1) == S((2, 1))
    assert P.ExpandDims().kernel(None, np.array([1.0, 2.0], np.float32), 0).tolist() == [[1.0, 2.0]]
    cases = [
        (lambda: P.Squeeze(0).infer(S((2, 1))), MsValueError, "For 'Squeeze', cannot select an axis to squeeze out which has size not equal to one: axis 0 of shape [2, 1]."),
        (lambda: P.Squeeze(3).infer(S((2, 1))), MsValueError, "For 'Squeeze', cannot select an axis to squeeze out which has size not equal to one: axis 3 of shape [2, 1]."),
        (lambda: P.Squeeze(1.0), MsTypeError, "For 'Squeeze', the type of `axis` should be one of '['int', 'tuple']', but got '1.0' with type 'float'."),
        (lambda: P.Squeeze().infer(1.0), MsTypeError, "For Squeeze, the 0's input should be a Tensor, but got Float32"),
        (lambda: P.ExpandDims().infer(S((2,)), 2), MsValueError, "`axis` in `ExpandDims` should be in range of [-2, 1], but got 2 with type `int`."),
        (lambda: P.ExpandDims().infer(S((2,)), 1.0), MsTypeError, "`axis` in `ExpandDims` must be `int`,  but got `float`."),
        (lambda: P.ExpandDims().infer(1.0, 0), MsTypeError, f"For 'ExpandDims', the type of 'x' should be Tensor, but got Float32{HINT}"),
    ]  # fmt: skip
    for fn, exc, msg in cases:
        with pytest.raises(exc) as info:
            fn()
        assert str(info.value) == msg


def test_data_movement_costs() -> None:
    assert P.Reshape().cost((S((2, 3)), (3, 2)), (S((3, 2)),)) == Cost(0, 48, "vector")
    assert P.Transpose().cost(
        (S((2, 3), mstype.float16), (1, 0)), (S((3, 2), mstype.float16),)
    ) == Cost(0, 24, "vector")
    assert P.Cast().cost((S((4,)), mstype.float16), (S((4,), mstype.float16),)) == Cost(
        4, 24, "vector"
    )
