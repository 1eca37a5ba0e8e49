"""``mindspore.Parameter`` and ``ParameterTuple`` as in r1.6 (``mindspore/common/parameter.py``).

A Parameter is a Tensor with a name and training flags. Construction: ``bool`` ->
``MsValueError``; Python ``int`` -> Int32 scalar; ``float`` -> Float32 scalar; a Tensor (or
numpy array, or list) is copied, keeping its dtype; an initializer Tensor is materialised at
once (r1.6 calls ``init_data()`` in ``__new__``), except in semi-auto/auto parallel mode, in a
parameter-server role, or, as an ascendsim extension, when the context key ``shape_only`` is
True: then it stays lazy (``has_init``; no values, no host bytes, ``nbytes`` still reports the
size) until :meth:`Parameter.init_data`, which in a shape-only run leaves it "materialised but
shape-only" (``has_init`` False, no values).

``is_init`` is the GE backend's flag (False at creation; the GE init graph sets it). Copies
follow r1.6: ``copy.copy`` and ``clone`` keep name, ``requires_grad`` and
``layerwise_parallel`` and copy the data; ``copy.deepcopy`` keeps only the name (r1.6 builds
``Parameter(self)``, so ``requires_grad`` and ``layerwise_parallel`` return to their defaults).
A Parameter keeps the ``_uid`` it got as a Tensor. Embedding-cache bookkeeping of r1.6's
parameter server is not emulated.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from ...errors import MsRuntimeError, MsTypeError, MsValueError
from .. import context
from . import dtype as mstype
from ._param_flags import ParameterFlags, check_bool, slice_index
from .initializer import initializer
from .tensor import Tensor

__all__ = ["Parameter", "ParameterTuple"]

PARAMETER_NAME_DEFAULT = "Parameter"
PARAMETER_NAME_PREFIX_MAX_LEN = 1024
_PREFIX_PATTERN = r"^\w+[0-9a-zA-Z\_\.]*$"


def _role() -> str:
    return context._ps_role()


def _keeps_initializer_lazy() -> bool:
    """r1.6 keeps initializer data lazy in (semi-)auto parallel and PS roles; ascendsim also
    in shape-only runs."""
    return (
        context._is_in_parallel_mode()
        or _role() != "MS_NOT_PS"
        or bool(context.get_context("shape_only"))
    )


def _cast(data: Tensor, dtype: mstype.Type) -> Tensor:
    """``F.cast`` for set_data: values converted with r1.6's rules; lazy data stays lazy."""
    if data.has_init:
        return Tensor(dtype=dtype, shape=data.shape, init=data.init)
    if not data.has_values:
        return Tensor._shape_only(data.shape, dtype)
    return data.astype(dtype)


class Parameter(ParameterFlags, Tensor):
    """A named, trainable Tensor (see the module docstring)."""

    def __init__(
        self,
        default_input: Any,
        name: str | None = None,
        requires_grad: bool = True,
        layerwise_parallel: bool = False,
        parallel_optimizer: bool = True,
    ) -> None:
        init_data_flag = isinstance(default_input, Tensor) and default_input.has_init
        self._build(default_input)
        self.init_mode: Tensor | None = default_input if self.has_init else None
        self.is_default_input_init = init_data_flag
        self.init_in_server = False
        self._cache_enable = False
        self._cache_shape: tuple[int, ...] | list[int] = ()
        self._name = PARAMETER_NAME_DEFAULT
        self.name = name
        self.requires_grad = requires_grad
        self.layerwise_parallel = layerwise_parallel
        self.parallel_optimizer = parallel_optimizer
        self.init_flag = False
        self.is_init = False
        self._inited_param: Parameter | None = None
        self._sliced = False
        self.is_param_ps = False
        self.push_weight_to_server = False
        self.pull_weight_from_server = False
        self.requires_aggr = True
        self._cast_type = None
        self._unique = False
        self._comm_fusion = 1
        self._comm_recompute = False
        self.is_in_parallel = context._is_in_parallel_mode()
        self._pipeline_stage_list: list[int] = []
        if not isinstance(default_input, (Tensor, int, float, np.ndarray, list)):
            raise MsTypeError(
                "The type of the argument 'default_input' must be in ['Tensor', 'int', 'float', "
                f"'numpy.ndarray', 'list']. But got type {type(default_input)}."
            )

    def _build(self, data: Any) -> None:
        """The tensor part (r1.6's ``Parameter.__new__``)."""
        if isinstance(data, bool):
            raise MsValueError("Parameter data can not be `bool`")
        if isinstance(data, Tensor) and data.has_init:
            if _keeps_initializer_lazy():
                Tensor.__init__(self, dtype=data.dtype, shape=data.shape, init=data.init)
                return
            data = data.init_data().asnumpy()
        elif isinstance(data, Tensor):
            if not data.has_values:
                self._bare(data.shape, data.dtype)
                return
            data = data.asnumpy()
        if isinstance(data, int) and not isinstance(data, bool):
            Tensor.__init__(self, data, mstype.int32)
        elif isinstance(data, float):
            Tensor.__init__(self, data, mstype.float32)
        else:
            Tensor.__init__(self, data)

    # --- printing and copying ----------------------------------------------------------------

    def __str__(self) -> str:
        return (
            f"Parameter (name={self.name}, shape={self.shape}, dtype={self.dtype}, "
            f"requires_grad={self.requires_grad})"
        )

    def __repr__(self) -> str:
        return self.__str__()

    def __copy__(self) -> Parameter:
        data = self.init_mode if self.init_mode is not None else Tensor(self)
        return Parameter(data, self.name, self.requires_grad, self.layerwise_parallel)

    def __reduce_ex__(self, protocol: Any) -> Any:
        data = self.init_mode if self.init_mode is not None else Tensor(self)
        return Parameter, (data, self.name, self.requires_grad, self.layerwise_parallel)

    def __deepcopy__(self, memo: dict[int, Any]) -> Parameter:
        new = Parameter(self)
        new.name = self.name
        new._inited_param = self._inited_param
        return new

    # --- attributes ----------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The name; ``None`` or blank means ``"Parameter"``; at most 1024 characters."""
        return self._name

    @name.setter
    def name(self, name_: str | None) -> None:
        if name_ is None:
            name_ = PARAMETER_NAME_DEFAULT
        elif isinstance(name_, str):
            name_ = name_.strip() or PARAMETER_NAME_DEFAULT
            if len(name_) > PARAMETER_NAME_PREFIX_MAX_LEN:
                raise MsValueError(
                    f"The length of the '{name_}' name should be less than {PARAMETER_NAME_PREFIX_MAX_LEN}."
                )
        else:
            raise MsValueError(
                f"The type of the Parameter's name should be 'string' or 'None', but got {type(name_)}."
            )
        self._name = name_

    @property
    def requires_grad(self) -> bool:
        """Whether the parameter is trained (a bool; ``MsTypeError`` otherwise)."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        check_bool("requires_grad", value, dot="")
        self._requires_grad = value

    @property
    def layerwise_parallel(self) -> bool:
        """Skip broadcast and gradient aggregation in data/hybrid parallel (a bool)."""
        return self._layerwise_parallel

    @layerwise_parallel.setter
    def layerwise_parallel(self, value: bool) -> None:
        check_bool("layerwise_parallel", value)
        self._layerwise_parallel = value

    @property
    def parallel_optimizer(self) -> bool:
        """Whether the parallel optimizer may shard this weight (a bool)."""
        return self._parallel_optimizer

    @parallel_optimizer.setter
    def parallel_optimizer(self, value: bool) -> None:
        check_bool("parallel_optimizer", value)
        self._parallel_optimizer = value

    @property
    def sliced(self) -> bool:
        """Whether the data is already a shard (auto parallel)."""
        return self._sliced

    @sliced.setter
    def sliced(self, value: bool) -> None:
        self._sliced = value

    @property
    def inited_param(self) -> Parameter | None:
        """The Parameter created by ``init_data`` when it had to make a new object (else None)."""
        return self._inited_param

    @property
    def data(self) -> Parameter:
        """The Parameter itself (so ``print(p.data)`` prints the Parameter line)."""
        return self

    # --- methods -------------------------------------------------------------------------------

    def set_param_ps(self, init_in_server: bool = False) -> None:
        """Mark the parameter as held by the parameter server.

        Raises ``MsRuntimeError`` unless ``context.set_ps_context(enable_ps=True)`` was called
        with the ``MS_ROLE`` environment variable set (as r1.6).
        """
        if _role() == "MS_NOT_PS":
            raise MsRuntimeError(
                "Must complete following two steps before calling set_param_ps: \n"
                "1. context.set_ps_context(enable_ps=True) \n"
                "2. export MS_ROLE environment variable \n"
                "Please refer to the official website for detailed usage."
            )
        self.is_param_ps = True
        self.init_in_server = init_in_server

    def clone(self, init: Any = "same") -> Parameter:
        """A new Parameter with the same name and flags (``is_init`` False); with another
        ``init``, its data is re-initialised by that initializer (name, number or Tensor)."""
        x = copy.copy(self)
        for attr in ("_parallel_optimizer", "_comm_fusion", "_comm_recompute", "_cache_enable",
                     "init_in_server", "is_param_ps", "requires_aggr"):  # fmt: skip
            setattr(x, attr, getattr(self, attr))
        x.is_init = False
        x.init = self.init
        if self.cache_shape:
            x.cache_shape = self.cache_shape
        if init != "same":
            x.set_data(initializer(init, shape=self.shape, dtype=self.dtype))
        return x

    def _update_tensor_data(self, data: Tensor) -> Parameter:
        self.init_flag = False
        self.init = None
        self.assign_value(data)
        return self

    def set_data(self, data: Tensor | int | float, slice_shape: bool = False) -> Parameter:
        """Replace the data (shared with ``data``, converted up the implicit-conversion order).

        Raises ``MsTypeError`` for a non-Tensor/int/float, a float into an integer Parameter, a
        dtype higher in the order, or initialised data into a still-lazy Parameter;
        ``MsValueError`` for a different shape unless ``slice_shape``; ``MsKeyError`` for a
        dtype outside the order (UInt16/32/64), all as r1.6. Sets ``sliced = slice_shape``.
        """

        def raise_type_error(incoming: Any) -> None:
            raise MsTypeError(
                "Incoming Parameter dtype can not be converted to current dtype implicitly. "
                f"Current dtype is {self.dtype}, and incoming is {incoming}. "
                "Use .set_dtype(xxx) to change the dtype."
            )

        if not isinstance(data, (Tensor, int, float)):
            raise MsTypeError(
                "Parameter data must be [`Tensor`, `int`, `float`] or a kind of `Tensor` "
                f"(like `Tensor`). But with type {type(data)}."
            )
        if isinstance(data, (int, float)):
            if self.dtype in mstype.int_type and isinstance(data, float):
                raise_type_error(mstype.float_)
            data = Tensor(data, self.dtype)
        incoming_is_init = not data.has_init
        current_is_init = not self.has_init
        if incoming_is_init and not current_is_init:
            raise MsTypeError(
                "The original tensor data is initialized, but the argument 'data' is not "
                "initialized.Please initialize 'data' before call this method."
            )
        if tuple(self.shape) != tuple(data.shape) and not slice_shape:
            raise MsValueError(
                "Can not change the shape of Parameter which has been initialized. Current shape "
                f"is {self.shape}, and incoming is {data.shape}."
            )
        if self.dtype != data.dtype:
            if mstype.implicit_rank(self.dtype) < mstype.implicit_rank(data.dtype):
                raise_type_error(data.dtype)
            data = _cast(data, self.dtype)
        if data.has_init:
            if current_is_init:
                self._update_tensor_data(data.init_data())
            else:
                if self.inited_param is not None:
                    self.inited_param.set_data(data)
                self.init_mode = data
        elif incoming_is_init or current_is_init:
            self._update_tensor_data(data)
        self.sliced = slice_shape
        return self

    def init_data(
        self, layout: tuple[Any, ...] | None = None, set_sliced: bool = False
    ) -> Parameter:  # type: ignore[override]
        """Materialise a lazy Parameter and return it (itself if already materialised).

        ``layout`` is r1.6's ``(dev_mat, tensor_map, slice_shape, field_size, uniform_split,
        opt_shard_group)``; its slice index uses the auto-parallel ``global_rank``. Raises
        ``MsRuntimeError`` if the parallel mode changed since creation, ``MsTypeError`` if
        ``layout`` is not a tuple, ``MsValueError`` if it has fewer than 6 entries.
        """
        if self.is_default_input_init and self.is_in_parallel != context._is_in_parallel_mode():
            raise MsRuntimeError("Must set or change parallel mode before any Tensor created.")
        if self.init_mode is None:
            return self
        if self.inited_param is not None:
            return self.inited_param
        args: tuple[Any, ...] = (None, None, None)
        if layout is not None:
            if not isinstance(layout, tuple):
                raise MsTypeError(f"The argument 'layout' should be tuple, but got {type(layout)}.")
            if len(layout) < 6:
                raise MsValueError(
                    f"The length of 'layout' must be larger than 5, but got {len(layout)}."
                )
            args = (slice_index(layout[0], layout[1]), layout[2], layout[5])
        if _role() == "MS_PSERVER":
            return self
        if self.init_in_server and self.is_param_ps and self.init_mode.init is not None and _role() in (
            "MS_WORKER", "MS_SCHED"
        ):  # fmt: skip
            args = (0, [1], None)
        data = self.init_mode._materialise(*args, owner=self)
        self._update_tensor_data(data)
        self.init_mode = None
        self.sliced = set_sliced
        return self


class ParameterTuple(tuple):
    """A tuple of Parameters; distinct Parameters sharing a name are renamed ``name_0``,
    ``name_1``, ... in place (r1.6; the same object twice is left alone)."""

    def __new__(cls, iterable: Iterable[Parameter]) -> ParameterTuple:
        data = tuple(iterable)
        seen: set[int] = set()
        orders: dict[str, Any] = {}
        for x in data:
            if not isinstance(x, Parameter):
                raise MsTypeError(
                    "ParameterTuple input should be `Parameter` collection."
                    f"But got a {type(iterable)}, {iterable}"
                )
            if x._uid in seen:
                continue
            seen.add(x._uid)
            if x.name not in orders:
                orders[x.name] = [0, x]
            elif isinstance(orders[x.name], list):
                name = x.name
                orders[name][1].name = name + "_0"
                x.name = name + "_1"
                orders[name] = 1
            else:
                orders[x.name] += 1
                x.name = x.name + "_" + str(orders[x.name])
        return tuple.__new__(cls, data)

    def clone(self, prefix: str, init: Any = "same") -> ParameterTuple:
        """Clone every Parameter and name it ``prefix + "." + name``.

        Raises ``MsTypeError`` if ``prefix`` is not a str and ``MsValueError`` if it does not
        match ``^\\w+[0-9a-zA-Z\\_\\.]*$``.
        """
        if not isinstance(prefix, str):
            raise MsTypeError(
                f"expected string or bytes-like object: the ParameterTuple.clone prefix must be a "
                f"str, but got {type(prefix)}."
            )
        if re.match(_PREFIX_PATTERN, prefix, re.ASCII) is None:
            raise MsValueError(
                f"'{prefix}'  is illegal, it should be match regular'{_PREFIX_PATTERN}' by flags'256.'"
            )
        new = []
        for x in self:
            x1 = x.clone(init)
            x1.name = prefix + "." + x1.name
            new.append(x1)
        return ParameterTuple(new)
