"""Buffers: where a value lives (host array, device block) and which task produces it.

The backend lowers front-end tensors to :class:`Buffer` objects. A buffer has a shape, a numpy
dtype and a byte size; optionally host values (``host``, a numpy array; ``None`` in shape-only
runs or while a device computation is pending), a device block in some NPU's memory pool, and the
stream task that produces its device value. Reading values (:meth:`Runtime.fetch`) waits for that
task in simulated time and copies device-to-host.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Buffer", "nbytes_of"]


def nbytes_of(shape: tuple[int, ...], dtype: np.dtype) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n * int(np.dtype(dtype).itemsize)


@dataclass(eq=False, slots=True)
class Buffer:
    """One value's storage. Identity matters (in-place ops update the same buffer)."""

    shape: tuple[int, ...]
    dtype: np.dtype
    name: str = ""
    host: np.ndarray | None = None
    #: the device block (a device-layer ``Block``) and the device index holding it
    block: Any = None
    device: int | None = None
    #: the task whose completion makes the device value valid (None: valid now)
    producer: Any = None
    #: float-status lineage: the name of the NPUAllocFloatStatus node that made this buffer
    status_origin: str | None = None
    status_alloc_time: int | None = None
    #: device value computed by a pending task (values mode); copied to ``host`` on fetch
    device_value: np.ndarray | None = None
    #: the runtime that made the buffer (a tensor used in another session gets a new one)
    runtime: Any = None
    #: its tensor died before the producing task ran: free the block when the task ends
    dead: bool = False
    #: the host-memory block counting its host values (None: not counted)
    host_block: Any = None
    #: the weak reference that frees the device block when the front-end tensor dies
    watcher: Any = None

    @property
    def nbytes(self) -> int:
        return nbytes_of(self.shape, self.dtype)

    @property
    def value(self) -> np.ndarray | None:
        """The freshest known values (device result if computed, else host data)."""
        return self.device_value if self.device_value is not None else self.host
