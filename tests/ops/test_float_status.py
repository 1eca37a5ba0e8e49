"""NPU float-status ops (Alloc/Clear/Get) and the GPU FloatStatus: semantics and r1.6 errors."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops.primitive import Cost

from . import FakeCtx, S

HINT = (
    " . The supported data types depend on the hardware that executes the operator, please refer "
    "the official api document to get more information about the data type."
)
STATUS = S((8,))


def test_alloc_returns_zeros() -> None:
    assert P.NPUAllocFloatStatus().infer() == STATUS
    out = P.NPUAllocFloatStatus().kernel(FakeCtx())
    assert (out.dtype, out.tolist()) == (np.float32, [0.0] * 8)


def test_clear_clears_the_register_and_returns_zeros() -> None:
    ctx = FakeCtx(register=[1, 0, 0, 0, 0, 0, 0, 0])
    status = np.full(8, 7.0, np.float32)
    out = P.NPUClearFloatStatus().kernel(ctx, status)
    assert (ctx.log, ctx.register.tolist(), out.tolist()) == (["clear"], [0.0] * 8, [0.0] * 8)
    assert status.tolist() == [7.0] * 8  # Clear does not touch its input


def test_get_writes_the_register_into_its_input() -> None:
    words = [0, 1, 0, 0, 0, 0, 0, 0]
    ctx = FakeCtx(register=words)
    status = np.zeros(8, np.float32)
    out = P.NPUGetFloatStatus().kernel(ctx, status)
    assert (ctx.log, status.tolist(), out.tolist()) == (
        ["read"],
        [0, 1, 0, 0, 0, 0, 0, 0],
        [0.0] * 8,
    )
    half = np.zeros(8, np.float16)
    P.NPUGetFloatStatus().kernel(FakeCtx(register=words), half)
    assert (half.dtype, half.tolist()) == (np.float16, [0, 1, 0, 0, 0, 0, 0, 0])


def test_input_checks_match_r16() -> None:
    for op in ("NPUGetFloatStatus", "NPUClearFloatStatus"):
        prim = getattr(P, op)()
        assert prim.infer(S((8,), mstype.float16)) == STATUS  # r1.6 infers Float32 (8,)
        cases = [
            (S((8,), mstype.int32), MsTypeError, f"For '{op}', the type of 'x' should be one of Tensor[Float16], Tensor[Float32], but got Tensor[Int32]{HINT}"),
            (S((8,), mstype.float64), MsTypeError, f"For '{op}', the type of 'x' should be one of Tensor[Float16], Tensor[Float32], but got Tensor[Float64]{HINT}"),
            (1.0, MsTypeError, f"For '{op}', the type of 'x' should be one of Tensor[Float16], Tensor[Float32], but got Float32{HINT}"),
            (S((7,)), MsValueError, f"`x_shape[0]` in `{op}` should be int and must = 8, but got `7` with type `int`."),
            (S((8, 1)), MsValueError, f"`len(x_shape)` in `{op}` should be int and must = 1, but got `2` with type `int`."),
        ]  # fmt: skip
        for arg, exc, msg in cases:
            with pytest.raises(exc) as info:
                prim.infer(arg)
            assert str(info.value) == msg


def test_float_status_ops_are_side_effect_free_and_ascend_only() -> None:
    flags = [(c.side_effect, c.float_status, c.ascend_only) for c in
             (P.NPUAllocFloatStatus, P.NPUClearFloatStatus, P.NPUGetFloatStatus)]  # fmt: skip
    assert flags == [(None, "alloc", True), (None, "clear", True), (None, "get", True)]
    assert P.NPUGetFloatStatus().cost((STATUS,), (STATUS,)) == Cost(0, 64, "vector")


def test_gpu_float_status() -> None:
    assert P.FloatStatus().kernel(None, np.array([1.0, np.inf], np.float32)).tolist() == [1.0]
    assert P.FloatStatus().kernel(None, np.array([1.0, 2.0], np.float16)).tolist() == [0.0]
    assert P.FloatStatus().infer(S((3, 4), mstype.float16)) == S((1,))
    with pytest.raises(MsTypeError) as info:
        P.FloatStatus().infer(S((2,), mstype.int32))
    assert str(info.value) == (
        "For 'FloatStatus', the type of 'x' should be one of Tensor[Float32], Tensor[Float16], "
        f"Tensor[Float64], but got Tensor[Int32]{HINT}"
    )
