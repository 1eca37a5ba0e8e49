"""Helpers shared by the differentiation rules (they emit primitive calls)."""

from __future__ import annotations

from typing import Any

from ...common import dtype as mstype
from .. import operations as P

__all__ = ["is_tensor", "reduce_to", "fit", "keep_dims_shape", "first"]


def is_tensor(x: Any) -> bool:
    """A Tensor or Parameter (symbolic or concrete)."""
    return hasattr(x, "shape") and isinstance(getattr(x, "dtype", None), mstype.Type)


def reduce_to(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``g`` over the axes that broadcasting added or stretched to reach ``shape``."""
    gshape = tuple(g.shape)
    shape = tuple(shape)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = list(range(lead))
    axes += [lead + i for i, d in enumerate(shape) if d == 1 and gshape[lead + i] != 1]
    if axes:
        g = P.ReduceSum(keep_dims=False)(g, tuple(axes))
    if tuple(g.shape) != shape:
        g = P.Reshape()(g, shape)
    return g


def fit(g: Any, x: Any) -> Any:
    """The gradient ``g`` made to fit input ``x``: None for non-tensors, summed over
    broadcast axes, cast to ``x``'s dtype."""
    if g is None or not is_tensor(x):
        return None
    g = reduce_to(g, tuple(x.shape))
    if g.dtype != x.dtype:
        g = P.Cast()(g, x.dtype)
    return g


def keep_dims_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    """``shape`` with the reduced ``axes`` kept as size 1."""
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


def first(dout: Any) -> Any:
    """The gradient of output 0 of a (possibly multi-output) op."""
    return dout[0] if isinstance(dout, tuple) else dout
