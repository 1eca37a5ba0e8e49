"""``mindspore.nn.loss``: the loss functions ascendsim emulates."""

from ascendsim.ms.nn.loss.loss import (
    BCELoss,
    L1Loss,
    LossBase,
    MSELoss,
    SmoothL1Loss,
    SoftmaxCrossEntropyWithLogits,
)

__all__ = [
    "LossBase",
    "L1Loss",
    "MSELoss",
    "SoftmaxCrossEntropyWithLogits",
    "BCELoss",
    "SmoothL1Loss",
]
