"""One simulated NPU: AI cores, HBM memory pool, float-status register and streams.

An :class:`Npu` belongs to a :class:`~ascendsim.device.system.System`, which owns the clock and
the trace; the device only holds its own state. Its scoped name (``npu0``) prefixes the names
of its parts in messages (``npu0.hbm``, ``npu0.stream1``); in the trace the device index and a
local track name (``hbm``, ``stream1``) identify them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ascendsim.device.cost import CostModel
from ascendsim.device.float_status import FloatStatusRegister
from ascendsim.device.memory import MemoryPool
from ascendsim.device.stream import Stream
from ascendsim.device.task import StreamEvent
from ascendsim.errors import ConfigError, MsValueError

if TYPE_CHECKING:
    from ascendsim.device.system import System

__all__ = ["Npu"]


class Npu:
    """A device of a System (build it through ``System(config, devices=N)``).

    The HBM pool holds ``hbm.capacity - memory_pool.reserved`` bytes, capped by
    ``max_device_memory`` when given.

    Raises:
        ConfigError: the reserved memory leaves no room for the pool.
    """

    def __init__(self, system: System, index: int, max_device_memory: int | None = None) -> None:
        cfg = system.config
        self.system = system
        self.index = index
        self.name = f"npu{index}"
        self.config: Any = cfg
        self.cost = CostModel(cfg)
        capacity = int(cfg.hbm.capacity) - int(cfg.memory_pool.reserved)
        if capacity <= 0:
            raise ConfigError(
                f"{cfg.name}: memory_pool.reserved ({cfg.memory_pool.reserved} bytes) leaves no "
                f"HBM for the pool (hbm.capacity {cfg.hbm.capacity} bytes); lower "
                f"memory_pool.reserved"
            )
        if max_device_memory is not None:
            if max_device_memory <= 0:
                raise MsValueError(f"max_device_memory must be positive, got {max_device_memory}")
            capacity = min(capacity, int(max_device_memory))
        self.memory = MemoryPool(
            capacity,
            cfg.memory_pool.alignment,
            cfg.memory_pool.padding,
            trace=system.trace,
            clock=system.clock,
            device=index,
            track="hbm",
            name=f"{self.name}.hbm",
        )
        self.float_status = FloatStatusRegister(
            cfg.float_status.words, trace=system.trace, clock=system.clock, device=index
        )
        self._streams: dict[str, Stream] = {}
        # kernels serialise on the AI cores (and AI-CPU ops on the AI CPU): busy-until times
        self._cores_free = 0
        self._aicpu_free = 0

    def stream(self, name: str = "stream0") -> Stream:
        """The stream called ``name``, created on first use (creation order is kept)."""
        s = self._streams.get(name)
        if s is None:
            if not name or "." in name:
                raise MsValueError(
                    f"{self.name}: invalid stream name {name!r} (non-empty, no dots)"
                )
            s = self._streams[name] = Stream(self, name, len(self._streams))
        return s

    @property
    def streams(self) -> list[Stream]:
        """This device's streams in creation order."""
        return list(self._streams.values())

    def create_event(self, name: str) -> StreamEvent:
        """A new ACL event owned by this device."""
        return self.system.create_event(name, device=self.index)

    @property
    def cores_busy_until(self) -> int:
        """Simulated ns until which the AI cores are taken by started kernels."""
        return self._cores_free

    def __repr__(self) -> str:
        return f"<Npu {self.name} streams={len(self._streams)} {self.memory!r}>"
