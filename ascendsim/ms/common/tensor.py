"""``mindspore.Tensor`` as in r1.6: shape, dtype and (optionally) values.

A Tensor is built from a numpy array (dtype kept), a Python scalar (``float`` -> Float32,
``int`` -> Int64, ``bool`` -> Bool, ``complex`` -> Complex128), a list or tuple (a float64
result becomes Float32) or another Tensor (which shares its storage, as r1.6's C++ copy does);
``dtype=`` converts with r1.6's C++ rules (:mod:`._cast`). ``Tensor(dtype=, shape=, init=)``
is an *initializer tensor*: it holds shape, dtype and the Initializer, and no array exists until
:meth:`Tensor.init_data` (``str()``/``asnumpy()`` call it, as r1.6 does; ``repr()`` shows
``<uninitialized>``). ``repr`` follows r1.6's C++ printer (:mod:`._tensor_format`); ``str`` is
numpy's. Arithmetic operators, indexing and the NumPy-style methods are added by the ops layer
(``ascendsim.ms.ops._tensor_methods``), not here. ``int(t)``/``float(t)`` raise ``TypeError`` as
in r1.6 (Python 3.7 did not fall back to ``__index__``); :meth:`Tensor.set_dtype` converts the
values in place.

Hooks for the simulator (ascendsim extensions):

* ``Tensor._shape_only(shape, dtype)``: a tensor with shape and dtype and no values.
  ``has_values`` is False for it (and for an un-materialised initializer tensor); reading
  its values raises ``MsRuntimeError`` (the run is shape-only). Its repr shows
  ``<shape-only>``.
* ``_sync``: instance attribute, default None. When set, every value read (``asnumpy``,
  ``str``, ``repr``, ``bool``, ``astype``, ...) calls ``self._sync()`` first; the runtime uses
  it to finish an asynchronous device computation and normally resets it to None itself.
  Values live in ``self._value`` (an ``np.ndarray`` or None); the runtime may set it directly.
* ``_uid``: creation order of every Tensor in the process (a stable id for tie-breaking).
* :func:`add_materialise_listener` / :func:`remove_materialise_listener`: ``fn(tensor, nbytes)``
  is called each time ``init_data()`` creates host data (host-memory accounting).
* context ``shape_only=True``: ``init_data()`` drops the initializer without creating data;
  the tensor then counts as materialised but has no values.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ...errors import MsRuntimeError, MsTypeError, MsValueError
from ..context import get_context
from . import dtype as mstype
from ._cast import cast_array
from ._tensor_format import numpy_str, tensor_repr

__all__ = ["Tensor", "add_materialise_listener", "remove_materialise_listener"]

_uids = itertools.count()
_materialise_listeners: list[Callable[[Tensor, int], None]] = []
_INPUT_TYPES = "['Tensor', 'ndarray', 'str_', 'list', 'tuple', 'float', 'int', 'bool', 'complex']"
_VALID_NP = {np.dtype(mstype.dtype_to_nptype(t)) for t in mstype.number_type + (mstype.bool_,)}


def add_materialise_listener(fn: Callable[[Tensor, int], None]) -> None:
    """Call ``fn(tensor, nbytes)`` whenever ``init_data()`` creates host data."""
    _materialise_listeners.append(fn)


def remove_materialise_listener(fn: Callable[[Tensor, int], None]) -> None:
    """Stop calling ``fn`` (no error if it was not registered)."""
    if fn in _materialise_listeners:
        _materialise_listeners.remove(fn)


def _check_dtype(dtype: Any) -> None:
    valid = mstype.number_type + (mstype.bool_, mstype.string)
    if dtype not in valid:
        name = getattr(dtype, "__name__", repr(dtype))
        raise MsTypeError(
            f"For 'Tensor', the 'dtype' should be one of [{', '.join(repr(t) for t in valid)}], "
            f"but got {name}."
        )


def _to_array(data: Any) -> np.ndarray:
    """numpy array of a Python scalar, list or tuple (r1.6's default dtypes)."""
    if isinstance(data, bool):
        return np.array(data, dtype=np.bool_)
    if isinstance(data, int):
        if not -(2**63) <= data < 2**63:
            raise MsRuntimeError(
                f"Unsupported tensor type! The Python int {data} does not fit in Int64; "
                "pass a smaller value or a numpy array of a wider type."
            )
        return np.array(data, dtype=np.int64)
    if isinstance(data, float):
        return np.array(data, dtype=np.float64)
    if isinstance(data, complex):
        return np.array(data, dtype=np.complex128)
    try:
        arr = np.array(data)
    except ValueError:  # ragged nesting
        arr = np.array(data, dtype=object)
    if arr.dtype not in _VALID_NP:
        raise MsTypeError(f"For Tensor, the input_data is {data} that contain unsupported element.")
    if arr.ndim > 1 and arr.size == 0:
        raise MsValueError("input_data can not contain zero dimension.")
    return arr


def _check_shape(shape: Any, init: Any) -> tuple[int, ...]:
    if isinstance(shape, numbers.Number):
        shape = (shape,)
    try:
        dims = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise MsTypeError(
            f"Tensor shape must be a tuple or list of ints, but got {shape!r}."
        ) from None
    if any(d < 0 for d in dims):
        raise MsValueError(f"Tensor shape {list(dims)} has a negative dimension.")
    if 0 in dims and not getattr(init, "__enable_zero_dim__", False):
        raise MsValueError("Shape can not contain zero value.")
    return dims


class Tensor:
    """MindSpore's Tensor (see the module docstring for construction rules and hooks).

    Raises ``MsTypeError`` / ``MsValueError`` / ``MsRuntimeError`` where r1.6 raises
    ``TypeError`` / ``ValueError`` / ``RuntimeError``, with r1.6's messages.
    """

    def __init__(
        self, input_data: Any = None, dtype: Any = None, shape: Any = None, init: Any = None
    ) -> None:
        self._bare(None, None)
        if isinstance(input_data, np.generic):
            input_data = np.array(input_data)
        if input_data is not None and shape is not None:
            raise MsValueError("If input_data is available, shape doesn't need to be set")
        if init is not None and (shape is None or dtype is None):
            raise MsValueError("init, dtype and shape must have values at the same time.")
        if (input_data is None) == (init is None):
            raise MsTypeError("input_data and init can not be None at the same time.")
        if init is not None:
            if not callable(init):
                raise MsTypeError(
                    f"Tensor init must be an Initializer (from mindspore.common.initializer), "
                    f"but got {init!r}; use initializer({init!r}, shape, dtype) instead."
                )
            _check_dtype(dtype)
            self._shape, self._dtype, self.init = _check_shape(shape, init), dtype, init
            return
        if not isinstance(input_data, (Tensor, np.ndarray, list, tuple, float, int, complex)):
            raise MsTypeError(
                f"For 'Tensor', the type of `input_data` should be one of '{_INPUT_TYPES}', "
                f"but got '{input_data}' with type '{type(input_data).__name__}'."
            )
        if dtype is not None:
            _check_dtype(dtype)
        if isinstance(input_data, Tensor):
            self._from_tensor(input_data, dtype)
            return
        if isinstance(input_data, np.ndarray):
            if input_data.dtype not in _VALID_NP:
                raise MsTypeError(
                    "For Tensor, the input_data is a numpy array, but it's data type: "
                    f"{input_data.dtype} is not in supported list: "
                    f"{sorted(str(d) for d in _VALID_NP)} (ascendsim has no string tensors)."
                )
            if input_data.ndim > 1 and input_data.size == 0:
                raise MsValueError("input_data can not contain zero dimension.")
            arr = input_data
        else:
            arr = _to_array(input_data)
            if dtype is None and arr.dtype == np.float64:
                dtype = mstype.float32  # r1.6: Python floats and float lists default to Float32
        target = np.dtype(mstype.dtype_to_nptype(dtype)) if dtype is not None else arr.dtype
        if arr.dtype != target:
            arr = np.asarray(cast_array(arr, target), order="C")
        else:
            arr = np.array(arr, order="C", copy=True)
        self._set_array(arr)

    # --- construction helpers ---------------------------------------------------------------

    def _bare(self, shape: tuple[int, ...] | None, dtype: mstype.Type | None) -> None:
        self._uid = next(_uids)
        self._sync: Callable[[], None] | None = None
        self._value: np.ndarray | None = None
        self._shape = shape if shape is not None else ()
        self._dtype = dtype
        self.init: Any = None
        self.virtual_flag = False

    def _set_array(self, arr: np.ndarray) -> None:
        self._value = arr
        self._shape = tuple(arr.shape)
        self._dtype = mstype.nptype_to_dtype(arr.dtype)

    def _from_tensor(self, src: Tensor, dtype: mstype.Type | None) -> None:
        self._shape, self._dtype, self.init = src.shape, src.dtype, src.init
        if dtype is not None and dtype != src.dtype:
            self._dtype = dtype
            if src.init is None and src.has_values:
                self._set_array(cast_array(src._read(), mstype.dtype_to_nptype(dtype)))
            return
        if src._sync is not None:
            me = self

            def follow() -> None:
                me._sync = None
                me._value = src._read() if src.has_values else None

            self._sync = follow
        self._value = src._value

    @classmethod
    def _shape_only(cls, shape: Any, dtype: mstype.Type) -> Tensor:
        """A plain Tensor with ``shape`` and ``dtype`` and no values (simulator hook)."""
        return Tensor._of_buffer_shape(tuple(int(d) for d in shape), dtype)

    @classmethod
    def _of_buffer_shape(cls, shape: tuple[int, ...], dtype: mstype.Type) -> Tensor:
        """Like :meth:`_shape_only` for a shape that is already a tuple of ints (hot path)."""
        t = Tensor.__new__(Tensor)
        t._bare(shape, dtype)
        return t

    @classmethod
    def _of_array(cls, arr: np.ndarray) -> Tensor:
        """A plain Tensor owning ``arr`` (no copy, no checks; ``arr`` must have a tensor dtype)."""
        t = Tensor.__new__(Tensor)
        t._bare(None, None)
        t._set_array(arr)
        return t

    @staticmethod
    def from_numpy(array: np.ndarray) -> Tensor:
        """A Tensor sharing ``array``'s memory (no copy, as r1.6)."""
        return Tensor._of_array(np.asarray(array, order="C"))

    # --- values --------------------------------------------------------------------------------

    def _read(self) -> np.ndarray:
        """The value array: syncs, materialises an initializer, or raises if shape-only."""
        if self._sync is not None:
            self._sync()
        if self.init is not None and self._value is None:
            self.init_data()
        if self._value is None:
            raise MsRuntimeError(
                f"Tensor(shape={list(self.shape)}, dtype={self.dtype}) has no values: the run is "
                "shape-only (context shape_only=True), so tensors carry only shape and dtype. To "
                "read values run with context.set_context(shape_only=False)."
            )
        return self._value

    @property
    def has_values(self) -> bool:
        """Whether values exist or will exist after sync (False: shape-only or lazy init)."""
        return self._value is not None or self._sync is not None

    def asnumpy(self) -> np.ndarray:
        """The values as a numpy array sharing this tensor's storage."""
        return self._read()

    def assign_value(self, value: Tensor) -> Tensor:
        """Make this tensor share ``value``'s storage, shape and dtype (r1.6 semantics)."""
        if value._sync is not None:
            value._sync()
        self._value, self._shape, self._dtype = value._value, value.shape, value.dtype
        self._sync = None
        return self

    def init_data(
        self, slice_index: int | None = None, shape: Any = None, opt_shard_group: str | None = None
    ) -> Tensor:
        """Materialise an initializer tensor in place and return it.

        Raises ``MsTypeError`` if the tensor has no initializer (already materialised, as
        r1.6). In a shape-only run no data is created (the initializer is dropped).
        """
        return self._materialise(slice_index, shape, opt_shard_group, owner=self)

    def _materialise(
        self, slice_index: int | None, shape: Any, opt_shard_group: str | None, owner: Tensor
    ) -> Tensor:
        """``init_data`` proper; materialise listeners are told about ``owner``."""
        if self.init is None:
            raise MsTypeError("init_data must be set Tensor.init, init can't be None")
        if opt_shard_group:
            raise MsValueError(
                f"init_data(opt_shard_group={opt_shard_group!r}): optimizer sharding groups are "
                "not emulated by ascendsim; leave opt_shard_group empty."
            )
        shape = self.shape if shape is None else tuple(shape)
        if get_context("shape_only"):
            self.init, self._shape, self._value = None, shape, None
            return self
        arr = np.zeros(shape, dtype=mstype.dtype_to_nptype(self.dtype))
        with _SeedContext(self.init, slice_index):
            self.init(arr)
        self.init = None
        self._value, self._shape = np.array(arr), tuple(arr.shape)
        for fn in list(_materialise_listeners):
            fn(owner, int(self._value.nbytes))
        return self

    def to_tensor(
        self, slice_index: int | None = None, shape: Any = None, opt_shard_group: str | None = None
    ) -> Tensor:
        """Deprecated alias of :meth:`init_data` (kept from r1.6)."""
        return self.init_data(slice_index, shape, opt_shard_group)

    # --- metadata ------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape as a tuple (``()`` for a scalar)."""
        return self._shape

    @property
    def dtype(self) -> mstype.Type:
        """The MindSpore dtype (``Float32``, ``Int64`` ...)."""
        return self._dtype

    @property
    def size(self) -> int:
        """Number of elements (1 for a scalar)."""
        return int(np.prod(self._shape, dtype=np.int64)) if self._shape else 1

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return len(self._shape)

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return mstype.itemsize(self._dtype)

    @property
    def nbytes(self) -> int:
        """Bytes the values occupy (or would, for a lazy or shape-only tensor)."""
        return self.size * self.itemsize

    @property
    def strides(self) -> tuple[int, ...]:
        """Bytes to step in each dimension (C order)."""
        strides, step = [], self.itemsize
        for dim in reversed(self._shape):
            strides.append(step)
            step *= dim
        return tuple(reversed(strides))

    @property
    def has_init(self) -> bool:
        """Whether this is a not-yet-materialised initializer tensor."""
        return self.init is not None

    # --- conversions -----------------------------------------------------------------------

    def astype(self, dtype: Any, copy: bool = True) -> Tensor:
        """A copy converted to ``dtype`` (a MindSpore type, a numpy/Python type or a name)."""
        dtype = _astype_dtype(dtype)
        if not copy and dtype == self.dtype:
            return self
        return Tensor._of_array(cast_array(self._read(), mstype.dtype_to_nptype(dtype)))

    def set_dtype(self, dtype: mstype.Type) -> mstype.Type:
        """Convert this tensor's values to ``dtype`` in place and return ``dtype`` (r1.6).

        Raises:
            MsTypeError: ``dtype`` is not a MindSpore number or Bool type (r1.6 refuses a name).
        """
        if not isinstance(dtype, mstype.Type) or dtype not in mstype.number_type + (mstype.bool_,):
            raise MsTypeError(
                "set_dtype(): incompatible function arguments. The following argument types are "
                "supported:\n    1. (self: mindspore._c_expression.Tensor, arg0: mindspore::Type) "
                f"-> mindspore::Type\n\nInvoked with: {self!r}, {dtype!r}"
            )
        if self.has_values and self.init is None:
            self._set_array(cast_array(self._read(), mstype.dtype_to_nptype(dtype)))
        self._dtype = dtype
        return dtype

    def copy(self) -> Tensor:
        """A copy, computed as r1.6 does (through float32 unless Float64 or Bool)."""
        if self.size == 0:
            return self
        values = self._read()
        if self.dtype in (mstype.bool_, mstype.float64):
            return Tensor._of_array(values.copy())
        via = cast_array(values, np.float32) / np.float32(1.0)
        return Tensor._of_array(cast_array(via, mstype.dtype_to_nptype(self.dtype)))

    # --- Python protocol -------------------------------------------------------------------

    def __len__(self) -> int:
        if not self._shape:
            raise MsTypeError("Not support len of a 0-D tensor")
        return self._shape[0]

    def __bool__(self) -> bool:
        data = self._read()
        if data.shape in ((), (1,)):
            return bool(data.reshape(()))
        raise MsValueError("The truth value of an array with several elements is ambiguous.")

    def __int__(self) -> int:
        # r1.6 (Python 3.7) has no __int__/__float__ and int() did not fall back to __index__
        raise MsTypeError(
            "int() argument must be a string, a bytes-like object or a number, not 'Tensor'"
        )

    def __float__(self) -> float:
        raise MsTypeError("float() argument must be a string or a number, not 'Tensor'")

    def __index__(self) -> int:
        data = self._read()
        if data.dtype.kind not in "ib" or data.shape not in ((), (1,)):
            raise MsValueError(
                "Only integer tensors of a single element can be converted to an index."
            )
        return int(data.reshape(()))

    def __hash__(self) -> int:
        return hash(("Tensor", self._uid))

    def __str__(self) -> str:
        return numpy_str(self._read())

    def __repr__(self) -> str:
        if self._sync is not None:
            self._sync()
        placeholder = "<uninitialized>" if self.init is not None else "<shape-only>"
        return tensor_repr(self.shape, str(self.dtype), self._value, placeholder)

    def __copy__(self) -> Tensor:
        return Tensor(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        new = Tensor(self)  # shares storage, as r1.6's deepcopy does
        new.init, new.virtual_flag = self.init, self.virtual_flag
        return new


def _astype_dtype(dtype: Any) -> mstype.Type:
    """r1.6's ``check_astype_dtype``: names, Python/numpy types or MindSpore number types."""
    names = {"int", "float", "bool"} | {
        n for n in mstype.__all__ if isinstance(getattr(mstype, n), mstype.Type)
    }
    if isinstance(dtype, str):
        if dtype.lower() not in names:
            raise MsTypeError(f"`{dtype}` not understood.")
        try:
            return mstype.pytype_to_dtype(np.dtype(dtype.lower()))
        except TypeError:
            raise MsTypeError(f"`{dtype}` not understood.") from None
    if isinstance(dtype, type):
        return mstype.pytype_to_dtype(dtype)
    if dtype not in mstype.number_type + (mstype.bool_,):
        raise MsTypeError(f"`{dtype}` not understood.")
    return dtype


class _SeedContext:
    """r1.6's seed handling in ``init_data(slice_index=...)`` when no global seed is set."""

    def __init__(self, init: Any, slice_index: int | None) -> None:
        from .seed import get_seed

        self.init = init
        self.slice_index = slice_index
        self.active = slice_index is not None and get_seed() is None and hasattr(init, "seed")
        self.np_seed = int(np.random.get_state()[1][0])
        self.saved: tuple[int, int] = (0, 0)

    def __enter__(self) -> None:
        if self.active:
            self.saved = self.init.seed
            np.random.seed(self.slice_index)
            self.init.seed = self.slice_index

    def __exit__(self, *exc: object) -> None:
        if self.active:
            np.random.seed(self.np_seed)
            self.init.seed = self.saved[0]
