"""``mindspore.nn``: Cell and the layers ascendsim emulates."""

from ascendsim.ms._alias import missing_name
from ascendsim.ms.nn.cell import Cell

__all__ = ["Cell"]


def __getattr__(name: str) -> object:
    raise missing_name(__name__, name)
