"""Pooling layers ``nn.MaxPool2d`` and ``nn.AvgPool2d`` (r1.6's ``_PoolNd``), and
``nn.Flatten`` (the reshape that usually follows pooling; r1.6 keeps it in ``basic.py``)."""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsValueError
from ascendsim.ms.nn.cell import Cell

__all__ = ["MaxPool2d", "AvgPool2d", "Flatten"]


class _PoolNd(Cell):
    """Checks shared by the pooling layers.

    Raises:
        MsTypeError: ``kernel_size``/``stride`` neither an int nor a tuple, ``pad_mode`` not a
            str.
        MsValueError: a non-positive size, a tuple not of two positive ints, a ``pad_mode``
            other than same/valid, the NHWC format.
    """

    _op = ""

    def __init__(self, kernel_size: Any = 1, stride: Any = 1, pad_mode: str = "valid",
                 data_format: str = "NCHW") -> None:  # fmt: skip
        super().__init__()
        from ascendsim.ms.ops import operations as P
        from ascendsim.ms.ops._checks import check_value_type
        from ascendsim.ms.ops.operations.nn_ops import _check_string

        name = type(self).__name__
        check_value_type(name, "pad_mode", pad_mode, [str])
        self.pad_mode = _check_string(name, "pad_mode", pad_mode.upper(), ["VALID", "SAME"])
        if data_format != "NCHW":
            raise MsValueError(
                f"For '{name}', the 'NHWC' format only support in GPU target; use "
                f"data_format='NCHW', got {data_format!r}."
            )
        self.format = data_format
        for arg, value in (("kernel_size", kernel_size), ("stride", stride)):
            check_value_type(name, arg, value, [int, tuple])
            items = (value,) if isinstance(value, int) else value
            if (isinstance(value, tuple) and len(value) != 2) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in items
            ):
                raise MsValueError(
                    f"For '{name}', the '{arg}' should be an positive int number "
                    f"or a tuple of two positive int numbers, but got {value}"
                )
        self.kernel_size = kernel_size
        self.stride = stride
        self.pool = getattr(P, self._op)(kernel_size=kernel_size, strides=stride,
                                         pad_mode=self.pad_mode)  # fmt: skip

    def construct(self, x: Any) -> Any:
        return self.pool(x)

    def extend_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, pad_mode={self.pad_mode}"


class MaxPool2d(_PoolNd):
    """2-D max pooling over an (N, C, H, W) input."""

    _op = "MaxPool"


class AvgPool2d(_PoolNd):
    """2-D average pooling over an (N, C, H, W) input."""

    _op = "AvgPool"


class Flatten(Cell):
    """``(N, ...)`` -> ``(N, prod(...))``."""

    def __init__(self) -> None:
        super().__init__()
        from ascendsim.ms.ops import operations as P

        self.flatten = P.Flatten()

    def construct(self, x: Any) -> Any:
        return self.flatten(x)
