"""Tensor operators and methods registered by the ops layer (values captured from r1.6 1.6.1).

The ``eager`` fixture stands in for the runtime: each op call runs infer + kernel on the host.
"""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsTypeError
from ascendsim.ms import _dispatch
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.tensor import Tensor

from .test_functional_composite import _eager


@pytest.fixture(autouse=True)
def eager(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []

    def call(prim, args):  # type: ignore[no-untyped-def]
        names.append(prim.name)
        return _eager(prim, args)

    monkeypatch.setattr(_dispatch, "call", call)
    return names


def f32(values: object) -> Tensor:
    return Tensor(np.array(values, np.float32))


def i32(values: object) -> Tensor:
    return Tensor(np.array(values, np.int32))


def result(t: Tensor) -> tuple[str, list[int], object]:
    return str(t.dtype), list(t.shape), t.asnumpy().tolist()


def test_operators_match_r16(eager: list[str]) -> None:
    a = i32([1, 2])
    assert result(a + 2.5) == ("Float32", [2], [3.5, 4.5])
    assert result(2.5 + a) == ("Float32", [2], [3.5, 4.5])
    assert result(1 - f32([1.0, 2.0])) == ("Float32", [2], [0.0, -1.0])
    assert result(1 / f32([1.0, 2.0])) == ("Float32", [2], [1.0, 0.5])
    assert result(i32([-7, 7]) / i32([2, 2])) == ("Int32", [2], [-3, 3])
    assert result(a * a) == ("Int32", [2], [1, 4])
    assert result(-a) == ("Int32", [2], [-1, -2])
    assert result(a + [1, 1]) == ("Int32", [2], [2, 3])
    assert eager == ["Add", "Add", "Sub", "RealDiv", "RealDiv", "Mul", "Neg", "Add"]
    b = a
    b += 1  # r1.6: a new tensor, not an in-place update
    assert (result(b)[2], result(a)[2]) == ([2, 3], [1, 2])


def test_comparisons_match_r16() -> None:
    assert result(f32([1.0, 2.0]) == f32([1.0, 3.0])) == ("Bool", [2], [True, False])
    assert result(f32([1.0, 2.0]) < 2) == ("Bool", [2], [True, False])
    assert result(f32([1.0, 2.0]) >= 2) == ("Bool", [2], [False, True])
    assert result(f32([1.0, 2.0]) != 2.0) == ("Bool", [2], [True, False])
    flags = Tensor(np.array([True]))
    assert result(flags == flags) == ("Bool", [1], [True])  # r1.6 compares Bool on the host
    assert result(~Tensor(np.array([True, False]))) == ("Bool", [2], [False, True])
    assert (f32([1.0]) == "a", f32([1.0]) != None) == (False, True)  # noqa: E711


def test_no_matmul_operator_as_r16() -> None:
    with pytest.raises(TypeError, match="unsupported operand type"):
        f32([[1.0, 2.0]]) @ f32([[1.0], [2.0]])


def test_implicit_conversion_error_through_operator() -> None:
    with pytest.raises(MsTypeError) as info:
        f32([1.0, 2.0]) + "a"
    assert str(info.value) == (
        "For 'Add', the 1th input var is a not support implicit conversion. Its type is str, and "
        "the value is a. Only support Tensor or Scalar."
    )


def test_methods_match_r16() -> None:
    m = f32([[1.0, 2.0], [3.0, 4.0]])
    assert result(m.sum()) == ("Float32", [], 10.0)
    assert result(m.sum(axis=1, keepdims=True)) == ("Float32", [2, 1], [[3.0], [7.0]])
    assert result(m.mean()) == ("Float32", [], 2.5)
    assert result(m.mean(0, True)) == ("Float32", [1, 2], [[2.0, 3.0]])
    assert result(f32([[1.0, 5.0], [3.0, 4.0]]).max(axis=0)) == ("Float32", [2], [3.0, 5.0])
    assert result(m.min(initial=2.0)) == ("Float32", [], 1.0)
    assert result(f32([1.5]).astype(mstype.int32)) == ("Int32", [1], [1])
    assert result(f32([1.0, 2.0, 3.0, 4.0]).reshape(2, 2)) == (
        "Float32",
        [2, 2],
        [[1.0, 2.0], [3.0, 4.0]],
    )
    assert result(f32([1.0, 2.0, 3.0, 4.0]).reshape((2, 2))) == (
        "Float32",
        [2, 2],
        [[1.0, 2.0], [3.0, 4.0]],
    )
    assert result(f32([-1.0, 2.0]).abs()) == ("Float32", [2], [1.0, 2.0])
    assert result(f32(np.ones((2, 3))).transpose()) == ("Float32", [3, 2], [[1.0, 1.0]] * 3)
    assert result(f32(np.ones((1, 3))).squeeze()) == ("Float32", [3], [1.0] * 3)
    assert result(f32(np.ones(3)).expand_dims(0)) == ("Float32", [1, 3], [[1.0] * 3])
    assert result(m.ravel()) == ("Float32", [4], [1.0, 2.0, 3.0, 4.0])
    assert result(m.flatten(order="F")) == ("Float32", [4], [1.0, 3.0, 2.0, 4.0])
    assert result(m.view(4, 1)) == ("Float32", [4, 1], [[1.0], [2.0], [3.0], [4.0]])
    assert result(Tensor(np.array([True, True, False])).sum()) == ("Int32", [], 2)


def test_method_errors() -> None:
    with pytest.raises(
        MsTypeError, match="For 'Tensor.sum', the type of the argument 'keepdims' must be int"
    ):
        f32([1.0]).sum(keepdims="yes")
    with pytest.raises(ValueError, match="The shape variable should not be empty"):
        f32([1.0]).view()


def test_method_argument_errors_as_r16() -> None:
    # messages from r1.6 (CPU); they come from the Tensor methods, before any op
    x = f32(np.ones((2, 3)))
    cases = [
        (lambda: x.sum(axis=2), ValueError, "The axis 2 is out of bounds for array of dimension 2"),
        (lambda: x.max(axis=5), ValueError, "The axis 5 is out of bounds for array of dimension 2"),
        (lambda: x.transpose(0), TypeError, "The `axes` should be a tuple/list, or series of int, but got <class 'int'>"),
        (lambda: x.squeeze(4), ValueError, "The axis 4 is out of bounds for tensor of dimension 2"),
        (lambda: x.expand_dims(5), ValueError, "`axis`  should be in range of [-3, 3), but got 5 with type `int`."),
        (lambda: x.flatten(order="K"), ValueError, "only `C` and `F` are supported as order, but got K"),
        (lambda: x.reshape(3.0, 2), TypeError, "For 'Reshape', the type of `shape[0]` should be 'int', but got '3.0' with type 'float'."),
        (lambda: f32(3.0).sum(axis=0), ValueError, "The axis 0 is out of bounds for array of dimension 0"),
        (lambda: f32(3.0).squeeze(0), ValueError, "The axis 0 is out of bounds for tensor of dimension 0"),
    ]  # fmt: skip
    for call, kind, message in cases:
        with pytest.raises(kind) as info:
            call()
        assert str(info.value) == message
