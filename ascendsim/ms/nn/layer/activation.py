"""Activation layers: ``nn.ReLU`` (r1.6: a Cell around ``P.ReLU``)."""

from __future__ import annotations

from typing import Any

from ascendsim.ms.nn.cell import Cell

__all__ = ["ReLU"]


class ReLU(Cell):
    """``max(x, 0)`` elementwise (``mindspore.nn.ReLU``)."""

    def __init__(self) -> None:
        super().__init__()
        from ascendsim.ms.ops import operations as P

        self.relu = P.ReLU()

    def construct(self, x: Any) -> Any:
        return self.relu(x)
