"""``mindspore.nn``: Cell and the layers ascendsim emulates."""

from ascendsim.ms._alias import missing_name
from ascendsim.ms.nn.cell import Cell
from ascendsim.ms.nn.layer.basic import Dense
from ascendsim.ms.nn.layer.conv import Conv2d

__all__ = ["Cell", "Conv2d", "Dense"]


def __getattr__(name: str) -> object:
    raise missing_name(__name__, name)
