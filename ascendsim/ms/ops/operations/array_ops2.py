"""More array ops: Concat, Split, Stack, Unstack, Tile, Zeros, Ones, Argmax, Argmin, CumSum.

r1.6 names, argument checks and messages (captured from r1.6 1.6.1 on CPU, see
``tests/compat``). ``Concat``/``Stack`` take a tuple or list of tensors, which is unpacked into
the op's inputs (as :class:`~.math_ops.AddN` does); ``Split``/``Unstack`` return a tuple.
Argmax's CPU kernel accepts float inputs and an Int32 output only (as r1.6); Argmin has no CPU
kernel in r1.6 (``RuntimeError`` on that target).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ....errors import MsRuntimeError, MsTypeError, MsValueError
from ...common import dtype as mstype
from .._checks import (
    SUPPORT_HINT,
    check_int_range,
    check_int_rel,
    check_tensor_dtype,
    check_value_type,
    shape_str,
    type_name,
)
from .._promote import np_dtype
from ..primitive import Cost, Primitive, Spec, io_bytes, register_op

__all__ = ["Concat", "Split", "Stack", "Unstack", "Tile", "Zeros", "Ones", "Argmax", "Argmin",
           "CumSum"]  # fmt: skip


def _contiguous(a: object) -> np.ndarray:
    """A C-ordered copy that keeps 0-d results 0-d (``np.ascontiguousarray`` makes them 1-d)."""
    return np.array(a, order="C", copy=True)


class _Move(Primitive):
    """Only moves data: no arithmetic, bytes read + written."""

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(0, io_bytes(ins, outs), "vector")


class _Sequence(_Move):
    """An op whose one argument is a tuple/list of tensors, unpacked into its inputs, along
    ``axis``."""

    def __init__(self, axis: int = 0) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        check_value_type(self.name, "axis", axis, [int])

    def __call__(self, input_x: Any) -> Any:  # type: ignore[override]
        if not isinstance(input_x, list | tuple):
            raise MsTypeError(
                f"For '{self.name}', the input must be a tuple or list of Tensors, but got "
                f"{type(input_x).__name__}: pass {self.name}(...)((x, y, ...))."
            )
        return super().__call__(*input_x)

    def _specs(self, xs: tuple[Any, ...]) -> tuple[Spec, ...]:
        if not xs:
            raise MsValueError(
                f"`input_x rank` in `{self.name}` should be int and must > 0, but got `0` with "
                "type `int`."
            )
        for i, x in enumerate(xs):
            if not isinstance(x, Spec):
                raise MsTypeError(
                    f"For '{self.name}', the type of 'input_x[{i}]' should be Tensor, but got "
                    f"{type_name(x)}{SUPPORT_HINT}"
                )
        return xs


@register_op
class Concat(_Sequence):
    """``Concat(axis=0)((x1, x2, ...))``: join along ``axis`` (all other dims equal)."""

    def infer(self, *xs: Any) -> Spec:
        xs = self._specs(xs)
        base = xs[0]
        rank = len(base.shape)
        for i, x in enumerate(xs[1:], start=1):
            if len(x.shape) != rank:
                raise MsValueError(
                    f"For '{self.name}', the 'len of x_shp[{i}]' should be = len of x_shp[0]: "
                    f"{rank}, but got {len(x.shape)}."
                )
            if x.dtype != base.dtype:
                raise MsValueError(
                    f"For '{self.name}', the 'x_type[{i}]' should be = x_type[0]: "
                    f"Tensor[{base.dtype}], but got Tensor[{x.dtype}]."
                )
        check_int_range(self.name, "axis", self.axis, -rank, rank - 1, "[]")
        axis = self.axis % rank
        for x in xs[1:]:
            if any(j != axis and x.shape[j] != base.shape[j] for j in range(rank)):
                raise MsValueError(
                    "The shape of the two input elements of the Concat operator do not match:"
                    f"shape[0] = {shape_str(base.shape)} and shape[1] = {shape_str(xs[1].shape)}."
                )
        shape = list(base.shape)
        shape[axis] = sum(x.shape[axis] for x in xs)
        return Spec(tuple(shape), base.dtype)

    def kernel(self, ctx: Any, *xs: np.ndarray) -> np.ndarray:
        return np.concatenate([np.asarray(x) for x in xs], axis=self.axis)


@register_op
class Stack(_Sequence):
    """``Stack(axis=0)((x1, x2, ...))``: stack same-shape tensors along a new ``axis``."""

    def infer(self, *xs: Any) -> Spec:
        xs = self._specs(xs)
        base = xs[0]
        rank = len(base.shape)
        check_int_range(self.name, "axis", self.axis, -rank - 1, rank, "[]")
        axis = self.axis + rank + 1 if self.axis < 0 else self.axis
        for i, x in enumerate(xs[1:], start=1):
            if x.dtype != base.dtype:
                raise MsTypeError(
                    f"For '{self.name}', the 'x_type[{i}]' should be = base: Tensor[{base.dtype}], "
                    f"but got Tensor[{x.dtype}]."
                )
            if x.shape != base.shape:
                raise MsValueError(
                    f"For '{self.name}' element {i} shape in input can not pack with first element"
                )
        shape = list(base.shape)
        shape.insert(axis, len(xs))
        return Spec(tuple(shape), base.dtype)

    def kernel(self, ctx: Any, *xs: np.ndarray) -> np.ndarray:
        return np.stack([np.asarray(x) for x in xs], axis=self.axis)


@register_op
class Split(_Move):
    """``Split(axis=0, output_num=1)(x)``: ``output_num`` equal parts along ``axis``."""

    def __init__(self, axis: int = 0, output_num: int = 1) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        self.add_prim_attr("output_num", output_num)
        check_value_type(self.name, "axis", axis, [int])
        check_value_type(self.name, "output_num", output_num, [int])
        check_int_rel(self.name, "output_num", output_num, ">", 0)

    def infer(self, x: Any) -> tuple[Spec, ...]:
        if not isinstance(x, Spec):
            check_tensor_dtype(self.name, "x", x, ())
        rank = len(x.shape)
        check_int_range(self.name, "axis value", self.axis, -rank, rank, "[)")
        dim = x.shape[self.axis]
        if dim % self.output_num:
            raise MsValueError(
                f"For '{self.name}', the specified axis of 'input_x' should be divided exactly by "
                f"'output_num', but got the shape of 'input_x' in 'axis' {self.axis} is {dim}, "
                f"'output_num': {self.output_num}."
            )
        shape = list(x.shape)
        shape[self.axis] = dim // self.output_num
        return tuple(Spec(tuple(shape), x.dtype) for _ in range(self.output_num))

    def kernel(self, ctx: Any, x: np.ndarray) -> tuple[np.ndarray, ...]:
        parts = np.split(np.asarray(x), self.output_num, axis=self.axis)
        return tuple(_contiguous(p) for p in parts)


@register_op
class Unstack(_Move):
    """``Unstack(axis=0)(x)``: the slices of ``x`` along ``axis``, as a tuple."""

    def __init__(self, axis: int = 0) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        check_value_type(self.name, "axis", axis, [int])

    def infer(self, x: Any) -> tuple[Spec, ...]:
        if not isinstance(x, Spec):
            check_tensor_dtype(self.name, "x", x, ())
        rank = len(x.shape)
        check_int_range(self.name, "axis value", self.axis, -rank, rank, "[)")
        axis = self.axis % rank
        shape = x.shape[:axis] + x.shape[axis + 1 :]
        return tuple(Spec(tuple(shape), x.dtype) for _ in range(x.shape[axis]))

    def kernel(self, ctx: Any, x: np.ndarray) -> tuple[np.ndarray, ...]:
        x = np.asarray(x)
        return tuple(_contiguous(p) for p in np.moveaxis(x, self.axis, 0))


@register_op
class Tile(_Move):
    """``Tile()(x, multiples)``: repeat ``x`` ``multiples[i]`` times along each dimension
    (``multiples`` may be longer than the rank: leading dimensions are added)."""

    def __init__(self) -> None:
        super().__init__()
        self.init_prim_io_names(inputs=["x", "multiples"], outputs=["output"])

    def infer(self, x: Any, multiples: Any) -> Spec:
        check_value_type(self.name, "multiples", multiples, [tuple])
        for i, m in enumerate(multiples):
            check_int_rel(self.name, f"multiples[{i}]", m, ">", 0)
        if not isinstance(x, Spec):
            raise MsTypeError(
                f"For '{self.name}', the type of `x['dtype']` should be 'TensorType', but got "
                f"'{type_name(x)}'."
            )
        extra = len(multiples) - len(x.shape)
        if extra < 0:
            raise MsValueError(
                f"For '{self.name}', the length of 'multiples' can not be smaller than the "
                f"dimension of 'input_x', but got length of 'multiples': {len(multiples)} and "
                f"dimension of 'input_x': {len(x.shape)}."
            )
        shape = (1,) * extra + tuple(x.shape)
        return Spec(tuple(d * m for d, m in zip(shape, multiples, strict=True)), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, multiples: Any) -> np.ndarray:
        return _contiguous(np.tile(np.asarray(x), multiples))


_ALL = mstype.number_type + (mstype.bool_,)


@register_op
class Ones(Primitive):
    """``Ones()(shape, dtype)``: a tensor of ones (``shape`` an int or a tuple of ints)."""

    _fill = 1

    def infer(self, shape: Any, dtype: Any) -> Spec:
        if isinstance(shape, tuple):
            if any(not isinstance(d, int) or isinstance(d, bool) for d in shape):
                shown = ", ".join(f"{d:f}" if isinstance(d, float) else str(d) for d in shape)
                raise MsTypeError(
                    f"For primitive[{self.name}], the input[shape] must be a Int or a tuple with "
                    f"all Int elements, but got ({shown})"
                )
            dims = shape
        elif isinstance(shape, int) and not isinstance(shape, bool):
            dims = (shape,)
        else:
            raise MsTypeError(
                f"For primitive[{self.name}], the input must be a Int or a tuple with all Int "
                f"elements, but got {shape}"
            )
        if not (isinstance(dtype, mstype.Type) and dtype in _ALL):
            raise MsTypeError(f"The dtype of {self.name} is invalid!")
        if any(d < 0 for d in dims):
            raise MsValueError(
                f"For primitive[{self.name}], the shape {list(dims)} has a negative dimension."
            )
        return Spec(tuple(dims), dtype)

    def kernel(self, ctx: Any, shape: Any, dtype: Any) -> np.ndarray:
        dims = (shape,) if isinstance(shape, int) else tuple(shape)
        return np.full(dims, self._fill, np_dtype(dtype))

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(outs[0].size, outs[0].nbytes, "vector")


@register_op
class Zeros(Ones):
    """``Zeros()(shape, dtype)``: a tensor of zeros."""

    _fill = 0


@register_op
class Argmax(Primitive):
    """``Argmax(axis=-1, output_type=mstype.int32)(x)``: index of the first maximum along
    ``axis`` (float inputs only, Int32 output, as r1.6)."""

    _out_types: tuple[mstype.Type, ...] = (mstype.int32,)
    _in_types: tuple[mstype.Type, ...] = mstype.float_type

    def __init__(self, axis: int = -1, output_type: Any = mstype.int32) -> None:
        super().__init__()
        self.add_prim_attr("axis", axis)
        self.init_prim_io_names(inputs=["x"], outputs=["output"])
        check_value_type(self.name, "axis", axis, [int])
        if output_type not in self._out_types:
            listed = ", ".join(str(t) for t in self._out_types)
            raise MsTypeError(
                f"For '{self.name}', the type of 'output' should be {listed}, but got "
                f"{output_type}{SUPPORT_HINT}"
            )
        self.add_prim_attr("output_type", output_type)

    def infer(self, x: Any) -> Spec:
        if not isinstance(x, Spec):
            check_tensor_dtype(self.name, "input_x", x, self._in_types)
        rank = len(x.shape)
        check_int_range(self.name, "axis", self.axis, -rank, rank, "[)")
        check_tensor_dtype(self.name, "input_x", x, self._in_types)
        axis = self.axis % rank
        shape = tuple(d for i, d in enumerate(x.shape) if i != axis)
        return Spec(shape, self.output_type)

    def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:
        return np.asarray(self._pick(np.asarray(x), self.axis), np_dtype(self.output_type))

    @staticmethod
    def _pick(x: np.ndarray, axis: int) -> np.ndarray:
        return np.argmax(x, axis=axis)

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(ins[0].size, io_bytes(ins, outs), "vector")


@register_op
class Argmin(Argmax):
    """``Argmin(axis=-1, output_type=mstype.int32)(x)``: index of the first minimum (r1.6 has
    no CPU kernel for it: ``RuntimeError`` on that target)."""

    platforms = ("Ascend", "GPU")
    _out_types = (mstype.int32, mstype.int64)
    _in_types = mstype.number_type

    @staticmethod
    def _pick(x: np.ndarray, axis: int) -> np.ndarray:
        return np.argmin(x, axis=axis)


@register_op
class CumSum(Primitive):
    """``CumSum(exclusive=False, reverse=False)(x, axis)``: running sums along ``axis``,
    accumulated in order in the input dtype (``axis`` must be a constant int)."""

    _valid = (mstype.uint8, mstype.int8, mstype.int32, mstype.float16, mstype.float32,
              mstype.float64)  # fmt: skip

    def __init__(self, exclusive: bool = False, reverse: bool = False) -> None:
        super().__init__()
        self.add_prim_attr("exclusive", exclusive)
        self.add_prim_attr("reverse", reverse)
        check_value_type(self.name, "exclusive", exclusive, [bool])
        check_value_type(self.name, "reverse", reverse, [bool])
        self.init_prim_io_names(inputs=["x", "axis"], outputs=["y"])

    def infer(self, x: Any, axis: Any) -> Spec:
        if isinstance(axis, Spec) or axis is None:
            shown = (
                (
                    f"{{'shape': {list(axis.shape)}, 'dtype': mindspore.tensor[{str(axis.dtype).lower()}]"
                    ", 'value': None}"
                )
                if isinstance(axis, Spec)
                else "None"
            )
            raise MsValueError(f"For '{self.name}', the 'axis' cannot be None, but got {shown}.")
        check_value_type(self.name, "axis", axis, [int])
        check_tensor_dtype(self.name, "x", x, self._valid)
        rank = len(x.shape)
        if not -rank <= axis < rank:
            raise MsRuntimeError(
                f"For '{self.name}, 'axis' should be less than the length of 'input' dimension, "
                f"but got 'axis': {axis} and the length of 'input' dimension: {rank}"
            )
        return Spec(tuple(x.shape), x.dtype)

    def kernel(self, ctx: Any, x: np.ndarray, axis: int) -> np.ndarray:
        x = np.asarray(x)
        work = np.flip(x, axis) if self.reverse else x
        with np.errstate(all="ignore"):
            out = np.cumsum(work, axis=axis, dtype=x.dtype)
            if self.exclusive:  # shifted by one: the sum of the elements before each
                out = np.roll(out, 1, axis=axis)
                np.moveaxis(out, axis, 0)[0] = 0
        if self.reverse:
            out = np.flip(out, axis)
        return _contiguous(out.astype(x.dtype))

    def cost(self, ins: tuple[Any, ...], outs: tuple[Any, ...]) -> Cost:
        return Cost(outs[0].size, io_bytes(ins, outs), "vector")
