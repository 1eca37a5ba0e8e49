"""ascendsim: a discrete-event emulator of a Huawei Ascend NPU for MindSpore-style code.

Heavy modules (plotting, rich, the scenario runner) are imported lazily.
"""

from ascendsim.errors import AscendSimError

__version__ = "0.1.0"

__all__ = ["AscendSimError", "__version__"]
