"""MatMul / BatchMatMul: r1.6 checks and messages, bit-exact values, cube costs."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops.primitive import Cost

from . import S, digest
from .golden_r16 import HASHES

F16, I32 = mstype.float16, mstype.int32


def test_infer_shapes() -> None:
    assert P.MatMul().infer(S((2, 3)), S((3, 4))) == S((2, 4))
    assert P.MatMul(transpose_a=True).infer(S((3, 2)), S((3, 4))) == S((2, 4))
    assert P.MatMul(transpose_b=True).infer(S((2, 3), F16), S((4, 3), F16)) == S((2, 4), F16)
    assert P.BatchMatMul().infer(S((2, 1, 2, 3)), S((3, 3, 4))) == S((2, 3, 2, 4))
    assert P.BatchMatMul().infer(S((2, 2, 3)), S((3, 4))) == S((2, 2, 4))
    assert P.BatchMatMul(True, True).infer(S((2, 3, 2)), S((2, 2, 3))) == S((2, 2, 2))


def test_errors_match_r16() -> None:
    cases = [
        (P.MatMul(), (S((2, 3)), S((2, 3))), MsValueError, "For 'MatMul', the input dimensions must be equal, but got 'x1_col': 3 and 'x2_row': 2. And 'x' shape [2, 3](transpose_a=False), 'y' shape [2, 3](transpose_b=False)."),
        (P.MatMul(transpose_b=True), (S((2, 3)), S((4, 2))), MsValueError, "For 'MatMul', the input dimensions must be equal, but got 'x1_col': 3 and 'x2_row': 2. And 'x' shape [2, 3](transpose_a=False), 'y' shape [4, 2](transpose_b=True)."),
        (P.MatMul(), (S((2, 2, 3)), S((3, 2))), MsValueError, "For 'MatMul', inputs 'x', 'y' should have the same dimension size and be equal to 2, but got the size of 'x': (3) and the size of 'y': (2)."),
        (P.MatMul(), (S((2, 3), I32), S((3, 2))), MsTypeError, "For 'MatMul', type of 'x2' should be same as 'x1', but got 'x1' with type Tensor[Int32] and 'x2' with type Tensor[Float32]."),
        (P.MatMul(), (S((2, 3), F16), S((3, 2))), MsTypeError, "For 'MatMul', type of 'x2' should be same as 'x1', but got 'x1' with type Tensor[Float16] and 'x2' with type Tensor[Float32]."),
        (P.MatMul(), (S((2, 3)), 2.0), MsTypeError, "For 'MatMul', the type of 'x2' should be one of Tensor[Float16], Tensor[Float32], Tensor[Float64], Tensor[Int8], Tensor[Int16], Tensor[Int32], Tensor[Int64], but got Float32 . The supported data types depend on the hardware that executes the operator, please refer the official api document to get more information about the data type."),
        (P.BatchMatMul(), (S((2, 3)), S((3, 2))), MsValueError, "For 'BatchMatMul', input 'x' should be greater than or equal to 3, input 'y' should be greater than or equal to 2, but got 'x' size: 2, 'y' size: 2."),
        (P.BatchMatMul(), (S((2, 2, 3)), S((2, 2, 3))), MsValueError, "For 'BatchMatMul', the input dimensions must be equal, but got 'x1_col': 3 and 'x2_row': 2. And 'x' shape [2, 2, 3](transpose_a=False), 'y' shape [2, 2, 3](transpose_b=False)."),
        (P.BatchMatMul(), (S((2, 2, 3)), S((3, 3, 2))), MsValueError, "For 'BatchMatMul', the batch dimensions of 'x' [2] and 'y' [3] can not broadcast (x shape [2, 2, 3], y shape [3, 3, 2])."),
    ]  # fmt: skip
    for op, args, exc, msg in cases:
        with pytest.raises(exc) as info:
            op.infer(*args)
        assert str(info.value) == msg
    with pytest.raises(MsTypeError) as info:
        P.MatMul(transpose_a=1)
    assert (
        str(info.value)
        == "For 'MatMul', the type of `transpose_a` should be 'bool', but got '1' with type 'int'."
    )


@pytest.mark.parametrize("k", [27, 100, 500, 768])
def test_gemm_order_is_bit_exact(k: int) -> None:
    rs = np.random.RandomState(0)
    for kk in (27, 100, 500, 768):  # same draws as the r1.6 capture
        a = rs.randn(5, kk).astype(np.float32)
        b = rs.randn(kk, 7).astype(np.float32)
        if kk == k:
            break
    out = P.MatMul().kernel(None, a, b)
    assert digest(out) == HASHES[f"matmul_K{k}"]
    assert np.allclose(out, a.astype(np.float64) @ b, rtol=1e-5, atol=1e-4)


def test_transpose_b_uses_the_dot_order() -> None:
    rs = np.random.RandomState(1)
    rs.randn(3, 4, 50), rs.randn(3, 50, 6)  # draws used by the BatchMatMul capture
    a, b = rs.randn(6, 40).astype(np.float32), rs.randn(5, 40).astype(np.float32)
    assert digest(P.MatMul(transpose_b=True).kernel(None, a, b)) == HASHES["matmul_tb"]
    rs = np.random.RandomState(5)
    a, b = rs.randn(6, 1200).astype(np.float32), rs.randn(5, 1200).astype(np.float32)
    assert digest(P.MatMul(transpose_b=True).kernel(None, a, b)) == HASHES["matmul_tb_K1200"]


def test_batch_and_float16_are_bit_exact() -> None:
    rs = np.random.RandomState(1)
    a, b = rs.randn(3, 4, 50).astype(np.float32), rs.randn(3, 50, 6).astype(np.float32)
    assert digest(P.BatchMatMul().kernel(None, a, b)) == HASHES["bmm"]
    rs.randn(6, 40), rs.randn(5, 40)
    h, g = rs.randn(4, 64).astype(np.float16), rs.randn(64, 5).astype(np.float16)
    out = P.MatMul().kernel(None, h, g)
    assert (out.dtype, digest(out)) == (np.float16, HASHES["matmul_f16"])


def test_small_values_match_r16() -> None:
    out = P.BatchMatMul().kernel(
        None, np.ones((2, 1, 2, 3), np.float32), np.ones((3, 3, 4), np.float32)
    )
    assert (out.shape, float(out.min()), float(out.max())) == ((2, 3, 2, 4), 3.0, 3.0)
    x = np.arange(12, dtype=np.float32)
    out = P.BatchMatMul(True, True).kernel(None, x.reshape(2, 3, 2), x.reshape(2, 2, 3))
    assert out.tolist() == [[[10.0, 28.0], [13.0, 40.0]], [[172.0, 244.0], [193.0, 274.0]]]
    ints = P.MatMul().kernel(None, np.array([[1, 2]], np.int32), np.array([[3], [4]], np.int32))
    assert (ints.dtype, ints.tolist()) == (np.int32, [[11]])
    y2 = P.BatchMatMul().kernel(None, np.ones((2, 2, 3), np.float32), np.ones((3, 4), np.float32))
    assert y2.tolist() == [[[3.0] * 4] * 2] * 2


def test_cube_costs() -> None:
    assert P.MatMul().cost((S((2, 3)), S((3, 4))), (S((2, 4)),)) == Cost(48, 104, "cube")
    assert P.MatMul(transpose_a=True).cost(
        (S((3, 2), F16), S((3, 4), F16)), (S((2, 4), F16),)
    ) == Cost(48, 52, "cube")
    assert P.BatchMatMul().cost((S((5, 2, 3)), S((3, 4))), (S((5, 2, 4)),)) == Cost(
        240, 328, "cube"
    )


def test_large_products_fall_back_to_blas(monkeypatch: pytest.MonkeyPatch) -> None:
    from ascendsim.ms.ops import _accumulate

    rs = np.random.RandomState(0)
    a, b = rs.randn(5, 27).astype(np.float32), rs.randn(27, 7).astype(np.float32)
    monkeypatch.setattr(_accumulate, "EXACT_MAC_LIMIT", 5 * 27 * 7 - 1)
    out = P.MatMul().kernel(None, a, b)
    assert (out.dtype, out.tolist()) == (np.float32, np.matmul(a, b).tolist())
