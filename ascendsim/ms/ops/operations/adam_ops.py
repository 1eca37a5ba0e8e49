"""``P.Adam`` (r1.6's ApplyAdam): the Adam update of a Parameter and its two moments in place.

A memory side-effect op (``side_effect = "mem"``), like :class:`~.state_ops.ApplyMomentum`:
the graph keeps it in program order and orders every read of the three Parameters after it.
The kernel follows r1.6's CPU kernel, in the variable's dtype::

    lr' = lr * sqrt(1 - beta2_power) / (1 - beta1_power)
    m += (g - m) * (1 - beta1)
    v += (g * g - v) * (1 - beta2)
    var -= lr' * m / (sqrt(v) + eps)                                  (use_nesterov=False)
    var -= lr' * (m * beta1 + (1 - beta1) * g) / (sqrt(v) + eps)      (use_nesterov=True)

The outputs are the updated ``(var, m, v)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsValueError
from ...common import dtype as mstype
from .._checks import check_tensors_same, check_value_type, is_scalar, tensor_str, type_name
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["Adam"]

_SCALARS = ("beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon")


@register_op
class Adam(Primitive):
    """``Adam(use_locking=False, use_nesterov=False)(var, m, v, beta1_power, beta2_power, lr,
    beta1, beta2, epsilon, gradient)``.

    Raises:
        MsTypeError: ``use_locking``/``use_nesterov`` not bools; ``var``, ``m``, ``v``,
            ``gradient`` not tensors of one number dtype; a hyper-parameter neither a float nor
            a float16/float32 tensor.
        MsValueError: the shapes of ``m``, ``v`` or ``gradient`` differ from ``var``'s.
    """

    side_effect = "mem"
    inplace = (0, 1, 2)

    def __init__(self, use_locking: bool = False, use_nesterov: bool = False) -> None:
        super().__init__()
        self.add_prim_attr("use_locking", use_locking)
        self.add_prim_attr("use_nesterov", use_nesterov)
        check_value_type(self.name, "use_locking", use_locking, [bool])
        check_value_type(self.name, "use_nesterov", use_nesterov, [bool])
        self.add_prim_attr("side_effect_mem", True)
        self.init_prim_io_names(
            inputs=["var", "m", "v", *_SCALARS, "gradient"], outputs=["var", "m", "v"]
        )

    def infer(self, var: Any, m: Any, v: Any, *rest: Any) -> tuple[Spec, Spec, Spec]:
        from ....errors import MsTypeError

        *scalars, grad = rest
        for name, s in (("m_shape", m), ("v_shape", v), ("grad_shape", grad)):
            if isinstance(s, Spec) and isinstance(var, Spec) and tuple(s.shape) != tuple(var.shape):
                raise MsValueError(
                    f"For '{self.name}', the 'var_shape' should be = '{name}': {tuple(s.shape)}, "
                    f"but got {tuple(var.shape)}."
                )
        check_tensors_same(
            self.name, {"var": var, "m": m, "v": v, "grad": grad}, mstype.number_type
        )
        valid = (mstype.float16, mstype.float32)
        for name, s in zip(_SCALARS, scalars, strict=True):
            ok = (is_scalar(s) and isinstance(s, float)) or (
                isinstance(s, Spec) and s.dtype in valid
            )
            if not ok:
                raise MsTypeError(
                    f"For '{self.name}', the type of '{name}' should be one of Float16, Float32, "
                    f"{tensor_str(valid)}, but got {type_name(s)}."
                )
        return Spec(var.shape, var.dtype), Spec(m.shape, m.dtype), Spec(v.shape, v.dtype)

    def kernel(self, ctx: Any, var: np.ndarray, m: np.ndarray, v: np.ndarray,
               *rest: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
        *scalars, grad = rest
        t = var.dtype.type
        b1p, b2p, lr, b1, b2, eps = (t(np.asarray(s).reshape(-1)[0]) for s in scalars)
        g = np.asarray(grad).astype(var.dtype, copy=False)
        one = t(1)
        with np.errstate(all="ignore"):
            new_lr = t(lr * np.sqrt(one - b2p) / (one - b1p))
            m[...] = m + (g - m) * (one - b1)
            v[...] = v + (g * g - v) * (one - b2)
            denom = np.sqrt(v) + eps
            if self.use_nesterov:
                var[...] = var - new_lr * (m * b1 + (one - b1) * g) / denom
            else:
                var[...] = var - new_lr * m / denom
        return var.copy(), m.copy(), v.copy()

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        n = outs[0].size
        return Cost(12 * n, io_bytes(ins, outs), "vector")
