"""``nn.SGD``: the ``SGD`` op per parameter (memory side effects), with r1.6's checks.

Accumulators ``accum`` start at zero and ``stat`` at one (the first step copies the gradient
into ``accum``). Updates are issued from the last parameter to the first, as r1.6 does.
"""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.nn.optim.optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, dampening and Nesterov.

    Raises:
        MsTypeError: ``momentum`` or ``dampening`` not a float (ints are converted),
            ``nesterov`` not a bool.
        MsValueError: negative ``momentum`` or ``dampening``; ``nesterov`` with ``momentum``
            <= 0 or ``dampening`` != 0 (plus the base-class checks).
    """

    def __init__(self, params: Any, learning_rate: Any = 0.1, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False,
                 loss_scale: float = 1.0) -> None:  # fmt: skip
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        from ascendsim.ms.common.parameter import Parameter
        from ascendsim.ms.common.tensor import Tensor
        from ascendsim.ms.ops import operations as P

        momentum = float(momentum) if isinstance(momentum, int) else momentum
        if not isinstance(momentum, float):
            raise MsTypeError(
                f"For 'SGD', the argument 'momentum' should be float type, but got "
                f"{type(momentum)}."
            )
        if momentum < 0.0:
            raise MsValueError(
                f"For 'SGD', the argument 'momentum' should be at least 0.0, but got {momentum}"
            )
        dampening = float(dampening) if isinstance(dampening, int) else dampening
        if not isinstance(dampening, float):
            raise MsTypeError(
                f"For 'SGD', the argument 'dampening' should be float type, but "
                f"got {type(dampening)}."
            )
        if dampening < 0.0:
            raise MsValueError(
                f"For 'SGD', the argument 'dampening' should be at least 0.0, but "
                f"got 'dampening' {dampening}"
            )
        if not isinstance(nesterov, bool):
            raise MsTypeError(
                f"For 'SGD', the type of `nesterov` should be 'bool', but got "
                f"'{type(nesterov).__name__}'."
            )
        if nesterov and (momentum <= 0.0 or dampening != 0.0):
            raise MsValueError(
                "For 'SGD', if 'nesterov' is true, 'momentum' must be > 0.0 and 'dampening' must "
                f"equal to 0.0, but got 'momentum' {momentum}, 'dampening' {dampening}"
            )
        self.dampening = dampening
        self.nesterov = nesterov
        self.opt = P.SGD(dampening, float(weight_decay), nesterov)
        self.momentum = Parameter(Tensor(momentum, mstype.float32), name="momentum")
        self.accum = self.parameters.clone(prefix="accum", init="zeros")
        self.stat = self.parameters.clone(prefix="stat", init="ones")

    def construct(self, gradients: Any) -> tuple[Any, ...]:
        gradients = self.prepare_gradients(gradients, decay=False)  # the SGD op decays
        lr = self.get_lr()
        done = [
            self.opt(p, g, lr, a, self.momentum, s)
            for p, g, a, s in reversed(
                list(zip(self.parameters, gradients, self.accum, self.stat, strict=True))
            )
        ]
        return tuple(reversed(done))
