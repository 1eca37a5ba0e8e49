"""Activation layers (r1.6: thin Cells around primitives).

``nn.ReLU``, ``nn.ReLU6``, ``nn.LeakyReLU``, ``nn.ELU``, ``nn.HSwish``, ``nn.HSigmoid``,
``nn.LogSigmoid`` and ``nn.LogSoftmax`` build the same primitive calls r1.6's layers make,
so values, dtypes and error messages are the primitives' (LeakyReLU casts ``alpha`` to the
input's dtype and takes the max, or the min when ``alpha > 1``; LogSigmoid is
``log(1 / (1 + exp(-x)))`` op by op).
"""

from __future__ import annotations

from typing import Any

from ascendsim.ms.nn.cell import Cell

__all__ = [
    "ReLU",
    "ReLU6",
    "LeakyReLU",
    "ELU",
    "HSwish",
    "HSigmoid",
    "LogSigmoid",
    "LogSoftmax",
    "get_activation",
]


def _P() -> Any:
    from ascendsim.ms.ops import operations as P

    return P


class ReLU(Cell):
    """``max(x, 0)`` elementwise (``mindspore.nn.ReLU``)."""

    def __init__(self) -> None:
        super().__init__()
        self.relu = _P().ReLU()

    def construct(self, x: Any) -> Any:
        return self.relu(x)


class ReLU6(Cell):
    """``min(max(x, 0), 6)`` (``P.ReLU6``; float16/float32)."""

    def __init__(self) -> None:
        super().__init__()
        self.relu6 = _P().ReLU6()

    def construct(self, x: Any) -> Any:
        return self.relu6(x)


class LeakyReLU(Cell):
    """``max(alpha * x, x)`` (``min`` when ``alpha > 1``), ``alpha`` cast to ``x``'s dtype.

    Raises:
        MsTypeError: ``alpha`` not a float or int.
    """

    def __init__(self, alpha: float = 0.2) -> None:
        super().__init__()
        from ascendsim.ms.ops._checks import check_value_type

        check_value_type("LeakyReLU", "alpha", alpha, [float, int])
        P = _P()
        self.alpha = alpha
        self.mul = P.Mul()
        self.cast = P.Cast()
        self.dtype = P.DType()
        self.select_op = P.Minimum() if alpha > 1 else P.Maximum()

    def construct(self, x: Any) -> Any:
        from ascendsim.ms.common.tensor import Tensor

        alpha_array = self.cast(Tensor(self.alpha), self.dtype(x))
        return self.select_op(self.mul(alpha_array, x), x)


class ELU(Cell):
    """``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)`` (``P.Elu``: only ``alpha=1.0``)."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.elu = _P().Elu(alpha)

    def construct(self, x: Any) -> Any:
        return self.elu(x)


class HSwish(Cell):
    """Hard swish (``P.HSwish``)."""

    def __init__(self) -> None:
        super().__init__()
        self.hswish = _P().HSwish()

    def construct(self, x: Any) -> Any:
        return self.hswish(x)


class HSigmoid(Cell):
    """Hard sigmoid (``P.HSigmoid``)."""

    def __init__(self) -> None:
        super().__init__()
        self.hsigmoid = _P().HSigmoid()

    def construct(self, x: Any) -> Any:
        return self.hsigmoid(x)


class LogSigmoid(Cell):
    """``log(1 / (1 + exp(-x)))``, computed op by op as r1.6's layer does."""

    def __init__(self) -> None:
        super().__init__()
        P = _P()
        self.mul = P.Mul()
        self.exp = P.Exp()
        self.add = P.Add()
        self.rec = P.Reciprocal()
        self.log = P.Log()

    def construct(self, input_x: Any) -> Any:
        neg_input = self.mul(input_x, -1)
        exp_neg_input = self.exp(neg_input)
        exp_neg_input_1 = self.add(exp_neg_input, 1)
        rec_exp_neg_input_1 = self.rec(exp_neg_input_1)
        return self.log(rec_exp_neg_input_1)


class LogSoftmax(Cell):
    """``P.LogSoftmax(axis)``: ``x - log(sum(exp(x)))`` along ``axis``."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.log_softmax = _P().LogSoftmax(axis)

    def construct(self, x: Any) -> Any:
        return self.log_softmax(x)


# r1.6's activation names, in its order; the ones ascendsim has no layer for are refused
_ACTIVATIONS = {
    "softmax": "Softmax",
    "logsoftmax": "LogSoftmax",
    "relu": "ReLU",
    "relu6": "ReLU6",
    "tanh": "Tanh",
    "gelu": "GELU",
    "fast_gelu": None,
    "elu": "ELU",
    "sigmoid": "Sigmoid",
    "prelu": None,
    "leakyrelu": "LeakyReLU",
    "hswish": "HSwish",
    "hsigmoid": "HSigmoid",
    "logsigmoid": "LogSigmoid",
    "softshrink": None,
    "hshrink": None,
}


def get_activation(name: str | None) -> Any:
    """A new activation layer by r1.6's lower-case name (``None`` for ``None``).

    Raises:
        MsKeyError: an unknown name (r1.6's message).
        MsNotImplementedError: a name r1.6 knows whose layer ascendsim does not emulate.
    """
    from ascendsim.errors import MsKeyError, MsNotImplementedError
    from ascendsim.ms import nn

    if name is None:
        return None
    if name not in _ACTIVATIONS:
        raise MsKeyError(f"The 'name' should be in {list(_ACTIVATIONS)}, but got {name}.")
    cls_name = _ACTIVATIONS[name]
    if cls_name is None:
        raise MsNotImplementedError(
            f"activation {name!r} is not emulated by ascendsim; use one of "
            f"{[k for k, v in _ACTIVATIONS.items() if v]}"
        )
    return getattr(nn, cls_name)()
