"""Reductions: axis handling, r1.6 errors, bit-exact values (goldens from r1.6 1.6.1, CPU)."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops.primitive import Cost

from . import S, digest
from .golden_r16 import HASHES

HINT = (
    " . The supported data types depend on the hardware that executes the operator, please refer "
    "the official api document to get more information about the data type."
)


@pytest.mark.parametrize(
    ("op", "axis", "shape"),
    [
        (P.ReduceSum(), 1, (2, 4)),
        (P.ReduceSum(), -1, (2, 3)),
        (P.ReduceSum(), (0, 2), (3,)),
        (P.ReduceSum(), [0, 1], (4,)),
        (P.ReduceSum(), (), ()),
        (P.ReduceSum(), (1, 1), (2, 4)),
        (P.ReduceSum(), (1, -2), (2, 4)),
        (P.ReduceMean(keep_dims=True), (0, 2), (1, 3, 1)),
        (P.ReduceMax(keep_dims=True), (), (1, 1, 1)),
    ],
)
def test_infer_shapes(op: P.ReduceSum, axis: object, shape: tuple[int, ...]) -> None:
    assert op.infer(S((2, 3, 4)), axis) == S(shape)


def test_errors_match_r16() -> None:
    cases = [
        (P.ReduceSum(), (S((2, 3)), 2), MsValueError, "`axis` in `ReduceSum` should be in range of [-2, 2), but got 2 with type `int`."),
        (P.ReduceSum(), (S((2, 3)), -3), MsValueError, "`axis` in `ReduceSum` should be in range of [-2, 2), but got -3 with type `int`."),
        (P.ReduceSum(), (S((2, 3)), 1.0), MsTypeError, "For 'ReduceSum', the type of `axis` should be one of '['int', 'tuple', 'list']', but got '1.0' with type 'float'."),
        (P.ReduceMean(), (S((2, 3)), (0, 1.0)), MsTypeError, "For 'ReduceMean', the type of `axis[1]` should be 'int', but got '1.0' with type 'float'."),
        (P.ReduceSum(), (S((2, 3)), None), MsValueError, "For 'ReduceSum', the 'axis' cannot be None, but got {'shape': None, 'dtype': None, 'value': None}."),
        (P.ReduceMean(), (S((2, 3), mstype.bool_),), MsTypeError, "For 'ReduceMean', the type of 'input_x' should be one of Tensor[Int8], Tensor[Int16], Tensor[Int32], Tensor[Int64], Tensor[UInt8], Tensor[UInt16], Tensor[UInt32], Tensor[UInt64], Tensor[Float16], Tensor[Float32], Tensor[Float64], Tensor[Complex64], Tensor[Complex128], but got Tensor[Bool]" + HINT),
        (P.ReduceSum(), (2.0,), MsTypeError, "For 'ReduceSum', the type of 'input_x' should be one of Tensor[Int8], Tensor[Int16], Tensor[Int32], Tensor[Int64], Tensor[UInt8], Tensor[UInt16], Tensor[UInt32], Tensor[UInt64], Tensor[Float16], Tensor[Float32], Tensor[Float64], Tensor[Complex64], Tensor[Complex128], Tensor[Bool], but got Float32" + HINT),
    ]  # fmt: skip
    for op, args, exc, msg in cases:
        with pytest.raises(exc) as info:
            op.infer(*args)
        assert str(info.value) == msg
    with pytest.raises(MsTypeError) as info:
        P.ReduceSum(keep_dims=1)
    assert (
        str(info.value)
        == "For 'ReduceSum', the type of `keep_dims` should be 'bool', but got '1' with type 'int'."
    )


def test_bit_exact_sums_and_means_match_r16() -> None:
    x = np.random.RandomState(2).randn(4, 1000, 3).astype(np.float32)
    assert digest(P.ReduceSum().kernel(None, x, 1)) == HASHES["sum_ax1"]
    assert float(P.ReduceSum().kernel(None, x, ())).hex() == HASHES["sum_all"]
    assert digest(P.ReduceMean(keep_dims=True).kernel(None, x, (0, 2))) == HASHES["mean_02_keep"]
    assert float(P.ReduceMean().kernel(None, x, ())).hex() == HASHES["mean_all"]
    assert digest(P.ReduceMax().kernel(None, x, 1)) == HASHES["max_ax1"]
    # numpy's pairwise sum differs from r1.6 in the last bits: the order matters
    assert float(np.float32(x.sum())).hex() != HASHES["sum_all"]


def test_small_values_match_r16() -> None:
    m = np.array([[1.0, 2.0], [3.0, 0.0]], np.float32)
    assert P.ReduceMax(keep_dims=True).kernel(None, m, ()).tolist() == [[3.0]]
    assert P.ReduceSum().kernel(None, m, -1).tolist() == [3.0, 3.0]
    assert P.ReduceSum().kernel(None, m, [0, 1]).tolist() == 6.0
    assert P.ReduceMean().kernel(None, np.array([[1, 2], [3, 5]], np.int32), 1).tolist() == [1, 4]
    assert P.ReduceMean().kernel(None, np.array([-3, -4], np.int32), ()).tolist() == -3
    assert P.ReduceMin().kernel(None, m, 0).tolist() == [1.0, 0.0]
    assert P.ReduceSum().kernel(None, np.array([True, False]), ()).tolist() is True
    half = P.ReduceSum().kernel(None, np.full(4096, 1.0, np.float16), ())
    assert (half.dtype, half.tolist()) == (np.float16, 4096.0)  # float32 accumulation


def test_cost_counts_input_elements() -> None:
    assert P.ReduceSum().cost((S((4, 1000, 3)), 1), (S((4, 3)),)) == Cost(12000, 48048, "vector")
