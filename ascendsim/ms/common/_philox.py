"""MindSpore r1.6's host-side normal generator (``random_normal``), bit for bit.

r1.6's ``Normal`` initializer calls the C++ function ``random_normal(shape, seed, seed2, out)``
(``ccsrc/pybind_api/random_normal``). Its behaviour, reproduced here and checked against
r1.6 output (see ``tests/ms/test_initializer.py``), is:

* a Philox-4x32 style generator keyed by ``seed`` with counter ``[0, 0, seed2_lo, seed2_hi]``.
  Each call runs 10 rounds where the output words are
  ``[hi(K2*c2) ^ c1 ^ k0, lo(K2*c2), hi(K0*c0) ^ c3 ^ k0, lo(K0*c0)]`` (the second XOR uses
  key word 0, not key word 1, as in r1.6), the key advances by the Weyl constants after
  every round and is *kept* between calls, and the 128-bit result plus one becomes both the
  returned block and the next counter. So every block depends on the previous one: the
  stream is a sequential chain, not a counter-based one.
* the output is split into ``16`` contiguous parts (one when there are at most 16 values),
  filled by copies of the generator "in parallel": part ``t`` of ``n_t`` values first jumps
  the counter by ``(n_t * t + 3) // 4`` (using its own length, as r1.6 does) and then draws
  ``ceil(n_t / 4)`` blocks.
* each block of four 32-bit words gives four normals by Box-Muller on pairs: ``u = mantissa /
  2**23`` clamped to ``1e-7``, ``r = sqrt(-2 logf(u0))``, ``a = (2 * 3.14f) * u1``,
  outputs ``r sinf(a)`` and ``r cosf(a)`` rounded to float32 (``logf``/``sinf``/``cosf`` are
  glibc's single-precision functions, see :mod:`._libm32`).
* a ``(0, 0)`` seed pair means "pick a random key" (r1.6 uses ``clock()``; see
  :func:`_unseeded_key`).

Speed: the 16 chains are advanced together with Python integers holding one 64-bit lane per
chain (one big-integer multiply computes all 16 lane products), so the cost is about 10 us per
block of 64 values; the Box-Muller step is vectorised numpy.
"""

from __future__ import annotations

import itertools

import numpy as np

from ._libm32 import cosf, logf, sinf

__all__ = ["random_normal"]

_K0, _K1, _K2, _K3 = 0xD2511F53, 0x9E3779B9, 0xCD9E8D57, 0xBB67AE85
_M32 = 0xFFFFFFFF
_THREADS = 16
_PI_F32 = np.float32(3.14)
_THRESHOLD = np.float32(1.0e-7)
_UNSEEDED_CALLS = itertools.count(1)


def _pack(values: list[int]) -> int:
    """Pack 32-bit values into one integer, one 64-bit lane each (lane 0 lowest)."""
    out = 0
    for lane, v in enumerate(values):
        out |= (v & _M32) << (64 * lane)
    return out


def _chains(seed: int, seed2: int, starts: list[int], steps: int) -> np.ndarray:
    """Run one generator chain per start offset; return uint32 words, shape (steps, 4, lanes)."""
    lanes = len(starts)
    ones = _pack([1] * lanes)
    mask = ones * _M32
    base_lo, base_hi = 0, seed2 & ((1 << 64) - 1)
    c = [[], [], [], []]
    for jump in starts:
        lo, hi = base_lo + jump, base_hi
        if lo >= 1 << 64:
            lo -= 1 << 64
            hi = (hi + 1) & ((1 << 64) - 1)
        for word, value in enumerate((lo, lo >> 32, hi, hi >> 32)):
            c[word].append(value & _M32)
    c0, c1, c2, c3 = (_pack(w) for w in c)
    key = seed & _M32
    out: list[int] = []
    for _ in range(steps):
        for _ in range(10):
            kp = key * ones
            p0 = _K0 * c0
            p2 = _K2 * c2
            c0, c1, c2, c3 = (
                ((p2 >> 32) & mask) ^ c1 ^ kp,
                p2 & mask,
                ((p0 >> 32) & mask) ^ c3 ^ kp,
                p0 & mask,
            )
            key = (key + _K1) & _M32
        c0 += ones
        carry = (c0 >> 32) & ones
        if carry:  # a lane's word 0 wrapped: propagate the 128-bit increment
            c0 &= mask
            c1 += carry
            carry = (c1 >> 32) & ones
            if carry:
                c1 &= mask
                c2 += carry
                carry = (c2 >> 32) & ones
                if carry:
                    c2 &= mask
                    c3 = (c3 + carry) & mask
        out.extend((c0, c1, c2, c3))
    nbytes = 8 * lanes
    raw = b"".join(v.to_bytes(nbytes, "little") for v in out)
    return np.frombuffer(raw, dtype=np.uint64).astype(np.uint32).reshape(steps, 4, lanes)


def _box_muller(words: np.ndarray) -> np.ndarray:
    """Four uint32 words per row -> four float32 normals per row (r1.6's formula)."""
    u = ((words & np.uint32(0x7FFFFF)) | np.uint32(127 << 23)).view(np.float32) - np.float32(1.0)
    u = np.maximum(u, _THRESHOLD)
    radius = np.sqrt(-2.0 * logf(u[:, 0::2]).astype(np.float64))
    angle = (np.float32(2.0) * _PI_F32) * u[:, 1::2]
    out = np.empty(words.shape, dtype=np.float32)
    out[:, 0::2] = radius * sinf(angle).astype(np.float64)
    out[:, 1::2] = radius * cosf(angle).astype(np.float64)
    return out


def _unseeded_key() -> int:
    """A key for the ``(0, 0)`` pair without drawing from numpy's generator.

    r1.6 uses ``clock()``. Drawing from numpy instead would shift the stream the numpy-based
    initializers use; mixing a word of numpy's state with a call counter keeps that stream
    intact, is reproducible when numpy was seeded, and differs between calls.
    """
    _, keys, pos, *_ = np.random.get_state()
    mixed = (int(keys[pos % len(keys)]) ^ (next(_UNSEEDED_CALLS) * _K1)) % (2**31 - 1)
    return mixed or 1


def random_normal(shape: tuple[int, ...], seed: int, seed2: int) -> np.ndarray:
    """Standard normal float32 array of ``shape``, equal to r1.6's ``random_normal``.

    ``seed``/``seed2`` are non-negative ints (MindSpore passes values below 2**31). When
    both are 0 (no global seed) the key comes from :func:`_unseeded_key`: random, as in r1.6,
    unless numpy's generator was seeded.
    """
    total = int(np.prod(shape, dtype=np.int64)) if len(shape) else 1
    if total == 0:
        return np.zeros(shape, dtype=np.float32)
    if seed == 0 and seed2 == 0:
        seed = _unseeded_key()
    parts = _THREADS if total > _THREADS else 1
    batch = total // parts
    sizes = [batch] * (parts - 1) + [total - batch * (parts - 1)]
    starts = [(size * t + 3) // 4 for t, size in enumerate(sizes)]
    steps = max((size + 3) // 4 for size in sizes)
    words = _chains(seed, seed2, starts, steps)  # (steps, 4, lanes)
    values = _box_muller(words.transpose(2, 0, 1).reshape(-1, 4)).reshape(parts, steps * 4)
    out = np.empty(total, dtype=np.float32)
    for t, size in enumerate(sizes):
        out[batch * t : batch * t + size] = values[t, :size]
    return out.reshape(shape)
