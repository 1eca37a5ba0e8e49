"""More neural-network ops: GeLU, LayerNorm and Dropout (r1.6 names, attributes and checks).

``GeLU`` is r1.6's tanh approximation in the order of r1.6's CPU kernel: the tanh argument in
float64 (its constants are C ``double`` literals), the rest in the input dtype (float16 via
float32); r1.6's tanh is not correctly rounded, so about 10% of float32 results differ from
r1.6's in the last bit. ``LayerNorm(begin_norm_axis, begin_params_axis, epsilon)(x, gamma, beta)`` returns
``(y, mean, variance)``; each normalised block accumulates its sum and sum of squares in order
and takes ``variance = E[x^2] - mean^2``, then ``y = (x - mean) / sqrt(variance + 1e-12) * gamma +
beta``, as r1.6's CPU kernel does: it ignores the ``epsilon`` attribute and adds 1e-12
(measured: ``epsilon`` 1e-7, 1e-3 and 0.1 give identical outputs). ``Dropout(keep_prob,
Seed0, Seed1)(x)`` returns ``(output, mask)``; the mask is drawn from the simulated system's
seeded generator (``ctx.rng``), so runs are reproducible per system seed (they cannot equal
r1.6's Philox draws).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsTypeError, MsValueError
from ...common import dtype as mstype
from .._checks import check_cpp_tensor, check_tensor_dtype, check_value_type, shape_str
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["GeLU", "LayerNorm", "Dropout"]

F16_32 = (mstype.float16, mstype.float32)
#: the epsilon r1.6's CPU LayerNorm kernel adds (its ``epsilon`` attribute is not used)
CPU_EPSILON = 1e-12


@register_op
class GeLU(Primitive):
    """``x * (1 + tanh(0.7978845608 * (x + 0.044715 * x**3))) / 2``."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x"], outputs=["output"])

    def infer(self, x: Any) -> Spec:
        check_cpp_tensor(self.name, "x", x, F16_32)
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        work = x.astype(np.float32) if x.dtype == np.float16 else x
        t = work.dtype.type
        with np.errstate(all="ignore"):
            d = work.astype(np.float64)
            tanh = np.tanh(0.7978845608 * (d + 0.044715 * d * d * d)).astype(work.dtype)
            return (work * (t(1.0) + tanh) / t(2.0)).astype(x.dtype)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(8 * outs[0].size, io_bytes(ins, outs), "vector")


def _axis(prim: str, name: str, axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise MsValueError(
            f"For '{prim}', the '{name}' should be in range [{-rank}, {rank}), but got {axis}."
        )
    return axis % rank


@register_op
class LayerNorm(Primitive):
    """``LayerNorm(begin_norm_axis=1, begin_params_axis=1, epsilon=1e-7)(x, gamma, beta)``."""

    def __init__(
        self, begin_norm_axis: int = 1, begin_params_axis: int = 1, epsilon: float = 1e-7
    ) -> None:
        super().__init__()
        self.add_prim_attr("begin_norm_axis", begin_norm_axis)
        self.add_prim_attr("begin_params_axis", begin_params_axis)
        self.add_prim_attr("epsilon", epsilon)
        check_value_type(self.name, "begin_norm_axis", begin_norm_axis, [int])
        check_value_type(self.name, "begin_params_axis", begin_params_axis, [int])
        check_value_type(self.name, "epsilon", epsilon, [float])

    def _axes(self, rank: int) -> tuple[int, int]:
        return (
            _axis(self.name, "begin_norm_axis", self.begin_norm_axis, rank),
            _axis(self.name, "begin_params_axis", self.begin_params_axis, rank),
        )

    def infer(self, x: Any, gamma: Any, beta: Any) -> tuple[Spec, Spec, Spec]:
        for name, arg in (("x", x), ("gamma", gamma), ("beta", beta)):
            check_cpp_tensor(self.name, name, arg, F16_32)
        if not x.dtype == gamma.dtype == beta.dtype:
            raise MsTypeError(
                f"For '{self.name}', 'x', 'gamma' and 'beta' must have one dtype, but got "
                f"Tensor[{x.dtype}], Tensor[{gamma.dtype}], Tensor[{beta.dtype}]."
            )
        rank = len(x.shape)
        norm, params = self._axes(rank)
        want = tuple(x.shape[params:])
        for name, arg in (("gamma", gamma), ("beta", beta)):
            if tuple(arg.shape) != want:
                raise MsValueError(
                    f"For '{self.name}', the shape of '{name}' must be {shape_str(want)} (the "
                    f"dimensions of x from begin_params_axis {params}), but got "
                    f"{shape_str(arg.shape)}."
                )
        stat = tuple(x.shape[:norm]) + (1,) * (rank - norm)
        return Spec(x.shape, x.dtype), Spec(stat, x.dtype), Spec(stat, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> Any:
        x = np.asarray(x)
        norm, params = self._axes(x.ndim)
        t = x.dtype.type
        blocks = x.reshape(int(np.prod(x.shape[:norm], dtype=np.int64)), -1)
        n = blocks.shape[1]
        with np.errstate(all="ignore"):
            total = np.cumsum(blocks, axis=1, dtype=x.dtype)[:, -1]
            squares = np.cumsum(blocks * blocks, axis=1, dtype=x.dtype)[:, -1]
            mean = (total / t(n)).astype(x.dtype)
            var = (squares / t(n) - mean * mean).astype(x.dtype)
            width = int(np.prod(x.shape[params:], dtype=np.int64))
            g = np.asarray(gamma).reshape(-1)
            b = np.asarray(beta).reshape(-1)
            cols = np.arange(n) % width
            y = (blocks - mean[:, None]) / np.sqrt(var[:, None] + t(CPU_EPSILON))
            y = (y * g[cols] + b[cols]).astype(x.dtype)
        stat = x.shape[:norm] + (1,) * (x.ndim - norm)
        return y.reshape(x.shape), mean.reshape(stat), var.reshape(stat)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(8 * ins[0].size, io_bytes(ins, outs), "vector")


@register_op
class Dropout(Primitive):
    """``Dropout(keep_prob=0.5, Seed0=0, Seed1=0)(x)``: ``(x * mask / keep_prob, mask)`` with a
    random 0/1 mask (``keep_prob`` of ones) from the system's seeded generator."""

    def __init__(self, keep_prob: float = 0.5, Seed0: int = 0, Seed1: int = 0) -> None:  # noqa: N803
        super().__init__()
        self.add_prim_attr("keep_prob", keep_prob)
        self.add_prim_attr("Seed0", Seed0)
        self.add_prim_attr("Seed1", Seed1)
        check_value_type(self.name, "Seed0", Seed0, [int])
        check_value_type(self.name, "Seed1", Seed1, [int])
        if not isinstance(keep_prob, int | float) or isinstance(keep_prob, bool):
            raise MsTypeError(
                f"The type of `keep_prob` in `{self.name}` should be int or float, but got "
                f"{type(keep_prob).__name__}."
            )
        if not 0 < keep_prob <= 1:
            raise MsValueError(
                f"`keep_prob` in `{self.name}` should be in range of (0, 1], but got "
                f"{keep_prob} with type `{type(keep_prob).__name__}`."
            )

    def infer(self, x: Any) -> tuple[Spec, Spec]:
        check_tensor_dtype(self.name, "x", x, F16_32)
        if len(x.shape) < 1:
            raise MsValueError(
                f"For '{self.name}', the 'x_shape' should be >= 1, but got {len(x.shape)}."
            )
        return Spec(x.shape, x.dtype), Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(x)
        rng = ctx.rng if ctx is not None else np.random.default_rng(0)
        mask = (rng.random(x.shape) < self.keep_prob).astype(x.dtype)
        with np.errstate(all="ignore"):
            out = (x * mask / x.dtype.type(self.keep_prob)).astype(x.dtype)
        return out, mask

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(3 * ins[0].size, io_bytes(ins, outs), "vector")
