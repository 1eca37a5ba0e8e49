"""``mindspore.nn.loss``: the loss functions ascendsim emulates."""

from ascendsim.ms.nn.loss.loss import L1Loss, LossBase, MSELoss, SoftmaxCrossEntropyWithLogits

__all__ = ["LossBase", "L1Loss", "MSELoss", "SoftmaxCrossEntropyWithLogits"]
