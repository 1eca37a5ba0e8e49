"""``mindspore.nn.wrap``: training wrappers, loss scaling and the gradient reducer."""

from ascendsim.ms.nn.wrap.cell_wrapper import TrainOneStepCell, WithLossCell
from ascendsim.ms.nn.wrap.grad_reducer import DistributedGradReducer
from ascendsim.ms.nn.wrap.loss_scale import (
    DynamicLossScaleUpdateCell,
    FixedLossScaleUpdateCell,
    TrainOneStepWithLossScaleCell,
)

__all__ = ["WithLossCell", "TrainOneStepCell", "TrainOneStepWithLossScaleCell",
           "DynamicLossScaleUpdateCell", "FixedLossScaleUpdateCell",
           "DistributedGradReducer"]  # fmt: skip
