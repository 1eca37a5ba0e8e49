"""The ``expect:`` list of a scenario: one model per expectation kind.

Each expectation is a mapping with exactly one *kind key* (``output``, ``happens_before``,
``overflow``, ``is_init``, ``peak_memory``, ``final_memory``, ``time``, ``order_independent``,
``raises``, ``loss_scale``); :data:`Expectation` is the discriminated union of them, so a key
of another kind is an unknown key. Steps are numbered from 0. Evaluation lives in
:mod:`ascendsim.scenario.expectations`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StringConstraints, Tag, model_validator

from ascendsim.scenario.fields import (
    ERROR_NAMES,
    MAX_DEVICES,
    MAX_STEPS,
    DType,
    Model,
    Name,
    Size,
    Time,
    Values,
    kind_tag,
)

__all__ = [
    "Bound", "OutputExpect", "HappensBeforeExpect", "OverflowExpect", "IsInitExpect",
    "PeakMemoryExpect", "FinalMemoryExpect", "TimeExpect", "OrderIndependentExpect",
    "RaisesExpect", "LossScaleExpect", "EXPECT_KINDS", "Expectation",
]  # fmt: skip


class Bound(Model):
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


class OutputExpect(Model):
    """The value (and optionally shape/dtype) of an output or step after step ``step``."""

    output: Name
    values: Values | None = None
    shape: Annotated[list[Annotated[int, Field(ge=0)]], Field(max_length=8)] | None = None
    dtype: DType | None = None
    rtol: float = Field(1e-5, ge=0)
    atol: float = Field(1e-8, ge=0)
    step: Step0 | None = Field(None, description="0-based; default: the last step")


class HappensBeforeExpect(Model):
    """Each named node/event finishes before the next one starts (``[a, b, ...]``); names are
    node names or ``kind:name`` (``is_init:w``, ``float_status_clear:*``)."""

    happens_before: Annotated[
        list[Annotated[str, StringConstraints(max_length=300)]], Field(min_length=2, max_length=64)
    ]
    step: Step0 | None = Field(None, description="0-based; default: every step")


class OverflowExpect(Model):
    """Whether the float-status register reported an overflow: one bool (at ``step``, or every
    step), or a list with one bool per step."""

    overflow: bool | Annotated[list[bool], Field(min_length=1, max_length=MAX_STEPS)]
    step: Step0 | None = None


class IsInitExpect(Model):
    """A parameter's ``is_init`` after the run, and when it flipped (``at``)."""

    is_init: Name
    value: bool = True
    at: Bound | None = None


class _MemoryExpect(Model):
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


class TimeExpect(Model):
    """Simulated time of the whole run (``total``) or the end of a named node/event."""

    time: Annotated[str, StringConstraints(max_length=300)] = "total"
    min: Time | None = None
    max: Time | None = None

    @model_validator(mode="after")
    def _bounds(self) -> TimeExpect:
        _need_bound(self)
        return self


class OrderIndependentExpect(Model):
    """Run the schedule explorer: do all legal orders give the same observations?"""

    order_independent: bool
    max_orders: int = Field(1000, ge=1, le=100_000)


class RaisesExpect(Model):
    """The run raises this error class (or a subclass) with ``match`` in its message."""

    raises: Literal[ERROR_NAMES]  # type: ignore[valid-type]
    match: str | None = None


class LossScaleExpect(Model):
    """The loss scale after each step (read from the parameter ``of``)."""

    loss_scale: Annotated[list[float], Field(min_length=1, max_length=MAX_STEPS)]
    of: Name = "scale_sense"


EXPECT_KINDS: dict[str, type[Model]] = {
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
        kind_tag(EXPECT_KINDS, " expectation"),
        custom_error_type="expect_kind",
        custom_error_message="an expectation is a mapping with exactly one kind key: "
        + ", ".join(EXPECT_KINDS),
    ),
]
