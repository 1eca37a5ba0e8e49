"""``nn.Optimizer``: the base of the optimizers (r1.6's checks).

It holds ``parameters`` (a ParameterTuple), the learning rate as a float32 Parameter named
``learning_rate`` (a scalar; or, for a list or 1-D Tensor of rates, one per step, read at the
``global_step`` Parameter that each step's ``get_lr()`` counts up: 0 once the list is used
up, as r1.6), ``weight_decay`` (applied to parameters whose names contain neither
``beta`` nor ``gamma``) and ``loss_scale`` (gradients are divided by it when it is not 1).
Subclasses update the parameters with optimizer ops, which have memory side effects: the graph
keeps them in program order and orders every read of a parameter against them.

Not emulated (``MsNotImplementedError`` naming the alternative): parameter groups (dicts),
``LearningRateSchedule`` cells.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ascendsim.errors import MsNotImplementedError, MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.nn.cell import Cell

__all__ = ["Optimizer", "check_number"]


def check_number(value: Any, rel: str, bound: int, kind: type, arg: str, prim: str) -> Any:
    """r1.6's ``Validator.check_number``: ``value`` of ``kind`` with ``value rel bound``.

    Raises:
        MsTypeError: wrong type (``bool`` is never a number here).
        MsValueError: the relation does not hold.
    """
    info = f"`{arg}` in `{prim}`"
    if isinstance(value, bool) or not isinstance(value, kind):
        raise MsTypeError(f"{info} must be {kind.__name__}, but got `{type(value).__name__}`")
    ok = {">": value > bound, ">=": value >= bound}[rel]
    if not ok:
        raise MsValueError(
            f"{info} should be {kind.__name__} and must {rel} {bound}, but got "
            f"`{value}` with type `{type(value).__name__}`."
        )
    return value


class Optimizer(Cell):
    """Base class of optimizers (see the module docstring).

    Raises:
        MsValueError: ``parameters`` None or empty; a negative learning rate or weight decay;
            ``loss_scale`` <= 0.
        MsTypeError: ``parameters`` a single Parameter, not iterable, or holding something
            other than Parameters; a learning rate, weight decay or loss scale of the wrong type.
        MsNotImplementedError: parameter groups or a dynamic learning rate.
    """

    def __init__(self, learning_rate: Any, parameters: Any, weight_decay: float = 0.0,
                 loss_scale: float = 1.0) -> None:  # fmt: skip
        super().__init__(auto_prefix=False)
        from ascendsim.ms.common.parameter import ParameterTuple

        params = self._parameters_base_check(parameters, "parameters")
        name = type(self).__name__
        if isinstance(loss_scale, int) and not isinstance(loss_scale, bool):
            loss_scale = float(loss_scale)
        check_number(loss_scale, ">", 0, float, "loss_scale", name)
        if not isinstance(weight_decay, float | int) or isinstance(weight_decay, bool):
            raise MsTypeError("Weight decay should be int or float.")
        weight_decay = check_number(float(weight_decay), ">=", 0, float, "weight_decay", name)
        self.loss_scale = loss_scale
        self.learning_rate = self._build_lr(learning_rate)
        self.parameters = ParameterTuple(params)
        self.weight_decay = weight_decay * loss_scale
        self.decay_flags = tuple("beta" not in p.name and "gamma" not in p.name
                                 for p in self.parameters)  # fmt: skip
        self.exec_weight_decay = self.weight_decay > 0
        self.need_scale = loss_scale != 1.0
        self.reciprocal_scale = 1.0 / loss_scale
        self.param_length = len(self.parameters)

    def _parameters_base_check(self, parameters: Any, info: str) -> list[Any]:
        from ascendsim.ms.common.parameter import Parameter

        if parameters is None:
            raise MsValueError(f"For 'Optimizer', the argument {info} can not be None.")
        if isinstance(parameters, Parameter) or not isinstance(parameters, Iterable):
            raise MsTypeError(
                f"For 'Optimizer', the argument {info} must be Iterable type, but "
                f"got {type(parameters)}."
            )
        name = type(self).__name__
        params = list(parameters)
        if not params:
            raise MsValueError(f"For 'Optimizer', the argument {info} must not be empty.")
        if all(isinstance(p, dict) for p in params):
            raise MsNotImplementedError(
                f"For '{name}', parameter groups (dicts) are not emulated by ascendsim; pass a "
                "list of Parameters (one learning rate and weight decay for all)."
            )
        if not all(isinstance(p, Parameter) for p in params):
            raise MsTypeError(
                f"For 'Optimizer', all elements of the argument '{info}' must be "
                "'Parameter' or 'dict', please check the 'parameters'."
            )
        return params

    def _build_lr(self, learning_rate: Any) -> Any:
        from ascendsim.ms.common.parameter import Parameter
        from ascendsim.ms.common.tensor import Tensor

        name = type(self).__name__
        #: the step count a dynamic learning rate is read at (None for a fixed one, as r1.6)
        self.global_step: Any = None
        if isinstance(learning_rate, float | int) and not isinstance(learning_rate, bool):
            lr = check_number(float(learning_rate), ">=", 0, float, "learning rate", name)
            return Parameter(Tensor(lr, mstype.float32), name="learning_rate")
        if isinstance(learning_rate, Tensor) and learning_rate.ndim == 0:
            return Parameter(learning_rate, name="learning_rate")
        if hasattr(learning_rate, "construct"):
            raise MsNotImplementedError(
                f"For '{name}', a LearningRateSchedule is not emulated by ascendsim; pass the "
                "learning rate of each step as a list or a 1-D Tensor."
            )
        if isinstance(learning_rate, Tensor):
            if learning_rate.ndim != 1:
                raise MsValueError(
                    "For 'Optimizer', if 'learning_rate' is Tensor type, then the dimension of "
                    f"it should be 0 or 1, but got {learning_rate.ndim}."
                )
            values = learning_rate
        elif isinstance(learning_rate, Iterable):  # one rate per step (r1.6: a string too)
            items = list(learning_rate)
            try:
                values = Tensor(np.array(items).astype(np.float32))
            except ValueError as exc:
                message = str(exc)
                for item in items:  # Python's wording, which r1.6's numpy printed
                    try:
                        float(item)
                    except (TypeError, ValueError) as bad:
                        message = str(bad)
                        break
                raise MsValueError(message) from None
        else:
            values = None
        if values is not None:  # step k uses rate k (0 once the list is used up, as r1.6)
            self.global_step = Parameter(Tensor(np.zeros(1, np.int32)), name="global_step")
            return Parameter(values, name="learning_rate")
        raise MsTypeError(
            f"For '{name}', 'learning_rate' should be int, float, Tensor, Iterable "
            f"or LearningRateSchedule, but got {type(learning_rate)}."
        )

    # --- the gradient pipeline (r1.6 names) --------------------------------------------------
    @property
    def dynamic_lr(self) -> bool:
        """Whether the learning rate changes per step (a list or 1-D Tensor of rates)."""
        return self.global_step is not None

    def get_lr(self) -> Any:
        """The learning rate: the scalar Parameter, or this step's rate of a dynamic one (which
        also counts the step, as r1.6)."""
        if not self.dynamic_lr:
            return self.learning_rate
        from ascendsim.ms.ops import operations as P

        lr = P.Gather()(self.learning_rate, self.global_step, 0)
        from ascendsim.ms.common.tensor import Tensor

        one = Tensor(np.ones(1, np.int32))
        return P.Depend()(lr, P.AssignAdd()(self.global_step, one))

    def prepare_gradients(self, gradients: Any, *, decay: bool = True) -> tuple[Any, ...]:
        """The gradients checked, weight-decayed (unless the optimizer's op decays itself),
        centralised and unscaled: the start of every optimizer's ``construct``."""
        gradients = self._check_grads(gradients)
        if decay:
            gradients = self.decay_weight(gradients)
        gradients = self.gradients_centralization(gradients)
        return self.scale_grad(gradients)

    def decay_weight(self, gradients: tuple[Any, ...]) -> tuple[Any, ...]:
        """``gradient + weight_decay * parameter`` for the decayed parameters."""
        if not self.exec_weight_decay:
            return gradients
        from ascendsim.ms.ops import operations as P

        add, mul = P.Add(), P.Mul()
        return tuple(add(g, mul(p, self.weight_decay)) if flag else g
                     for flag, p, g in zip(self.decay_flags, self.parameters, gradients,
                                           strict=True))  # fmt: skip

    def gradients_centralization(self, gradients: tuple[Any, ...]) -> tuple[Any, ...]:
        """Identity (gradient centralisation needs parameter groups)."""
        return gradients

    def scale_grad(self, gradients: tuple[Any, ...]) -> tuple[Any, ...]:
        """Gradients divided by ``loss_scale`` (when it is not 1)."""
        if not self.need_scale:
            return gradients
        from ascendsim.ms.ops import operations as P

        mul = P.Mul()
        return tuple(mul(g, self.reciprocal_scale) for g in gradients)

    def _check_grads(self, gradients: Any) -> tuple[Any, ...]:
        if not isinstance(gradients, tuple | list) or len(gradients) != self.param_length:
            got = (
                len(gradients) if isinstance(gradients, tuple | list) else type(gradients).__name__
            )
            raise MsValueError(
                f"For '{type(self).__name__}', the gradients must be a tuple of "
                f"{self.param_length} tensors (one per parameter), but got {got}."
            )
        return tuple(gradients)
