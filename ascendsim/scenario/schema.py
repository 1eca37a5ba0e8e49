"""The scenario file format: pydantic v2 models (unknown keys forbidden, strict types).

A scenario names the hardware, the context, parameters and inputs, a program (SSA op steps or
a Python callable), how to run it and what to expect. Steps and expectations are discriminated
unions keyed by which *kind key* a mapping holds (``op`` / ``tensor`` / ``item`` for steps;
``output`` / ``happens_before`` / ... for expectations), so every kind forbids the keys of the
others and errors name the right model. Sizes and times accept units (``1GiB``, ``10us``) and
are stored as ``int`` bytes / ns. Checks that need the whole document (names defined before
use, devices that exist, imports) live in :mod:`ascendsim.scenario.loader`.

``ascendsim schema`` prints :func:`json_schema` so editors validate and complete files.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)

from ascendsim.units import parse_bytes, parse_time_ns

__all__ = [
    "DTYPES",
    "INITIALIZERS",
    "EXPECT_KINDS",
    "STEP_KINDS",
    "TRACE_KINDS",
    "ERROR_NAMES",
    "MAX_DEVICES",
    "MAX_STEPS",
    "MAX_ELEMENTS",
    "InitSpec",
    "TensorSpec",
    "ParameterSpec",
    "HardwareSpec",
    "Context",
    "OpStep",
    "TensorStep",
    "ItemStep",
    "StepsProgram",
    "PythonProgram",
    "OverflowInjection",
    "RunSpec",
    "Bound",
    "OutputExpect",
    "HappensBeforeExpect",
    "OverflowExpect",
    "IsInitExpect",
    "PeakMemoryExpect",
    "FinalMemoryExpect",
    "TimeExpect",
    "OrderIndependentExpect",
    "RaisesExpect",
    "LossScaleExpect",
    "Scenario",
    "json_schema",
    "shape_of_values",
]

MAX_DEVICES = 1024
MAX_STEPS = 10_000
MAX_ELEMENTS = 2**50  # per tensor, shape-only; value runs are capped lower by the loader
MAX_BYTES = 2**60
MAX_NS = 2**62

DTYPES = (
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
)
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

_NAME_RE = r"^[A-Za-z_][A-Za-z0-9_.\-/]*$"
Name = Annotated[str, StringConstraints(pattern=_NAME_RE, max_length=256)]
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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# --- initializers, tensors, parameters ----------------------------------------------------------
class InitSpec(_Model):
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


class TensorSpec(_Model):
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


class ParameterSpec(_Model):
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


# --- hardware and context -----------------------------------------------------------------------
class HardwareSpec(_Model):
    """A preset (name or YAML path) with dotted field overrides."""

    preset: str = Field("ascend910a", min_length=1, max_length=4096)
    overrides: dict[str, Any] = Field(
        {}, description="dotted.field: value, e.g. pcie.h2d_bandwidth: 16GB/s"
    )


def _hardware_tag(v: Any) -> str | None:
    return "preset name" if isinstance(v, str) else ("preset spec" if isinstance(v, dict) else None)


Hardware = Annotated[
    Annotated[Annotated[str, StringConstraints(min_length=1, max_length=4096)], Tag("preset name")]
    | Annotated[HardwareSpec, Tag("preset spec")],
    Discriminator(
        _hardware_tag,
        custom_error_type="hardware_type",
        custom_error_message="expected a preset name (e.g. ascend910a), a path to a "
        "YAML file, or a mapping {preset, overrides}",
    ),
]


class Context(_Model):
    """What ``context.set_context`` is given before the program runs."""

    device_target: Literal["Ascend", "GPU", "CPU"] = "Ascend"
    mode: Literal["graph", "pynative"] = "graph"
    backend: Literal["ge", "default"] = "default"
    float_status_check: Literal["warn", "error", "off"] = "warn"
    parallel_mode: Literal[
        "stand_alone", "data_parallel", "semi_auto_parallel", "auto_parallel"
    ] = "stand_alone"


# --- program ------------------------------------------------------------------------------------
def _check_input_ref(v: Any) -> Any:
    if isinstance(v, str):
        if not re.match(_NAME_RE, v):
            raise ValueError(f"{v!r} is not a valid name (letters, digits, _ . - /)")
        return v
    if isinstance(v, dict) and set(v) == {"value"}:
        return v
    shape_of_values(v)
    return v


InputRef = Annotated[
    Any,
    PlainValidator(_check_input_ref),
    WithJsonSchema(
        {
            "description": "a name defined earlier (parameter, input or step id), or a literal: a number, "
            "boolean, list of them, or {value: ...} for a literal string/None"
        }
    ),
]


class OpStep(_Model):
    """``{id, op, inputs, attrs}``: call the MindSpore primitive ``op`` (constructed with
    ``attrs``) on ``inputs``; its result is named ``id``."""

    id: Name
    op: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=100)]
    inputs: Annotated[list[InputRef], Field(max_length=64)] = []
    attrs: dict[str, Any] = {}


class TensorStep(_Model):
    """``{id, tensor: {shape, dtype, fill|values|init}}``: a constant tensor named ``id``."""

    id: Name
    tensor: TensorSpec


class ItemStep(_Model):
    """``{id, item, index}``: output ``index`` of the multi-output step ``item``."""

    id: Name
    item: Name
    index: int = Field(ge=0, le=1024)


STEP_KINDS = {"op": OpStep, "tensor": TensorStep, "item": ItemStep}


def _kind_tag(kinds: dict[str, Any], suffix: str) -> Any:
    def tag(v: Any) -> str | None:
        if isinstance(v, BaseModel):
            return next(k + suffix for k in kinds if isinstance(v, kinds[k]))
        if not isinstance(v, dict):
            return None
        found = [k for k in kinds if k in v]
        return found[0] + suffix if len(found) == 1 else None

    return tag


Step = Annotated[
    Annotated[OpStep, Tag("op step")]
    | Annotated[TensorStep, Tag("tensor step")]
    | Annotated[ItemStep, Tag("item step")],
    Discriminator(
        _kind_tag(STEP_KINDS, " step"),
        custom_error_type="step_kind",
        custom_error_message="a step is a mapping with exactly one of the keys "
        "'op', 'tensor' or 'item'",
    ),
]


class StepsProgram(_Model):
    """Op steps in SSA form (each ``id`` defined once, used only after it is defined)."""

    steps: Annotated[list[Step], Field(min_length=1, max_length=100_000)]
    outputs: list[Name] = Field([], description="step ids returned; default: the last step")


class PythonProgram(_Model):
    """``python: module:function``: the function returns a Cell or a function, which is called
    with ``args`` (input or parameter names; default: every input in order) each step."""

    python: Annotated[
        str,
        StringConstraints(
            pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$",
            max_length=512,
        ),
    ]
    args: list[Name] | None = None
    outputs: list[Name] = Field(
        ["out"], min_length=1, description="labels of the returned values (a tuple is split)"
    )


def _program_tag(v: Any) -> str | None:
    if isinstance(v, BaseModel):
        return "steps program" if isinstance(v, StepsProgram) else "python program"
    if isinstance(v, dict) and ("steps" in v) != ("python" in v):
        return "steps program" if "steps" in v else "python program"
    return None


Program = Annotated[
    Annotated[StepsProgram, Tag("steps program")] | Annotated[PythonProgram, Tag("python program")],
    Discriminator(
        _program_tag,
        custom_error_type="program_kind",
        custom_error_message="program needs exactly one of 'steps' (a list of op steps) "
        "or 'python' (module:function)",
    ),
]


class OverflowInjection(_Model):
    """Declare that node ``node`` overflows at ``steps`` (0-based; ``all``: every step)."""

    node: Name
    steps: list[Annotated[int, Field(ge=0)]] | Literal["all"] = "all"


class RunSpec(_Model):
    """How the program runs: iterations, schedule policy, values or shapes only, overflows."""

    steps: int = Field(1, ge=1, le=MAX_STEPS)
    schedule: Annotated[
        str, StringConstraints(pattern=r"^[a-z][a-z\-]*(:\d+)?$", max_length=64)
    ] = "program"
    shape_only: bool = False
    overflow: list[OverflowInjection] = []


# --- expectations -------------------------------------------------------------------------------
class Bound(_Model):
    """A time window ``[min, max]`` in ns (units accepted)."""

    min: Time | None = None
    max: Time | None = None


def _need_bound(obj: Any) -> None:
    if obj.min is None and obj.max is None:
        raise ValueError("give 'max', 'min' or both")
    if obj.min is not None and obj.max is not None and obj.min > obj.max:
        raise ValueError(f"min ({obj.min}) is larger than max ({obj.max})")


Step0 = Annotated[int, Field(ge=0, le=MAX_STEPS)]
Device = Annotated[int, Field(ge=0, lt=MAX_DEVICES)] | Literal["host", "all"]


class OutputExpect(_Model):
    """The value (and optionally shape/dtype) of an output or step after step ``step``."""

    output: Name
    values: Values | None = None
    shape: Annotated[list[Annotated[int, Field(ge=0)]], Field(max_length=8)] | None = None
    dtype: DType | None = None
    rtol: float = Field(1e-5, ge=0)
    atol: float = Field(1e-8, ge=0)
    step: Step0 | None = Field(None, description="0-based; default: the last step")


class HappensBeforeExpect(_Model):
    """Each named node/event finishes before the next one starts (``[a, b, ...]``); names are
    node names or ``kind:name`` (``is_init:w``, ``float_status_clear:*``)."""

    happens_before: Annotated[
        list[Annotated[str, StringConstraints(max_length=300)]], Field(min_length=2, max_length=64)
    ]
    step: Step0 | None = Field(None, description="0-based; default: every step")


class OverflowExpect(_Model):
    """Whether the float-status register reported an overflow: one bool (at ``step``, or every
    step), or a list with one bool per step."""

    overflow: bool | Annotated[list[bool], Field(min_length=1, max_length=MAX_STEPS)]
    step: Step0 | None = None


class IsInitExpect(_Model):
    """A parameter's ``is_init`` after the run, and when it flipped (``at``)."""

    is_init: Name
    value: bool = True
    at: Bound | None = None


class _MemoryExpect(_Model):
    min: Size | None = None
    max: Size | None = None

    @model_validator(mode="after")
    def _bounds(self) -> _MemoryExpect:
        _need_bound(self)
        return self


class PeakMemoryExpect(_MemoryExpect):
    """The highest memory in use on a device (index), the host, or ``all`` (each device)."""

    peak_memory: Device


class FinalMemoryExpect(_MemoryExpect):
    """The memory in use at the end of the run."""

    final_memory: Device


class TimeExpect(_Model):
    """Simulated time of the whole run (``total``) or the end of a named node/event."""

    time: Annotated[str, StringConstraints(max_length=300)] = "total"
    min: Time | None = None
    max: Time | None = None

    @model_validator(mode="after")
    def _bounds(self) -> TimeExpect:
        _need_bound(self)
        return self


class OrderIndependentExpect(_Model):
    """Run the schedule explorer: do all legal orders give the same observations?"""

    order_independent: bool
    max_orders: int = Field(1000, ge=1, le=100_000)


class RaisesExpect(_Model):
    """The run raises this error class (or a subclass) with ``match`` in its message."""

    raises: Literal[ERROR_NAMES]  # type: ignore[valid-type]
    match: str | None = None


class LossScaleExpect(_Model):
    """The loss scale after each step (read from the parameter ``of``)."""

    loss_scale: Annotated[list[float], Field(min_length=1, max_length=MAX_STEPS)]
    of: Name = "scale_sense"


EXPECT_KINDS: dict[str, type[_Model]] = {
    "output": OutputExpect,
    "happens_before": HappensBeforeExpect,
    "overflow": OverflowExpect,
    "is_init": IsInitExpect,
    "peak_memory": PeakMemoryExpect,
    "final_memory": FinalMemoryExpect,
    "time": TimeExpect,
    "order_independent": OrderIndependentExpect,
    "raises": RaisesExpect,
    "loss_scale": LossScaleExpect,
}

Expectation = Annotated[
    Annotated[OutputExpect, Tag("output expectation")]
    | Annotated[HappensBeforeExpect, Tag("happens_before expectation")]
    | Annotated[OverflowExpect, Tag("overflow expectation")]
    | Annotated[IsInitExpect, Tag("is_init expectation")]
    | Annotated[PeakMemoryExpect, Tag("peak_memory expectation")]
    | Annotated[FinalMemoryExpect, Tag("final_memory expectation")]
    | Annotated[TimeExpect, Tag("time expectation")]
    | Annotated[OrderIndependentExpect, Tag("order_independent expectation")]
    | Annotated[RaisesExpect, Tag("raises expectation")]
    | Annotated[LossScaleExpect, Tag("loss_scale expectation")],
    Discriminator(
        _kind_tag(EXPECT_KINDS, " expectation"),
        custom_error_type="expect_kind",
        custom_error_message="an expectation is a mapping with exactly one kind key: "
        + ", ".join(EXPECT_KINDS),
    ),
]


class Scenario(_Model):
    """A scenario file (see ``docs/scenarios.md``)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: str = ""
    hardware: Hardware = "ascend910a"
    devices: int = Field(1, ge=1, le=MAX_DEVICES)
    context: Context = Context()
    seed: int = Field(0, ge=0, le=2**32 - 1)
    parameters: Annotated[list[ParameterSpec], Field(max_length=100_000)] = []
    inputs: dict[Name, TensorSpec] = {}
    program: Program
    run: RunSpec = RunSpec()
    expect: list[Expectation] = []

    @property
    def hardware_spec(self) -> HardwareSpec:
        """``hardware`` as a :class:`HardwareSpec`."""
        hw = self.hardware
        return HardwareSpec(preset=hw) if isinstance(hw, str) else hw


def json_schema() -> dict[str, Any]:
    """The JSON schema of a scenario file."""
    return Scenario.model_json_schema()
