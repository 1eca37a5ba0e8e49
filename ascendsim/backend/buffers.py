"""Buffers: where a value lives (host array, device block) and which task produces it.

The backend lowers front-end tensors to :class:`Buffer` objects. A buffer has a shape, a numpy
dtype and a byte size; optionally host values (``host``, a numpy array; ``None`` in shape-only
runs or while a device computation is pending), a device block in some NPU's memory pool, and the
stream task that produces its device value. Reading values (:meth:`Runtime.fetch`) waits for that
task in simulated time and copies device-to-host.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Buffer", "nbytes_of"]


def nbytes_of(shape: tuple[int, ...], dtype: np.dtype) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n * int(np.dtype(dtype).itemsize)


class Buffer:
    """One value's storage. Identity matters (in-place ops update the same buffer).

    ``shape`` and ``dtype`` are fixed at creation (``nbytes`` is computed from them once); the
    other fields change as the value moves between host and device.
    """

    __slots__ = (
        "shape",
        "dtype",
        "nbytes",
        "name",
        "host",
        "block",
        "device",
        "producer",
        "status_origin",
        "status_alloc_time",
        "device_value",
        "runtime",
        "dead",
        "host_block",
        "watcher",
    )

    def __init__(
        self,
        shape: tuple[int, ...],
        dtype: np.dtype,
        name: str = "",
        host: np.ndarray | None = None,
    ) -> None:
        self.shape = shape
        self.dtype = dtype
        n = dtype.itemsize
        for d in shape:
            n *= d
        self.nbytes: int = int(n)
        self.name = name
        self.host = host
        #: the device block (a device-layer ``Block``) and the device index holding it
        self.block: Any = None
        self.device: int | None = None
        #: the task whose completion makes the device value valid (None: valid now)
        self.producer: Any = None
        #: float-status lineage: the NPUAllocFloatStatus node that made this buffer, and when
        self.status_origin: str | None = None
        self.status_alloc_time: int | None = None
        #: device value computed by a pending task (values mode); copied to ``host`` on fetch
        self.device_value: np.ndarray | None = None
        #: the runtime that made the buffer (a tensor used in another session gets a new one)
        self.runtime: Any = None
        #: its tensor died before the producing task ran: free the block when the task ends
        self.dead = False
        #: the host-memory block counting its host values (None: not counted)
        self.host_block: Any = None
        #: the weak reference that frees the device block when the front-end tensor dies
        self.watcher: Any = None

    def __repr__(self) -> str:
        where = "pending" if self.producer is not None else "ready"
        dev = f" on npu{self.device}" if self.block is not None else ""
        return (
            f"Buffer({self.name!r}, shape={self.shape}, dtype={self.dtype}{dev}, {where}, "
            f"{self.nbytes} B)"
        )

    @property
    def value(self) -> np.ndarray | None:
        """The freshest known values (device result if computed, else host data)."""
        return self.device_value if self.device_value is not None else self.host
