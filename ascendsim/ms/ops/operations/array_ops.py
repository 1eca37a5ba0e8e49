"""Array ops: Cast, Reshape, Transpose, Select, Fill, Shape, DType, Identity, OnesLike,
ZerosLike, Squeeze, ExpandDims (r1.6 names, checks and messages).

``Shape`` and ``DType`` are constant-folded, as MindSpore folds them at compile time: calling
them returns the tuple / dtype at once, in PyNative and while tracing a graph, and no device
task exists (cost unit ``"none"``). Reshape, Squeeze and ExpandDims only relabel memory on
the device; they are costed as a copy on the vector unit.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ....errors import MsTypeError, MsValueError
from ...common import dtype as mstype
from ...common._cast import cast_array
from .._checks import (
    SUPPORT_HINT,
    check_cpp_tensor,
    check_int_range,
    check_int_rel,
    check_is_tensor,
    check_tensor_dtype,
    check_value_type,
    shape_str,
    type_name,
)
from .._promote import np_dtype
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["Cast", "Reshape", "Transpose", "Select", "Fill", "Shape", "DType", "Identity",
           "OnesLike", "ZerosLike", "Squeeze", "ExpandDims"]  # fmt: skip

_ALL = mstype.number_type + (mstype.bool_,)


def _py_type_name(value: Any) -> str:
    names = {str: "String", list: "List", tuple: "Tuple", type(None): "None", dict: "Dict"}
    return names.get(type(value), type_name(value))


class _DataMove(Primitive):
    """An op that only moves or relabels data: no arithmetic, bytes read + written."""

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


def _prod(shape: Any) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


@register_op
class Cast(Primitive):
    """``Cast()(x, dtype)``: ``x`` (a tensor or a Python number) converted to ``dtype`` with
    r1.6's C++ conversion rules (float to int truncates toward zero)."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x", "dst_type"], outputs=["output"])

    def infer(self, x: Any, dtype: Any) -> Spec:
        if not (isinstance(x, Spec) or (isinstance(x, numbers.Number))):
            raise MsTypeError(
                f"For '{self.name}', the type of 'input_x' should be one of Tensor, Number, but got "
                f"{_py_type_name(x)}{SUPPORT_HINT}"
            )
        if not (isinstance(dtype, mstype.Type) and dtype in _ALL):
            raise MsTypeError(
                f"For '{self.name}', the type of 'type' should be Number, but got {dtype}"
                f"{SUPPORT_HINT}"
            )
        return Spec(x.shape if isinstance(x, Spec) else (), dtype)

    def kernel(self, ctx: Any, x: Any, dtype: Any) -> np.ndarray:
        return cast_array(np.asarray(x), np_dtype(dtype))


@register_op
class Reshape(_DataMove):
    """``Reshape()(x, shape)``; ``shape`` is a tuple of ints with at most one ``-1``."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["tensor", "shape"], outputs=["output"])

    def infer(self, x: Any, shape: Any) -> Spec:
        check_is_tensor(self.name, "x", x)
        check_value_type(self.name, "shape", shape, [tuple])
        neg, prod = -1, 1
        for i, d in enumerate(shape):
            check_value_type(self.name, f"shape[{i}]", d, [int])
            if d == -1:
                if neg != -1:
                    raise MsValueError(
                        f"For '{self.name}', there can be at most one '-1' in 'input_shape', but "
                        f"got {list(shape)}."
                    )
                neg = i
            else:
                prod *= d
        size = _prod(x.shape)
        if prod <= 0:
            raise MsValueError(
                f"For '{self.name}', the shape of 'input_x' is {shape_str(x.shape)}, the value of "
                f"'input_shape' is {list(shape)}. The product of 'input_shape' should > 0, but "
                f"got {prod}."
            )
        out = list(shape)
        if neg != -1:
            out[neg] = size // prod
        if _prod(out) != size:
            raise MsValueError(
                f"For '{self.name}', the shape of 'input_x' is {shape_str(x.shape)}, the value of "
                f"'input_shape' value is {out}. The product of the shape of 'input_x' should be "
                f"equal to product of 'input_shape', but product of the shape of 'input_x' is "
                f"{size}, product of 'input_shape' is {_prod(out)}."
            )
        return Spec(tuple(out), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, shape: Any) -> np.ndarray:
        return np.array(np.reshape(x, shape), copy=True)


@register_op
class Transpose(_DataMove):
    """``Transpose()(x, perm)``: permute the axes; ``perm`` is a tuple of non-negative ints."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x", "perm"], outputs=["output"])

    def infer(self, x: Any, perm: Any) -> Spec:
        if not isinstance(x, Spec):
            raise MsTypeError(
                f"For primitive[{self.name}], the input argument[x] must be a type of "
                f"{{ Tensor,}}, but got {type_name(x)}."
            )
        if not isinstance(perm, tuple) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in perm
        ):
            raise MsTypeError(
                f"For primitive[{self.name}], the input[perm] must be a tuple with all Int "
                f"elements, but got {perm}."
            )
        rank = len(x.shape)
        if len(perm) != rank:
            raise MsValueError(
                f"For '{self.name}', the dimension of x {rank} and perm {len(perm)} must be equal "
                f"(x shape {shape_str(x.shape)}, perm {perm})."
            )
        for p in perm:
            if p < 0:
                raise MsValueError(
                    f"For primitive[{self.name}], the perm element must be greater than or equal "
                    f"to 0, but got {p}."
                )
            if p >= rank:
                raise MsValueError(
                    f"For primitive[{self.name}], the perm element must be less than {rank}, but "
                    f"got {p}."
                )
        if len(set(perm)) != rank:
            raise MsValueError(
                f"For '{self.name}', the value of perm is wrong: {perm} repeats an axis."
            )
        return Spec(tuple(x.shape[p] for p in perm), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, perm: Any) -> np.ndarray:
        return np.ascontiguousarray(np.transpose(x, perm))


@register_op
class Select(Primitive):
    """``Select()(cond, x, y)``: ``x`` where ``cond`` else ``y``; no broadcasting, no implicit
    conversion (all three shapes equal, ``x`` and ``y`` of one dtype)."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["condition", "x", "y"], outputs=["output"])

    def infer(self, cond: Any, x: Any, y: Any) -> Spec:
        for arg, v in (("cond", cond), ("x_type", x), ("y_type", y)):
            if not isinstance(v, Spec):
                raise MsTypeError(
                    f"For primitive[{self.name}], the input argument[{arg}] must be a type of "
                    f"{{ Tensor,}}, but got {type_name(v)}."
                )
        check_cpp_tensor(self.name, "cond", cond, (mstype.bool_,))
        if x.dtype != y.dtype:
            raise MsTypeError(
                f"Select's the x_type Tensor[{x.dtype}] must be the same as y_type Tensor[{y.dtype}]"
            )
        if not cond.shape == x.shape == y.shape:
            raise MsValueError(
                f"For '{self.name}', the shape of cond, x and y should be equal, but got cond "
                f"{shape_str(cond.shape)}, x {shape_str(x.shape)}, y {shape_str(y.shape)}."
            )
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, cond: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.where(cond, x, y)


@register_op
class Fill(Primitive):
    """``Fill()(dtype, shape, value)``: a tensor of ``shape`` filled with ``value``."""

    def infer(self, dtype: Any, shape: Any, value: Any) -> Spec:
        check_value_type(self.name, "shape", shape, [tuple])
        check_value_type(self.name, "value", value, [numbers.Number, bool])
        for i, d in enumerate(shape):
            check_int_rel(self.name, f"dims[{i}]", d, ">", 0)
        if not (isinstance(dtype, mstype.Type) and dtype in _ALL):
            valid = ", ".join(str(t) for t in (mstype.bool_,) + mstype.number_type)
            raise MsTypeError(
                f"For '{self.name}', the type of 'value' should be one of {valid}, but got "
                f"{dtype}{SUPPORT_HINT}"
            )
        return Spec(tuple(shape), dtype)

    def kernel(self, ctx: Any, dtype: Any, shape: Any, value: Any) -> np.ndarray:
        filled = cast_array(np.asarray(value), np_dtype(dtype))
        return np.full(tuple(shape), filled, np_dtype(dtype))


class _Folded(Primitive):
    """A host-side query MindSpore folds to a constant: calling returns the value at once."""

    def __call__(self, x: Any) -> Any:  # type: ignore[override]
        spec = Spec(tuple(x.shape), x.dtype) if _is_tensor(x) else x
        self.infer(spec)
        return self.kernel(None, spec)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, 0, "none")


def _is_tensor(x: Any) -> bool:
    return hasattr(x, "shape") and isinstance(getattr(x, "dtype", None), mstype.Type)


@register_op
class Shape(_Folded):
    """The shape of a tensor, as a tuple (folded; ``infer`` returns the tuple itself)."""

    def infer(self, x: Any) -> Any:
        if not isinstance(x, Spec):
            raise MsTypeError(
                f"For primitive[{self.name}], the input argument[shape type] must be a type of "
                f"{{ Tensor,}}, but got {type_name(x)}."
            )
        return tuple(x.shape)

    def kernel(self, ctx: Any, x: Any) -> tuple[int, ...]:
        return tuple(int(d) for d in np.shape(x)) if not isinstance(x, Spec) else tuple(x.shape)


@register_op
class DType(_Folded):
    """The dtype of a tensor (folded; ``infer`` returns the dtype object)."""

    def infer(self, x: Any) -> Any:
        if not isinstance(x, Spec):
            raise MsTypeError(
                f"For Primitive[{self.name}], the input argument[infer type] must be a Tensor but "
                f"got {type_name(x)}."
            )
        return x.dtype

    def kernel(self, ctx: Any, x: Any) -> mstype.Type:
        return x.dtype if isinstance(x, Spec) else mstype.nptype_to_dtype(np.asarray(x).dtype)


@register_op
class Identity(Primitive):
    """Returns its input (bookkeeping: no device task)."""

    def __init__(self) -> None:
        super().__init__()
        self.add_prim_attr("side_effect_propagate", 1)

    def infer(self, x: Any) -> Spec:
        check_is_tensor(self.name, "x", x)
        check_tensor_dtype(self.name, "x", x, _ALL)
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        return np.array(x, copy=True)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, 0, "none")


@register_op
class OnesLike(Primitive):
    """A tensor of ones with the shape and dtype of ``x``."""

    _fill = 1

    def infer(self, x: Any) -> Spec:
        check_cpp_tensor(self.name, "infer_type", x, None)
        return Spec(x.shape, x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return np.full(x.shape, self._fill, x.dtype)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(outs[0].size, outs[0].nbytes, "vector")


@register_op
class ZerosLike(OnesLike):
    """A tensor of zeros with the shape and dtype of ``x``."""

    _fill = 0

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x"], outputs=["y"])


@register_op
class Squeeze(_DataMove):
    """Remove size-1 axes (all of them, or those in ``axis``)."""

    def __init__(self, axis: int | tuple[int, ...] = ()) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        self.init_prim_io_names(inputs=["x"], outputs=["output"])
        check_value_type(self.name, "axis", axis, [int, tuple])
        if isinstance(axis, tuple):
            for i, item in enumerate(axis):
                check_value_type(self.name, f"axis[{i}]", item, [int])
        else:
            self.add_prim_attr("axis", (axis,))

    def _kept(self, shape: tuple[int, ...]) -> list[int]:
        rank = len(shape)
        if not self.axis:
            return [i for i, d in enumerate(shape) if d != 1]
        axes = set()
        for a in self.axis:
            if not -rank <= a < rank or shape[a] != 1:
                raise MsValueError(
                    f"For '{self.name}', cannot select an axis to squeeze out which has size not "
                    f"equal to one: axis {a} of shape {shape_str(shape)}."
                )
            axes.add(a % rank)
        return [i for i in range(rank) if i not in axes]

    def infer(self, x: Any) -> Spec:
        if not isinstance(x, Spec):
            raise MsTypeError(
                f"For {self.name}, the 0's input should be a Tensor, but got {type_name(x)}"
            )
        return Spec(tuple(x.shape[i] for i in self._kept(tuple(x.shape))), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return x.reshape([x.shape[i] for i in self._kept(x.shape)]).copy()


@register_op
class ExpandDims(_DataMove):
    """``ExpandDims()(x, axis)``: insert a size-1 axis at ``axis`` in ``[-rank-1, rank]``."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x", "axis"], outputs=["output"])

    def infer(self, x: Any, axis: Any) -> Spec:
        check_is_tensor(self.name, "x", x)
        rank = len(x.shape)
        check_int_range(self.name, "axis", axis, -rank - 1, rank, "[]")
        pos = axis + rank + 1 if axis < 0 else axis
        shape = list(x.shape)
        shape.insert(pos, 1)
        return Spec(tuple(shape), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, axis: int) -> np.ndarray:
        return np.expand_dims(np.asarray(x), axis).copy()
