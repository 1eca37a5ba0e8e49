"""The cost model: how long a kernel or an uncontended copy takes, in integer ns.

A kernel is costed as a roofline over the *whole chip* (kernels of one device serialise on its
AI cores, see :mod:`ascendsim.device.stream`)::

    kernel_ns = ceil(max(flops / peak(unit, dtype), nbytes / hbm.bandwidth)) + runtime.task_overhead

``unit`` is ``"cube"`` (matrix unit, ``chip.cube_peak[dtype]``), ``"vector"``
(``chip.vector_peak[dtype]``) or ``"aicpu"`` (``chip.aicpu_peak``, any dtype). A dtype the
preset gives no rate for falls back to the unit's ``float16`` rate (so ``bfloat16`` or
``float32`` on the cube unit run at the fp16 peak unless the preset says otherwise).
"""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsValueError

__all__ = ["CostModel", "ceil_ns", "UNITS"]

#: compute units a kernel can run on
UNITS = ("cube", "vector", "aicpu")


def ceil_ns(x: float) -> int:
    """Round a non-negative duration in ns up to an integer, ignoring float noise.

    ``1000 / 25.0`` may come out a hair above 40.0; that must still be 40 ns, not 41.
    """
    n = int(x)
    if x - n > 1e-9 + x * 1e-13:
        return n + 1
    return n


class CostModel:
    """Kernel and copy durations from a hardware config (see the module docstring).

    Raises (from :meth:`peak`/:meth:`kernel_ns`):
        MsValueError: an unknown unit, or a unit with neither the dtype nor ``float16``.
    """

    __slots__ = ("config", "_peaks", "_rates", "_hbm_bw", "_overhead")

    def __init__(self, config: Any) -> None:
        self.config = config
        self._peaks: dict[tuple[str, str], float] = {}
        self._rates: dict[str, dict[str, float]] = {}  # unit -> dtype -> rate, filled on use
        self._hbm_bw = float(config.hbm.bandwidth)
        self._overhead = int(config.runtime.task_overhead)

    @property
    def task_overhead(self) -> int:
        """Device-side scheduling cost per task, ns."""
        return self._overhead

    def peak(self, unit: str, dtype: str) -> float:
        """Peak rate (FLOP per ns) of ``unit`` for ``dtype`` (float16 fallback)."""
        key = (unit, dtype)
        rate = self._peaks.get(key)
        if rate is not None:
            return rate
        chip = self.config.chip
        if unit == "aicpu":
            rate = float(chip.aicpu_peak)
        elif unit in ("cube", "vector"):
            table = chip.cube_peak if unit == "cube" else chip.vector_peak
            if dtype in table:
                rate = float(table[dtype])
            elif "float16" in table:
                rate = float(table["float16"])
            else:
                raise MsValueError(
                    f"cost model: the {unit} unit of {chip.model!r} has no rate for {dtype!r} "
                    f"and no float16 rate to fall back to; add chip.{unit}_peak.{dtype} to the "
                    f"hardware config (known: {', '.join(sorted(table)) or 'none'})"
                )
        else:
            raise MsValueError(
                f"cost model: unknown compute unit {unit!r}; use one of {', '.join(UNITS)}"
            )
        self._peaks[key] = rate
        return rate

    def kernel_ns(
        self, flops: float = 0, nbytes: int = 0, unit: str = "vector", dtype: str = "float16"
    ) -> int:
        """Duration in ns of a kernel doing ``flops`` operations and moving ``nbytes`` of HBM."""
        try:
            rate = self._rates[unit][dtype]
        except KeyError:
            rate = self._rates.setdefault(unit, {})[dtype] = self.peak(unit, dtype)
        x = flops / rate
        m = nbytes / self._hbm_bw
        if m > x:
            x = m
        n = int(x)  # ceil_ns inlined (hot path)
        if x - n > 1e-9 + x * 1e-13:
            n += 1
        return n + self._overhead

    def copy_ns(self, nbytes: int, link: Any) -> int:
        """Duration in ns of an uncontended copy of ``nbytes`` over ``link``:
        ``latency + ceil(nbytes / bandwidth)``."""
        return int(link.latency) + ceil_ns(nbytes / link.bandwidth)

    def host_memcpy_ns(self, nbytes: int) -> int:
        """Duration in ns of a host-side memcpy of ``nbytes`` (``host.memcpy_bandwidth``)."""
        return ceil_ns(nbytes / self.config.host.memcpy_bandwidth)
