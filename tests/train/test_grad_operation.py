"""GradOperation: r1.6's outputs and errors, one graph for forward and backward, shape-only
gradients, the forward traced once (shared with the loss), dead backward code left out."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ascendsim.errors import MsRuntimeError, MsTypeError
from ascendsim.ms import Parameter, ParameterTuple, Tensor, context, nn
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import composite as C
from ascendsim.ms.ops import functional as F
from ascendsim.ms.ops.primitive import Primitive, Spec


class Net(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
        self.u = Parameter(Tensor(np.array([3.0], np.float32)), name="u")

    def construct(self, x: Any, y: Any) -> Any:
        return x * self.w * y


X = np.array([1.0, 2.0], np.float32)
Y = np.array([5.0, 7.0], np.float32)


def _r(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_r(v) for v in value)
    return value.asnumpy().tolist()


def test_outputs_match_r16() -> None:
    # golden values captured from MindSpore r1.6 (CPU) with the same net and inputs
    net, x, y = Net(), Tensor(X), Tensor(Y)
    w = ParameterTuple(net.trainable_params())
    assert _r(C.GradOperation()(net)(x, y)) == [5.0, 14.0]
    assert _r(C.GradOperation(get_all=True)(net)(x, y)) == ([5.0, 14.0], [1.0, 4.0])
    assert _r(C.GradOperation(get_by_list=True)(net, w)(x, y)) == ([5.0, 14.0], [0.0])
    assert _r(C.GradOperation(get_by_list=True)(net, net.w)(x, y)) == [5.0, 14.0]
    both = C.GradOperation(get_all=True, get_by_list=True)(net, ParameterTuple([net.w]))(x, y)
    assert _r(both) == (([5.0, 14.0], [1.0, 4.0]), ([5.0, 14.0],))
    sens = Tensor(np.array([10.0, 100.0], np.float32))
    assert _r(C.GradOperation(sens_param=True)(net)(x, y, sens)) == [50.0, 1400.0]
    assert str(C.GradOperation()(net)(x, y)) == "[ 5. 14.]"
    ints = C.GradOperation(get_all=True)(net)(Tensor(np.array([1, 2], np.int32)), y)
    assert (ints[0].dtype, _r(ints)) == (mstype.int32, ([5, 14], [1.0, 4.0]))


def test_assign_rule_matches_r16() -> None:
    class A(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.p = Parameter(Tensor(np.zeros(2, np.float32)), name="p")

        def construct(self, x: Any) -> Any:
            y = x * 3.0
            F.assign(self.p, y * 2.0)
            return y + self.p

    net, x = A(), Tensor(X)
    assert _r(C.GradOperation(get_all=True)(net)(x)) == ([3.0, 3.0],)  # r1.6
    assert _r(C.GradOperation(get_by_list=True)(net, ParameterTuple([net.p]))(x)) == ([1.0, 1.0],)


def test_bad_arguments_raise_r16_errors() -> None:
    with pytest.raises(
        MsTypeError, match="^For 'GradOperation', the 'get_all' should be bool, but got int$"
    ):
        C.GradOperation(get_all=1)
    with pytest.raises(MsTypeError, match="'sens_param' should be bool, but got str"):
        C.GradOperation(sens_param="x")
    net = Net()
    with pytest.raises(MsRuntimeError, match="get_by_list=True needs the weights"):
        C.GradOperation(get_by_list=True)(net)
    with pytest.raises(MsTypeError, match="weights must be Parameters .* got Tensor"):
        C.GradOperation(get_by_list=True)(net, [Tensor(X)])
    with pytest.raises(MsTypeError) as info:
        C.GradOperation(sens_param=True)(net)(Tensor(X), Tensor(Y))
    assert str(info.value).startswith(
        "The parameters number of the function is 3, but the number of provided arguments is 2."
    )


class NoRule(Primitive):
    """An op ascendsim has no differentiation rule for."""

    def infer(self, x: Any) -> Spec:
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        return x * 2


def test_an_op_without_a_rule_raises_only_on_the_gradient_path() -> None:
    op = NoRule()
    with pytest.raises(MsRuntimeError) as info:
        C.GradOperation()(lambda x: op(x) * 3.0)(Tensor(X))
    assert str(info.value).startswith("Illegal primitive: Primitive NoRule's bprop not defined.")
    assert "register_bprop('NoRule')" in str(info.value)
    # off the path from the differentiated input, it needs no rule
    grad = C.GradOperation()(lambda x, y: x * 3.0 + op(y) * 0.0)(Tensor(X), Tensor(Y))
    assert _r(grad) == [3.0, 3.0]


class Mlp(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Dense(4, 8)
        self.bn = nn.BatchNorm1d(8)
        self.relu = nn.ReLU()
        self.fc2 = nn.Dense(8, 2)

    def construct(self, x: Any) -> Any:
        return self.fc2(self.relu(self.bn(self.fc1(x))))


def _train_graph(shape_only: bool) -> Any:
    context.set_context(shape_only=shape_only)
    net = Mlp()
    opt = nn.Momentum(net.trainable_params(), 0.1, 0.9)
    train = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
    train.set_train()
    if shape_only:
        x, y = (
            Tensor._shape_only((16, 4), mstype.float32),
            Tensor._shape_only((16, 2), mstype.float32),
        )
    else:
        x = Tensor(np.random.RandomState(0).randn(16, 4).astype(np.float32))
        y = Tensor(np.random.RandomState(1).randn(16, 2).astype(np.float32))
    loss = train(x, y)
    (cg,) = train._ascendsim_graphs.values()
    return net, loss, cg


def test_one_graph_holds_forward_backward_and_update_with_the_forward_once() -> None:
    net, loss, cg = _train_graph(shape_only=False)
    ops_in_graph = [n.op_name for n in cg.graph.nodes]
    # forward (2 MatMul) + backward (dW of both layers, dX of the second only: nothing wants
    # the gradient of the input batch) = 5 MatMul; one BatchNorm (the second trace merged)
    assert ops_in_graph.count("MatMul") == 5
    assert ops_in_graph.count("BatchNorm") == 1
    assert ops_in_graph.count("ApplyMomentum") == 6
    assert ops_in_graph[-1] == "Depend"  # the loss, returned after the update
    # the moving statistics were updated once in the step: 0.9 * 0 + 0.1 * batch mean
    batch_mean = net.bn.moving_mean.asnumpy() / 0.1
    assert np.all(np.isfinite(batch_mean)) and np.abs(batch_mean).max() > 0
    updates = [n for n in cg.graph.nodes if n.op_name == "ApplyMomentum"]
    # issued from the last parameter to the first (r1.6's hyper_map_reverse), in memory order
    assert [n.inputs[0].obj.name for n in updates] == [
        "fc2.bias",
        "fc2.weight",
        "bn.beta",
        "bn.gamma",
        "fc1.bias",
        "fc1.weight",
    ]
    mem = [(e.src, e.dst) for e in cg.graph.edges if e.kind == "mem"]
    ids = [n.id for n in updates]
    assert all((a, b) in mem for a, b in zip(ids, ids[1:], strict=False))


def test_shape_only_runs_give_shape_only_gradients() -> None:
    context.set_context(shape_only=True)
    net = Mlp()
    grads = C.GradOperation(get_by_list=True)(net, ParameterTuple(net.trainable_params()))(
        Tensor._shape_only((16, 4), mstype.float32)
    )
    assert [(tuple(g.shape), g.dtype) for g in grads] == [
        ((8, 4), mstype.float32), ((8,), mstype.float32), ((8,), mstype.float32),
        ((8,), mstype.float32), ((2, 8), mstype.float32), ((2,), mstype.float32)]  # fmt: skip
    for g in grads:
        with pytest.raises(MsRuntimeError, match="shape-only"):
            g.asnumpy()


class _Triple(nn.Cell):
    def construct(self, x: Any) -> Any:
        return x * 3

    def bprop(self, x: Any, out: Any, dout: Any) -> Any:
        return (dout * 100,)


class _Two(nn.Cell):
    def construct(self, x: Any, y: Any) -> Any:
        return x * y

    def bprop(self, x: Any, y: Any, out: Any, dout: Any) -> Any:
        return (dout * 2, dout * y * 10)


class _UsesTriple(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.c = _Triple()

    def construct(self, x: Any) -> Any:
        return self.c(x) * x


class _UsesTwo(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.t = _Two()

    def construct(self, x: Any, y: Any) -> Any:
        return (self.t(x, y) + x).sum()


@pytest.mark.parametrize("mode", [context.PYNATIVE_MODE, context.GRAPH_MODE])
def test_a_cells_own_bprop_gives_its_input_gradients(mode: int) -> None:
    # values from r1.6 (CPU), both modes: d(c(x) * x) = bprop's 100 * dout * x + c(x)
    context.set_context(mode=mode, device_target="CPU")
    x, y = Tensor(X), Tensor(Y)
    assert _r(C.GradOperation()(_UsesTriple())(x)) == [103.0, 206.0]
    assert _r(C.GradOperation(get_all=True)(_UsesTwo())(x, y)) == ([3.0, 3.0], [50.0, 70.0])


def test_a_bprop_must_give_one_gradient_per_input() -> None:
    class Short(nn.Cell):
        def construct(self, x: Any, y: Any) -> Any:
            return x * y

        def bprop(self, x: Any, y: Any, out: Any, dout: Any) -> Any:
            return (dout * 10,)

    class Uses(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.s = Short()

        def construct(self, x: Any, y: Any) -> Any:
            return self.s(x, y).sum()

    with pytest.raises(
        MsRuntimeError, match="Short.bprop returned 1 gradient\\(s\\) for 2 input\\(s\\)"
    ):
        C.GradOperation(get_all=True)(Uses())(Tensor(X), Tensor(Y))
