"""Assign, AssignAdd, AssignSub, ApplyMomentum: in-place kernels, r1.6 conversion and errors."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsRuntimeError, MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops.primitive import Cost

from . import S
from .golden_r16 import MOMENTUM_ACC, MOMENTUM_V

I32, F64 = mstype.int32, mstype.float64


def f32(values: list[float]) -> np.ndarray:
    return np.array(values, np.float32)


def test_assign_family_updates_in_place() -> None:
    p = f32([1.0, 2.0])
    out = P.Assign().kernel(None, p, f32([5.0, 6.0]))
    assert (p.tolist(), out.tolist(), out is p) == ([5.0, 6.0], [5.0, 6.0], False)  # r1.6 values
    P.AssignAdd().kernel(None, p, f32([5.0, 6.0]))
    assert p.tolist() == [10.0, 12.0]
    P.AssignSub().kernel(None, p, np.array([1, 2], np.int32))  # converted to the variable's dtype
    assert (p.tolist(), p.dtype) == ([9.0, 10.0], np.float32)
    P.AssignAdd().kernel(None, p, 1.0)
    assert p.tolist() == [10.0, 11.0]


def test_assign_conversion_rules_match_r16() -> None:
    assert P.Assign().infer(S((2,)), S((2,), I32)) == S((2,))  # int32 value into float32: ok
    with pytest.raises(MsRuntimeError) as info:
        P.Assign().infer(S((2,)), S((2,), F64))
    assert (
        "Data type conversion of 'Parameter' is not supported, so data type float32 cannot be converted to data type float64 automatically."
        in str(info.value)
    )
    with pytest.raises(
        MsRuntimeError, match="data type int32 cannot be converted to data type float32"
    ):
        P.Assign().infer(S((2,), I32), S((2,)))


def test_assign_shape_errors_match_r16() -> None:
    cases = [
        (P.Assign(), (S((2,)), S((3,))), "For Assign, the shape of value is (3). It should be same with variable's shape (2)."),
        (P.Assign(), (S((2,)), S((1,))), "For Assign, the shape of value is (1). It should be same with variable's shape (2)."),
        (P.Assign(), (S((2,)), 1.0), "For Assign, the rank of value is 0. It should be same with variable's rank 1."),
        (P.Assign(), (1.0, S((2,))), "For Assign, the rank of value is 1. It should be same with variable's rank 0."),
        (P.AssignAdd(), (S((2,)), S((3,))), "For AssignAdd, the shape of value is (3). It should be broadcastable to variable's shape (2)."),
        (P.AssignSub(), (S((2, 2)), S((3, 2))), "For AssignSub, the shape of value is (3, 2). It should be broadcastable to variable's shape (2, 2)."),
    ]  # fmt: skip
    for op, args, msg in cases:
        with pytest.raises(MsValueError) as info:
            op.infer(*args)
        assert str(info.value) == msg
    assert P.AssignAdd().infer(S((2, 2)), S(())) == S((2, 2))


def test_apply_momentum_matches_r16_bits() -> None:
    v, acc = f32([1.0, 2.0]), f32([0.5, 0.5])
    out = P.ApplyMomentum().kernel(
        None, v, acc, np.array(0.1, np.float32), f32([1.0, 1.0]), np.array(0.9, np.float32)
    )
    assert [float(t).hex() for t in v] == MOMENTUM_V
    assert [float(t).hex() for t in acc] == MOMENTUM_ACC
    assert out.tolist() == v.tolist()  # the output is the updated variable (Ascend)


def test_apply_momentum_nesterov_and_scalars() -> None:
    v, acc = f32([1.0, 2.0]), f32([0.5, 0.5])
    P.ApplyMomentum(use_nesterov=True).kernel(None, v, acc, 0.1, f32([1.0, 1.0]), 0.9)
    # acc = 0.5*0.9 + 1 = 1.45; v -= 0.1*1 + 1.45*0.9*0.1
    np.testing.assert_allclose(v, [1 - 0.1 - 0.1305, 2 - 0.1 - 0.1305], rtol=1e-6)
    spec = P.ApplyMomentum().infer(S((2,)), S((2,)), 0.1, S((2,), mstype.float16), 0.9)
    assert spec == S((2,))


def test_apply_momentum_errors() -> None:
    with pytest.raises(MsTypeError) as info:
        P.ApplyMomentum(use_nesterov=1)
    assert (
        str(info.value) == "For 'ApplyMomentum', the 'use_nesterov' should be a bool, but got int."
    )
    with pytest.raises(MsTypeError) as info:
        P.ApplyMomentum(use_locking=1)
    assert (
        str(info.value) == "For 'ApplyMomentum', the 'use_locking' should be a bool, but got int."
    )
    with pytest.raises(MsTypeError) as info:
        P.ApplyMomentum().infer(S((2,), I32), S((2,), I32), S((), I32), S((2,), I32), S((), I32))
    assert str(info.value) == (
        "For primitive[ApplyMomentum], the input argument[v_type] must be a type of "
        "{ Tensor[Float16], Tensor[Float32], Tensor[Float64],}, but got Tensor[Int32]."
    )
    # r1.6 fails these at kernel launch with RuntimeError
    with pytest.raises(
        MsRuntimeError,
        match=r"the shape of 'gradient' \(3\) must be the same as the shape of 'variable' \(2\)",
    ):
        P.ApplyMomentum().infer(S((2,)), S((2,)), S(()), S((3,)), S(()))
    with pytest.raises(MsRuntimeError, match=r"the shape of 'accumulation' \(3\)"):
        P.ApplyMomentum().infer(S((2,)), S((3,)), S(()), S((2,)), S(()))
    with pytest.raises(MsValueError, match="must be a scalar or a one-element tensor"):
        P.ApplyMomentum().infer(S((2,)), S((2,)), S((2,)), S((2,)), S(()))


def test_costs() -> None:
    two = S((2,))
    assert P.Assign().cost((two, two), (two,)) == Cost(0, 24, "vector")
    assert P.AssignAdd().cost((two, two), (two,)) == Cost(2, 24, "vector")
    assert P.ApplyMomentum().cost((two, two, S(()), two, S(())), (two,)) == Cost(10, 56, "vector")
