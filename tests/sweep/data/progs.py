"""Programs of the sweep tests: one that runs, one that raises, one that kills its process."""

from __future__ import annotations

import os
from typing import Any


def ok() -> Any:
    from ascendsim.ms import ops

    add = ops.Add()
    return lambda x: add(x, x)


def boom() -> Any:
    raise RuntimeError("boom while building the program")


def die() -> Any:
    os._exit(3)  # the worker process dies: no exception, no result
