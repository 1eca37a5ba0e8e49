"""``mindspore.nn``: Cell and the layers ascendsim emulates."""

from ascendsim.ms._alias import missing_name

# issue 6: training (layers, losses, optimizers, wrappers)
from ascendsim.ms.nn import loss, optim, wrap  # noqa: E402
from ascendsim.ms.nn.cell import Cell
from ascendsim.ms.nn.layer.activation import (  # noqa: E402
    ELU,
    HSigmoid,
    HSwish,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    ReLU,
    ReLU6,
    get_activation,
)
from ascendsim.ms.nn.layer.basic import Dense
from ascendsim.ms.nn.layer.container import CellList, SequentialCell  # noqa: E402
from ascendsim.ms.nn.layer.conv import Conv2d
from ascendsim.ms.nn.layer.extra import (  # noqa: E402  (compat review: more layers)
    GELU,
    Conv1d,
    Dropout,
    Embedding,
    LayerNorm,
    Sigmoid,
    Softmax,
    Tanh,
)
from ascendsim.ms.nn.layer.normalization import BatchNorm1d, BatchNorm2d  # noqa: E402
from ascendsim.ms.nn.layer.pooling import AvgPool2d, Flatten, MaxPool2d  # noqa: E402
from ascendsim.ms.nn.loss import (  # noqa: E402
    BCELoss,
    L1Loss,
    LossBase,
    MSELoss,
    SmoothL1Loss,
    SoftmaxCrossEntropyWithLogits,
)
from ascendsim.ms.nn.optim import SGD, Adam, Momentum, Optimizer  # noqa: E402
from ascendsim.ms.nn.wrap import (  # noqa: E402
    DistributedGradReducer,
    DynamicLossScaleUpdateCell,
    FixedLossScaleUpdateCell,
    TrainOneStepCell,
    TrainOneStepWithLossScaleCell,
    WithLossCell,
)

__all__ = ["Cell", "Conv2d", "Dense",
           "ReLU", "SequentialCell", "CellList", "BatchNorm1d", "BatchNorm2d", "MaxPool2d",
           "AvgPool2d", "Flatten", "LossBase", "L1Loss", "MSELoss",
           "SoftmaxCrossEntropyWithLogits", "Optimizer", "Momentum", "SGD", "WithLossCell",
           "TrainOneStepCell", "TrainOneStepWithLossScaleCell", "DynamicLossScaleUpdateCell",
           "FixedLossScaleUpdateCell", "DistributedGradReducer", "loss", "optim", "wrap"]  # fmt: skip
__all__ += ["Adam", "BCELoss", "SmoothL1Loss"]
__all__ += [
    "ReLU6",
    "LeakyReLU",
    "ELU",
    "HSwish",
    "HSigmoid",
    "LogSigmoid",
    "LogSoftmax",
    "get_activation",
]
__all__ += ["Dropout", "Softmax", "Sigmoid", "Tanh", "GELU", "LayerNorm", "Embedding", "Conv1d"]


def __getattr__(name: str) -> object:
    raise missing_name(__name__, name)
