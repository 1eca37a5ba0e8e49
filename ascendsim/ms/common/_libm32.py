"""Bit-exact float32 ``logf``, ``sinf`` and ``cosf`` of glibc, vectorised with numpy.

MindSpore r1.6 draws ``Normal`` initializer values on the host with a C++ Box-Muller transform
that calls the C library's single-precision ``logf``, ``sinf`` and ``cosf``. Those are not
correctly rounded (glibc documents 0.82 and 0.56 ULP), so numpy's own float32 functions, or
a float64 function rounded to float32, disagree with them in about one case in a hundred. This
module evaluates glibc's published algorithms (the table-driven ``logf`` of glibc >= 2.28 and
the ``sinf``/``cosf`` of ``sysdeps/ieee754/flt-32``) in float64 numpy arithmetic, which is exact
IEEE arithmetic, so the results are the C library's bit for bit.

Scope: only the inputs the Box-Muller transform produces are supported: ``logf`` of positive
normal floats below 2 and ``sinf``/``cosf`` of arguments in ``[0, 120)``. Every one of the
2**23 possible inputs of the generator was checked against glibc 2.36 (x86-64, FMA variant)
when this module was written; the results equal, with or without fused multiply-add, because
glibc's polynomial evaluation has enough slack.
"""

from __future__ import annotations

import numpy as np

_h = float.fromhex

# logf: x = 2^k z, z near 1/c_i; log(x) = log1p(z/c_i - 1) + log(c_i) + k ln2.
_LOGF_INVC = np.array(
    [
        _h(v)
        for v in (
            "0x1.661ec79f8f3bep+0 0x1.571ed4aaf883dp+0 0x1.49539f0f010bp+0 0x1.3c995b0b80385p+0 "
            "0x1.30d190c8864a5p+0 0x1.25e227b0b8eap+0 0x1.1bb4a4a1a343fp+0 0x1.12358f08ae5bap+0 "
            "0x1.0953f419900a7p+0 0x1p+0 0x1.e608cfd9a47acp-1 0x1.ca4b31f026aap-1 "
            "0x1.b2036576afce6p-1 0x1.9c2d163a1aa2dp-1 0x1.886e6037841edp-1 0x1.767dcf5534862p-1"
        ).split()
    ]
)
_LOGF_LOGC = np.array(
    [
        _h(v)
        for v in (
            "-0x1.57bf7808caadep-2 -0x1.2bef0a7c06ddbp-2 -0x1.01eae7f513a67p-2 "
            "-0x1.b31d8a68224e9p-3 -0x1.6574f0ac07758p-3 -0x1.1aa2bc79c81p-3 -0x1.a4e76ce8c0e5ep-4 "
            "-0x1.1973c5a611cccp-4 -0x1.252f438e10c1ep-5 0x0p+0 0x1.aa5aa5df25984p-5 "
            "0x1.c5e53aa362eb4p-4 0x1.526e57720db08p-3 0x1.bc2860d22477p-3 0x1.1058bc8a07ee1p-2 "
            "0x1.4043057b6ee09p-2"
        ).split()
    ]
)
_LN2 = _h("0x1.62e42fefa39efp-1")
_LOGF_A0 = _h("-0x1.00ea348b88334p-2")
_LOGF_A1 = _h("0x1.5575b0be00b6ap-2")
_LOGF_A2 = _h("-0x1.ffffef20a4123p-2")
_LOGF_OFF = np.uint32(0x3F330000)


def logf(x: np.ndarray) -> np.ndarray:
    """glibc ``logf`` of a float32 array of positive normal numbers (float32 result)."""
    ix = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    tmp = ix - _LOGF_OFF
    i = (tmp >> np.uint32(19)) & np.uint32(15)
    k = (tmp.view(np.int32) >> np.int32(23)).astype(np.float64)
    iz = ix - (tmp & np.uint32(0x1FF << 23))
    z = iz.view(np.float32).astype(np.float64)
    r = z * _LOGF_INVC[i] - 1.0
    y0 = _LOGF_LOGC[i] + k * _LN2
    r2 = r * r
    y = _LOGF_A1 * r + _LOGF_A2
    y = _LOGF_A0 * r2 + y
    y = y * r2 + (y0 + r)
    out = y.astype(np.float32)
    out[ix == np.uint32(0x3F800000)] = np.float32(0.0)
    return out


# sinf / cosf: reduce by multiples of pi/2 (single multiply-subtract), then a polynomial.
_HPI_INV = _h("0x1.45F306DC9C883p+23")  # 2/pi * 2^24
_HPI = _h("0x1.921FB54442D18p0")
_C0, _C1, _C2 = 1.0, _h("-0x1.ffffffd0c621cp-2"), _h("0x1.55553e1068f19p-5")
_C3, _C4 = _h("-0x1.6c087e89a359dp-10"), _h("0x1.99343027bf8c3p-16")
_S1, _S2 = _h("-0x1.555545995a603p-3"), _h("0x1.1107605230bc4p-7")
_S3 = _h("-0x1.994eb3774cf24p-13")
_QUADRANT_SIGN = np.array([1.0, -1.0, -1.0, 1.0])


def _abstop12(y: np.ndarray) -> np.ndarray:
    return (y.view(np.uint32) >> np.uint32(20)) & np.uint32(0x7FF)


_PIO4_TOP = int(_abstop12(np.array([_h("0x1.921FB54442D18p-1")], dtype=np.float32))[0])
_TINY_TOP = int(_abstop12(np.array([2.0**-12], dtype=np.float32))[0])


def _sinf_poly(x: np.ndarray, x2: np.ndarray, odd: np.ndarray, neg: np.ndarray) -> np.ndarray:
    """glibc's ``sinf_poly``: the sine polynomial, or the (negated if ``neg``) cosine one."""
    x3 = x * x2
    s1 = _S2 + x2 * _S3
    sin = (x + x3 * _S1) + (x3 * x2) * s1
    sign = np.where(neg, -1.0, 1.0)
    x4 = x2 * x2
    c2 = sign * _C3 + x2 * (sign * _C4)
    c1 = sign * _C0 + x2 * (sign * _C1)
    cos = (c1 + x4 * (sign * _C2)) + (x4 * x2) * c2
    return np.where(odd, cos, sin)


def _sincosf(y: np.ndarray, cosine: bool) -> np.ndarray:
    y = np.ascontiguousarray(y, dtype=np.float32)
    top = _abstop12(y)
    x = y.astype(np.float64)
    small = top < _PIO4_TOP
    n = ((x * _HPI_INV).astype(np.int32) + np.int32(0x800000)) >> np.int32(24)
    n = np.where(small, 0, n)
    xr = np.where(small, x, x - n * _HPI)
    quadrant = n & 3
    xs = xr * _QUADRANT_SIGN[quadrant]
    which = (n ^ 1) if cosine else n
    out = _sinf_poly(xs, xr * xr, (which & 1) == 1, (n & 2) != 0).astype(np.float32)
    tiny = top < _TINY_TOP
    if np.any(tiny):
        out = np.where(tiny, np.float32(1.0) if cosine else y, out)
    return out


def sinf(y: np.ndarray) -> np.ndarray:
    """glibc ``sinf`` of a float32 array with values in ``[0, 120)`` (float32 result)."""
    return _sincosf(y, cosine=False)


def cosf(y: np.ndarray) -> np.ndarray:
    """glibc ``cosf`` of a float32 array with values in ``[0, 120)`` (float32 result)."""
    return _sincosf(y, cosine=True)
