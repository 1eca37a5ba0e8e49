"""The error hierarchy: every user-facing failure is an :class:`AscendSimError`.

Where MindSpore raises a builtin exception (``TypeError``, ``ValueError``, ``KeyError``,
``RuntimeError``, ``ImportError``), ascendsim raises a subclass of *both* that builtin and
:class:`AscendSimError`, so code written against MindSpore (``except TypeError``) keeps
working while the CLI and the pytest plugin can still recognise our errors.

Every message names the place (file:line:col for YAML, node and parameter names for graphs,
simulated time for runtime faults) and says how to fix the problem.
"""

from __future__ import annotations

__all__ = [
    "AscendSimError",
    "ConfigError",
    "DeviceError",
    "DeviceOutOfMemory",
    "InvalidFree",
    "EventNotRecorded",
    "UnfinishedWork",
    "FloatStatusOrderError",
    "GraphError",
    "DependCycleError",
    "UnknownOpError",
    "ScenarioError",
    "MsTypeError",
    "MsValueError",
    "MsKeyError",
    "MsRuntimeError",
    "MsImportError",
    "MsNotImplementedError",
    "MsIndexError",
    "format_ns",
]


def format_ns(ns: int) -> str:
    """Render a simulated time in ns for a message: ``t=12.345 us``."""
    if ns < 1_000:
        return f"t={ns} ns"
    if ns < 1_000_000:
        return f"t={ns / 1e3:.3f} us"
    if ns < 1_000_000_000:
        return f"t={ns / 1e6:.3f} ms"
    return f"t={ns / 1e9:.3f} s"


class AscendSimError(Exception):
    """Base class of every error ascendsim raises on purpose."""

    #: exit code the CLI uses for this error (2: invalid input, 1: a failure while running)
    exit_code: int = 1


class ConfigError(AscendSimError, ValueError):
    """A hardware config or preset is malformed or unknown (names the file and field)."""

    exit_code = 2


class ScenarioError(AscendSimError, ValueError):
    """A scenario or sweep file is malformed (names file:line:col and the path)."""

    exit_code = 2


class DeviceError(AscendSimError, RuntimeError):
    """A fault of the simulated hardware at run time (names the device and simulated time)."""


class DeviceOutOfMemory(DeviceError):
    """An allocation does not fit in a device's (or the host's) memory pool."""

    def __init__(
        self,
        message: str,
        *,
        requester: str = "",
        requested: int = 0,
        free: int = 0,
        largest_free_block: int = 0,
        holders: list[tuple[str, int]] | None = None,
    ) -> None:
        super().__init__(message)
        self.requester = requester
        self.requested = requested
        self.free = free
        self.largest_free_block = largest_free_block
        self.holders = holders or []


class InvalidFree(DeviceError):
    """A free of an unknown block, or a second free of the same block."""


class EventNotRecorded(DeviceError):
    """A stream waits on an event that no stream ever records."""


class UnfinishedWork(DeviceError):
    """After a run, tasks are still queued or blocked (a deadlock simpy would hide)."""


class FloatStatusOrderError(DeviceError):
    """The float-status ops ran out of the order the guide requires (Alloc, Clear, Get)."""


class GraphError(AscendSimError, ValueError):
    """A malformed graph: a bad edge, an output that depends on nothing executed, ..."""


class DependCycleError(GraphError):
    """Data, Depend and side-effect edges form a cycle."""


class UnknownOpError(GraphError):
    """An operator name that ascendsim does not emulate."""


# --- MindSpore-typed errors: raised where MindSpore raises the builtin type ---------------


class MsTypeError(AscendSimError, TypeError):
    """MindSpore raises ``TypeError`` here."""


class MsValueError(AscendSimError, ValueError):
    """MindSpore raises ``ValueError`` here."""


class MsKeyError(AscendSimError, KeyError):
    """MindSpore raises ``KeyError`` here (e.g. an unknown initializer name in r1.6)."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else ""


class MsRuntimeError(AscendSimError, RuntimeError):
    """MindSpore raises ``RuntimeError`` here (e.g. an Ascend-only op on CPU)."""


class MsImportError(AscendSimError, ImportError):
    """A MindSpore module or name that ascendsim does not emulate."""


class MsNotImplementedError(AscendSimError, NotImplementedError):
    """MindSpore raises ``NotImplementedError`` here (e.g. a Cell without ``construct``)."""


class MsIndexError(AscendSimError, IndexError):
    """MindSpore raises ``IndexError`` here (e.g. a Tensor index out of range in r1.6)."""
