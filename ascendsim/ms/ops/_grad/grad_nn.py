"""Rules for the neural-network ops: Conv2D, BiasAdd, ReLU, Softmax, BatchNorm, pooling and
the softmax cross-entropies.

As in r1.6, the cross-entropies give no gradient to their labels.
"""

from __future__ import annotations

from typing import Any

from .. import operations as P
from ..operations._grad_ops import (
    AvgPoolGrad,
    BatchNormGrad,
    BiasAddGrad,
    Conv2DBackpropFilter,
    Conv2DBackpropInput,
    MaxPoolGrad,
    ReluGrad,
)
from . import register_bprop
from ._util import first


@register_bprop("Conv2D")
def _conv2d(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, w = inputs
    dx = Conv2DBackpropInput.like(prim)(dout, w, tuple(x.shape))
    dw = Conv2DBackpropFilter.like(prim)(dout, x, tuple(w.shape))
    return dx, dw


@register_bprop("BiasAdd")
def _bias_add(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return dout, BiasAddGrad(prim.data_format)(dout)


@register_bprop("ReLU")
def _relu(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    return (ReluGrad()(dout, out),)


@register_bprop("Softmax")
def _softmax(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    mul = P.Mul()
    dot = P.ReduceSum(keep_dims=True)(mul(dout, out), prim.axis)
    return (mul(P.Sub()(dout, dot), out),)


@register_bprop("BatchNorm")
def _batch_norm(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, scale, _bias, mean, variance = inputs
    dy = first(dout)
    if dy is None:
        return (None,) * 5
    if prim.is_training:
        saved_mean, saved_var = out[3], out[4]
    else:
        saved_mean, saved_var = mean, variance
    dx, dscale, dbias = BatchNormGrad(prim.is_training, prim.epsilon)(
        dy, x, scale, saved_mean, saved_var
    )
    if dscale.dtype != scale.dtype:
        dscale, dbias = P.Cast()(dscale, scale.dtype), P.Cast()(dbias, scale.dtype)
    return dx, dscale, dbias, None, None


@register_bprop("MaxPool")
def _max_pool(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    (x,) = inputs
    return (MaxPoolGrad.like(prim)(x, out, dout),)


@register_bprop("AvgPool")
def _avg_pool(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    (x,) = inputs
    return (AvgPoolGrad.like(prim)(x, out, dout),)


@register_bprop("SoftmaxCrossEntropyWithLogits")
def _softmax_ce(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    dloss = first(dout)
    if dloss is None:
        return None, None
    scale = P.ExpandDims()(dloss, -1)
    return P.Mul()(out[1], scale), None


@register_bprop("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_softmax_ce(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    logits, labels = inputs
    grad = P.SparseSoftmaxCrossEntropyWithLogits(is_grad=True)(logits, labels)
    return P.Mul()(grad, dout), None
