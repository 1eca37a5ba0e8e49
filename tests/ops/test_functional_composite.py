"""``ops.functional`` (F) instances and helpers; ``ops.composite`` (C) mapping helpers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms import _dispatch, ops
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.tensor import Tensor
from ascendsim.ms.ops import composite as C
from ascendsim.ms.ops import functional as F
from ascendsim.ms.ops import operations as P

from . import FakeCtx


def _eager(prim: Any, args: tuple[Any, ...]) -> Any:
    """Run an op at once on the host (stands in for the runtime in these unit tests)."""
    specs = [_dispatch.spec_of(a) for a in args]
    out = prim.infer(*specs)
    values = [a.asnumpy() if isinstance(a, Tensor) else a for a in args]
    if prim.name == "Depend":
        return args[0]
    res = prim.kernel(FakeCtx(), *values)
    if isinstance(out, tuple):
        return tuple(Tensor(np.asarray(r), dtype=s.dtype) for r, s in zip(res, out, strict=True))
    return Tensor(np.asarray(res), dtype=out.dtype)


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_dispatch, "call", _eager)


def test_functional_names_are_r16_primitives() -> None:
    # r1.6: type(F.<name>).__name__ and .name
    expected = {
        "depend": "Depend", "tensor_add": "Add", "add": "Add", "cast": "Cast", "reshape": "Reshape",
        "fill": "Fill", "shape": "Shape", "dtype": "DType", "isfinite": "IsFinite",
        "square": "Square", "sqrt": "Sqrt", "reduce_sum": "ReduceSum", "assign": "Assign",
        "tensor_mul": "Mul", "zeros_like": "ZerosLike", "ones_like": "OnesLike",
        "tensor_sub": "Sub", "tensor_div": "RealDiv", "div": "RealDiv", "neg_tensor": "Neg",
        "logical_not": "LogicalNot", "less": "Less", "equal": "Equal", "maximum": "Maximum",
        "minimum": "Minimum", "mul": "Mul", "sub": "Sub", "expand_dims": "ExpandDims",
        "squeeze": "Squeeze", "transpose": "Transpose", "print_": "Print",
        "assign_add": "AssignAdd", "assign_sub": "AssignSub",
    }  # fmt: skip
    assert {n: (type(getattr(F, n)).__name__, getattr(F, n).name) for n in expected} == {
        n: (c, c) for n, c in expected.items()
    }
    assert ops.depend is F.depend and ops.Depend is P.Depend
    assert ops.tensor_add is F.tensor_add and ops.select is F.select


def test_select_with_a_scalar(eager: None) -> None:
    cond = Tensor(np.array([True, False]))
    x = Tensor(np.array([2.0, 3.0], np.float32))
    assert F.select(cond, x, 2.0).asnumpy().tolist() == [2.0, 2.0]  # r1.6 docstring example
    assert F.select(cond, 1.0, x).asnumpy().tolist() == [1.0, 3.0]
    with pytest.raises(MsTypeError, match="'cond' must be a Tensor"):
        F.select(cond, 1.0, 2.0)
    with pytest.raises(
        MsValueError, match=r"the shape of 'x' \(3,\) must equal the shape of 'cond' \(2,\)"
    ):
        F.select(cond, Tensor(np.ones(3, np.float32)), 1.0)


def test_helpers() -> None:
    t = Tensor(np.ones((2, 3), np.float32))
    assert F.identity(t) is t and F.stop_gradient(t) is t
    assert (F.rank(t), F.size(t)) == (2, 6)
    assert F.partial(lambda a, b: a - b, 5)(3) == 2
    s = F.scalar_to_tensor(3, mstype.int32)
    assert (s.shape, s.dtype, s.asnumpy().tolist()) == ((), mstype.int32, 3)


def test_multitype_func_graph() -> None:
    grad_scale = C.MultitypeFuncGraph("grad_scale")

    @grad_scale.register("Tensor", "Tensor")
    def _tensors(scale: Any, grad: Any) -> str:
        return "tensors"

    @grad_scale.register("Number", "Tensor")
    def _number(scale: Any, grad: Any) -> str:
        return "number"

    t = Tensor(np.ones(2, np.float32))
    assert (grad_scale(t, t), grad_scale(2.0, t), grad_scale(True, t)) == (
        "tensors",
        "number",
        "number",
    )
    with pytest.raises(MsTypeError) as info:
        grad_scale("a", t)
    assert str(info.value) == (
        "The 'grad_scale' operation does not support the input types (String, Tensor); "
        "registered signatures: (Tensor, Tensor); (Number, Tensor)."
    )


def test_hyper_map_and_map() -> None:
    hm = C.HyperMap()
    assert hm(lambda a, b: a * b, (1, 2, (3, 4)), (10, 20, (30, 40))) == (10, 40, (90, 160))
    assert C.HyperMap(lambda a, b: a + b)((1, 2), 10) == (11, 12)
    assert C.Map()(lambda a: a + 1, [1, 2]) == (2, 3)
    assert hm(lambda a: -a, 5) == -5
    with pytest.raises(MsTypeError, match=r"same length, got \[2, 1\]"):
        hm(lambda a, b: a, (1, 2), (3,))


def test_composite_ones_like_maps_over_tuples(eager: None) -> None:
    a, b = Tensor(np.zeros(2, np.float32)), Tensor(np.zeros((1, 2), np.int32))
    ones = C.ones_like((a, b))
    assert [o.asnumpy().tolist() for o in ones] == [[1.0, 1.0], [[1, 1]]]
    assert C.zeros_like(Tensor(np.ones(2, np.float16))).asnumpy().tolist() == [0.0, 0.0]
