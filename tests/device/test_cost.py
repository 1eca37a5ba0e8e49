"""The roofline cost model, against the ascend910a preset's numbers."""

from __future__ import annotations

import pytest

from ascendsim.config import load_hardware
from ascendsim.device import CostModel, ceil_ns
from ascendsim.errors import MsValueError


@pytest.fixture(scope="module")
def cost() -> CostModel:
    return CostModel(load_hardware("ascend910a"))  # cube fp16 256 TFLOPS, HBM 1.2 TB/s, 1 us


def test_compute_bound_kernel_uses_the_unit_peak_plus_task_overhead(cost):
    # 2 * 1024^3 FLOP on the cube at 256000 FLOP/ns = 8388.608 ns -> 8389, + 1000 overhead
    flops = 2 * 1024**3
    assert cost.kernel_ns(flops, 1024, "cube", "float16") == 8389 + 1000
    assert cost.kernel_ns(flops, 0, "cube", "int8") == 4195 + 1000  # 512 TOPS


def test_memory_bound_kernel_uses_hbm_bandwidth(cost):
    # 12 MB through 1200 B/ns = 10000 ns; 1e6 FLOP on the vector unit is only 123 ns
    assert cost.kernel_ns(1_000_000, 12_000_000, "vector", "float16") == 10_000 + 1000


def test_unknown_dtype_falls_back_to_the_units_float16_rate(cost):
    assert cost.peak("cube", "bfloat16") == cost.peak("cube", "float16") == 256_000.0
    assert cost.peak("vector", "float32") == 4096.0
    assert cost.peak("aicpu", "int64") == 50.0


def test_unknown_unit_is_an_error_naming_the_units(cost):
    with pytest.raises(MsValueError, match="unknown compute unit 'tensor'; use one of cube"):
        cost.kernel_ns(1, 0, "tensor", "float16")


def test_empty_kernel_costs_the_task_overhead_and_ceil_ignores_float_noise(cost):
    assert cost.kernel_ns() == 1000
    assert [ceil_ns(x) for x in (0.0, 40.0, 1000 / 25.0, 40.000001, 39.5, 3e9 + 0.5)] == [
        0, 40, 40, 41, 40, 3_000_000_001,
    ]  # fmt: skip


def test_host_memcpy_cost(cost):
    assert cost.host_memcpy_ns(10_000) == 1000  # 10 GB/s
