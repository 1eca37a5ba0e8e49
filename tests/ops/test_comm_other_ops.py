"""AllReduce, Broadcast, Depend and Print."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms import _dispatch, ops
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.tensor import Tensor
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops.primitive import Cost

from . import FakeCtx, S

HINT = (
    " . The supported data types depend on the hardware that executes the operator, please refer "
    "the official api document to get more information about the data type."
)


def test_allreduce() -> None:
    x = np.array([1.0, 2.0], np.float32)
    out = P.AllReduce().kernel(None, x)
    assert (out.tolist(), out is x) == ([1.0, 2.0], False)
    assert P.AllReduce().infer(S((2,), mstype.int8)) == S((2,), mstype.int8)
    assert P.AllReduce().cost((S((2,)),), (S((2,)),)) == Cost(2, 16, "vector")
    with pytest.raises(MsTypeError) as info:
        P.AllReduce().infer(S((2,), mstype.float64))
    assert str(info.value) == (
        "For 'AllReduce', the type of 'x' should be one of Tensor[Int8], Tensor[Int32], "
        f"Tensor[Float16], Tensor[Float32], but got Tensor[Float64]{HINT}"
    )
    with pytest.raises(
        MsTypeError, match="For 'AllReduce', the 'group' should be str, but got int."
    ):
        P.AllReduce(group=1)
    with pytest.raises(MsTypeError, match="For 'AllReduce', the 'op' should be str, but got int."):
        P.AllReduce(op=1)
    with pytest.raises(
        MsValueError,
        match=r"the 'op' should be one of \['sum', 'max', 'min', 'prod'\], but got 'xx'",
    ):
        P.AllReduce(op="xx").infer(S((2,)))
    assert P.AllReduce(op=P.ReduceOp.MAX).op == "max"


def test_broadcast(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    monkeypatch.setattr(_dispatch, "call", lambda prim, args: seen.append(args) or args)
    a, b = Tensor(np.ones(2, np.float32)), Tensor(np.ones(3, np.int32))
    assert P.Broadcast(0)((a, b)) == (a, b)
    assert seen == [(a, b)]
    assert P.Broadcast(0).infer(S((2,)), S((3,), mstype.int32)) == (S((2,)), S((3,), mstype.int32))
    outs = P.Broadcast(0).kernel(None, np.ones(2, np.float32), np.zeros(3, np.int32))
    assert [o.tolist() for o in outs] == [[1.0, 1.0], [0, 0, 0]]
    with pytest.raises(MsTypeError) as info:
        P.Broadcast(0)(a)
    assert (
        str(info.value) == "For 'Broadcast', the 'input_x' should be a tuple, but got TensorType!"
    )
    with pytest.raises(MsTypeError) as info:
        P.Broadcast(root_rank=1.0)
    assert (
        str(info.value)
        == "For 'Broadcast', the type of `root_rank` should be 'int', but got '1.0' with type 'float'."
    )


def test_depend(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    monkeypatch.setattr(
        _dispatch, "call", lambda prim, args: seen.append((prim.name, args)) or args[0]
    )
    value, expr = Tensor(np.ones(2, np.float32)), Tensor(np.zeros(1, np.float32))
    assert ops.depend(value, expr) is value
    assert ops.Depend()(value, expr) is value
    assert seen == [("Depend", (value, expr))] * 2
    assert ops.depend(1.0, expr) == 1.0  # r1.6 returns a Python constant as is
    assert P.Depend().infer(S((2,)), S((1,))) == S((2,))
    assert P.Depend().cost((S((2,)), S((1,))), (S((2,)),)) == Cost(0, 0, "none")


def test_print_in_pynative_is_pythons_print(capsys: pytest.CaptureFixture[str]) -> None:
    # r1.6 PyNative: Print.__call__ is `for arg in args: print(arg)`
    x = Tensor(np.array([1.5, 2.0], np.float32))
    y = Tensor(np.array([[1, 2], [3, 4]], np.int32))
    assert P.Print()("x:", x, "y", y) is None
    P.Print()("scalar int:", 3, 2.5, True)
    assert (
        capsys.readouterr().out == "x:\n[1.5 2. ]\ny\n[[1 2]\n [3 4]]\nscalar int:\n3\n2.5\nTrue\n"
    )


def test_print_kernel_writes_graph_mode_format() -> None:
    ctx = FakeCtx()
    out = P.Print().kernel(
        ctx, "Print Tensor x and Tensor y:", np.ones((2, 1), np.int32), np.ones((2, 2), np.int32)
    )
    # the format of r1.6's Print docstring example (graph mode)
    assert ctx.emitted == [
        "Print Tensor x and Tensor y:\n"
        "Tensor(shape=[2, 1], dtype=Int32, value=\n[[1]\n [1]])\n"
        "Tensor(shape=[2, 2], dtype=Int32, value=\n[[1 1]\n [1 1]])"
    ]
    assert (out.dtype, out.shape) == (np.int32, (1,))
    P.Print().kernel(ctx, np.array(2.0, np.float32))
    assert ctx.emitted[-1] == "2"  # r1.6's graph-mode Print writes a 0-d tensor as its value
    assert P.Print().infer("a", S((2,)), 3) == S((1,), mstype.int32)
    with pytest.raises(
        MsTypeError,
        match="For 'Print', the type of 'input' should be one of Tensor, Int, Float, Bool, String, but got list",
    ):
        P.Print().infer([1, 2])
    assert P.Print().cost(("a", S((2,))), (S((1,), mstype.int32),)) == Cost(0, 8, "aicpu")


def test_print_traced_goes_to_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    monkeypatch.setattr(_dispatch, "current_tracer", lambda: object())
    monkeypatch.setattr(_dispatch, "call", lambda prim, args: seen.append(args))
    P.Print()("in graph:", 1)
    assert seen == [("in graph:", 1)]
