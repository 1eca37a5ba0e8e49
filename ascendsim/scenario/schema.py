"""The scenario file format: pydantic v2 models (unknown keys forbidden, strict types).

A scenario names the hardware, the context, parameters and inputs, a program (SSA op steps or
a Python callable), how to run it and what to expect. Steps and expectations are discriminated
unions keyed by which *kind key* a mapping holds (``op`` / ``tensor`` / ``item`` for steps;
``output`` / ``happens_before`` / ... for expectations), so every kind forbids the keys of the
others and errors name the right model. Building blocks (units, values, tensors, parameters)
are in :mod:`ascendsim.scenario.fields`, expectations in :mod:`ascendsim.scenario.expect_schema`;
this module re-exports them. Checks that need the whole document (names defined before use,
devices that exist, imports) live in :mod:`ascendsim.scenario.checks`.

``ascendsim schema`` prints :func:`json_schema` so editors validate and complete files.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    StringConstraints,
    Tag,
    WithJsonSchema,
)

from ascendsim.scenario.expect_schema import *  # noqa: F403 - re-exported
from ascendsim.scenario.expect_schema import Expectation
from ascendsim.scenario.expect_schema import __all__ as _expect_all
from ascendsim.scenario.fields import *  # noqa: F403 - re-exported
from ascendsim.scenario.fields import (
    MAX_DEVICES,
    MAX_STEPS,
    NAME_RE,
    Model,
    Name,
    ParameterSpec,
    TensorSpec,
    kind_tag,
    shape_of_values,
)
from ascendsim.scenario.fields import __all__ as _fields_all

__all__ = [
    *_fields_all, *_expect_all, "STEP_KINDS", "HardwareSpec", "Context", "OpStep", "TensorStep",
    "ItemStep", "StepsProgram", "PythonProgram", "OverflowInjection", "RunSpec", "Scenario",
    "json_schema",
]  # fmt: skip


class HardwareSpec(Model):
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


class Context(Model):
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
        if not re.match(NAME_RE, v):
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


class OpStep(Model):
    """``{id, op, inputs, attrs}``: call the MindSpore primitive ``op`` (constructed with
    ``attrs``) on ``inputs``; its result is named ``id``."""

    id: Name
    op: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=100)]
    inputs: Annotated[list[InputRef], Field(max_length=64)] = []
    attrs: dict[str, Any] = {}


class TensorStep(Model):
    """``{id, tensor: {shape, dtype, fill|values|init}}``: a constant tensor named ``id``."""

    id: Name
    tensor: TensorSpec


class ItemStep(Model):
    """``{id, item, index}``: output ``index`` of the multi-output step ``item``."""

    id: Name
    item: Name
    index: int = Field(ge=0, le=1024)


STEP_KINDS = {"op": OpStep, "tensor": TensorStep, "item": ItemStep}


Step = Annotated[
    Annotated[OpStep, Tag("op step")]
    | Annotated[TensorStep, Tag("tensor step")]
    | Annotated[ItemStep, Tag("item step")],
    Discriminator(
        kind_tag(STEP_KINDS, " step"),
        custom_error_type="step_kind",
        custom_error_message="a step is a mapping with exactly one of the keys "
        "'op', 'tensor' or 'item'",
    ),
]


class StepsProgram(Model):
    """Op steps in SSA form (each ``id`` defined once, used only after it is defined)."""

    steps: Annotated[list[Step], Field(min_length=1, max_length=100_000)]
    outputs: list[Name] = Field([], description="step ids returned; default: the last step")


class PythonProgram(Model):
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


class OverflowInjection(Model):
    """Declare that node ``node`` overflows at ``steps`` (0-based; ``all``: every step)."""

    node: Name
    steps: list[Annotated[int, Field(ge=0)]] | Literal["all"] = "all"


class RunSpec(Model):
    """How the program runs: iterations, schedule policy, values or shapes only, overflows."""

    steps: int = Field(1, ge=1, le=MAX_STEPS)
    schedule: Annotated[
        str, StringConstraints(pattern=r"^[a-z][a-z\-]*(:\d+)?$", max_length=64)
    ] = "program"
    shape_only: bool = False
    overflow: list[OverflowInjection] = []


class Scenario(Model):
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
