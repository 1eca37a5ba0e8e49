"""Training steps against MindSpore r1.6: losses, updated weights and moving statistics (golden
values printed by r1.6 on its CPU backend for the same seed, data and network), layer reprs,
optimizer and loss errors, parameters read after a step."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms import Tensor, context, nn, ops, set_seed

X = np.random.RandomState(0).randn(16, 4).astype(np.float32)
Y = np.random.RandomState(1).randn(16, 2).astype(np.float32)


class Mlp(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Dense(4, 8)
        self.relu = nn.ReLU()
        self.fc2 = nn.Dense(8, 2)

    def construct(self, x: Any) -> Any:
        return self.fc2(self.relu(self.fc1(x)))


def _mlp_losses(mode: int) -> tuple[list[str], Any]:
    context.set_context(mode=mode)
    set_seed(1)
    net = Mlp()
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    train = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
    return [str(train(Tensor(X), Tensor(Y))) for _ in range(5)], net


def test_momentum_steps_match_r16_bit_for_bit() -> None:
    losses, net = _mlp_losses(context.GRAPH_MODE)
    # r1.6 (CPU, GRAPH_MODE) printed these
    assert losses == ["0.9783712", "0.9378489", "0.87567097", "0.81550664", "0.77611506"]
    assert str(net.fc1.weight.asnumpy()[0]) == "[-0.00108606 -0.01709098 -0.00295707  0.00522017]"


def test_pynative_steps_give_the_same_losses() -> None:
    losses, _ = _mlp_losses(context.PYNATIVE_MODE)
    assert losses == ["0.9783712", "0.9378489", "0.87567097", "0.81550664", "0.77611506"]


def test_sgd_steps_match_r16() -> None:
    set_seed(1)
    net = Mlp()
    loss = nn.MSELoss()
    base = nn.TrainOneStepCell(nn.WithLossCell(net, loss), nn.Momentum(net.trainable_params(),
                                                                       0.1, 0.9))  # fmt: skip
    for _ in range(5):
        base(Tensor(X), Tensor(Y))
    got = []
    for opt in (nn.SGD(net.trainable_params(), 0.1, 0.9),
                nn.SGD(net.trainable_params(), 0.1, 0.9, nesterov=True)):  # fmt: skip
        train = nn.TrainOneStepCell(nn.WithLossCell(net, loss), opt)
        got.append([float(train(Tensor(X), Tensor(Y)).asnumpy()) for _ in range(3)])
    assert got == [[0.7652762532234192, 0.7651914954185486, 0.765034019947052],
                   [0.7648176550865173, 0.7646561861038208, 0.7644035816192627]]  # fmt: skip


class Cnn(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=1, pad_mode="same")
        self.bn = nn.BatchNorm2d(4)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(3, 2, "same")
        self.mean = ops.ReduceMean(keep_dims=True)
        self.flat = nn.Flatten()
        self.fc = nn.Dense(4, 5)

    def construct(self, x: Any) -> Any:
        x = self.pool(self.relu(self.bn(self.conv(x))))
        return self.fc(self.flat(self.mean(x, (2, 3))))


def test_cnn_steps_match_r16() -> None:
    set_seed(1)
    net = Cnn()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    train = nn.TrainOneStepCell(nn.WithLossCell(net, loss), opt)
    train.set_train()
    x = Tensor(np.random.RandomState(0).randn(4, 3, 8, 8).astype(np.float32))
    y = Tensor(np.array([0, 1, 2, 3], np.int32))
    losses = [round(float(train(x, y).asnumpy()), 5) for _ in range(5)]
    # r1.6: 1.608214 1.562599 1.497741 1.427806 1.357736 (our backprop kernels sum in
    # another order: the last digits may differ)
    assert losses == [1.60821, 1.5626, 1.49774, 1.42781, 1.35774]
    golden = {  # r1.6, rounded to 6 decimals
        "moving_mean": (net.bn.moving_mean, [-0.001278, -0.002906, -0.00012, 0.000757]),
        "moving_variance": (net.bn.moving_variance, [0.592929, 0.592765, 0.592851, 0.591554]),
        "conv.weight[0, 0, 0]": (net.conv.weight, [0.016855, -0.030592, 0.005986]),
    }
    for name, (param, want) in golden.items():
        got = param.asnumpy()[0, 0, 0] if param.ndim == 4 else param.asnumpy()
        np.testing.assert_allclose(got, want, atol=6e-7, err_msg=name)
    names = [p.name for p in train.get_parameters()]
    assert (names[:7], len(names)) == (
        [
            "conv.weight",
            "bn.gamma",
            "bn.beta",
            "fc.weight",
            "fc.bias",
            "bn.moving_mean",
            "bn.moving_variance",
        ],
        14,
    )


def test_reading_a_parameter_after_a_step_waits_for_the_update() -> None:
    set_seed(1)
    net = Mlp()
    before = net.fc2.bias.asnumpy().copy()
    train = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()),
                                nn.Momentum(net.trainable_params(), 0.1, 0.9))  # fmt: skip
    train(Tensor(X), Tensor(Y))  # the loss is never read: the step's graph has not run yet
    after = net.fc2.bias.asnumpy()
    assert not np.array_equal(before, after)


def test_losses_match_numpy() -> None:
    a = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
    b = np.array([[0.0, 1.0], [1.5, 2.0]], np.float32)
    assert float(nn.L1Loss()(Tensor(a), Tensor(b)).asnumpy()) == pytest.approx(1.5)
    assert float(nn.MSELoss(reduction="sum")(Tensor(a), Tensor(b)).asnumpy()) == pytest.approx(12)
    out = nn.SoftmaxCrossEntropyWithLogits(sparse=True)(
        Tensor(a), Tensor(np.array([0, 1], np.int32))
    )
    logp = a - np.log(np.exp(a).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(out.asnumpy(), [-logp[0, 0], -logp[1, 1]], rtol=1e-5)


def test_reprs_match_r16() -> None:
    assert [repr(c) for c in (nn.MaxPool2d(3, 2, "same"), nn.AvgPool2d(2), nn.ReLU(),
                              nn.Flatten())] == [
        "MaxPool2d<kernel_size=3, stride=2, pad_mode=SAME>",
        "AvgPool2d<kernel_size=2, stride=1, pad_mode=VALID>", "ReLU<>", "Flatten<>"]  # fmt: skip
    assert repr(nn.SequentialCell([nn.ReLU(), nn.Flatten()])) == (
        "SequentialCell<\n  (0): ReLU<>\n  (1): Flatten<>\n  >"
    )
    assert repr(nn.Dense(16, 10, activation="relu")) == (  # extra text and a child
        "Dense<\n  input_channels=16, output_channels=10, has_bias=True, activation=ReLU<>\n"
        "  (activation): ReLU<>\n  >"
    )
    assert repr(nn.BatchNorm2d(3)) == (
        "BatchNorm2d<num_features=3, eps=1e-05, momentum=0.09999999999999998, gamma=Parameter "
        "(name=gamma, shape=(3,), dtype=Float32, requires_grad=True), beta=Parameter (name=beta, "
        "shape=(3,), dtype=Float32, requires_grad=True), moving_mean=Parameter (name=mean, "
        "shape=(3,), dtype=Float32, requires_grad=False), moving_variance=Parameter "
        "(name=variance, shape=(3,), dtype=Float32, requires_grad=False)>"
    )
    assert [repr(p) for p in (ops.MaxPool(3, 2, "same"), ops.BatchNorm(True),
                              ops.SparseSoftmaxCrossEntropyWithLogits())] == [
        "Prim[MaxPool]<kernel_size=(1, 1, 3, 3), strides=(1, 1, 2, 2), pad_mode=SAME, "
        "data_format=NCHW>",
        "Prim[BatchNorm]<is_training=True, epsilon=1e-05, momentum=0.1, data_format=NCHW>",
        "Prim[SparseSoftmaxCrossEntropyWithLogits]<is_grad=False, sens=1.0>"]  # fmt: skip


def _params() -> list[Any]:
    return nn.Dense(2, 2).trainable_params()


@pytest.mark.parametrize(
    "build, exc, message",
    [
        (lambda: nn.Momentum(_params(), 0.1, -0.9), MsValueError,
         "For 'Momentum', the argument 'momentum' should be at least 0.0, but got -0.9"),
        (lambda: nn.Momentum(_params(), 0.1, 1), MsTypeError,
         "For 'Momentum', the type of `momentum` should be 'float', but got '1' with type 'int'."),
        (lambda: nn.Momentum(_params(), -0.1, 0.9), MsValueError,
         "`learning rate` in `Momentum` should be float and must >= 0, but got `-0.1` with type "
         "`float`."),
        (lambda: nn.Momentum(_params(), 0.1, 0.9, loss_scale=0.0), MsValueError,
         "`loss_scale` in `Momentum` should be float and must > 0, but got `0.0` with type "
         "`float`."),
        (lambda: nn.Momentum(_params(), 0.1, 0.9, weight_decay=-1.0), MsValueError,
         "`weight_decay` in `Momentum` should be float and must >= 0, but got `-1.0` with type "
         "`float`."),
        (lambda: nn.Momentum(_params(), 0.1, 0.9, weight_decay="a"), MsTypeError,
         "Weight decay should be int or float."),
        (lambda: nn.Momentum(None, 0.1, 0.9), MsValueError,
         "For 'Optimizer', the argument parameters can not be None."),
        (lambda: nn.Momentum([], 0.1, 0.9), MsValueError,
         "For 'Optimizer', the argument parameters must not be empty."),
        (lambda: nn.SGD(_params(), 0.1, 0.0, nesterov=True), MsValueError,
         "For 'SGD', if 'nesterov' is true, 'momentum' must be > 0.0 and 'dampening' must equal "
         "to 0.0, but got 'momentum' 0.0, 'dampening' 0.0"),
        (lambda: nn.SGD(_params(), 0.1, -1.0), MsValueError,
         "For 'SGD', the argument 'momentum' should be at least 0.0, but got -1.0"),
        (lambda: nn.BatchNorm2d(0), MsValueError,
         "For 'BatchNorm2d', the 'num_features' must be at least 1, but got 0."),
        (lambda: nn.BatchNorm2d(3, momentum=1.5), MsValueError,
         "For 'BatchNorm2d', the 'momentum' should be a number in range [0, 1], but got 1.5."),
        (lambda: nn.MaxPool2d(0), MsValueError,
         "For 'MaxPool2d', the 'kernel_size' should be an positive int number or a tuple of two "
         "positive int numbers, but got 0"),
        (lambda: nn.MaxPool2d(2, 2, "pad"), MsValueError,
         "For 'MaxPool2d' the 'pad_mode' should be str and must be in '['VALID', 'SAME']', but "
         "got 'PAD'."),
        (lambda: nn.MSELoss("avg"), MsValueError,
         "For 'MSELoss', the 'reduction' should be in ['mean', 'sum', 'none'], but got avg."),
        (lambda: nn.SoftmaxCrossEntropyWithLogits(sparse=1), MsTypeError,
         "For 'SoftmaxCrossEntropyWithLogits', the 'sparse' should be a bool, but got int."),
    ],
)  # fmt: skip
def test_bad_arguments_raise_r16_errors(build: Any, exc: type, message: str) -> None:
    # messages captured from r1.6
    with pytest.raises(exc) as info:
        build()
    assert str(info.value) == message


def test_a_pynative_train_step_runs_the_forward_once() -> None:
    # BatchNorm's moving statistics move once per step, as in r1.6 (values from r1.6, CPU)
    context.set_context(device_target="CPU", mode=context.PYNATIVE_MODE)
    net = nn.SequentialCell([nn.BatchNorm1d(2), nn.Dense(2, 1, weight_init="ones")])
    step = nn.TrainOneStepCell(
        nn.WithLossCell(net, nn.MSELoss()), nn.SGD(net.trainable_params(), 0.1)
    )
    step.set_train()
    x, y = (
        Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)),
        Tensor(np.zeros((2, 1), np.float32)),
    )
    losses = [float(step(x, y).asnumpy()) for _ in range(3)]
    np.testing.assert_allclose(losses, [3.99996, 0.51840854, 0.27833396], rtol=1e-6)
    np.testing.assert_allclose(net[0].moving_mean.asnumpy(), [0.542, 0.813], rtol=1e-6)
    np.testing.assert_allclose(net[1].weight.asnumpy(), [[0.45941067, 0.45941067]], rtol=1e-6)


@pytest.mark.parametrize("mode", [context.PYNATIVE_MODE, context.GRAPH_MODE])
def test_to_float_runs_the_cell_in_float16(mode: int) -> None:
    # values, dtypes and messages from r1.6 (CPU)
    import ascendsim.ms as ms

    context.set_context(device_target="CPU", mode=mode)
    x = Tensor(np.array([[1.0001, 2.0]], np.float32))
    d = nn.Dense(2, 1, weight_init="ones", bias_init="zeros").to_float(ms.float16)
    y = d(x)
    assert (str(y.dtype), y.asnumpy().tolist(), str(d.weight.dtype)) == (
        "Float16",
        [[3.0]],
        "Float32",
    )

    class Net(nn.Cell):  # a float16 cell feeding a float32 one: r1.6 refuses the MatMul
        def __init__(self) -> None:
            super().__init__()
            self.a = nn.Dense(2, 2, weight_init="ones").to_float(ms.float16)
            self.b = nn.Dense(2, 1, weight_init="ones")

        def construct(self, x: Any) -> Any:
            return self.b(self.a(x))

    with pytest.raises(TypeError, match="but got 'x1' with type Tensor\\[Float16\\]"):
        Net()(x)
    assert str(Net().to_float(ms.float32)(x).dtype) == "Float32"
    with pytest.raises(ValueError, match="should be float32 or float16, but got Int32"):
        nn.Dense(2, 1).to_float(ms.int32)


def test_dense_activation_names_as_r16() -> None:
    # values from r1.6 (CPU): Dense(3, 2, weight_init="ones") on [[-1, 0.5, 2]]
    x = Tensor(np.array([[-1.0, 0.5, 2.0]], np.float32))
    expected = {"tanh": 0.90514827, "sigmoid": 0.8175745, "softmax": 0.5, "relu6": 1.5,
                "leakyrelu": 1.5, "elu": 1.5, "hswish": 1.125, "hsigmoid": 0.75, "relu": 1.5}  # fmt: skip
    for name, value in expected.items():
        d = nn.Dense(3, 2, weight_init="ones", activation=name)
        np.testing.assert_allclose(d(x).asnumpy(), [[value, value]], rtol=1e-6)
    assert repr(nn.Dense(3, 2, activation="tanh")).endswith("(activation): Tanh<>\n  >")
    with pytest.raises(
        KeyError, match="should be in \\['softmax', 'logsoftmax', 'relu'.*but got Sigmoid"
    ):
        nn.Dense(3, 2, activation="Sigmoid")
    with pytest.raises(TypeError, match="must be str or Cell or Primitive, but got int"):
        nn.Dense(3, 2, activation=3)
    with pytest.raises(NotImplementedError, match="'prelu' is not emulated"):
        nn.get_activation("prelu")


def test_assigning_to_a_parameter_attribute_as_r16() -> None:
    d = nn.Dense(2, 2, weight_init="ones")
    w = d.weight
    d.weight = Tensor(np.full((2, 2), 3.0, np.float32))  # the Parameter takes the data
    assert d.weight is w and d.weight.asnumpy().tolist() == [[3.0, 3.0], [3.0, 3.0]]
    with pytest.raises(
        TypeError, match="^For 'Cell', the weight should be Parameter, but got Cell.$"
    ):
        d.weight = nn.ReLU()
    with pytest.raises(
        TypeError, match="the type of weight should be Parameter or ParameterTuple, but got int"
    ):
        d.weight = 3
    assert d.weight is w


def test_cell_input_checks_as_r16() -> None:
    x1 = Tensor(np.ones(3, np.float32))
    arr = np.ones((2, 3), np.float32)
    for mode in (context.PYNATIVE_MODE, context.GRAPH_MODE):
        context.set_context(mode=mode)
        with pytest.raises(
            ValueError,
            match="^For 'Dense', the dimension of 'x' should not be less than 2, but got 1.$",
        ):
            nn.Dense(3, 2)(x1)
    context.set_context(mode=context.PYNATIVE_MODE)
    with pytest.raises(TypeError, match="^For 'Cell', inputs should not be numpy array.$"):
        nn.Dense(3, 2)(arr)
    context.set_context(mode=context.GRAPH_MODE)
    with pytest.raises(
        TypeError,
        match="outermost network 'Dense.construct' support bool, int, float, None, tensor.*but the 0th arg type is <class 'numpy.ndarray'>",
    ):
        nn.Dense(3, 2)(arr)


@pytest.mark.parametrize("mode", [context.PYNATIVE_MODE, context.GRAPH_MODE])
def test_a_learning_rate_per_step_as_r16(mode: int) -> None:
    # losses, step counts and weights from r1.6 (CPU); the rate is 0 once the list is used up
    context.set_context(device_target="CPU", mode=mode)

    def run(make_opt: Any) -> tuple[list[float], list[int], Any]:
        net = nn.Dense(2, 1, weight_init="ones", bias_init="zeros")
        opt = make_opt(net.trainable_params())
        step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
        step.set_train()
        x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
        y = Tensor(np.array([[1.0], [2.0]], np.float32))
        losses = [float(step(x, y).asnumpy()) for _ in range(5)]
        return losses, opt.global_step.asnumpy().tolist(), net.weight.asnumpy()

    losses, steps, w = run(lambda p: nn.Momentum(p, [0.01, 0.02, 0.005], 0.9))
    np.testing.assert_allclose(losses, [14.5, 6.804998, 1.505929, 3.557248, 3.557248], rtol=1e-5)
    assert steps == [5]
    np.testing.assert_allclose(w, [[0.19575603306293488, -0.13263194262981415]], rtol=1e-5)
    losses, _, _ = run(lambda p: nn.SGD(p, Tensor(np.array([0.01, 0.001], np.float32))))
    np.testing.assert_allclose(losses, [14.5, 6.804998, 6.384374, 6.384374, 6.384374], rtol=1e-5)
    assert nn.Momentum(nn.Dense(2, 1).trainable_params(), 0.1, 0.9).global_step is None
    with pytest.raises(ValueError, match="^could not convert string to float: 'a'$"):
        nn.Momentum(nn.Dense(2, 1).trainable_params(), [0.1, "a"], 0.9)
    with pytest.raises(ValueError, match="dimension of it should be 0 or 1, but got 2"):
        nn.Momentum(nn.Dense(2, 1).trainable_params(), Tensor(np.ones((2, 2), np.float32)), 0.9)


def test_bce_and_smooth_l1_losses_as_r16() -> None:
    # values and messages from r1.6 (CPU)
    p = Tensor(np.array([[0.1, 0.8], [0.6, 0.3]], np.float32))
    t = Tensor(np.array([[0.0, 1.0], [1.0, 0.0]], np.float32))
    w = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    np.testing.assert_allclose(
        float(nn.BCELoss(reduction="mean")(p, t).asnumpy()), 0.29900116, rtol=1e-6
    )
    np.testing.assert_allclose(float(nn.BCELoss(w, "sum")(p, t).asnumpy()), 3.5108242, rtol=1e-6)
    np.testing.assert_allclose(
        nn.BCELoss()(p, t).asnumpy(), [[0.10536055, 0.22314353], [0.5108256, 0.35667497]], rtol=1e-6
    )
    grad = ops.GradOperation()(nn.BCELoss(reduction="mean"))(p, t)
    np.testing.assert_allclose(
        grad.asnumpy(), [[0.2777778, -0.3125], [-0.41666666, 0.35714287]], rtol=1e-6
    )
    x = Tensor(np.array([1.0, 2.0, 3.5], np.float32))
    y = Tensor(np.array([1.2, 0.0, 3.0], np.float32))
    np.testing.assert_allclose(
        nn.SmoothL1Loss()(x, y).asnumpy(), [0.02000001, 1.5, 0.125], rtol=1e-6
    )
    np.testing.assert_allclose(
        nn.SmoothL1Loss(0.5)(x, y).asnumpy(), [0.04000002, 1.75, 0.25], rtol=1e-6
    )
    with pytest.raises(ValueError, match="^For 'BinaryCrossEntropy' the 'reduction' should be str"):
        nn.BCELoss(reduction="x")
    with pytest.raises(
        TypeError, match="^For 'SmoothL1Loss', the type of `beta` should be 'float', but got '1'"
    ):
        nn.SmoothL1Loss(1)


def test_a_pynative_gradient_reuses_the_eager_forward_of_the_same_shapes() -> None:
    # r1.6 (CPU): BatchNorm's moving mean moves once per forward r1.6 runs; a GradOperation
    # right after an eager forward of inputs of the same shapes reuses that forward
    from ascendsim.ms import ParameterTuple

    context.set_context(device_target="CPU", mode=context.PYNATIVE_MODE)
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))

    def fresh() -> tuple[Any, Any]:
        net = nn.SequentialCell([nn.BatchNorm1d(2), nn.Dense(2, 1, weight_init="ones")])
        net.set_train()
        net.set_grad()
        return net, ops.GradOperation(get_by_list=True)(net, ParameterTuple(net.trainable_params()))

    net, grad = fresh()
    grad(x)
    np.testing.assert_allclose(net[0].moving_mean.asnumpy(), [0.2, 0.3], rtol=1e-6)
    net, grad = fresh()
    net(x)
    grad(Tensor(np.array([[5.0, 1.0], [0.0, 7.0]], np.float32)))
    np.testing.assert_allclose(net[0].moving_mean.asnumpy(), [0.2, 0.3], rtol=1e-6)
    net, grad = fresh()
    net(x)
    grad(Tensor(np.ones((3, 2), np.float32)))  # another shape: the forward runs again
    np.testing.assert_allclose(net[0].moving_mean.asnumpy(), [0.28, 0.37], rtol=1e-6)


@pytest.mark.parametrize("mode", [context.PYNATIVE_MODE, context.GRAPH_MODE])
def test_to_float_on_a_network_with_batchnorm(mode: int) -> None:
    # r1.6: the output is float16, the moving statistics stay float32 (and move)
    import ascendsim.ms as ms

    context.set_context(device_target="CPU", mode=mode)
    net = nn.SequentialCell([nn.Dense(3, 2, weight_init="ones"), nn.BatchNorm1d(2)])
    net.set_train()
    net.to_float(ms.float16)
    out = net(Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)))
    assert (str(out.dtype), out.shape) == ("Float16", (2, 2))
    mean = net[1].moving_mean
    assert str(mean.dtype) == "Float32" and mean.asnumpy().tolist() == pytest.approx([0.75, 0.75])


def test_a_learning_rate_schedule_cell_is_refused_with_the_alternative() -> None:
    class Schedule(nn.Cell):
        def construct(self, step: Any) -> Any:
            return step * 0.1

    with pytest.raises(
        NotImplementedError, match="LearningRateSchedule is not emulated.*as a list or a 1-D Tensor"
    ):
        nn.Momentum(nn.Dense(2, 1).trainable_params(), Schedule(), 0.9)


def test_insert_param_to_cell_messages_as_r16() -> None:
    from ascendsim.ms import Parameter

    cell = nn.Cell()
    p = Parameter(Tensor(np.ones(2, np.float32)), name="p")
    with pytest.raises(KeyError, match="'param_name' should not be None"):
        cell.insert_param_to_cell("", p)
    with pytest.raises(KeyError, match="'param_name' should not contain"):
        cell.insert_param_to_cell("a.b", p)
    with pytest.raises(
        TypeError,
        match="^For 'insert_param_to_cell', the argument 'param' should be 'Parameter' if not None, but got <class",
    ):
        cell.insert_param_to_cell("w", Tensor(np.ones(2, np.float32)))
    cell.insert_param_to_cell("empty", None)  # r1.6 keeps an empty slot
    assert cell.empty is None and list(cell.parameters_and_names()) == []
