"""Units at the edges: parse ``32GiB``, ``1.2TB/s``, ``256TFLOPS``, ``2us``; format for reports.

Inside ascendsim, sizes are ``int`` bytes, times ``int`` nanoseconds, bandwidths ``float`` bytes
per ns (1 GB/s is exactly 1 byte/ns) and compute rates ``float`` operations per ns (1 TFLOPS is
1000 FLOP/ns). Decimal prefixes (k, M, G, T, P) are powers of 1000, binary ones (Ki, Mi, Gi, Ti)
powers of 1024. Parsers raise ``ValueError`` with the accepted units; the config layer turns that
into a :class:`~ascendsim.errors.ConfigError` naming the file and field.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "parse_bytes",
    "parse_time_ns",
    "parse_bandwidth",
    "parse_rate",
    "parse_frequency",
    "format_bytes",
    "format_ns",
    "format_bandwidth",
    "format_rate",
]

_NUM = r"(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*"
_PREFIX = {
    "": 1,
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "Ki": 1024,
    "Mi": 1024**2,
    "Gi": 1024**3,
    "Ti": 1024**4,
    "Pi": 1024**5,
}
_PREFIX_RE = "(?P<prefix>Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P|)"
_BYTES_RE = re.compile(rf"^{_NUM}{_PREFIX_RE}(?:B|bytes?)?$")
_BW_RE = re.compile(rf"^{_NUM}{_PREFIX_RE}(?:B/s|Bps)$")
_RATE_RE = re.compile(rf"^{_NUM}{_PREFIX_RE}(?:FLOPS|OPS|flops|ops|FLOP/s|OP/s)$")
_FREQ_RE = re.compile(rf"^{_NUM}{_PREFIX_RE}Hz$")
_TIME_RE = re.compile(rf"^{_NUM}(?P<unit>ns|us|µs|ms|s)$")
_TIME_NS = {"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9}


def _number(value: object, what: str) -> float | None:
    if isinstance(value, bool):
        raise ValueError(f"expected {what}, got a boolean")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite {what}, got {value}")
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"expected {what} as a number or a string, got {type(value).__name__}")
    return None


def _parse(value: object, regex: re.Pattern[str], what: str, examples: str) -> float:
    num = _number(value, what)
    if num is not None:
        return num
    assert isinstance(value, str)
    m = regex.match(value.strip())
    if not m:
        raise ValueError(f"cannot read {value!r} as {what}; write it like {examples}")
    result = float(m.group("num")) * _PREFIX[m.groupdict().get("prefix") or ""]
    if not math.isfinite(result):
        raise ValueError(f"{value!r} is too large for {what}")
    return result


def parse_bytes(value: object) -> int:
    """A size in bytes: ``32GiB``, ``1.5MB``, ``512``, ``512B``. Fractions of a byte round up."""
    return math.ceil(_parse(value, _BYTES_RE, "a size", "'32GiB', '512MB' or '4096'"))


def parse_bandwidth(value: object) -> float:
    """A bandwidth in bytes per ns: ``1.2TB/s`` -> 1200.0, ``25GB/s`` -> 25.0; a bare number is
    bytes per second."""
    return _parse(value, _BW_RE, "a bandwidth", "'1.2TB/s' or '25GB/s'") / 1e9


def parse_rate(value: object) -> float:
    """A compute rate in operations per ns: ``256TFLOPS`` -> 256000.0; a bare number is per s."""
    return _parse(value, _RATE_RE, "a compute rate", "'256TFLOPS' or '512TOPS'") / 1e9


def parse_frequency(value: object) -> float:
    """A frequency in Hz: ``1.0GHz`` -> 1e9."""
    return _parse(value, _FREQ_RE, "a frequency", "'1.0GHz'")


def parse_time_ns(value: object) -> int:
    """A duration in integer ns, rounded up: ``2us`` -> 2000, ``1.5ns`` -> 2; a bare number is ns."""
    num = _number(value, "a duration")
    if num is None:
        assert isinstance(value, str)
        m = _TIME_RE.match(value.strip())
        if not m:
            raise ValueError(f"cannot read {value!r} as a duration; write it like '2us' or '150ns'")
        num = float(m.group("num")) * _TIME_NS[m.group("unit")]
    if not math.isfinite(num):
        raise ValueError(f"{value!r} is too large for a duration")
    return math.ceil(num)


def format_bytes(n: int | float) -> str:
    """``7077888`` -> ``'6.75 MiB'`` (binary units, as memory is reported)."""
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{int(n)} B" if unit == "B" else f"{n:.2f} {unit}".replace(".00 ", " ")
        n /= 1024
    raise AssertionError("unreachable")


def format_ns(ns: int | float) -> str:
    """``3200`` -> ``'3.2 us'``."""
    ns = float(ns)
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if abs(ns) >= scale:
            return f"{ns / scale:.4g} {unit}"
    return f"{ns:.4g} ns"


def format_bandwidth(bytes_per_ns: float) -> str:
    """``25.0`` -> ``'25 GB/s'``."""
    bps = bytes_per_ns * 1e9
    for unit, scale in (("TB/s", 1e12), ("GB/s", 1e9), ("MB/s", 1e6)):
        if bps >= scale:
            return f"{bps / scale:.4g} {unit}"
    return f"{bps:.4g} B/s"


def format_rate(per_ns: float, ops: str = "FLOPS") -> str:
    """``256000.0`` -> ``'256 TFLOPS'`` (``ops="OPS"`` for integer rates: ``'512 TOPS'``)."""
    ps = per_ns * 1e9
    for prefix, scale in (("P", 1e15), ("T", 1e12), ("G", 1e9)):
        if ps >= scale:
            return f"{ps / scale:.4g} {prefix}{ops}"
    return f"{ps:.4g} {ops}"
