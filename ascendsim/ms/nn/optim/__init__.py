"""``mindspore.nn.optim``: Optimizer, Momentum, SGD, Adam."""

from ascendsim.ms.nn.optim.adam import Adam
from ascendsim.ms.nn.optim.momentum import Momentum
from ascendsim.ms.nn.optim.optimizer import Optimizer
from ascendsim.ms.nn.optim.sgd import SGD

__all__ = ["Optimizer", "Momentum", "SGD", "Adam"]
