"""Ops that update a Parameter in place: Assign, AssignAdd, AssignSub, ApplyMomentum.

All carry MindSpore's ``side_effect_mem`` (``side_effect = "mem"``): the graph keeps them in
program order and orders every read of a parameter against them. ``inplace`` lists the inputs
the kernel writes (the kernel mutates those numpy arrays and returns a copy of the updated
variable).

Implicit conversion follows r1.6's ``RW_WRITE`` signature: the value is converted to the
variable's dtype; a value of a *higher* dtype would have to convert the Parameter itself,
which r1.6 refuses with ``RuntimeError``. (ascendsim cannot tell a Parameter from a Tensor at
inference, so the rule applies to every ref input.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ascendsim.errors import MsNotImplementedError

from ....errors import MsRuntimeError, MsTypeError, MsValueError
from ...common import dtype as mstype
from .._checks import check_cpp_tensor, check_implicit_arg, check_value_type, is_scalar
from .._promote import as_array, as_spec, np_dtype, promote
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["Assign", "AssignAdd", "AssignSub", "ApplyMomentum"]


def _cshape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _ref_converted(prim: str, ref: Any, value: Any) -> tuple[Spec, Spec]:
    """Convert (ref, value) with the RW_WRITE rule; returns their Specs."""
    check_implicit_arg(prim, 0, ref)
    check_implicit_arg(prim, 1, value)
    dt = promote([ref, value])
    ref_s = ref if isinstance(ref, Spec) else as_spec(ref, dt)
    if isinstance(ref, Spec) and dt is not None and dt != ref.dtype:
        raise MsRuntimeError(
            f"For '{prim}': Data type conversion of 'Parameter' is not supported, so data type "
            f"{np_dtype(ref.dtype).name} cannot be converted to data type {np_dtype(dt).name} "
            "automatically. Cast the value to the Parameter's dtype first."
        )
    val_s = as_spec(value, dt)
    if not (isinstance(ref_s, Spec) and isinstance(val_s, Spec)):
        raise MsTypeError(f"The primitive[{prim}]'s input arguments must be all tensor.")
    return ref_s, val_s


class _RefUpdate(Primitive):
    side_effect = "mem"
    inplace = (0,)
    _io = ("ref", "value", "output")

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=list(self._io[:2]), outputs=[self._io[2]])
        self.add_prim_attr("side_effect_mem", True)

    def infer(self, ref: Any, value: Any) -> Spec:
        ref_s, val_s = _ref_converted(self.name, ref, value)
        self._check_shapes(ref_s, val_s)
        return Spec(ref_s.shape, ref_s.dtype)

    def _check_shapes(self, ref: Spec, value: Spec) -> None:
        try:
            ok = np.broadcast_shapes(value.shape, ref.shape) == tuple(ref.shape)
        except ValueError:
            ok = False
        if not ok:
            raise MsValueError(
                f"For {self.name}, the shape of value is {_cshape(value.shape)}. It should be "
                f"broadcastable to variable's shape {_cshape(ref.shape)}."
            )

    def _update(self, ref: np.ndarray, value: np.ndarray) -> np.ndarray:
        raise MsNotImplementedError(f"{type(self).__name__} defines no _update()")

    def kernel(self, ctx: Any, ref: Any, value: Any) -> np.ndarray:
        if not isinstance(ref, np.ndarray):
            ref = np.array(ref)
        val = as_array(value, mstype.nptype_to_dtype(ref.dtype))
        with np.errstate(all="ignore"):
            ref[...] = self._update(ref, val)
        return ref.copy()

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(outs[0].size, io_bytes(ins, outs), "vector")


@register_op
class Assign(_RefUpdate):
    """``Assign()(variable, value)``: write ``value`` into the Parameter; returns its value."""

    def _check_shapes(self, ref: Spec, value: Spec) -> None:
        if len(value.shape) != len(ref.shape):
            raise MsValueError(
                f"For Assign, the rank of value is {len(value.shape)}. It should be same with "
                f"variable's rank {len(ref.shape)}."
            )
        if tuple(value.shape) != tuple(ref.shape):
            raise MsValueError(
                f"For Assign, the shape of value is {_cshape(value.shape)}. It should be same "
                f"with variable's shape {_cshape(ref.shape)}."
            )

    def _update(self, ref: np.ndarray, value: np.ndarray) -> np.ndarray:
        return value

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


@register_op
class AssignAdd(_RefUpdate):
    """``variable += value`` in place; returns the updated value."""

    _io = ("ref", "value", "ref")

    def _update(self, ref: np.ndarray, value: np.ndarray) -> np.ndarray:
        return np.add(ref, value)


@register_op
class AssignSub(_RefUpdate):
    """``variable -= value`` in place; returns the updated value."""

    _io = ("val", "value", "val")

    def _update(self, ref: np.ndarray, value: np.ndarray) -> np.ndarray:
        return np.subtract(ref, value)


_MOM_FLOATS = mstype.float_type


@register_op
class ApplyMomentum(Primitive):
    """Momentum update (inputs: variable, accumulation, learning_rate, gradient, momentum)::

        accumulation = accumulation * momentum + gradient
        variable -= learning_rate * accumulation                      (use_nesterov=False)
        variable -= learning_rate * (gradient + momentum * accumulation)  (use_nesterov=True)

    ``variable`` and ``accumulation`` are updated in place; the output is the updated variable
    (the Ascend kernel's; r1.6's CPU kernel leaves its output unwritten and ignores
    ``use_nesterov``). ``gradient_scale`` is recorded as r1.6 does but not applied.
    """

    side_effect = "mem"
    inplace = (0, 1)

    def __init__(
        self, use_nesterov: bool = False, use_locking: bool = False, gradient_scale: float = 1.0
    ) -> None:
        super().__init__()
        for k, v in (("use_nesterov", use_nesterov), ("use_locking", use_locking),
                     ("gradient_scale", gradient_scale)):  # fmt: skip
            self.add_prim_attr(k, v)
        for k, v in (("use_nesterov", use_nesterov), ("use_locking", use_locking)):
            if not isinstance(v, bool):
                raise MsTypeError(
                    f"For '{self.name}', the '{k}' should be a bool, but got {type(v).__name__}."
                )
        check_value_type(self.name, "gradient_scale", gradient_scale, [float])
        self.init_prim_io_names(
            inputs=["variable", "accumulation", "learning_rate", "gradient", "momentum"],
            outputs=["output"],
        )
        self.add_prim_attr("side_effect_mem", True)

    def infer(
        self, variable: Any, accumulation: Any, learning_rate: Any, gradient: Any, momentum: Any
    ) -> Spec:
        name = self.name
        var_s, grad_s = _ref_converted(name, variable, gradient)
        var_s, acc_s = _ref_converted(name, var_s, accumulation)
        check_cpp_tensor(name, "v_type", var_s, _MOM_FLOATS)
        check_cpp_tensor(name, "a_type", acc_s, _MOM_FLOATS)
        check_cpp_tensor(name, "g_type", grad_s, _MOM_FLOATS)
        for arg, v in (("l_type", learning_rate), ("m_type", momentum)):
            if is_scalar(v) and not isinstance(v, bool):
                continue
            check_cpp_tensor(name, arg, v, _MOM_FLOATS)
            if v.size != 1:
                raise MsValueError(
                    f"For '{name}', '{arg[0]}' ({'learning_rate' if arg[0] == 'l' else 'momentum'}) "
                    f"must be a scalar or a one-element tensor, but got shape {_cshape(v.shape)}."
                )
        for arg, s in (("accumulation", acc_s), ("gradient", grad_s)):
            if tuple(s.shape) != tuple(var_s.shape):
                raise MsRuntimeError(
                    f"For '{name}', the shape of '{arg}' {_cshape(s.shape)} must be the same as "
                    f"the shape of 'variable' {_cshape(var_s.shape)} (r1.6 fails at kernel launch)."
                )
        return Spec(var_s.shape, var_s.dtype)

    def kernel(self, ctx: Any, variable: np.ndarray, accumulation: np.ndarray, learning_rate: Any,
               gradient: Any, momentum: Any) -> np.ndarray:  # fmt: skip
        dt = variable.dtype
        lr = np.asarray(learning_rate, dt).reshape(())
        mom = np.asarray(momentum, dt).reshape(())
        grad = np.asarray(gradient).astype(dt, copy=False)
        with np.errstate(all="ignore"):
            accumulation[...] = accumulation * mom + grad
            if self.use_nesterov:
                variable[...] = variable - (grad * lr + accumulation * mom * lr)
            else:
                variable[...] = variable - lr * accumulation
        return variable.copy()

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(5 * outs[0].size, io_bytes(ins, outs) + 2 * outs[0].nbytes, "vector")
