"""Hardware configuration: pydantic models and the presets in ``configs/``."""

from ascendsim.config.loader import (
    DEFAULT_PRESET,
    apply_overrides,
    list_presets,
    load_hardware,
    preset_path,
)
from ascendsim.config.models import HardwareConfig

__all__ = [
    "DEFAULT_PRESET",
    "HardwareConfig",
    "apply_overrides",
    "list_presets",
    "load_hardware",
    "preset_path",
]
