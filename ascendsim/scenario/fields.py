"""Building blocks of the scenario schema: limits, names, units, values and tensors.

Limits keep hostile files from exhausting this process (shapes, sizes, counts). Sizes and
times accept units (``1GiB``, ``10us``, via :mod:`ascendsim.units`) and are stored as ``int``
bytes / ns. ``values`` are rectangular nested lists of numbers; initializers are named as
MindSpore names them (case-insensitive, ``{name: ..., args}`` for arguments). All models forbid
unknown keys and use strict types (``"2"`` is not an integer, ``yes`` is not a boolean).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from ascendsim.units import parse_bytes, parse_time_ns

__all__ = [
    "MAX_DEVICES", "MAX_STEPS", "MAX_ELEMENTS", "MAX_BYTES", "MAX_NS", "DTYPES", "DType",
    "INITIALIZERS", "TRACE_KINDS", "ERROR_NAMES", "NAME_RE", "Name", "Shape", "Size", "Time",
    "Values", "Fill", "Model", "InitSpec", "Init", "TensorSpec", "ParameterSpec",
    "shape_of_values", "kind_tag",
]  # fmt: skip

MAX_DEVICES = 1024
MAX_STEPS = 10_000
MAX_ELEMENTS = 2**50  # per tensor, shape-only; value runs are capped lower by the loader
MAX_BYTES = 2**60
MAX_NS = 2**62
DType = Literal[
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
]
#: the dtype names a scenario accepts (the values of ``DType``)
DTYPES: tuple[str, ...] = get_args(DType)

#: initializer name (lower case, as MindSpore looks it up) -> (class name, allowed args,
#: required args). ``constant`` has no string name in MindSpore: only the mapping form.
INITIALIZERS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "zeros": ("Zero", (), ()),
    "zero": ("Zero", (), ()),
    "ones": ("One", (), ()),
    "one": ("One", (), ()),
    "constant": ("Constant", ("value",), ("value",)),
    "normal": ("Normal", ("sigma", "mean"), ()),
    "uniform": ("Uniform", ("scale",), ()),
    "truncatednormal": ("TruncatedNormal", ("sigma",), ()),
    "xavieruniform": ("XavierUniform", ("gain",), ()),
    "xavier_uniform": ("XavierUniform", ("gain",), ()),
    "heuniform": ("HeUniform", ("negative_slope", "mode", "nonlinearity"), ()),
    "he_uniform": ("HeUniform", ("negative_slope", "mode", "nonlinearity"), ()),
    "henormal": ("HeNormal", ("negative_slope", "mode", "nonlinearity"), ()),
    "he_normal": ("HeNormal", ("negative_slope", "mode", "nonlinearity"), ()),
    "identity": ("Identity", (), ()),
    "sparse": ("Sparse", ("sparsity", "sigma"), ("sparsity",)),
    "dirac": ("Dirac", ("groups",), ()),
    "orthogonal": ("Orthogonal", ("gain",), ()),
    "variancescaling": ("VarianceScaling", ("scale", "mode", "distribution"), ()),
}

#: trace record kinds an event reference (``kind:name``) may name
TRACE_KINDS = (
    "kernel",
    "collective",
    "copy",
    "alloc",
    "free",
    "host",
    "event_record",
    "event_wait",
    "float_status_set",
    "float_status_clear",
    "float_status_read",
    "is_init",
    "param_synced",
    "hazard",
    "graph",
)

#: exception class names a ``raises`` expectation may name
ERROR_NAMES = (
    "AscendSimError",
    "ConfigError",
    "ScenarioError",
    "DeviceError",
    "DeviceOutOfMemory",
    "InvalidFree",
    "EventNotRecorded",
    "UnfinishedWork",
    "FloatStatusOrderError",
    "GraphError",
    "DependCycleError",
    "UnknownOpError",
    "MsTypeError",
    "MsValueError",
    "MsKeyError",
    "MsRuntimeError",
    "MsImportError",
    "Exception",
    "TypeError",
    "ValueError",
    "KeyError",
    "RuntimeError",
    "ImportError",
    "IndexError",
    "ArithmeticError",
    "ZeroDivisionError",
    "AssertionError",
)

NAME_RE = r"^[A-Za-z_][A-Za-z0-9_.\-/]*$"
Name = Annotated[str, StringConstraints(pattern=NAME_RE, max_length=256)]
Dim = Annotated[int, Field(ge=1, le=2**40)]
Shape = Annotated[list[Dim], Field(max_length=8)]


# --- scalar types with units or free-form values ---------------------------------------------
def _bounded(parse: Any, limit: int, what: str) -> Any:
    def check(value: Any) -> int:
        if isinstance(value, float) and value.is_integer() and not isinstance(value, bool):
            value = int(value)
        n = parse(value)
        if n < 0:
            raise ValueError(f"{what} must not be negative, got {value!r}")
        if n > limit:
            raise ValueError(f"{what} {value!r} is too large (at most 2**{limit.bit_length() - 1})")
        return n

    return check


_UNIT_SCHEMA = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]}
Size = Annotated[
    int,
    BeforeValidator(_bounded(parse_bytes, MAX_BYTES, "a size")),
    WithJsonSchema({**_UNIT_SCHEMA, "description": "bytes, or a size like '1GiB'"}),
]
Time = Annotated[
    int,
    BeforeValidator(_bounded(parse_time_ns, MAX_NS, "a duration")),
    WithJsonSchema({**_UNIT_SCHEMA, "description": "ns, or a time like '10us'"}),
]


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def shape_of_values(values: Any, depth: int = 0) -> tuple[int, ...]:
    """The shape of a rectangular nested list of numbers/bools (raises ValueError if ragged)."""
    if not isinstance(values, list):
        if _is_number(values) or isinstance(values, bool):
            return ()
        raise ValueError(
            f"values must be numbers, booleans or lists of them, got "
            f"{type(values).__name__} {str(values)[:40]!r}"
        )
    if depth >= 8:
        raise ValueError("values are nested more than 8 levels deep (the highest tensor rank)")
    if not values:
        raise ValueError("values contain an empty list; every dimension needs at least one item")
    shapes = {shape_of_values(v, depth + 1) for v in values}
    if len(shapes) != 1:
        raise ValueError("values are ragged: the lists at one level have different lengths")
    return (len(values), *shapes.pop())


def _check_values(v: Any) -> Any:
    shape_of_values(v)
    return v


Values = Annotated[
    Any,
    PlainValidator(_check_values),
    WithJsonSchema({"description": "a number, a boolean, or a (nested, rectangular) list of them"}),
]


def _check_fill(v: Any) -> Any:
    if not (_is_number(v) or isinstance(v, bool)):
        raise ValueError(f"fill must be a number or a boolean, got {type(v).__name__}")
    return v


Fill = Annotated[
    Any,
    PlainValidator(_check_fill),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "boolean"}]}),
]


class Model(BaseModel):
    """Base of every scenario model: unknown keys are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True)


# --- initializers, tensors, parameters ----------------------------------------------------------
class InitSpec(Model):
    """An initializer by name with its arguments (``{name: normal, sigma: 0.2}``), or a constant
    (``value`` set, ``name`` ``constant``)."""

    name: str
    args: dict[str, Any] = {}

    @property
    def class_name(self) -> str:
        """MindSpore's class name (``Normal``)."""
        return INITIALIZERS[self.name][0]


def _parse_init(v: Any) -> InitSpec:
    if isinstance(v, InitSpec):
        return v
    if _is_number(v):
        if not math.isfinite(v):
            raise ValueError(f"a constant initializer must be finite, got {v}")
        return InitSpec(name="constant", args={"value": v})
    if isinstance(v, str):
        key = v.lower()
        if key == "constant":
            raise ValueError(
                "'constant' has no string form (MindSpore raises KeyError); write a "
                "number, or {name: constant, value: 3}"
            )
        if key not in INITIALIZERS:
            raise ValueError(f"unknown initializer {v!r}{_suggest(key, INITIALIZERS)}")
        return InitSpec(name=key)
    if isinstance(v, dict):
        if "name" not in v:
            raise ValueError("an initializer mapping needs 'name', e.g. {name: normal, sigma: 0.2}")
        name = v["name"]
        if not isinstance(name, str):
            raise ValueError(f"initializer name must be a string, got {type(name).__name__}")
        key = name.lower()
        if key not in INITIALIZERS:
            raise ValueError(f"unknown initializer {name!r}{_suggest(key, INITIALIZERS)}")
        _, allowed, required = INITIALIZERS[key]
        args = {k: a for k, a in v.items() if k != "name"}
        for k, a in args.items():
            if k not in allowed:
                hint = f"; {name} takes {', '.join(allowed)}" if allowed else f"; {name} takes none"
                raise ValueError(f"unknown argument {k!r} of initializer {name!r}{hint}")
            if not (_is_number(a) or isinstance(a, str)):
                raise ValueError(f"initializer argument {k!r} must be a number or a string")
        for k in required:
            if k not in args:
                raise ValueError(f"initializer {name!r} needs the argument {k!r}")
        return InitSpec(name=key, args=args)
    raise ValueError(
        f"init must be an initializer name, a number or a mapping {{name: ...}}, got "
        f"{type(v).__name__}"
    )


def _suggest(key: str, options: Any) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(options), n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(options))}"


Init = Annotated[
    InitSpec,
    PlainValidator(_parse_init),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "description": "initializer name: " + ", ".join(INITIALIZERS)},
                {"type": "number", "description": "a constant"},
                {
                    "type": "object",
                    "properties": {"name": {"type": "string"}},
                    "required": ["name"],
                    "description": "an initializer with arguments, e.g. {name: normal, sigma: 0.2}",
                },
            ]
        }
    ),
]


def _count(shape: list[int] | tuple[int, ...]) -> int:
    return math.prod(shape)


class TensorSpec(Model):
    """A tensor: ``shape`` and ``dtype`` plus exactly one of ``fill``, ``values``, ``init``."""

    shape: Shape | None = None
    dtype: DType = "float32"
    fill: Fill | None = None
    values: Values | None = None
    init: Init | None = None

    @model_validator(mode="after")
    def _one_source(self) -> TensorSpec:
        given = [k for k in ("fill", "values", "init") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'fill', 'values' or 'init'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        _check_shape(self.shape, self.values, fill=self.fill is not None)
        return self

    @property
    def resolved_shape(self) -> tuple[int, ...]:
        """``shape``, or the shape of ``values`` when ``shape`` is left out."""
        if self.shape is not None:
            return tuple(self.shape)
        return shape_of_values(self.values) if self.values is not None else ()


def _check_shape(shape: list[int] | None, values: Any, *, fill: bool = False) -> None:
    if shape is None and values is None and not fill:
        raise ValueError("'shape' is required with 'init' (write shape: [] for a scalar)")
    if shape is not None and _count(shape) > MAX_ELEMENTS:
        raise ValueError(f"shape {shape} has {_count(shape):.3g} elements; at most 2**50")
    if shape is not None and values is not None and tuple(shape) != shape_of_values(values):
        raise ValueError(
            f"values have shape {list(shape_of_values(values))} but shape is "
            f"{shape}; make them agree (or leave out 'shape')"
        )


class ParameterSpec(Model):
    """A ``Parameter``: ``name``, ``shape``, ``dtype``, one of ``init``/``values``, and flags."""

    name: Name
    shape: Shape | None = None
    dtype: DType = "float32"
    init: Init | None = None
    values: Values | None = None
    requires_grad: bool = True
    layerwise_parallel: bool = False
    ps: bool = Field(False, description="held by the parameter server (set_param_ps)")
    sliced: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> ParameterSpec:
        if (self.init is None) == (self.values is None):
            raise ValueError("give exactly one of 'init' or 'values'")
        _check_shape(self.shape, self.values)
        return self

    @property
    def resolved_shape(self) -> tuple[int, ...]:
        if self.shape is not None:
            return tuple(self.shape)
        return shape_of_values(self.values)


def kind_tag(kinds: dict[str, Any], suffix: str) -> Any:
    def tag(v: Any) -> str | None:
        if isinstance(v, BaseModel):
            return next(k + suffix for k in kinds if isinstance(v, kinds[k]))
        if not isinstance(v, dict):
            return None
        found = [k for k in kinds if k in v]
        return found[0] + suffix if len(found) == 1 else None

    return tag
