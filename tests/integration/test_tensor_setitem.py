"""``x[index] = value`` (Tensor.__setitem__), through the simulated runtime: values, errors and
the graph-mode node. Expected values come from the same statements run on r1.6 (CPU)."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import MsIndexError, MsRuntimeError, MsValueError
from ascendsim.ms import Parameter, Tensor, context, nn
from tests.integration import fresh_state, trace


@pytest.fixture(autouse=True)
def _fresh():
    fresh_state()
    context.set_context(device_target="CPU", mode=context.PYNATIVE_MODE)
    yield
    fresh_state()


def _x() -> Tensor:
    return Tensor(np.arange(12).reshape(3, 4).astype(np.float32))


R0 = [0.0, 1.0, 2.0, 3.0]
R1 = [4.0, 5.0, 6.0, 7.0]
R2 = [8.0, 9.0, 10.0, 11.0]


@pytest.mark.parametrize(
    ("index", "value", "expected"),
    [
        (0, 5.0, [[5.0] * 4, R1, R2]),
        ((slice(None), 1), 9, [[0, 9, 2, 3], [4, 9, 6, 7], [8, 9, 10, 11]]),
        (-1, Tensor(np.array([1, 2, 3, 4], np.int32)), [R0, R1, [1, 2, 3, 4]]),
        (Ellipsis, 7, [[7.0] * 4] * 3),
        (slice(0, 3, 2), [1.0, 2.0, 3.0, 4.0], [[1, 2, 3, 4], R1, [1, 2, 3, 4]]),
        ((0, slice(1, 3)), (8, 9), [[0, 8, 9, 3], R1, R2]),
        (Tensor(np.array([0, 2])), 1.5, [[1.5] * 4, R1, [1.5] * 4]),
        ([0, 2], 2, [[2.0] * 4, R1, [2.0] * 4]),
        (None, 3, [[3.0] * 4] * 3),
        ((0, 1), 2.5, [[0, 2.5, 2, 3], R1, R2]),
        ((slice(None), None, 1), 4, [[0, 4, 2, 3], [4, 4, 6, 7], [8, 4, 10, 11]]),
    ],
)
def test_values_as_r16(index, value, expected):
    x = _x()
    x[index] = value
    np.testing.assert_array_equal(x.asnumpy(), np.array(expected, np.float32))


def test_masks_casts_parameters_and_scalars():
    x = _x()
    x[x > 5] = 0
    np.testing.assert_array_equal(x.asnumpy(), [R0, [4, 5, 0, 0], [0, 0, 0, 0]])
    i = Tensor(np.arange(4).astype(np.int32))
    i[1] = 2.7  # cast to the tensor's dtype
    assert (str(i.dtype), i.asnumpy().tolist()) == ("Int32", [0, 2, 2, 3])
    q = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="q")
    q[0] = 5.0
    assert (q.name, q.asnumpy().tolist()) == ("q", [5.0, 2.0])
    s = Tensor(np.array(5.0, np.float32))
    s[...] = 1
    assert s.asnumpy().tolist() == 1.0
    h = Tensor(np.zeros((2, 2), np.float16))
    h[0] = 70000.0
    assert h.asnumpy().tolist() == [[np.inf, np.inf], [0.0, 0.0]]


def test_errors_as_r16():
    x = _x()
    with pytest.raises(MsIndexError, match="^index 5 is out of bounds for axis 0 with size 3$"):
        x[5] = 1.0
    with pytest.raises(MsValueError, match=r"^\(3,\) could not broadcast with \(4,\)\.$"):
        x[0] = Tensor(np.ones(3, np.float32))
    with pytest.raises(MsValueError, match="^only support numbers, Tensor, tuple, list as value"):
        x[1] = "a"
    with pytest.raises(MsIndexError, match="^Tensor setitem index only support integers"):
        x[1.5] = 1
    with pytest.raises(MsIndexError, match="^tuple index out of range$"):
        Tensor(np.array(5.0, np.float32))[0] = 1
    np.testing.assert_array_equal(x.asnumpy(), _x().asnumpy())  # refused: nothing changed


def test_an_assigned_op_result_is_what_later_ops_read():
    # x * 2 is still pending on the device when it is assigned through an index
    x = _x()
    a = x * 2
    a[0] = 5.0
    np.testing.assert_array_equal((a + 1).asnumpy(), [[6.0] * 4, [9, 11, 13, 15], [17, 19, 21, 23]])
    kernels = [r.name for r in trace().filter(kind="kernel")]
    assert any(k.startswith("TensorSetItem") for k in kernels)


class _Net(nn.Cell):
    def construct(self, x, m):
        a = x * 2
        a[0] = 5.0
        a[:, 1] = a[:, 2]
        a[m] = -1
        return a + 1


def test_graph_mode_assigns_through_the_node_and_matches_pynative():
    x = _x()
    m = Tensor(np.arange(12).reshape(3, 4) > 9)
    expected = [[6.0] * 4, [9, 13, 13, 15], [17, 21, 0, 0]]
    np.testing.assert_array_equal(_Net()(x, m).asnumpy(), expected)
    context.set_context(mode=context.GRAPH_MODE)
    np.testing.assert_array_equal(_Net()(x, m).asnumpy(), expected)
    np.testing.assert_array_equal(x.asnumpy(), _x().asnumpy())  # the input is untouched


def test_a_parameter_cannot_be_assigned_through_an_index_in_a_graph():
    class P(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(np.zeros(2, np.float32)), name="w")

        def construct(self, x):
            self.w[0] = 1.0
            return x

    context.set_context(mode=context.GRAPH_MODE)
    with pytest.raises(MsRuntimeError, match="Parameter 'w' inside a graph"):
        P()(Tensor(np.ones(2, np.float32)))


class _SetThenSum(nn.Cell):
    def construct(self, x):
        a = x * 2
        x[0] = 0  # x names a new value; a keeps the old one
        return a.sum() + x.sum()


class _SetSlice(nn.Cell):
    def construct(self, x, v):
        y = x * 3
        y[1:3] = v * 2
        return (y * y).sum()


class _SetMask(nn.Cell):
    def construct(self, x):
        y = x * 1
        y[y > 1] = 0
        return (y * x).sum()


@pytest.mark.parametrize("mode", [context.PYNATIVE_MODE, context.GRAPH_MODE])
def test_gradients_through_an_assignment_as_r16(mode):
    from ascendsim.ms import ops

    context.set_context(mode=mode)
    grad = ops.GradOperation()
    assert grad(_SetThenSum())(Tensor(np.ones(3, np.float32))).asnumpy().tolist() == [2, 3, 3]
    gx, gv = ops.GradOperation(get_all=True)(_SetSlice())(
        Tensor(np.ones(4, np.float32)), Tensor(np.array([1.0, 2.0], np.float32))
    )
    assert (gx.asnumpy().tolist(), gv.asnumpy().tolist()) == ([18, 0, 0, 18], [8, 16])
    x = Tensor(np.array([0.5, 2.0, 3.0], np.float32))
    assert grad(_SetMask())(x).asnumpy().tolist() == [1, 0, 0]


def test_numpy_float64_values_and_mask_sizes_as_r16():
    x = Tensor(np.array([1.0, 2.0], np.float32))
    x[0] = np.float64(7)  # a float subclass: taken, as r1.6
    assert x.asnumpy().tolist() == [7.0, 2.0]
    with pytest.raises(MsValueError, match="but got 3.0 with type <class 'numpy.float32'>"):
        x[0] = np.float32(3)
    y = Tensor(np.array([1.0, 2.0, 5.0], np.float32))
    with pytest.raises(
        MsValueError,
        match="^When assign value is a tensor, its size should be 1, but current size is 2.$",
    ):
        y[y > 1.5] = Tensor(np.array([1.0, 2.0], np.float32))
