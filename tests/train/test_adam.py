"""``nn.Adam`` and ``P.Adam`` against MindSpore r1.6: a Dense net trained 3 steps with fixed
weights and data; the losses, updated weights, moments and beta powers below were printed by
r1.6 (1.6.1, CPU target) for the same script. r1.6's CPU Adam kernel uses vectorised (FMA)
arithmetic, so some results differ from ascendsim's in the last bit: those are compared to
1e-6 relative, the plain configuration bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms import Tensor, context, nn
from ascendsim.ms.ops import operations as P

X = np.array([[1.0, 2.0, -1.0], [0.5, -0.3, 2.0], [-1.5, 0.2, 0.7], [0.1, 0.9, -0.4]], np.float32)
Y = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5], [-1.0, 2.0]], np.float32)
W0 = np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], np.float32)
B0 = np.array([0.05, -0.05], np.float32)


def _train(mode: int, **kw: Any) -> tuple[list[str], Any, Any]:
    context.set_context(mode=mode)
    net = nn.Dense(3, 2, weight_init=Tensor(W0), bias_init=Tensor(B0))
    opt = nn.Adam(net.trainable_params(), **kw)
    step = nn.TrainOneStepCell(
        nn.WithLossCell(net, nn.MSELoss()), opt, sens=kw.get("loss_scale", 1.0)
    )
    losses = [str(step(Tensor(X), Tensor(Y))) for _ in range(3)]
    return losses, net, opt


@pytest.mark.parametrize("mode", [context.PYNATIVE_MODE, context.GRAPH_MODE])
def test_adam_three_steps_match_r16_bit_for_bit(mode: int) -> None:
    losses, net, opt = _train(mode, learning_rate=0.01)
    assert losses == ["1.7935499", "1.7467899", "1.7015338"]
    f32 = np.float32
    assert (
        net.weight.asnumpy().tolist()
        == np.array(
            [[0.12973021, -0.17005432, 0.27003852], [0.3700521, 0.4700216, -0.5700187]], f32
        ).tolist()
    )
    assert net.bias.asnumpy().tolist() == np.array([0.07978662, -0.020012114], f32).tolist()
    assert (
        opt.moment2[1].asnumpy().tolist() == np.array([3.0968989e-05, 7.6133665e-04], f32).tolist()
    )
    assert opt.beta1_power.asnumpy().tolist() == np.array([0.7289999], f32).tolist()
    assert opt.beta2_power.asnumpy().tolist() == np.array([0.9970031], f32).tolist()


def test_adam_nesterov_weight_decay_and_loss_scale_close_to_r16() -> None:
    losses, net, _ = _train(
        context.PYNATIVE_MODE, learning_rate=0.1, use_nesterov=True, weight_decay=0.01
    )
    np.testing.assert_allclose([float(v) for v in losses], [1.7935499, 1.15477, 0.9035017], 1e-6)
    np.testing.assert_allclose(
        net.weight.asnumpy(),
        [[0.10710143, 0.12807406, -0.05990945], [0.10128373, 0.08269985, -0.17597646]],
        rtol=1e-6,
    )
    _, net, opt = _train(
        context.PYNATIVE_MODE, learning_rate=0.05, beta1=0.5, beta2=0.9, eps=1e-3, loss_scale=2.0
    )
    np.testing.assert_allclose(
        net.weight.asnumpy(),
        [[0.19066313, -0.058573417, 0.1562558], [0.25909323, 0.35345384, -0.4528162]],
        rtol=1e-6,
    )
    np.testing.assert_allclose(opt.moment2[1].asnumpy(), [0.001278348, 0.062106434], rtol=1e-6)
    assert opt.beta1_power.asnumpy().tolist() == [0.125]


def test_adam_parameter_names_match_r16() -> None:
    net = nn.Dense(3, 2, weight_init=Tensor(W0))
    opt = nn.Adam(net.trainable_params(), learning_rate=0.01)
    # r1.6 lists weight and bias before beta1_power; the names are what matters here
    assert sorted(opt.parameters_dict()) == [
        "beta1_power", "beta2_power", "bias", "learning_rate", "moment1.bias", "moment1.weight",
        "moment2.bias", "moment2.weight", "weight",
    ]  # fmt: skip
    assert [p.name for p in opt.moment1] == ["moment1.weight", "moment1.bias"]
    assert str(opt.beta1_power) == (
        "Parameter (name=beta1_power, shape=(1,), dtype=Float32, requires_grad=True)"
    )
    assert (
        repr(P.Adam()) == "Prim[Adam]<use_locking=False, use_nesterov=False, side_effect_mem=True>"
    )


@pytest.mark.parametrize(
    ("kw", "cls", "msg"),
    [
        ({"beta1": 1.0}, MsValueError,
         "`beta1` in `Adam` should be in range of (0.0, 1.0), but got 1.0 with type `float`."),
        ({"beta1": 0}, MsTypeError,
         "For 'Adam', the type of `beta1` should be 'float', but got '0' with type 'int'."),
        ({"beta2": 0.0}, MsValueError,
         "`beta2` in `Adam` should be in range of (0.0, 1.0), but got 0.0 with type `float`."),
        ({"eps": 0.0}, MsValueError,
         "`eps` in `Adam` should be float and must > 0, but got `0.0` with type `float`."),
        ({"eps": 1}, MsTypeError,
         "For 'Adam', the type of `eps` should be 'float', but got '1' with type 'int'."),
        ({"use_locking": 1}, MsTypeError,
         "For 'Adam', the type of `use_locking` should be 'bool', but got '1' with type 'int'."),
        ({"use_nesterov": "a"}, MsTypeError,
         "For 'Adam', the type of `use_nesterov` should be 'bool', but got 'a' with type 'str'."),
        ({"weight_decay": -1.0}, MsValueError,
         "`weight_decay` in `Adam` should be float and must >= 0, but got `-1.0` with type "
         "`float`."),
        ({"loss_scale": 0.0}, MsValueError,
         "`loss_scale` in `Adam` should be float and must > 0, but got `0.0` with type `float`."),
    ],
)  # fmt: skip
def test_adam_argument_errors_match_r16(kw: dict[str, Any], cls: type, msg: str) -> None:
    net = nn.Dense(3, 2, weight_init=Tensor(W0))
    with pytest.raises(cls) as info:
        nn.Adam(net.trainable_params(), **kw)
    assert str(info.value) == msg


def test_p_adam_attribute_error_matches_r16() -> None:
    with pytest.raises(MsTypeError) as info:
        P.Adam(use_locking=1)
    assert str(info.value) == (
        "For 'Adam', the type of `use_locking` should be 'bool', but got '1' with type 'int'."
    )
