"""Elementwise ops: implicit conversion, broadcasting, r1.6 errors, kernels and costs.

Golden dtypes, values and messages were captured from MindSpore r1.6 (1.6.1, CPU target).
"""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms import Tensor
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops._promote import promote
from ascendsim.ms.ops.primitive import Cost

from . import S

HINT = (
    " . The supported data types depend on the hardware that executes the operator, please refer "
    "the official api document to get more information about the data type."
)
NUMBER_LIST = (
    "Tensor[Int8], Tensor[Int16], Tensor[Int32], Tensor[Int64], Tensor[UInt8], Tensor[UInt16], "
    "Tensor[UInt32], Tensor[UInt64], Tensor[Float16], Tensor[Float32], Tensor[Float64], "
    "Tensor[Complex64], Tensor[Complex128]"
)
B, I8, U8, I16, I32, I64 = (
    mstype.bool_,
    mstype.int8,
    mstype.uint8,
    mstype.int16,
    mstype.int32,
    mstype.int64,
)
F16, F32, F64 = mstype.float16, mstype.float32, mstype.float64
ORDER = [B, I8, U8, I16, I32, I64, F16, F32, F64]

# r1.6: dtype of Maximum(Tensor(a), Tensor(b)) / Add(...) (rows a, columns b in ORDER).
# Cells r1.6 could not run on CPU (no kernel) were read from the kernel-selection error,
# which names the converted input dtype.
R16_TENSOR_TENSOR = [
    [B, I8, U8, I16, I32, I64, F16, F32, F64],
    [I8, I8, I16, I16, I32, I64, F16, F32, F64],
    [U8, I16, U8, I16, I32, I64, F16, F32, F64],
    [I16, I16, I16, I16, I32, I64, F16, F32, F64],
    [I32, I32, I32, I32, I32, I64, F16, F32, F64],
    [I64, I64, I64, I64, I64, I64, F16, F32, F64],
    [F16, F16, F16, F16, F16, F16, F16, F32, F64],
    [F32, F32, F32, F32, F32, F32, F32, F32, F64],
    [F64, F64, F64, F64, F64, F64, F64, F64, F64],
]
# r1.6: dtype of Maximum(Tensor(a), True / 2 / 2.5)
R16_TENSOR_SCALAR = {
    B: (B, I64, F32), I8: (I8, I8, F32), U8: (U8, U8, F32), I16: (I16, I16, F32),
    I32: (I32, I32, F32), I64: (I64, I64, F32), F16: (F16, F16, F16), F32: (F32, F32, F32),
    F64: (F64, F64, F64),
}  # fmt: skip


def test_promotion_tensor_tensor_matches_r16() -> None:
    got = [[promote([S((2,), a), S((2,), b)]) for b in ORDER] for a in ORDER]
    assert got == R16_TENSOR_TENSOR


def test_promotion_tensor_scalar_matches_r16() -> None:
    got = {a: tuple(promote([S((2,), a), s]) for s in (True, 2, 2.5)) for a in ORDER}
    assert got == R16_TENSOR_SCALAR
    assert promote([2.0, S((2,), I32)]) == F32  # scalar first
    assert promote([2, 3]) is None  # no tensor: nothing converted


def test_unsigned_wide_types_are_not_converted() -> None:
    assert promote([S((2,), mstype.uint16), S((2,), I32)]) is None
    assert promote([S((2,), mstype.uint32), S((2,), mstype.uint32)]) == mstype.uint32
    # r1.6: Add(UInt16 tensor, Int32 tensor) -> TypeError naming both
    with pytest.raises(MsTypeError) as info:
        P.Add().infer(S((2,), mstype.uint16), S((2,), I32))
    assert str(info.value) == (
        "For 'Add', type of 'y' should be same as 'x', but got 'x' with type Tensor[UInt16] and "
        "'y' with type Tensor[Int32]."
    )


@pytest.mark.parametrize(
    ("op", "x", "y", "out"),
    [
        (P.Add(), S((2, 3), I32), S((2, 3), F32), S((2, 3), F32)),
        (P.Add(), S((2,), F16), S((), F32), S((2,), F32)),
        (P.Add(), S((2,), I32), 2.5, S((2,), F32)),
        (P.Add(), S((2,), F16), 2.5, S((2,), F16)),
        (P.Sub(), S((2, 1, 3), F32), S((4, 1), F32), S((2, 4, 3), F32)),
        (P.Mul(), 2, S((3,), I64), S((3,), I64)),
        (P.RealDiv(), S((2,), I32), S((2,), I32), S((2,), I32)),
        (P.Equal(), S((2,), F32), S((2,), I32), S((2,), B)),
        (P.Equal(), S((2,), B), S((2,), B), S((2,), B)),
        (P.LessEqual(), 1.0, S((3,), F32), S((3,), B)),
        (P.Greater(), S((2,), F16), S((2,), F32), S((2,), B)),
        (P.LogicalOr(), S((2, 1), B), S((3,), B), S((2, 3), B)),
        (P.Maximum(), S((2,), I32), S((2,), F32), S((2,), F32)),
    ],
)
def test_binary_infer(op: P.Add, x: object, y: object, out: object) -> None:
    assert op.infer(x, y) == out


# r1.6 messages (first line of str(exception); C++ file prefixes removed)
BCAST_PY = (
    "For '{op}', x.shape and y.shape are supposed to broadcast, where broadcast means that "
    "x.shape[i] = 1 or -1 or y.shape[i] = 1 or -1 or x.shape[i] = y.shape[i], but now x.shape "
    "and y.shape can not broadcast, got i: {i}, x.shape: {xs}, y.shape: {ys}."
)


@pytest.mark.parametrize(
    "op",
    [
        "Add",
        "Sub",
        "Mul",
        "RealDiv",
        "Div",
        "Minimum",
        "Equal",
        "NotEqual",
        "Greater",
        "GreaterEqual",
    ],
)
def test_python_style_broadcast_error(op: str) -> None:
    with pytest.raises(MsValueError) as info:
        getattr(P, op)().infer(S((2, 3)), S((4,)))
    assert str(info.value) == BCAST_PY.format(op=op, i=-1, xs=[2, 3], ys=[4])


def test_broadcast_error_reports_first_bad_axis() -> None:
    with pytest.raises(MsValueError) as info:
        P.Add().infer(S((2, 3, 4)), S((3, 1, 5)))
    assert str(info.value) == BCAST_PY.format(op="Add", i=-3, xs=[2, 3, 4], ys=[3, 1, 5])


@pytest.mark.parametrize("op", ["Maximum", "Less", "LessEqual", "LogicalAnd", "LogicalOr"])
def test_cpp_style_broadcast_error(op: str) -> None:
    dt = B if op.startswith("Logical") else F32
    with pytest.raises(MsValueError) as info:
        getattr(P, op)().infer(S((2, 3), dt), S((4,), dt))
    assert str(info.value) == (
        f"For op {op}, the two input 'input1' and 'input2' can not broadcast (shapes [2, 3] and [4])"
    )


def test_dtype_errors_match_r16() -> None:
    cases = [
        (P.Sub(), (S((2,), B), S((2,), B)), f"For 'Sub', the type of 'x' should be one of {NUMBER_LIST}, but got Tensor[Bool]{HINT}"),
        (P.Mul(), (2.0, 3.0), f"For 'Mul', the type of 'x' should be one of {NUMBER_LIST}, but got Float32{HINT}"),
        (P.Add(), (2, 3), f"For 'Add', the type of 'x' should be one of {NUMBER_LIST}, but got Int64{HINT}"),
        (P.TensorAdd(), (2.0, 3.0), f"For 'Add', the type of 'x' should be one of {NUMBER_LIST}, but got Float32{HINT}"),
        (P.Equal(), (2.0, 3.0), f"For 'Equal', the type of 'x' should be one of {NUMBER_LIST}, Tensor[Bool], but got Float32{HINT}"),
        (P.Add(), (S((2,)), "s"), "For 'Add', the 1th input var is a not support implicit conversion. Its type is str, and the value is s. Only support Tensor or Scalar."),
        (P.Add(), (S((2,)), None), "For 'Add', the 1th input var is a not support implicit conversion. Its type is NoneType, and the value is None. Only support Tensor or Scalar."),
        (P.Maximum(), (2.0, 3.0), "The primitive[Maximum]'s input arguments must be all tensor."),
        (P.Less(), (2.0, 3.0), "The primitive[Less]'s input arguments must be all tensor."),
        (P.Maximum(), (S((2,), B), S((2,), B)), f"For primitive[Maximum], the input argument[x] must be a type of {{ {NUMBER_LIST.replace(', ', ', ')},}}, but got Tensor[Bool]."),
        (P.Less(), (S((2,), B), S((2,), B)), "For primitive[Less], the input argument[x] must be a type of { Tensor[Int8], Tensor[Int16], Tensor[Int32], Tensor[Int64], Tensor[UInt8], Tensor[UInt16], Tensor[UInt32], Tensor[UInt64], Tensor[Float16], Tensor[Float32], Tensor[Float64],}, but got Tensor[Bool]."),
        (P.LogicalAnd(), (S((2,)), S((2,), B)), "For primitive[LogicalAnd], the input argument[x] must be a type of { Tensor[Bool],}, but got Tensor[Float32]."),
    ]  # fmt: skip
    for op, args, msg in cases:
        with pytest.raises(MsTypeError) as info:
            op.infer(*args)
        assert str(info.value) == msg, op.name


def arr(values: list, dtype: type) -> np.ndarray:
    return np.array(values, dtype)


def test_binary_kernels_match_r16() -> None:
    i32 = np.int32
    # r1.6: Div/RealDiv on Int32 truncate toward zero
    for op in (P.Div(), P.RealDiv()):
        out = op.kernel(None, arr([-7, 7, -8, 5], i32), arr([2, 2, 3, -3], i32))
        assert (out.dtype, out.tolist()) == (np.dtype(i32), [-3, 3, -2, -1])
    out = P.Div().kernel(None, arr([1.0, -1.0, 0.0], np.float32), arr([0.0, 0.0, 0.0], np.float32))
    assert str(out.tolist()) == "[inf, -inf, nan]"
    # r1.6: Maximum/Minimum with NaN -> [1.0, nan] both
    nan_x, nan_y = arr([np.nan, 1.0], np.float32), arr([1.0, np.nan], np.float32)
    assert str(P.Maximum().kernel(None, nan_x, nan_y).tolist()) == "[1.0, nan]"
    assert str(P.Minimum().kernel(None, nan_x, nan_y).tolist()) == "[1.0, nan]"
    assert P.Add().kernel(None, arr([2**31 - 1], i32), arr([1], i32)).tolist() == [-(2**31)]
    assert P.Mul().kernel(None, arr([60000.0], np.float16), arr([2.0], np.float16)).tolist() == [
        np.inf
    ]
    assert P.Add().kernel(None, arr([1, 2], i32), 2.5).tolist() == [3.5, 4.5]
    assert P.Add().kernel(None, arr([1, 2], i32), 2.5).dtype == np.float32
    assert P.Equal().kernel(None, arr([1.0, 2.0], np.float32), arr([1, 3], i32)).tolist() == [
        True,
        False,
    ]
    assert P.NotEqual().kernel(None, arr([1.0, 2.0], np.float32), 2).tolist() == [True, False]
    assert P.Greater().kernel(
        None, arr([1, 2], np.float16), arr([1.5, 1.5], np.float32)
    ).tolist() == [False, True]
    assert P.LessEqual().kernel(None, 1.0, arr([0.5, 1.0, 2.0], np.float32)).tolist() == [
        False,
        True,
        True,
    ]
    assert P.LogicalOr().kernel(
        None, arr([True, False], np.bool_), arr([False, False], np.bool_)
    ).tolist() == [True, False]
    assert P.LogicalAnd().kernel(
        None, arr([True, True], np.bool_), arr([True, False], np.bool_)
    ).tolist() == [True, False]
    assert P.Sub().kernel(
        None, arr([[1.0], [2.0]], np.float32), arr([1.0, 3.0], np.float32)
    ).tolist() == [[0.0, -2.0], [1.0, -1.0]]


def test_unary_errors_match_r16() -> None:
    common = "{ Tensor[Int16], Tensor[Int8], Tensor[Int32], Tensor[Int64], Tensor[UInt8], Tensor[UInt16], Tensor[UInt32], Tensor[UInt64], Tensor[Float16], Tensor[Float32], Tensor[Float64],}"
    cases = [
        (P.Sqrt(), S((2,), B), f"For 'Sqrt', the type of 'x' should be one of {NUMBER_LIST}, but got Tensor[Bool]{HINT}"),
        (P.Sqrt(), 2.0, f"For 'Sqrt', the type of 'x' should be one of {NUMBER_LIST}, but got Float32{HINT}"),
        (P.Exp(), 2.0, f"For 'Exp', the type of 'x' should be Tensor, but got Float32{HINT}"),
        (P.Reciprocal(), 2.0, f"For 'Reciprocal', the type of 'x' should be Tensor, but got Float32{HINT}"),
        (P.Square(), S((2,), B), f"For primitive[Square], the input argument[x] must be a type of {common}, but got Tensor[Bool]."),
        (P.Square(), 2.0, "For Primitive[Square], the input argument[x] must be a Tensor but got Float32."),
        (P.Neg(), S((2,), B), f"For 'Neg', the type of 'x' should be one of {NUMBER_LIST}, but got Tensor[Bool]{HINT}"),
        (P.Abs(), S((2,), B), f"For primitive[Abs], the input argument[x] must be a type of {common}, but got Tensor[Bool]."),
        (P.ReLU(), S((2,), B), f"For primitive[ReLU], the input argument[input_x] must be a type of {common}, but got Tensor[Bool]."),
        (P.ReLU(), 1.0, "For Primitive[ReLU], the input argument[input_x] must be a Tensor but got Float32."),
        (P.IsFinite(), 1.0, f"For 'IsFinite', the type of 'x' should be one of {NUMBER_LIST}, Tensor[Bool], but got Float32{HINT}"),
        (P.LogicalNot(), S((2,)), "For primitive[LogicalNot], the input argument[x] must be a type of { Tensor[Bool],}, but got Tensor[Float32]."),
    ]  # fmt: skip
    for op, x, msg in cases:
        with pytest.raises(MsTypeError) as info:
            op.infer(x)
        assert str(info.value) == msg, op.name


@pytest.mark.parametrize("op", [P.Sqrt(), P.Exp(), P.Log(), P.Reciprocal()])
def test_float_only_kernels_reject_integers(op: P.Sqrt) -> None:
    # r1.6 raises TypeError for these at kernel selection (no integer kernel)
    with pytest.raises(
        MsTypeError, match=rf"For '{op.name}', the input type Tensor\[Int32\] is not supported"
    ):
        op.infer(S((2,), I32))
    assert op.infer(S((2,), F16)) == S((2,), F16)


def test_unary_kernels_match_r16() -> None:
    f32, f16, i32 = np.float32, np.float16, np.int32
    assert str(P.Sqrt().kernel(None, arr([-1.0, 4.0], f32)).tolist()) == "[nan, 2.0]"
    assert P.Exp().kernel(None, arr([1.0, 12.0], f16)).tolist() == [2.71875, np.inf]
    assert str(P.Log().kernel(None, arr([-1.0, 0.0], f32)).tolist()) == "[nan, -inf]"
    assert P.Square().kernel(None, arr([3, -4], i32)).tolist() == [9, 16]
    assert P.Neg().kernel(None, arr([3, -4], i32)).tolist() == [-3, 4]
    assert P.Abs().kernel(None, arr([3, -4], i32)).tolist() == [3, 4]
    assert P.Reciprocal().kernel(None, arr([1.0, 0.0, 4.0], f32)).tolist() == [1.0, np.inf, 0.25]
    assert P.IsFinite().kernel(None, arr([1.0, np.inf, -np.inf, np.nan], f32)).tolist() == [
        True,
        False,
        False,
        False,
    ]
    assert P.IsFinite().kernel(None, arr([1, 2], i32)).tolist() == [True, True]
    assert P.LogicalNot().kernel(None, arr([True, False], np.bool_)).tolist() == [False, True]
    assert P.ReLU().kernel(None, arr([3.0, -4.0, 0.0], f32)).tolist() == [3.0, 0.0, 0.0]
    assert P.Sqrt().kernel(None, arr([4.0], f16)).dtype == np.float16
    assert P.IsFinite().infer(S((2, 2), I32)) == S((2, 2), B)


def test_addn() -> None:
    xs = [arr([1.0, 2.0], np.float32), arr([3.0, 4.0], np.float32), arr([5.0, 6.0], np.float32)]
    assert P.AddN().kernel(None, *xs).tolist() == [9.0, 12.0]  # r1.6
    assert P.AddN().infer(S((2,)), S((2,)), S((2,))) == S((2,))
    cases = [
        ((S((2,)), S((3,))), MsValueError, "The primitive[AddN]'s input shape must be same, but got the shape of input[1]: (3,), shape of input[0]:(2,)"),
        ((S((2,)), S((2,), I32)), MsTypeError, "For primitive[AddN], the input type must be same (got Tensor[Float32], Tensor[Int32])."),
        ((), MsValueError, "For primitive[AddN], the concat element num must be greater than or equal to 1, but got 0."),
        ((1.0, 2.0), MsTypeError, "The primitive[AddN]'s input arguments must be all tensor."),
    ]  # fmt: skip
    for args, exc, msg in cases:
        with pytest.raises(exc) as info:
            P.AddN().infer(*args)
        assert str(info.value) == msg
    with pytest.raises(MsTypeError, match="The input of AddN must be list or tuple of tensors"):
        P.AddN()(S((2,)))
    assert P.AddN().cost((S((2,)),) * 3, (S((2,)),)) == Cost(4, 32, "vector")


def test_elementwise_costs() -> None:
    assert P.Add().cost((S((2, 3)), 2.5), (S((2, 3)),)) == Cost(6, 48, "vector")
    assert P.Less().cost((S((4,), F16), S((4,), F16)), (S((4,), B),)) == Cost(4, 20, "vector")
    assert P.Sqrt().cost((S((8,)),), (S((8,)),)) == Cost(8, 64, "vector")


def test_numpy_scalars_in_a_tensor_slot_as_r16() -> None:
    # r1.6 takes Python scalars only; np.float64 passes because it subclasses float (values and
    # messages from r1.6 runs)
    x = Tensor(np.array([1.0, 2.0], np.float32))
    for result in (x + np.float64(0.5), P.Add()(x, np.float64(0.5)), P.Add()(np.float64(0.5), x)):
        assert result.dtype == mstype.float32
        np.testing.assert_array_equal(result.asnumpy(), [1.5, 2.5])
    for value in (np.float32(0.5), np.float16(0.5), np.int64(2)):
        kind = type(value).__name__
        for call, index in (
            (lambda v: x + v, 1),
            (lambda v: P.Mul()(x, v), 1),
            (lambda v: P.Add()(v, x), 0),
        ):
            with pytest.raises(
                TypeError,
                match=f"the {index}th input var is a not support implicit conversion. Its type is {kind}",
            ):
                call(value)
