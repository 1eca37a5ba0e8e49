"""The simulated hardware: a System of host, NPUs and links on one simpy clock.

See :mod:`ascendsim.device.system` for the topology, :mod:`ascendsim.device.stream` for the
timing rules, :mod:`ascendsim.device.memory` for the HBM pool and
:mod:`ascendsim.device.cost` for the roofline cost model. This layer knows nothing of
Parameters or graphs: it moves bytes and runs tasks with a cost, and records every state
change in the system's :class:`~ascendsim.trace.TraceLog`.
"""

from ascendsim.device.cost import CostModel, ceil_ns
from ascendsim.device.float_status import FloatStatusRegister
from ascendsim.device.host import Host
from ascendsim.device.link import Link, Transfer
from ascendsim.device.memory import Block, MemoryPool
from ascendsim.device.npu import Npu
from ascendsim.device.stream import Stream
from ascendsim.device.system import System
from ascendsim.device.task import (
    CopyTask,
    ExternalWaitTask,
    KernelTask,
    RecordTask,
    StreamEvent,
    Task,
    WaitTask,
)

__all__ = [
    "Block",
    "CopyTask",
    "CostModel",
    "ExternalWaitTask",
    "FloatStatusRegister",
    "Host",
    "KernelTask",
    "Link",
    "MemoryPool",
    "Npu",
    "RecordTask",
    "Stream",
    "StreamEvent",
    "System",
    "Task",
    "Transfer",
    "WaitTask",
    "ceil_ns",
]
