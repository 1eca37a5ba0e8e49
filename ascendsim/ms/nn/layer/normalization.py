"""``nn.BatchNorm2d`` and ``nn.BatchNorm1d`` (r1.6's ``_BatchNorm``).

Parameters ``gamma``/``beta`` (trainable) and ``moving_mean``/``moving_variance`` (named
``mean`` and ``variance``, ``requires_grad=False``). In training mode (``set_train()``, or
``use_batch_statistics=True``) the cell normalises with the batch statistics and the
``BatchNorm`` op updates the moving statistics in place with ``1 - momentum``; otherwise it
uses the moving statistics.
"""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common.initializer import initializer
from ascendsim.ms.common.parameter import Parameter
from ascendsim.ms.nn.cell import Cell

__all__ = ["BatchNorm2d", "BatchNorm1d"]


class _BatchNorm(Cell):
    """Batch normalisation base (see the module docstring).

    Raises:
        MsTypeError: ``num_features`` not an int.
        MsValueError: ``num_features`` < 1, ``momentum`` outside [0, 1], a format other than
            NCHW, ``use_batch_statistics`` neither a bool nor None.
    """

    _dims = 4

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.9,
                 affine: bool = True, gamma_init: Any = "ones", beta_init: Any = "zeros",
                 moving_mean_init: Any = "zeros", moving_var_init: Any = "ones",
                 use_batch_statistics: bool | None = None, data_format: str = "NCHW") -> None:  # fmt: skip
        super().__init__()
        from ascendsim.ms.ops import operations as P

        name = type(self).__name__
        if not isinstance(num_features, int) or isinstance(num_features, bool):
            raise MsTypeError(
                f"For '{name}', the type of `num_features` should be 'int', but "
                f"got '{num_features}' with type '{type(num_features).__name__}'."
            )
        if num_features < 1:
            raise MsValueError(
                f"For '{name}', the 'num_features' must be at least 1, but got {num_features}."
            )
        if momentum < 0 or momentum > 1:
            raise MsValueError(
                f"For '{name}', the 'momentum' should be a number in range [0, 1], "
                f"but got {momentum}."
            )
        if data_format != "NCHW":
            raise MsValueError(
                f"For '{name}', the 'NHWC' format only support in GPU target; "
                f"use data_format='NCHW', got {data_format!r}."
            )
        if use_batch_statistics is not None and not isinstance(use_batch_statistics, bool):
            raise MsValueError(
                f"For '{name}', the 'use_batch_statistics' should be a boolean "
                f"value or None, but got {use_batch_statistics}."
            )
        self.num_features = num_features
        self.eps = eps
        self.use_batch_statistics = use_batch_statistics
        self.format = data_format
        shape = [num_features]
        self.moving_mean = Parameter(
            initializer(moving_mean_init, shape), name="mean", requires_grad=False
        )
        self.moving_variance = Parameter(
            initializer(moving_var_init, shape), name="variance", requires_grad=False
        )
        self.gamma = Parameter(initializer(gamma_init, shape), name="gamma", requires_grad=affine)
        self.beta = Parameter(initializer(beta_init, shape), name="beta", requires_grad=affine)
        self.momentum = 1.0 - momentum
        self.bn_train = P.BatchNorm(is_training=True, epsilon=float(eps), momentum=self.momentum)
        self.bn_infer = P.BatchNorm(is_training=False, epsilon=float(eps))

    def construct(self, x: Any) -> Any:
        if len(x.shape) != self._dims:
            raise MsValueError(
                f"For '{type(self).__name__}', the in_shape must have "
                f"{self._dims} dims, but got {len(x.shape)}."
            )
        train = self.training if self.use_batch_statistics is None else self.use_batch_statistics
        bn = self.bn_train if train else self.bn_infer
        return bn(x, self.gamma, self.beta, self.moving_mean, self.moving_variance)[0]

    def extend_repr(self) -> str:
        return (
            f"num_features={self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"gamma={self.gamma}, beta={self.beta}, moving_mean={self.moving_mean}, "
            f"moving_variance={self.moving_variance}"
        )


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of an (N, C, H, W) input over N, H and W."""


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of an (N, C) input over N."""

    _dims = 2
