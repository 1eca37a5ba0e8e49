"""``nn.Momentum``: ``ApplyMomentum`` per parameter (a memory side-effect op).

As r1.6 does (``hyper_map_reverse``), the updates are issued from the last parameter to the
first, the order in which backward produces their gradients. ``construct`` returns the updated
parameters' values (r1.6 returns a tuple of ``True``).
"""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.nn.optim.optimizer import Optimizer

__all__ = ["Momentum"]


class Momentum(Optimizer):
    """``v = v * momentum + grad; p -= lr * v`` (Nesterov: ``p -= lr * (grad + momentum * v)``).

    Raises:
        MsTypeError: ``momentum`` not a float, ``use_nesterov`` not a bool.
        MsValueError: ``momentum`` < 0 (plus the base-class checks).
    """

    def __init__(self, params: Any, learning_rate: Any, momentum: float,
                 weight_decay: float = 0.0, loss_scale: float = 1.0,
                 use_nesterov: bool = False) -> None:  # fmt: skip
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        from ascendsim.ms.common.parameter import Parameter
        from ascendsim.ms.common.tensor import Tensor
        from ascendsim.ms.ops import operations as P

        if not isinstance(momentum, float):
            raise MsTypeError(
                f"For 'Momentum', the type of `momentum` should be 'float', but got "
                f"'{momentum}' with type '{type(momentum).__name__}'."
            )
        if momentum < 0.0:
            raise MsValueError(
                f"For 'Momentum', the argument 'momentum' should be at least 0.0, "
                f"but got {momentum}"
            )
        if not isinstance(use_nesterov, bool):
            raise MsTypeError(
                f"The type of `use_nesterov` should be 'bool', but got "
                f"'{type(use_nesterov).__name__}'."
            )
        self.momentum = Parameter(Tensor(momentum, mstype.float32), name="momentum")
        self.params = self.parameters
        self.use_nesterov = use_nesterov
        self.moments = self.params.clone(prefix="moments", init="zeros")
        self.opt = P.ApplyMomentum(use_nesterov=use_nesterov)

    def construct(self, gradients: Any) -> tuple[Any, ...]:
        gradients = self.prepare_gradients(gradients)
        lr = self.get_lr()
        done = [
            self.opt(p, m, lr, g, self.momentum)
            for p, m, g in reversed(list(zip(self.params, self.moments, gradients, strict=True)))
        ]
        return tuple(reversed(done))
