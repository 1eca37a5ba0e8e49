"""ascendsim: a discrete-event emulator of a Huawei Ascend NPU for MindSpore-style code.

Heavy modules (plotting, rich, the scenario runner, the front end) are imported lazily:
``ascendsim.explore`` (the schedule explorer for a function or Cell run as a graph, see
:func:`ascendsim.ms._graph_mode.explore`) is loaded on first use, so ``import ascendsim``
stays fast.
"""

from typing import Any

from ascendsim.errors import AscendSimError

__version__ = "0.1.0"

__all__ = ["AscendSimError", "__version__", "explore", "sweep"]


def __getattr__(name: str) -> Any:
    if name == "explore":
        from ascendsim.ms._graph_mode import explore

        globals()["explore"] = explore  # later look-ups skip this hook
        return explore
    if name == "sweep":  # the package is callable: ascendsim.sweep(spec, engine=...)
        import importlib

        return importlib.import_module("ascendsim.sweep")
    raise AttributeError(f"module 'ascendsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
