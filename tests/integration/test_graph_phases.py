"""GRAPH_MODE Cells as r1.6 runs them (values from r1.6 runs on CPU): the train and predict
phases compile separately (after ``set_train(False)`` BatchNorm uses its moving statistics and
Dropout passes values through; switching back finds the train graph again), and nested outputs
come back nested."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.ms import Tensor, context, nn
from tests.integration import fresh_state


@pytest.fixture(autouse=True)
def _fresh():
    fresh_state()
    context.set_context(device_target="CPU", mode=context.GRAPH_MODE)
    yield
    fresh_state()


def test_set_train_switches_between_the_train_and_predict_graphs():
    x = Tensor(np.array([[1.0, 2.0], [3.0, 6.0]], np.float32))
    bn = nn.BatchNorm1d(2)
    train = [[-0.999995, -0.9999988], [0.999995, 0.9999988]]
    np.testing.assert_allclose(bn.set_train(True)(x).asnumpy(), train, rtol=1e-6)
    np.testing.assert_allclose(
        bn.set_train(False)(x).asnumpy(), [[0.799996, 1.4032875], [2.799986, 4.911506]], rtol=1e-6
    )
    np.testing.assert_allclose(bn.moving_mean.asnumpy(), [0.2, 0.4], rtol=1e-6)
    np.testing.assert_allclose(bn.set_train(True)(x).asnumpy(), train, rtol=1e-6)
    np.testing.assert_allclose(bn.moving_mean.asnumpy(), [0.38, 0.76], rtol=1e-6)


def test_dropout_is_the_identity_in_the_predict_graph():
    x = Tensor(np.ones((4, 8), np.float32))
    drop = nn.Dropout(keep_prob=0.5)
    trained = drop.set_train(True)(x).asnumpy()
    assert set(np.unique(trained)) <= {0.0, 2.0} and (trained == 0).any()
    np.testing.assert_array_equal(drop.set_train(False)(x).asnumpy(), np.ones((4, 8)))


def test_nested_graph_outputs_come_back_as_nested_tuples():
    # r1.6: lists become tuples and a dict its values' tuple; a Cell returning
    # GradOperation(get_all=True, get_by_list=True) gives ((dx,), (dw,))
    from ascendsim.ms import Parameter, ParameterTuple, ops

    x = Tensor(np.array([3.0], np.float32))

    class Nest(nn.Cell):
        def construct(self, x):
            return ((x * 2,), [x + 1, {"a": x}])

    (a,), (b, (c,)) = Nest()(x)
    assert [t.asnumpy().tolist() for t in (a, b, c)] == [[6.0], [4.0], [3.0]]

    class W(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(np.array([2.0], np.float32)), name="w")

        def construct(self, x):
            return x * self.w

    class Grads(nn.Cell):
        def __init__(self, net):
            super().__init__()
            self.net, self.params = net, ParameterTuple(net.trainable_params())
            self.grad = ops.GradOperation(get_all=True, get_by_list=True)

        def construct(self, x):
            return self.grad(self.net, self.params)(x)

    (dx,), (dw,) = Grads(W())(x)
    assert (dx.asnumpy().tolist(), dw.asnumpy().tolist()) == ([2.0], [3.0])


def test_a_cell_with_two_parameters_of_one_name_does_not_compile():
    # r1.6's check, also when the second one is unused
    from ascendsim.ms import Parameter

    class Twice(nn.Cell):
        def __init__(self):
            super().__init__()
            self.a = Parameter(Tensor(np.ones(2, np.float32)), name="same")
            self.b = Parameter(Tensor(np.ones(2, np.float32)), name="same")

        def construct(self, x):
            return x * self.a

    with pytest.raises(
        ValueError,
        match="^The value of b is Parameter \\(name=same, shape=\\(2,\\), dtype=Float32, requires_grad=True\\), its name 'same' already exists.$",
    ):
        Twice()(Tensor(np.ones(2, np.float32)))


def test_a_graph_that_prints_has_printed_when_the_call_returns(capsys):
    from ascendsim.ms import ops

    class Show(nn.Cell):
        def __init__(self):
            super().__init__()
            self.print = ops.Print()

        def construct(self, x):
            self.print(x)
            return x * 2

    result = Show()(Tensor(np.array([1.0, 2.0], np.float32)))
    print("after call")
    assert capsys.readouterr().out.splitlines() == [
        "Tensor(shape=[2], dtype=Float32, value=[ 1.00000000e+00  2.00000000e+00])",
        "after call",
    ]  # r1.6's order (CPU)
    assert result.asnumpy().tolist() == [2.0, 4.0]


def test_a_graph_call_with_the_wrong_number_of_inputs_as_r16():
    class Two(nn.Cell):
        def construct(self, x, y=2):
            return x * y

    x = Tensor(np.ones(2, np.float32))
    assert Two()(x).asnumpy().tolist() == [2.0, 2.0]
    with pytest.raises(
        TypeError,
        match="^For 'Cell', the function construct need 1 positional argument and 1 default argument, total 2, but got 3.$",
    ):
        Two()(x, x, x)
    with pytest.raises(
        TypeError,
        match="^For 'Cell', the function construct need 1 positional argument, but got 0.$",
    ):
        Two()()
    assert type(nn.SequentialCell([nn.ReLU()]).cells()).__name__ == "odict_values"
