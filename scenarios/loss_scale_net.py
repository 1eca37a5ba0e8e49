"""The programs of ``dynamic_loss_scale.yaml`` and ``data_parallel_8.yaml``: small training
steps built from ascendsim.ms.nn, as MindSpore training code builds them."""

import numpy as np

from ascendsim.ms import Parameter, Tensor, nn
from ascendsim.ms.common import dtype as mstype


class Net(nn.Cell):
    """Two dense layers: 16 features -> 8 hidden -> 4 outputs."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(16, 8, weight_init="normal")
        self.relu = nn.ReLU()
        self.fc2 = nn.Dense(8, 4, weight_init="normal")

    def construct(self, x):
        return self.fc2(self.relu(self.fc1(x)))


def loss_scale_step():
    """One training step with dynamic loss scaling (scale 4096, factor 2, window 3)."""
    net = nn.WithLossCell(Net(), nn.MSELoss())
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.01, momentum=0.9)
    manager = nn.DynamicLossScaleUpdateCell(loss_scale_value=4096, scale_factor=2, scale_window=3)
    return nn.TrainOneStepWithLossScaleCell(net, opt, scale_sense=manager)


def data_parallel_step():
    """One data-parallel training step: the gradients are all-reduced over HCCS."""
    net = Net()
    # a layerwise-parallel parameter: left out of the broadcast and the gradient all-reduce
    net.scale = Parameter(Tensor(np.ones([4], np.float32)), name="scale", layerwise_parallel=True)
    loss = nn.WithLossCell(_Scaled(net), nn.MSELoss())
    opt = nn.Momentum(loss.trainable_params(), learning_rate=0.01, momentum=0.9)
    return nn.TrainOneStepCell(loss, opt)


class _Scaled(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def construct(self, x):
        return self.net(x) * self.net.scale


def batch(rows: int = 32) -> tuple:
    rng = np.random.default_rng(0)
    return (Tensor(rng.standard_normal((rows, 16)).astype(np.float32)),
            Tensor(rng.standard_normal((rows, 4)).astype(np.float32), mstype.float32))
