"""Accumulation orders that make matmul, convolution and reductions bit-exact with r1.6.

Floating-point sums depend on their order. These functions reproduce the order MindSpore
r1.6's CPU kernels use (measured: float32 results compared with ``np.array_equal``), so the
guide's published Conv2d outputs come out exactly:

* :func:`cube_matmul` (MatMul, BatchMatMul, Conv2D via im2col): the contraction axis K is cut
  into ``ceil(K / 384)`` blocks of ``ceil(K / nblocks)`` elements; inside a block each product
  is added to a float32 accumulator with a fused multiply-add, in K order; the block results
  are added into the output in order. Verified bit-exact against r1.6 for MatMul with K <= 768
  and for Conv2D with Cin*kh*kw up to 576 (beyond K = 768 r1.6 switches to another blocking
  that this does not reproduce: results then differ in the last bits).
* ``order="dot"`` (MatMul/BatchMatMul with ``transpose_b`` only, where r1.6 computes row-by-row
  dot products): 16 partial sums, product ``k`` going to lane ``k % 16`` with a fused
  multiply-add, then the lanes are added pairwise (lanes 0-7 plus 8-15, then halves again).
  Verified bit-exact against r1.6 for K up to 1200.

The fused multiply-add is emulated in float64 (the product of two float32 is exact there) and
rounded to float32 after every step. float16 inputs accumulate the same way in float32 and
round to float16 at the end, as Ascend's cube unit does; float64 uses numpy's matmul; integers
are exact.
* Products larger than :data:`EXACT_MAC_LIMIT` multiply-adds fall back to numpy's float32
  ``matmul`` (BLAS): emulating the order costs a pass over the output per K step, which is
  too slow for big layers; such results may differ from r1.6 in the last bits.
* :func:`seq_sum` (ReduceSum, ReduceMean): a sequential float32 sum in row-major order of the
  reduced elements (numpy's pairwise summation differs in the last bits), except for a float32
  2-D input reduced over axis 1 only: r1.6 then sums each row in 8 vector lanes (element ``k``
  of the first ``8 * (n // 8)`` goes to lane ``k % 8``), adds the lanes in order 0..7 and then
  the remaining ``n % 8`` elements in order (:func:`lane_sum`; measured on r1.6's CPU kernel,
  bit-exact for n = 1..129, 255..257, 500, 999, 1000 and 4096; any other shape or axis set
  is summed in order).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["cube_matmul", "seq_sum", "lane_sum", "K_BLOCK", "EXACT_MAC_LIMIT", "SUM_LANES"]

#: largest contraction block of r1.6's CPU GEMM (measured)
K_BLOCK = 384
#: vector lanes of r1.6's row-sum kernel (2-D float32 input, axis 1)
SUM_LANES = 8
#: above this many multiply-adds per call, float matmuls use BLAS instead of r1.6's order
EXACT_MAC_LIMIT = 1 << 26


def _blocks(k: int) -> list[tuple[int, int]]:
    if k == 0:
        return []
    nblocks = -(-k // K_BLOCK)
    size = -(-k // nblocks)
    return [(s, min(s + size, k)) for s in range(0, k, size)]


def _fma_matmul_f32(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """float32 ``a @ b`` (broadcast batch dims) with r1.6's blocked FMA accumulation."""
    a64 = a.astype(np.float64)
    b64 = b.astype(np.float64)
    out_shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1])
    total = np.zeros(out_shape, np.float32)
    for start, stop in _blocks(a.shape[-1]):
        acc = np.zeros(out_shape, np.float32)
        for k in range(start, stop):
            step = a64[..., :, k, None] * b64[..., None, k, :]
            acc = (acc + step).astype(np.float32)
        total = (total + acc).astype(np.float32)
    return total


def _fma_dot_f32(a: np.ndarray, b: np.ndarray, lanes: int = 16) -> np.ndarray:
    """float32 ``a @ b`` as r1.6's dot-product kernel: 16 FMA lanes, then a pairwise fold."""
    a64 = a.astype(np.float64)
    b64 = b.astype(np.float64)
    out_shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1])
    acc = np.zeros((lanes,) + out_shape, np.float32)
    for k in range(a.shape[-1]):
        lane = k % lanes
        acc[lane] = (acc[lane] + a64[..., :, k, None] * b64[..., None, k, :]).astype(np.float32)
    while acc.shape[0] > 1:
        half = acc.shape[0] // 2
        acc = (acc[:half] + acc[half:]).astype(np.float32)
    return acc[0]


def cube_matmul(
    a: np.ndarray, b: np.ndarray, out_dtype: np.dtype, order: str = "gemm"
) -> np.ndarray:
    """``a @ b`` over the last two axes (batch axes broadcast) in ``out_dtype``.

    Floats 16/32 follow the accumulation ``order`` of the module docstring (``"gemm"`` or
    ``"dot"``); float64 uses numpy; integer and bool inputs are multiplied exactly (int64) and
    wrapped to ``out_dtype``.
    """
    out_dtype = np.dtype(out_dtype)
    with np.errstate(all="ignore"):
        if out_dtype.kind == "f" and out_dtype.itemsize <= 4:
            a32, b32 = a.astype(np.float32), b.astype(np.float32)
            batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
            macs = int(np.prod(batch, dtype=np.int64)) * a.shape[-2] * a.shape[-1] * b.shape[-1]
            if macs > EXACT_MAC_LIMIT:
                return np.matmul(a32, b32).astype(out_dtype)
            fn = _fma_dot_f32 if order == "dot" else _fma_matmul_f32
            return fn(a32, b32).astype(out_dtype)
        if out_dtype.kind in "fc":
            return np.matmul(a.astype(out_dtype), b.astype(out_dtype))
        return np.matmul(a.astype(np.int64), b.astype(np.int64)).astype(out_dtype)


def seq_sum(x: np.ndarray, axes: Sequence[int], keepdims: bool, acc_dtype: np.dtype) -> np.ndarray:
    """Sum of ``x`` over ``axes`` (normalised, unique), accumulated sequentially.

    Floats accumulate in ``acc_dtype`` one element at a time (numpy's ``cumsum`` is strictly
    sequential); integers use numpy's exact (wrapping) sum in ``acc_dtype``.
    """
    axes = sorted(set(axes))
    if x.ndim == 2 and axes == [1] and np.dtype(acc_dtype) == np.float32 and x.dtype == np.float32:
        res = lane_sum(x)
        return res.reshape(-1, 1) if keepdims else res
    keep = [i for i in range(x.ndim) if i not in axes]
    moved = np.transpose(x, keep + axes)
    kept_shape = tuple(x.shape[i] for i in keep)
    flat = moved.reshape(kept_shape + (-1,)).astype(acc_dtype, copy=False)
    with np.errstate(all="ignore"):
        if flat.shape[-1] == 0:
            res = np.zeros(kept_shape, acc_dtype)
        elif np.dtype(acc_dtype).kind == "f":
            res = np.cumsum(flat, axis=-1, dtype=acc_dtype)[..., -1]
        else:
            res = np.sum(flat, axis=-1, dtype=acc_dtype)
    if keepdims:
        res = res.reshape(tuple(1 if i in axes else x.shape[i] for i in range(x.ndim)))
    return np.asarray(res)


def lane_sum(x: np.ndarray, lanes: int = SUM_LANES) -> np.ndarray:
    """Row sums of a float32 2-D array in r1.6's vector-lane order (see the module docstring).

    ``np.cumsum`` is strictly sequential, so each step below is a float32 running sum in the
    kernel's order: per lane over the full vectors, then over the lanes, then over the tail.
    """
    rows, n = x.shape
    full = n // lanes * lanes
    with np.errstate(all="ignore"):
        parts = [np.zeros((rows, 1), np.float32)]
        if full:
            vectors = x[:, :full].astype(np.float32, copy=False).reshape(rows, -1, lanes)
            parts.append(np.cumsum(vectors, axis=1, dtype=np.float32)[:, -1, :])
        parts.append(x[:, full:].astype(np.float32, copy=False))
        return np.cumsum(np.concatenate(parts, axis=1), axis=1, dtype=np.float32)[:, -1]
