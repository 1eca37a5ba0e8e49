"""Parameter initializers, bit-identical to MindSpore r1.6's ``mindspore/common/initializer.py``.

``initializer(init, shape, dtype)`` returns an initializer Tensor (no data until
``init_data()``). Values match r1.6 for the same seed and the same sequence of
materialisations:

* ``Normal`` draws from r1.6's Philox normal generator (:mod:`._philox`) keyed by
  ``_get_graph_seed(get_seed(), "init")``, a pair that advances at every ``Normal``
  materialisation and is reset by ``set_seed``;
* ``Uniform``, ``XavierUniform``, ``HeUniform``, ``HeNormal``, ``Sparse``, ``Orthogonal``,
  ``VarianceScaling`` draw from numpy's global generator, exactly as r1.6 calls it;
* ``TruncatedNormal`` reproduces scipy's ``truncnorm.rvs(-2, 2)`` (numpy uniforms through the
  inverse normal CDF, :mod:`._ndtri`), so scipy is not needed.

String names are case-insensitive: the lower-cased class names plus ``zeros``, ``ones``,
``xavier_uniform``, ``he_uniform``, ``he_normal`` (``Constant`` has none). Errors follow r1.6:
unknown name -> ``MsKeyError``, bad ``init`` type -> ``MsTypeError``, bad dimension or a Tensor
``init`` of another shape -> ``MsValueError``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ascendsim.errors import MsNotImplementedError

from ...errors import MsKeyError, MsTypeError, MsValueError
from . import dtype as mstype
from ._ndtri import truncnorm_standard
from ._philox import random_normal
from .seed import _get_graph_seed, get_seed
from .tensor import Tensor

__all__ = [
    "Initializer", "initializer", "TruncatedNormal", "Normal", "Uniform", "HeUniform", "HeNormal",
    "XavierUniform", "One", "Zero", "Constant", "Identity", "Sparse", "Dirac", "Orthogonal",
    "VarianceScaling",
]  # fmt: skip

_INITIALIZER_ALIAS: dict[str, type[Initializer]] = {}


class Initializer:
    """Base class: ``init(arr)`` fills the numpy array ``arr`` in place."""

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._seed: int | None = None

    @property
    def seed(self) -> tuple[int, int]:
        """The (seed, seed2) pair for the next draw; advances the global op-seed counter."""
        if self._seed is None:
            return _get_graph_seed(get_seed(), "init")
        return self._seed + 1, 0

    @seed.setter
    def seed(self, value: int) -> None:
        self._seed = value

    def _initialize(self, arr: np.ndarray) -> None:
        raise MsNotImplementedError("Must be overridden!")

    def __call__(self, arr: np.ndarray) -> None:
        self._initialize(arr)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._kwargs.items())
        return f"{type(self).__name__}({args})"


def _register(*aliases: str) -> Any:
    def register(cls: type[Initializer]) -> type[Initializer]:
        for name in (cls.__name__.lower(), *aliases):
            _INITIALIZER_ALIAS.setdefault(name, cls)
        return cls

    return register


def _assignment(arr: np.ndarray, num: Any) -> None:
    """``arr[...] = num`` (r1.6's ``_assignment``; numpy casts to ``arr``'s dtype)."""
    arr[...] = num


def _fan_in_and_fan_out(shape: tuple[int, ...]) -> tuple[int, int]:
    dimensions = len(shape)
    if dimensions < 2:
        raise MsValueError(
            "'fan_in' and 'fan_out' can not be computed for tensor with fewer than 2 dimensions, "
            f"but got dimensions {dimensions}."
        )
    receptive = int(np.prod(shape[2:], dtype=np.int64)) if dimensions > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _correct_fan(shape: tuple[int, ...], mode: str) -> int:
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise MsValueError(f"'mode' {mode} not supported, please use one of {valid}")
    fan_in, fan_out = _fan_in_and_fan_out(shape)
    return fan_in if mode == "fan_in" else fan_out


def _gain(nonlinearity: str, param: Any = None) -> float:
    linear = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid"]  # fmt: skip
    if nonlinearity in linear:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            slope = param
        else:
            raise MsValueError(
                f"'negative_slope' {param} is not a valid number. When 'nonlinearity' has been set "
                "to 'leaky_relu', 'negative_slope' should be int or float type, but got "
                f"{type(param)}."
            )
        return math.sqrt(2.0 / (1 + slope**2))
    raise MsValueError(
        "The argument 'nonlinearity' should be one of ['sigmoid', 'tanh', 'relu' or 'leaky_relu'], "
        f"but got {nonlinearity}."
    )


@_register("zeros")
class Zero(Initializer):
    """All zeros."""

    def _initialize(self, arr: np.ndarray) -> None:
        _assignment(arr, 0)


@_register("ones")
class One(Initializer):
    """All ones."""

    def _initialize(self, arr: np.ndarray) -> None:
        _assignment(arr, 1)


class Constant(Initializer):
    """Every element equals ``value`` (a number or an array broadcastable to the shape)."""

    def __init__(self, value: Any) -> None:
        super().__init__(value=value)
        self.value = value

    def _initialize(self, arr: np.ndarray) -> None:
        _assignment(arr, self.value)


@_register("xavier_uniform")
class XavierUniform(Initializer):
    """Uniform on ``[-b, b]``, ``b = gain * sqrt(6 / (fan_in + fan_out))`` (numpy's generator)."""

    def __init__(self, gain: float = 1) -> None:
        super().__init__(gain=gain)
        self.gain = gain

    def _initialize(self, arr: np.ndarray) -> None:
        n_in, n_out = _fan_in_and_fan_out(arr.shape)
        boundary = self.gain * math.sqrt(6.0 / (n_in + n_out))
        _assignment(arr, np.random.uniform(-boundary, boundary, arr.shape))


class _Kaiming(Initializer):
    """The He/Kaiming initializers' arguments and their ``std = gain / sqrt(fan)``."""

    def __init__(
        self, negative_slope: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
    ) -> None:
        super().__init__(negative_slope=negative_slope, mode=mode, nonlinearity=nonlinearity)
        self.negative_slope, self.mode, self.nonlinearity = negative_slope, mode, nonlinearity

    def _std(self, shape: tuple[int, ...]) -> float:
        fan = _correct_fan(shape, self.mode)
        return _gain(self.nonlinearity, self.negative_slope) / math.sqrt(fan)


@_register("he_uniform")
class HeUniform(_Kaiming):
    """Kaiming uniform: bound ``sqrt(3) * gain / sqrt(fan)`` (numpy's generator)."""

    def _initialize(self, arr: np.ndarray) -> None:
        boundary = math.sqrt(3.0) * self._std(arr.shape)
        _assignment(arr, np.random.uniform(-boundary, boundary, arr.shape))


@_register("he_normal")
class HeNormal(_Kaiming):
    """Kaiming normal: ``N(0, (gain / sqrt(fan))**2)`` (numpy's generator)."""

    def _initialize(self, arr: np.ndarray) -> None:
        _assignment(arr, np.random.normal(0, self._std(arr.shape), arr.shape))


@_register()
class Identity(Initializer):
    """A 2-D identity matrix (``MsValueError`` for other ranks)."""

    def _initialize(self, arr: np.ndarray) -> None:
        if len(arr.shape) != 2:
            raise MsValueError(
                "For Identity initializer, the dimension of the initialized tensor should be 2, "
                f"but got {len(arr.shape)}."
            )
        _assignment(arr, np.eye(arr.shape[0], arr.shape[1]))


@_register()
class Sparse(Initializer):
    """2-D ``N(0, sigma**2)`` values with ``ceil(sparsity * rows)`` zeros per column."""

    def __init__(self, sparsity: float, sigma: float = 0.01) -> None:
        super().__init__()
        self.sparsity, self.sigma = sparsity, sigma

    def _initialize(self, arr: np.ndarray) -> None:
        if len(arr.shape) != 2:
            raise MsValueError(
                "For Sparse initializer, the dimension of the initialized tensor should be 2, "
                f"but got {len(arr.shape)}."
            )
        rows, cols = arr.shape
        zero_num = int(np.ceil(self.sparsity * rows))
        data = np.random.normal(0, self.sigma, arr.shape)
        for col in range(cols):  # one permutation per column, as r1.6 draws them
            data[np.random.permutation(list(range(rows)))[:zero_num], col] = 0.0
        _assignment(arr, data)


@_register()
class Dirac(Initializer):
    """Dirac delta for 3-, 4- or 5-D convolution weights, per group."""

    def __init__(self, groups: int = 1) -> None:
        super().__init__()
        self.groups = groups

    def _initialize(self, arr: np.ndarray) -> None:
        dimension = len(arr.shape)
        if dimension not in (3, 4, 5):
            raise MsValueError(
                "For Dirac initializer, only support to initialize tensor with dimension of 3, 4 "
                f"or 5, but got {dimension}."
            )
        shape = arr.shape
        if shape[0] % self.groups != 0:
            raise MsValueError(
                "For Dirac initializer, the first dimension ofthe initialized tensor must be "
                f"divisible by group, but got {shape[0]}/{self.groups}."
            )
        data = np.zeros(shape)
        per_group = shape[0] // self.groups
        centre = tuple(s // 2 for s in shape[2:])
        for group in range(self.groups):
            for dim in range(min(per_group, shape[1])):
                data[(group * per_group + dim, dim, *centre)] = 1
        _assignment(arr, data)


@_register()
class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix from the QR of a numpy normal sample, times ``gain``."""

    def __init__(self, gain: float = 1.0) -> None:
        super().__init__(gain=gain)
        self.gain = gain

    def _initialize(self, arr: np.ndarray) -> None:
        if len(arr.shape) < 2:
            raise MsValueError(
                "For Orthogonal initializer, the dimension of the initialized tensor should be no "
                f"less than 2, but got {len(arr.shape)}."
            )
        rows = arr.shape[0]
        cols = int(np.prod(arr.shape)) // rows
        data = np.random.normal(0, 1, size=(rows, cols))
        if rows < cols:
            data = data.T
        q, r = np.linalg.qr(data)
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        _assignment(arr, (q * self.gain).reshape(arr.shape))


@_register()
class VarianceScaling(Initializer):
    """Scaled normal or uniform values; ``scale /= max(1, fan)`` for the chosen ``mode``.

    As in r1.6, the default ``distribution='truncated_normal'`` draws from the *uniform*
    branch (r1.6 tests for the spelling ``'truncated_norm'``, which its own check rejects).
    """

    def __init__(
        self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal"
    ) -> None:
        super().__init__(scale=scale, mode=mode, distribution=distribution)
        if scale <= 0.0:
            raise MsValueError(
                f"For VarianceScaling initializer, scale must be greater than 0, but got {scale}."
            )
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise MsValueError(
                f"For VarianceScaling initializer, mode must be fan_in, fan_out or fan_avg, but got {mode}."
            )
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise MsValueError(
                "For VarianceScaling initializer, distribution must be uniform, truncated_norm or "
                f"untruncated_norm, but got {distribution}."
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def _initialize(self, arr: np.ndarray) -> None:
        fan_in, fan_out = _fan_in_and_fan_out(arr.shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out}.get(self.mode, (fan_in + fan_out) / 2.0)
        scale = self.scale / max(1.0, fan)
        if self.distribution == "untruncated_normal":
            _assignment(arr, np.random.normal(0, np.sqrt(scale), arr.shape))
        else:
            limit = np.sqrt(3.0 * scale)
            _assignment(arr, np.random.uniform(-limit, limit, arr.shape))


@_register()
class Uniform(Initializer):
    """Uniform on ``[-scale, scale]`` (numpy's generator)."""

    def __init__(self, scale: float = 0.07) -> None:
        super().__init__(scale=scale)
        self.scale = scale

    def _initialize(self, arr: np.ndarray) -> None:
        _assignment(arr, np.random.uniform(-self.scale, self.scale, arr.shape))


@_register()
class Normal(Initializer):
    """``N(mean, sigma**2)`` from r1.6's Philox generator: ``std_normal * sigma + mean`` in float32."""

    def __init__(self, sigma: float = 0.01, mean: float = 0.0) -> None:
        super().__init__(sigma=sigma, mean=mean)
        self.sigma, self.mean = sigma, mean

    def _initialize(self, arr: np.ndarray) -> None:
        seed, seed2 = self.seed
        data = random_normal(tuple(arr.shape), seed, seed2)
        # float32 arithmetic, as numpy 1.x's value-based casting gives r1.6 for any scalar type
        _assignment(arr, data * np.float32(self.sigma) + np.float32(self.mean))


@_register()
class TruncatedNormal(Initializer):
    """``N(0, sigma**2)`` truncated to two sigma (scipy ``truncnorm.rvs(-2, 2)``, numpy's generator)."""

    def __init__(self, sigma: float = 0.01) -> None:
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _initialize(self, arr: np.ndarray) -> None:
        size = int(np.prod(arr.shape, dtype=np.int64)) if arr.shape else 1
        uniforms = np.random.uniform(low=0, high=1, size=size)
        _assignment(arr, (truncnorm_standard(uniforms) * self.sigma + 0).reshape(arr.shape))


def _check_shape(shape: Any) -> tuple[int, ...] | None:
    if isinstance(shape, list):
        shape = tuple(shape)
    elif isinstance(shape, numbers.Number):
        shape = (shape,)
    for value in shape if shape is not None else ():
        if not isinstance(value, int) or value <= 0:
            raise MsValueError(
                "The argument 'shape' is invalid, the value of 'shape' must be positive integer, "
                f"but got {shape}"
            )
    return shape


def initializer(init: Any, shape: Any = None, dtype: mstype.Type = mstype.float32) -> Tensor:
    """An initializer Tensor of ``shape``/``dtype`` filled by ``init`` at ``init_data()``.

    ``init`` is a Tensor (returned as is; its shape must equal ``shape``), a name, an
    :class:`Initializer` or a number (:class:`Constant`). Raises ``MsTypeError`` for another
    ``init`` type, ``MsKeyError`` for an unknown name, ``MsValueError`` for a dimension that is
    not a positive int, a Tensor of another shape, or a missing ``shape``.
    """
    if not isinstance(init, (Tensor, numbers.Number, str, Initializer)):
        raise MsTypeError(
            "The type of the 'init' argument should be 'Tensor', 'number', 'string' or "
            f"'initializer', but got {type(init)}."
        )
    if isinstance(init, Tensor):
        wanted = shape if isinstance(shape, (tuple, list)) else [shape]
        if init.shape != tuple(wanted):
            raise MsValueError(
                "The shape of the 'init' argument should be same as the argument 'shape', but got "
                f"the 'init' shape {list(init.shape)} and the 'shape' {wanted}."
            )
        return init
    shape = _check_shape(shape)
    if isinstance(init, str):
        try:
            init = _INITIALIZER_ALIAS[init.lower()]()
        except KeyError:
            raise MsKeyError(
                f"'{init.lower()}': unknown initializer name; use one of "
                f"{sorted(_INITIALIZER_ALIAS)} (case-insensitive), or pass an Initializer "
                "instance such as Constant(value)."
            ) from None
    elif isinstance(init, numbers.Number):
        init = Constant(init)
    if shape is None:
        raise MsValueError(
            f"initializer({init!r}): 'shape' is None; pass the shape of the tensor to create."
        )
    return Tensor(dtype=dtype, shape=shape, init=init)
