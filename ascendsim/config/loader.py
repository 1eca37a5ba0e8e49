"""Find, load and override hardware presets.

A preset is named (``ascend910a``: a file in ``configs/``) or given as a path to a YAML file.
Overrides change single fields after loading, either nested (``{"pcie": {"h2d_bandwidth":
"16GB/s"}}``) or dotted (``{"pcie.h2d_bandwidth": "16GB/s"}``), and are validated with the
rest. Every error is a :class:`~ascendsim.errors.ConfigError` naming the file, line and field.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydantic

from ascendsim.config.models import HardwareConfig
from ascendsim.errors import ConfigError
from ascendsim.yamlio import Loaded, load_yaml, plain, render_validation_error

__all__ = [
    "DEFAULT_PRESET",
    "preset_dirs",
    "list_presets",
    "preset_path",
    "load_hardware",
    "apply_overrides",
    "known_keys",
]

DEFAULT_PRESET = "ascend910a"


def preset_dirs() -> list[Path]:
    """Where named presets live: the checkout's ``configs/`` or the wheel's copy of it."""
    here = Path(__file__).resolve()
    candidates = [here.parents[2] / "configs", here.parents[1] / "_configs"]
    return [d for d in candidates if d.is_dir()]


def list_presets() -> list[str]:
    """The preset names, sorted."""
    names = {p.stem for d in preset_dirs() for p in d.glob("*.yaml")}
    return sorted(names)


def preset_path(name: str) -> Path:
    """The file of a named preset; raises ConfigError with the closest names."""
    for d in preset_dirs():
        p = d / f"{name}.yaml"
        if p.is_file():
            return p
    names = list_presets()
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ConfigError(
        f"unknown hardware preset {name!r}; {hint}known presets: "
        f"{', '.join(names)} (or give a path to a YAML file)"
    )


def _is_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name


def known_keys() -> dict[tuple[str | int, ...], list[str]]:
    """Valid keys at each level of the config, for 'did you mean' suggestions."""
    out: dict[tuple[str | int, ...], list[str]] = {}

    def walk(model: type[pydantic.BaseModel], prefix: tuple[str | int, ...]) -> None:
        out[prefix] = list(model.model_fields)
        for fname, field in model.model_fields.items():
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, pydantic.BaseModel):
                walk(ann, (*prefix, fname))

    walk(HardwareConfig, ())
    return out


def apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of ``data`` with nested or dotted overrides merged in."""
    result = copy.deepcopy(data)
    for key, value in (overrides or {}).items():
        parts = str(key).split(".")
        node: Any = result
        for i, part in enumerate(parts[:-1]):
            if not isinstance(node, dict) or part not in node or not isinstance(node[part], dict):
                where = ".".join(parts[: i + 1])
                raise ConfigError(
                    f"hardware override {key!r}: {where!r} is not a section of the "
                    f"config; sections: {', '.join(sorted(known_keys()[()]))}"
                )
            node = node[part]
        last = parts[-1]
        if isinstance(value, Mapping) and isinstance(node.get(last), dict):
            node[last] = apply_overrides(node[last], value)
        else:
            node[last] = plain(value)
    return result


def load_hardware(
    name_or_path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> HardwareConfig:
    """Load a preset by name (default ``ascend910a``) or path, apply overrides, validate.

    Raises:
        ConfigError: unknown preset, unreadable file, YAML error, or a field that fails
            validation (``file:line:col: chip.ai_cores: must be greater than zero``).
    """
    name = str(name_or_path) if name_or_path is not None else DEFAULT_PRESET
    path = Path(name) if _is_path(name) else preset_path(name)
    loaded = load_yaml(path, ConfigError)
    if not isinstance(loaded.data, Mapping):
        raise ConfigError(f"{path}:1:1: a hardware config must be a mapping of sections")
    data = apply_overrides(plain(loaded.data), overrides)
    try:
        return HardwareConfig.model_validate(data)
    except pydantic.ValidationError as exc:
        msg = render_validation_error(exc, loaded, str(path), known_keys=known_keys())
        if overrides:
            msg += f" (after overrides {dict(overrides)})"
        raise ConfigError(msg) from None


def config_from_loaded(loaded: Loaded) -> HardwareConfig:
    """Validate an already-parsed config document (used by scenario files with inline hardware)."""
    try:
        return HardwareConfig.model_validate(plain(loaded.data))
    except pydantic.ValidationError as exc:
        raise ConfigError(
            render_validation_error(exc, loaded, loaded.filename, known_keys=known_keys())
        ) from None
