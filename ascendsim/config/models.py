"""Pydantic models of the simulated hardware.

Values in the YAML may carry units (``32GiB``, ``1.2TB/s``, ``256TFLOPS``, ``2us``); after
validation every field holds internal units (see :mod:`ascendsim.units`): ``int`` bytes, ``int``
ns, ``float`` bytes/ns, ``float`` operations/ns. Models are frozen and forbid unknown keys.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ascendsim import units

__all__ = [
    "HardwareConfig",
    "ChipConfig",
    "HbmConfig",
    "MemoryPoolConfig",
    "FloatStatusConfig",
    "PcieConfig",
    "HccsConfig",
    "NetworkConfig",
    "HostConfig",
    "RuntimeConfig",
]


def _positive(v: float) -> float:
    if v <= 0:
        raise ValueError(f"must be greater than zero, got {v}")
    return v


def _non_negative(v: float) -> float:
    if v < 0:
        raise ValueError(f"must not be negative, got {v}")
    return v


def _power_of_two(v: int) -> int:
    if v <= 0 or v & (v - 1):
        raise ValueError(f"must be a positive power of two, got {v}")
    return v


Bytes = Annotated[int, BeforeValidator(units.parse_bytes), AfterValidator(_positive)]
BytesOrZero = Annotated[int, BeforeValidator(units.parse_bytes), AfterValidator(_non_negative)]
TimeNs = Annotated[int, BeforeValidator(units.parse_time_ns), AfterValidator(_non_negative)]
Bandwidth = Annotated[float, BeforeValidator(units.parse_bandwidth), AfterValidator(_positive)]
Rate = Annotated[float, BeforeValidator(units.parse_rate), AfterValidator(_positive)]
Frequency = Annotated[float, BeforeValidator(units.parse_frequency), AfterValidator(_positive)]
PosInt = Annotated[int, Field(gt=0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class ChipConfig(_Model):
    """The NPU die: AI cores and their peak rates per unit and dtype."""

    model: str
    ai_cores: PosInt
    clock_hz: Frequency
    cube_peak: dict[str, Rate] = Field(description="dtype name -> peak rate of the cube unit")
    vector_peak: dict[str, Rate] = Field(description="dtype name -> peak rate of the vector unit")
    aicpu_peak: Rate = Field(description="rate of ops that run on the AI CPU")
    overflow_mode: Literal["saturation", "inf_nan"]


class HbmConfig(_Model):
    capacity: Bytes
    bandwidth: Bandwidth


class MemoryPoolConfig(_Model):
    """MindSpore's device memory pool: a request of N bytes takes
    ``ceil((N + padding) / alignment) * alignment``."""

    alignment: Annotated[int, BeforeValidator(units.parse_bytes), AfterValidator(_power_of_two)]
    padding: BytesOrZero
    reserved: BytesOrZero = 0


class FloatStatusConfig(_Model):
    words: PosInt = 8


class PcieConfig(_Model):
    h2d_bandwidth: Bandwidth
    d2h_bandwidth: Bandwidth
    h2d_latency: TimeNs
    d2h_latency: TimeNs


class HccsConfig(_Model):
    bandwidth: Bandwidth
    latency: TimeNs
    group_size: PosInt
    topology: Literal["full_mesh"] = "full_mesh"


class NetworkConfig(_Model):
    bandwidth: Bandwidth
    latency: TimeNs


class HostConfig(_Model):
    memory: Bytes
    launch_overhead: TimeNs
    memcpy_bandwidth: Bandwidth


class RuntimeConfig(_Model):
    task_overhead: TimeNs


class HardwareConfig(_Model):
    """A whole simulated server: host, NPUs and the links between them."""

    name: str
    description: str = ""
    devices_per_server: PosInt
    chip: ChipConfig
    hbm: HbmConfig
    memory_pool: MemoryPoolConfig
    float_status: FloatStatusConfig = FloatStatusConfig()
    pcie: PcieConfig
    hccs: HccsConfig
    network: NetworkConfig
    host: HostConfig
    runtime: RuntimeConfig
