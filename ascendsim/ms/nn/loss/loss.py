"""Losses: ``LossBase``, ``L1Loss``, ``MSELoss`` and ``SoftmaxCrossEntropyWithLogits`` (r1.6).

``LossBase.get_loss`` computes in float32 and casts back, as r1.6 does; the casts to the same
dtype and the multiplication by the default weight 1.0 are left out of the graph, as
MindSpore's graph optimizer removes them.
"""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsNotImplementedError, MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.nn.cell import Cell

__all__ = [
    "LossBase",
    "L1Loss",
    "MSELoss",
    "SoftmaxCrossEntropyWithLogits",
    "BCELoss",
    "SmoothL1Loss",
]


def _check_is_tensor(arg: str, value: Any, cls_name: str) -> None:
    if not (hasattr(value, "shape") and isinstance(getattr(value, "dtype", None), mstype.Type)):
        raise MsTypeError(
            f"For '{cls_name}', the '{arg}' should be 'Tensor', but got {type(value).__name__}."
        )


class LossBase(Cell):
    """Base class of the losses: ``reduction`` is ``"mean"``, ``"sum"`` or ``"none"``.

    Raises:
        MsValueError: another ``reduction``.
    """

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        from ascendsim.ms.ops import operations as P

        if reduction not in ("mean", "sum", "none"):
            raise MsValueError(
                f"For '{type(self).__name__}', the 'reduction' should be in "
                f"['mean', 'sum', 'none'], but got {reduction}."
            )
        self.average = reduction != "sum"
        self.reduce = reduction != "none"
        self.reduce_mean = P.ReduceMean()
        self.reduce_sum = P.ReduceSum()
        self.mul = P.Mul()
        self.cast = P.Cast()

    def get_axis(self, x: Any) -> tuple[int, ...]:
        """Every axis of ``x``."""
        return tuple(range(len(x.shape)))

    def get_loss(self, x: Any, weights: Any = 1.0) -> Any:
        """``x`` weighted and reduced (in float32, cast back to ``x``'s dtype)."""
        input_dtype = x.dtype
        if x.dtype != mstype.float32:
            x = self.cast(x, mstype.float32)
        if not (isinstance(weights, float | int) and weights == 1):
            weights = self.cast(weights, mstype.float32)
            x = self.mul(weights, x)
        if self.reduce and self.average:
            x = self.reduce_mean(x, self.get_axis(x))
        if self.reduce and not self.average:
            x = self.reduce_sum(x, self.get_axis(x))
        if input_dtype != mstype.float32:
            x = self.cast(x, input_dtype)
        return x

    def construct(self, logits: Any, labels: Any) -> Any:
        raise MsNotImplementedError(
            f"{type(self).__name__} defines no construct(); a loss must compute it"
        )


class L1Loss(LossBase):
    """``|logits - labels|``, reduced."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__(reduction)
        from ascendsim.ms.ops import operations as P

        self.abs = P.Abs()

    def construct(self, logits: Any, labels: Any) -> Any:
        _check_is_tensor("logits", logits, type(self).__name__)
        _check_is_tensor("labels", labels, type(self).__name__)
        return self.get_loss(self.abs(logits - labels))


class MSELoss(LossBase):
    """``(logits - labels) ** 2``, reduced."""

    def construct(self, logits: Any, labels: Any) -> Any:
        from ascendsim.ms.ops import functional as F

        _check_is_tensor("logits", logits, type(self).__name__)
        _check_is_tensor("labels", labels, type(self).__name__)
        return self.get_loss(F.square(logits - labels))


class SoftmaxCrossEntropyWithLogits(LossBase):
    """Softmax cross-entropy of (N, C) logits; ``sparse=True`` takes class indices (N,).

    With ``sparse=True, reduction="mean"`` it is one ``SparseSoftmaxCrossEntropyWithLogits``
    op; otherwise labels are one-hot encoded (sparse) and ``SoftmaxCrossEntropyWithLogits``
    gives per-sample losses, reduced by ``reduction`` (default ``"none"``).

    Raises:
        MsTypeError: ``sparse`` not a bool.
    """

    def __init__(self, sparse: bool = False, reduction: str = "none") -> None:
        super().__init__(reduction)
        from ascendsim.ms.common.tensor import Tensor
        from ascendsim.ms.ops import operations as P

        if not isinstance(sparse, bool):
            raise MsTypeError(
                f"For '{type(self).__name__}', the 'sparse' should be a bool, but "
                f"got {type(sparse).__name__}."
            )
        self.sparse = sparse
        self.reduction = reduction
        self.softmax_cross_entropy = P.SoftmaxCrossEntropyWithLogits()
        self.one_hot = P.OneHot()
        self.on_value = Tensor(1.0, mstype.float32)
        self.off_value = Tensor(0.0, mstype.float32)
        self.sparse_softmax_cross_entropy = P.SparseSoftmaxCrossEntropyWithLogits()

    def construct(self, logits: Any, labels: Any) -> Any:
        _check_is_tensor("logits", logits, type(self).__name__)
        _check_is_tensor("labels", labels, type(self).__name__)
        if self.sparse:
            if self.reduction == "mean":
                return self.sparse_softmax_cross_entropy(logits, labels)
            labels = self.one_hot(labels, logits.shape[-1], self.on_value, self.off_value)
            if labels.dtype != logits.dtype:
                labels = self.cast(labels, logits.dtype)
        x = self.softmax_cross_entropy(logits, labels)[0]
        return self.get_loss(x)


class BCELoss(LossBase):
    """Binary cross entropy ``-w * (t * log(p) + (1 - t) * log(1 - p))``, reduced.

    r1.6 runs one ``BinaryCrossEntropy`` kernel; ascendsim composes it from elementwise ops
    (the logs of values clamped at 1e-12, as r1.6's kernel does), so the gradient comes from
    their rules. ``weight`` is a Tensor broadcast to the inputs, or None.

    Raises:
        MsValueError: ``reduction`` not in ``['none', 'mean', 'sum']`` (r1.6's message).
    """

    def __init__(self, weight: Any = None, reduction: str = "none") -> None:
        if reduction not in ("none", "mean", "sum"):
            raise MsValueError(
                "For 'BinaryCrossEntropy' the 'reduction' should be str and must be in "
                f"'['none', 'mean', 'sum']', but got '{reduction}'."
            )
        super().__init__(reduction)
        from ascendsim.ms.ops import operations as P

        self.weight = weight
        self.log = P.Log()
        self.maximum = P.Maximum()

    def construct(self, logits: Any, labels: Any) -> Any:
        _check_is_tensor("logits", logits, type(self).__name__)
        _check_is_tensor("labels", labels, type(self).__name__)
        log_p = self.log(self.maximum(logits, 1e-12))
        log_q = self.log(self.maximum(1.0 - logits, 1e-12))
        loss = -(labels * log_p + (1.0 - labels) * log_q)
        if self.weight is not None:
            loss = self.mul(self.weight, loss)
        return self.get_loss(loss)


class SmoothL1Loss(LossBase):
    """``0.5 * d**2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 * beta`` (``d`` = logits -
    labels), elementwise: r1.6's SmoothL1Loss does not reduce. Composed from elementwise ops
    (r1.6 runs one kernel).

    Raises:
        MsTypeError: ``beta`` not a float (r1.6's message).
        MsValueError: ``beta`` not positive.
    """

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__("none")
        from ascendsim.ms.ops import operations as P

        if not isinstance(beta, float):
            raise MsTypeError(
                f"For 'SmoothL1Loss', the type of `beta` should be 'float', but got '{beta}' "
                f"with type '{type(beta).__name__}'."
            )
        if beta <= 0:
            raise MsValueError(
                f"For 'SmoothL1Loss', the 'beta' should be greater than 0, but got {beta}."
            )
        self.beta = beta
        self.abs = P.Abs()
        self.less = P.Less()
        self.select = P.Select()

    def construct(self, logits: Any, labels: Any) -> Any:
        _check_is_tensor("logits", logits, type(self).__name__)
        _check_is_tensor("labels", labels, type(self).__name__)
        diff = self.abs(logits - labels)
        small = diff * diff * (0.5 / self.beta)
        large = diff - 0.5 * self.beta
        return self.select(self.less(diff, self.beta), small, large)
