"""Training primitives: BatchNorm, the softmax cross-entropies, OneHot, Flatten, BroadcastTo and
the SGD optimizer op (r1.6 names and attributes; pooling is :mod:`.pool_ops`).

``BatchNorm(is_training=True)`` updates its ``mean`` and ``variance`` inputs (the moving
statistics) in place, as r1.6's ``RW_WRITE`` signature makes it do, so it carries
``side_effect = "mem"`` and ``inplace = (3, 4)``: ``moving = moving * (1 - momentum) +
batch * momentum`` with the *biased* batch variance (checked with r1.6: one step from moving
statistics (0, 1) with momentum 0.1 gives ``0.9 + 0.1 * var``). Its five outputs are
``y, batch_mean, batch_variance, reserve_space_1, reserve_space_2``; the reserves hold the
batch mean and variance for ``BatchNormGrad`` (r1.6's CPU kernel leaves outputs 1 and 2 zero;
Ascend's fills them, as here). float16 inputs compute in float32 and round at the end.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ....errors import MsTypeError, MsValueError
from ...common import dtype as mstype
from .._checks import (
    check_int_rel,
    check_tensor_dtype,
    check_tensors_same,
    check_value_type,
    shape_str,
)
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op
from .nn_ops import _check_string

__all__ = [
    "BatchNorm", "SoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits",
    "OneHot", "Flatten", "BroadcastTo", "SGD", "FLOATS",
]  # fmt: skip

FLOATS = (mstype.float16, mstype.float32)


def _f32(x: np.ndarray) -> np.ndarray:
    return np.asarray(x).astype(np.float32, copy=False)


# --- batch norm --------------------------------------------------------------------------------


@register_op
class BatchNorm(Primitive):
    """Batch normalisation over N, H, W of an NCHW (or N, C) input; see the module docstring.

    Inputs ``x, scale, bias, mean, variance``; ``x`` float16/float32, the others float32 (or
    all one float dtype) of shape ``(C,)``.
    """

    def __init__(self, is_training: bool = False, epsilon: float = 1e-5, momentum: float = 0.1,
                 data_format: str = "NCHW") -> None:  # fmt: skip
        super().__init__()
        for k, v in (("is_training", is_training), ("epsilon", epsilon), ("momentum", momentum),
                     ("data_format", data_format)):  # fmt: skip
            self.add_prim_attr(k, v)
        check_value_type(self.name, "is_training", is_training, [bool])
        check_value_type(self.name, "epsilon", epsilon, [float])
        check_value_type(self.name, "momentum", momentum, [float, int])
        if not 0 < epsilon <= 1:
            raise MsValueError(
                f"For '{self.name}', the 'epsilon' must be in range of (0, 1], but got {epsilon}."
            )
        if not 0 <= momentum <= 1:
            raise MsValueError(
                f"For '{self.name}', the 'momentum' must be in range of [0, 1], but got {momentum}."
            )
        _check_string(self.name, "format", data_format, ["NCHW"])
        self.init_prim_io_names(
            inputs=["x", "scale", "offset", "mean", "variance"],
            outputs=["y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2"],
        )
        if is_training:  # the moving statistics are written in place (RW_WRITE)
            self.side_effect = "mem"
            self.inplace = (3, 4)

    def infer(self, x: Any, scale: Any, bias: Any, mean: Any, variance: Any) -> tuple[Spec, ...]:
        name = self.name
        check_tensor_dtype(name, "input_x", x, FLOATS)
        # r1.6 checks the two pairs apart: in training the moving statistics stay float32
        # (a float16 network keeps them so: to_float does not cast what the op updates)
        check_tensors_same(name, {"scale": scale, "bias": bias}, FLOATS)
        moving = (mstype.float32,) if self.is_training else FLOATS
        check_tensors_same(name, {"mean": mean, "variance": variance}, moving)
        if len(x.shape) not in (2, 4):
            raise MsValueError(
                f"For '{name}', the input_x must be 2-D or 4-D (N, C[, H, W]), "
                f"but got shape {shape_str(x.shape)}."
            )
        channel = x.shape[1]
        for arg, s in (("scale", scale), ("bias", bias), ("mean", mean), ("variance", variance)):
            if tuple(s.shape) != (channel,):
                raise MsValueError(
                    f"For '{name}', the shape of '{arg}' must be ({channel},) (the channel "
                    f"dimension of input_x {shape_str(x.shape)}), but got {shape_str(s.shape)}."
                )
        stat = Spec((channel,), mstype.float32)
        return Spec(x.shape, x.dtype), stat, stat, stat, stat

    def _axes(self, x: np.ndarray) -> tuple[int, ...]:
        return (0,) if x.ndim == 2 else (0, 2, 3)

    def replay_variant(self) -> BatchNorm:
        """This op in the forward of a gradient that reuses an eager forward (see
        ``_dispatch.replaying``): the moving statistics were updated then, so momentum 0."""
        if not self.is_training:
            return self
        variant = self.__dict__.get("_replay")
        if variant is None:
            variant = copy.copy(self)
            variant.attrs = dict(self.attrs)
            variant.__dict__.pop("_replay", None)
            variant.add_prim_attr("momentum", 0.0)
            self.__dict__["_replay"] = variant
        return variant

    def kernel(self, ctx: Any, x: np.ndarray, scale: np.ndarray, bias: np.ndarray,
               mean: np.ndarray, variance: np.ndarray) -> tuple[np.ndarray, ...]:  # fmt: skip
        xf = _f32(x)
        shape = (1, -1) + (1,) * (xf.ndim - 2)
        with np.errstate(all="ignore"):
            if self.is_training:
                bm = xf.mean(axis=self._axes(xf), dtype=np.float32)
                bv = xf.var(axis=self._axes(xf), dtype=np.float32)
                m = np.float32(self.momentum)
                mean[...] = (mean * (1 - m) + bm * m).astype(mean.dtype)
                variance[...] = (variance * (1 - m) + bv * m).astype(variance.dtype)
            else:
                bm, bv = _f32(mean), _f32(variance)
            inv = 1.0 / np.sqrt(bv + np.float32(self.epsilon))
            y = (xf - bm.reshape(shape)) * (inv * _f32(scale)).reshape(shape) + _f32(bias).reshape(
                shape
            )
        bm, bv = bm.astype(np.float32), bv.astype(np.float32)
        return y.astype(np.asarray(x).dtype), bm, bv, bm.copy(), bv.copy()

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        # statistics (2 passes) + normalise (4 ops per element)
        return Cost(8 * ins[0].size, io_bytes(ins, outs) + ins[0].nbytes, "vector")


# --- losses ------------------------------------------------------------------------------------


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


@register_op
class SoftmaxCrossEntropyWithLogits(Primitive):
    """``(logits, labels)`` (N, C) -> ``(loss (N,), dlogits (N, C))`` with
    ``loss = -sum(labels * log_softmax(logits))`` and ``dlogits = softmax(logits) - labels``."""

    def __init__(self) -> None:
        super().__init__()

    def infer(self, logits: Any, labels: Any) -> tuple[Spec, Spec]:
        check_tensors_same(self.name, {"logits": logits, "labels": labels}, FLOATS)
        if len(logits.shape) != 2 or tuple(logits.shape) != tuple(labels.shape):
            raise MsValueError(
                f"For '{self.name}', 'logits' and 'labels' must both be 2-D (N, C) of one shape, "
                f"but got {shape_str(logits.shape)} and {shape_str(labels.shape)}."
            )
        return Spec((logits.shape[0],), logits.dtype), Spec(logits.shape, logits.dtype)

    def kernel(self, ctx: Any, logits: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, ...]:
        dt = np.asarray(logits).dtype
        with np.errstate(all="ignore"):
            logp = _log_softmax(_f32(logits))
            loss = -(_f32(labels) * logp).sum(axis=-1)
            grad = np.exp(logp) - _f32(labels)
        return loss.astype(dt), grad.astype(dt)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(10 * ins[0].size, io_bytes(ins, outs), "vector")


@register_op
class SparseSoftmaxCrossEntropyWithLogits(Primitive):
    """``(logits (N, C), labels (N,) int)`` -> the mean cross-entropy (a scalar), or with
    ``is_grad=True`` its gradient with respect to the logits, ``(softmax - onehot) / N``."""

    def __init__(self, is_grad: bool = False) -> None:
        super().__init__()
        check_value_type(self.name, "is_grad", is_grad, [bool])
        self.init_prim_io_names(inputs=["features", "labels"], outputs=["output"])
        self.add_prim_attr("is_grad", is_grad)
        self.add_prim_attr("sens", 1.0)

    def infer(self, logits: Any, labels: Any) -> Spec:
        check_tensor_dtype(self.name, "logits", logits, FLOATS)
        check_tensor_dtype(self.name, "labels", labels, (mstype.int32, mstype.int64))
        if len(logits.shape) != 2 or tuple(labels.shape) != (logits.shape[0],):
            raise MsValueError(
                f"For '{self.name}', 'logits' must be (N, C) and 'labels' (N,), but got "
                f"{shape_str(logits.shape)} and {shape_str(labels.shape)}."
            )
        return Spec(logits.shape if self.is_grad else (), logits.dtype)

    def kernel(self, ctx: Any, logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        dt = np.asarray(logits).dtype
        lab = np.asarray(labels).astype(np.int64)
        n, c = np.shape(logits)
        if ((lab < 0) | (lab >= c)).any():
            raise MsValueError(
                f"For '{self.name}', every label must be in [0, {c}), but got {lab.tolist()}."
            )
        with np.errstate(all="ignore"):
            logp = _log_softmax(_f32(logits))
            if self.is_grad:
                grad = np.exp(logp)
                grad[np.arange(n), lab] -= 1.0
                return (grad / np.float32(n)).astype(dt)
            return np.asarray(-logp[np.arange(n), lab].mean(dtype=np.float32)).astype(dt)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(10 * ins[0].size, io_bytes(ins, outs), "vector")


# --- array helpers -------------------------------------------------------------------------------


@register_op
class OneHot(Primitive):
    """``OneHot(axis=-1)(indices, depth, on_value, off_value)``."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        check_value_type(self.name, "axis", axis, [int])
        self.add_prim_attr("axis", axis)
        self.init_prim_io_names(inputs=["indices", "depth", "on_value", "off_value"],
                                outputs=["output"])  # fmt: skip

    def infer(self, indices: Any, depth: Any, on_value: Any, off_value: Any) -> Spec:
        check_tensor_dtype(self.name, "indices", indices, (mstype.int32, mstype.int64))
        check_value_type(self.name, "depth", depth, [int])
        check_int_rel(self.name, "depth", depth, ">=", 0)
        check_tensors_same(self.name, {"on_value": on_value, "off_value": off_value}, FLOATS)
        rank = len(indices.shape)
        if not -1 <= self.axis <= rank:
            raise MsValueError(
                f"For '{self.name}', the 'axis' must be in [-1, {rank}], but got {self.axis}."
            )
        shape = list(indices.shape)
        shape.insert(rank if self.axis == -1 else self.axis, depth)
        return Spec(tuple(shape), on_value.dtype)

    def kernel(self, ctx: Any, indices: np.ndarray, depth: int, on_value: Any,
               off_value: Any) -> np.ndarray:  # fmt: skip
        idx = np.asarray(indices)
        hot = idx[..., None] == np.arange(depth)
        out = np.where(hot, np.asarray(on_value), np.asarray(off_value))
        if self.axis != -1:
            out = np.moveaxis(out, -1, self.axis)
        return np.ascontiguousarray(out)


@register_op
class Flatten(Primitive):
    """``(N, ...)`` -> ``(N, prod(...))`` (a relabelling, costed as a copy)."""

    def infer(self, x: Any) -> Spec:
        check_tensor_dtype(self.name, "input_x", x, mstype.number_type + (mstype.bool_,))
        if not x.shape:
            raise MsValueError(
                f"For '{self.name}', the input must have at least 1 dimension, but got a scalar."
            )
        rest = 1
        for d in x.shape[1:]:
            rest *= d
        return Spec((x.shape[0], rest), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return x.reshape(x.shape[0], -1).copy()

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


@register_op
class BroadcastTo(Primitive):
    """``BroadcastTo(shape)(x)``: ``x`` broadcast to ``shape`` (``-1`` keeps a dimension)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__()
        check_value_type(self.name, "shape", shape, [tuple])
        for i, d in enumerate(shape):
            check_value_type(self.name, f"shape[{i}]", d, [int])
            if d < -1 or d == 0:
                raise MsValueError(
                    f"For '{self.name}', each dimension of 'shape' must be > 0 "
                    f"or -1, but got {shape}."
                )
        self.add_prim_attr("shape", tuple(shape))

    def infer(self, x: Any) -> Spec:
        if not isinstance(x, Spec):
            raise MsTypeError(
                f"For '{self.name}', the 'input_x' must be a Tensor, but got {type(x).__name__}."
            )
        target = list(self.shape)
        lead = len(target) - len(x.shape)
        if lead < 0:
            raise MsValueError(
                f"For '{self.name}', the rank of 'shape' {self.shape} is less "
                f"than the rank of the input {shape_str(x.shape)}."
            )
        for i, d in enumerate(x.shape):
            t = target[lead + i]
            if t == -1:
                target[lead + i] = d
            elif d not in (1, t):
                raise MsValueError(
                    f"For '{self.name}', the input {shape_str(x.shape)} cannot "
                    f"broadcast to {self.shape}."
                )
        return Spec(tuple(target), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        shape = self.infer(Spec(x.shape, mstype.nptype_to_dtype(x.dtype))).shape
        return np.ascontiguousarray(np.broadcast_to(x, shape))

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


# --- the SGD optimizer op ----------------------------------------------------------------------


@register_op
class SGD(Primitive):
    """``SGD(dampening, weight_decay, nesterov)(parameters, gradient, learning_rate, accum,
    momentum, stat)``: stochastic gradient descent with momentum, updating ``parameters``,
    ``accum`` and ``stat`` in place (r1.6's kernel)::

        g = gradient + weight_decay * parameters
        accum = g if stat > 0 else accum * momentum + (1 - dampening) * g;  stat = 0
        parameters -= learning_rate * (g + momentum * accum if nesterov else accum)
    """

    side_effect = "mem"
    inplace = (0, 3, 5)

    def __init__(self, dampening: float = 0.0, weight_decay: float = 0.0,
                 nesterov: bool = False) -> None:  # fmt: skip
        super().__init__()
        check_value_type(self.name, "nesterov", nesterov, [bool])
        if nesterov and dampening != 0:
            raise MsValueError(
                f"For '{self.name}', the 'dampening' must be 0 when 'nesterov' is True, but got "
                f"'dampening' is {dampening} and 'nesterov' is {nesterov}."
            )
        for k, v in (("dampening", dampening), ("weight_decay", weight_decay),
                     ("nesterov", nesterov)):  # fmt: skip
            self.add_prim_attr(k, v)
        self.init_prim_io_names(
            inputs=["parameters", "gradient", "learning_rate", "accum", "momentum", "stat"],
            outputs=["output"],
        )
        self.add_prim_attr("side_effect_mem", True)

    def infer(self, parameters: Any, gradient: Any, learning_rate: Any, accum: Any,
              momentum: Any, stat: Any) -> Spec:  # fmt: skip
        names = ("parameters", "gradient", "learning_rate", "accum", "momentum", "stat")
        args = (parameters, gradient, learning_rate, accum, momentum, stat)
        for arg, v in zip(names, args, strict=True):
            check_tensor_dtype(self.name, arg, v, FLOATS)
        for arg, v in (("gradient", gradient), ("accum", accum), ("stat", stat)):
            if tuple(v.shape) != tuple(parameters.shape):
                raise MsValueError(
                    f"For '{self.name}', the shape of '{arg}' {shape_str(v.shape)} must equal "
                    f"the shape of 'parameters' {shape_str(parameters.shape)}."
                )
        return Spec(parameters.shape, parameters.dtype)

    def kernel(self, ctx: Any, parameters: np.ndarray, gradient: Any, learning_rate: Any,
               accum: np.ndarray, momentum: Any, stat: np.ndarray) -> np.ndarray:  # fmt: skip
        dt = parameters.dtype
        lr = np.asarray(learning_rate, dt).reshape(())
        mom = np.asarray(momentum, dt).reshape(())
        with np.errstate(all="ignore"):
            g = np.asarray(gradient).astype(dt) + dt.type(self.weight_decay) * parameters
            first = stat > 0
            accum[...] = np.where(first, g, accum * mom + dt.type(1 - self.dampening) * g)
            stat[...] = 0
            step = g + mom * accum if self.nesterov else accum
            parameters[...] = parameters - lr * step
        return parameters.copy()

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(8 * outs[0].size, io_bytes(ins, outs) + 3 * outs[0].nbytes, "vector")
