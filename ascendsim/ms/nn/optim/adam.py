"""``nn.Adam``: ``P.Adam`` per parameter (a memory side-effect op), with r1.6's checks.

As r1.6, each step first multiplies the ``beta1_power``/``beta2_power`` Parameters (shape (1,),
starting at 1) by ``beta1``/``beta2`` and assigns them back, then updates every parameter with
its moments ``moment1.<name>`` and ``moment2.<name>`` (zeros), first parameter first (r1.6's
``Map``). ``beta1``, ``beta2`` and ``eps`` are float32 Tensors, not Parameters, as in r1.6.
Sparse gradients and parameter-server modes are not emulated.
"""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.nn.optim.optimizer import Optimizer, check_number

__all__ = ["Adam"]


def _check_param_value(beta1: Any, beta2: Any, eps: Any, prim: str) -> None:
    """r1.6's ``_check_param_value`` of the Adam family."""
    from ascendsim.ms.ops._checks import check_value_type

    for name, value in (("beta1", beta1), ("beta2", beta2), ("eps", eps)):
        check_value_type(prim, name, value, [float])
    for name, value in (("beta1", beta1), ("beta2", beta2)):
        if not 0.0 < value < 1.0:
            raise MsValueError(
                f"`{name}` in `{prim}` should be in range of (0.0, 1.0), but got {value} with "
                "type `float`."
            )
    check_number(eps, ">", 0, float, "eps", prim)


class Adam(Optimizer):
    """Adaptive moment estimation (``mindspore.nn.Adam``), dense gradients.

    Raises:
        MsTypeError: ``beta1``/``beta2``/``eps`` not floats; ``use_locking``/``use_nesterov``
            not bools (plus the base-class checks).
        MsValueError: ``beta1``/``beta2`` outside (0, 1); ``eps`` <= 0.
    """

    def __init__(self, params: Any, learning_rate: Any = 1e-3, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, use_locking: bool = False,
                 use_nesterov: bool = False, weight_decay: float = 0.0,
                 loss_scale: float = 1.0) -> None:  # fmt: skip
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        from ascendsim.ms.common.initializer import initializer
        from ascendsim.ms.common.parameter import Parameter
        from ascendsim.ms.common.tensor import Tensor
        from ascendsim.ms.ops import operations as P
        from ascendsim.ms.ops._checks import check_value_type

        _check_param_value(beta1, beta2, eps, "Adam")
        check_value_type("Adam", "use_locking", use_locking, [bool])
        check_value_type("Adam", "use_nesterov", use_nesterov, [bool])
        self.beta1 = Tensor(beta1, mstype.float32)
        self.beta2 = Tensor(beta2, mstype.float32)
        self.beta1_power = Parameter(initializer(1, [1], mstype.float32), name="beta1_power")
        self.beta2_power = Parameter(initializer(1, [1], mstype.float32), name="beta2_power")
        self.eps = Tensor(eps, mstype.float32)
        self.use_nesterov = use_nesterov
        self.use_locking = use_locking
        self.moment1 = self.parameters.clone(prefix="moment1", init="zeros")
        self.moment2 = self.parameters.clone(prefix="moment2", init="zeros")
        self.opt = P.Adam(use_locking, use_nesterov)
        self._mul = P.Mul()
        self._assign = P.Assign()

    def construct(self, gradients: Any) -> tuple[Any, ...]:
        gradients = self.prepare_gradients(gradients)
        lr = self.get_lr()
        beta1_power = self._assign(self.beta1_power, self._mul(self.beta1_power, self.beta1))
        beta2_power = self._assign(self.beta2_power, self._mul(self.beta2_power, self.beta2))
        return tuple(
            self.opt(p, m1, m2, beta1_power, beta2_power, lr, self.beta1, self.beta2, self.eps, g)
            for p, m1, m2, g in zip(
                self.parameters, self.moment1, self.moment2, gradients, strict=True
            )  # fmt: skip
        )
