"""Human-readable views of hardware presets (``ascendsim hardware list|show``)."""

from __future__ import annotations

from typing import Any

from ascendsim import units
from ascendsim.config.loader import list_presets, load_hardware
from ascendsim.config.models import HardwareConfig

__all__ = ["presets_table", "config_table", "config_rows"]

_BANDWIDTH_FIELDS = {"bandwidth", "h2d_bandwidth", "d2h_bandwidth", "memcpy_bandwidth"}
_TIME_FIELDS = {"h2d_latency", "d2h_latency", "latency", "launch_overhead", "task_overhead"}
_BYTES_FIELDS = {"capacity", "memory", "reserved", "alignment", "padding"}


def _fmt(field: str, value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(
            f"{k}: {units.format_rate(v, ops='OPS' if k.startswith(('int', 'uint')) else 'FLOPS')}"
            for k, v in value.items()
        )
    if field in _BANDWIDTH_FIELDS:
        return units.format_bandwidth(value)
    if field in _TIME_FIELDS:
        return units.format_ns(value)
    if field in _BYTES_FIELDS:
        return units.format_bytes(value)
    if field == "clock_hz":
        return f"{value / 1e9:.4g} GHz"
    if field == "aicpu_peak":
        return units.format_rate(value)
    return str(value)


def config_rows(cfg: HardwareConfig) -> list[tuple[str, str]]:
    """(dotted field, formatted value) for every field of a config, in declaration order."""
    rows: list[tuple[str, str]] = []

    def walk(obj: Any, prefix: str) -> None:
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            path = f"{prefix}{name}"
            if hasattr(type(value), "model_fields"):
                walk(value, path + ".")
            else:
                rows.append((path, _fmt(name, value)))

    walk(cfg, "")
    return rows


def presets_table() -> Any:
    """A rich Table with one row per preset."""
    from rich.table import Table

    table = Table(title="Hardware presets")
    for col in (
        "name",
        "chip",
        "AI cores",
        "fp16 cube peak",
        "HBM",
        "HBM bandwidth",
        "PCIe H2D",
        "devices/server",
        "overflow mode",
    ):
        table.add_column(col)
    for name in list_presets():
        c = load_hardware(name)
        table.add_row(
            c.name,
            c.chip.model,
            str(c.chip.ai_cores),
            units.format_rate(c.chip.cube_peak.get("float16", 0.0)),
            units.format_bytes(c.hbm.capacity),
            units.format_bandwidth(c.hbm.bandwidth),
            units.format_bandwidth(c.pcie.h2d_bandwidth),
            str(c.devices_per_server),
            c.chip.overflow_mode,
        )
    return table


def config_table(cfg: HardwareConfig) -> Any:
    """A rich Table of every field of one config."""
    from rich.table import Table

    table = Table(title=f"{cfg.name}: {cfg.description}")
    table.add_column("field")
    table.add_column("value")
    for path, value in config_rows(cfg):
        table.add_row(path, value)
    return table
