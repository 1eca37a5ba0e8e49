"""Axes and points: dotted paths into the scenario, their combinations, resolved scenarios.

An axis path names a field of the scenario schema: ``devices``, ``seed``, ``run.schedule``,
``context.backend``, ``inputs.x.fill``. List items are chosen by index (``expect.0.max``) or by
name in brackets (``parameters[layers.qkv].shape``, ``program.steps[conv1].attrs.out_channel``:
the item whose ``name`` or ``id`` is that). ``hardware`` is special: ``hardware`` (or
``hardware.preset``) sets the preset, and ``hardware.SECTION.FIELD`` (or
``hardware.overrides.SECTION.FIELD``) becomes the override ``SECTION.FIELD`` of the hardware
config (``hardware.pcie.h2d_bandwidth: [16GB/s, 32GB/s]``), checked against the config schema.

Paths are checked against the schemas before anything runs (a path that does not exist is an
error at the axis' line, with the closest valid key). Points are combined as a cartesian
product (the last axis varies fastest) or zipped. Each point's *resolved scenario* is the base
scenario as plain data with the axis values set; it is all a worker receives, and its hash
(:func:`point_hash`, SHA-256 of its canonical JSON) identifies the point in results files.
Every point is validated like a scenario file before the sweep starts: the first invalid one is
reported with its axis values.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import itertools
import json
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

from ascendsim.errors import AscendSimError, ScenarioError
from ascendsim.yamlio import Loaded, plain

__all__ = ["Axis", "Point", "parse_path", "build_axes", "expand", "resolve", "point_hash",
           "validate_point", "describe_values", "MAX_POINTS"]  # fmt: skip

MAX_POINTS = 1_000_000

_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\[\]]+)\]|(\.)")


@dataclass(frozen=True)
class Select:
    """A list item chosen by its ``name`` / ``id`` (``parameters[embed]``)."""

    name: str


Segment = str | int | Select


@dataclass(frozen=True)
class Axis:
    """One axis: its path as written, the parsed segments, and its values."""

    path: str
    segments: tuple[Segment, ...]
    values: tuple[Any, ...]
    #: for a hardware override: the dotted config path (``pcie.h2d_bandwidth``); "" otherwise
    override: str = ""
    #: set the hardware preset
    preset: bool = False


@dataclass(frozen=True)
class Point:
    """One point of a sweep: its index, the axis values, the resolved scenario, its hash."""

    index: int
    values: tuple[Any, ...]
    scenario: dict[str, Any]
    hash: str


def parse_path(text: str) -> tuple[Segment, ...]:
    """``parameters[embed].shape`` -> ``("parameters", Select("embed"), "shape")``; digits
    after a dot are list indices.

    Raises:
        ValueError: an empty segment or stray brackets.
    """
    out: list[Segment] = []
    pos = 0
    expect_name = True
    while pos < len(text):
        m = _SEGMENT.match(text, pos)
        if m is None:
            raise ValueError(f"cannot read {text!r} at {text[pos:]!r}")
        name, sel, dot = m.groups()
        if dot:
            if expect_name:
                raise ValueError(f"empty segment in {text!r}")
            expect_name = True
        elif sel is not None:
            if not out:
                raise ValueError(f"{text!r} starts with a [selector]; name the list first")
            out.append(int(sel) if sel.isdigit() else Select(sel.strip()))
            expect_name = False
        else:
            if not expect_name:
                raise ValueError(f"missing '.' before {name!r} in {text!r}")
            out.append(int(name) if name.isdigit() else name)
            expect_name = False
        pos = m.end()
    if not out or expect_name:
        raise ValueError(f"{text!r} ends with '.'" if out else "the path is empty")
    return tuple(out)


# --- checking paths against the schemas ---------------------------------------------------------
def _members(tp: Any) -> list[Any]:
    """Annotated / Union / Optional unwrapped into the member types."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(tp) for m in _members(a)]
    return [tp]


def _children(tp: Any, seg: Segment) -> tuple[list[Any], list[str]]:
    """The types reached from ``tp`` by ``seg`` and, if none, the valid keys at ``tp``."""
    found: list[Any] = []
    keys: list[str] = []
    for m in _members(tp):
        origin = typing.get_origin(m)
        if m is Any:
            found.append(Any)
        elif isinstance(m, type) and issubclass(m, BaseModel):
            field = m.model_fields.get(seg) if isinstance(seg, str) else None
            if field is not None:
                found.append(field.annotation)
            keys.extend(m.model_fields)
        elif origin is dict and isinstance(seg, str):
            found.append(typing.get_args(m)[1])
        elif origin is list and isinstance(seg, int | Select):
            found.append(typing.get_args(m)[0])
    return found, keys


def check_schema_path(root: type[BaseModel], segments: tuple[Segment, ...], label: str) -> None:
    """Raise ValueError (with the closest key) if ``segments`` is not a path of ``root``."""
    types_: list[Any] = [root]
    for i, seg in enumerate(segments):
        nxt: list[Any] = []
        keys: list[str] = []
        for tp in types_:
            found, k = _children(tp, seg)
            nxt.extend(found)
            keys.extend(k)
        if not nxt:
            where = ".".join(str(s) for s in segments[:i]) or label
            if isinstance(seg, int | Select) and not keys:
                raise ValueError(f"{where} is not a list; {seg!r} selects nothing")
            if not keys:
                raise ValueError(f"{where} is a value, not a section: it has no {seg!r}")
            close = difflib.get_close_matches(str(seg), keys, n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else f"valid keys: {', '.join(sorted(set(keys)))}"
            )
            raise ValueError(f"{where} has no key {str(seg)!r}; {hint}")
        types_ = nxt


def _axis(path: str, values: list[Any]) -> Axis:
    from ascendsim.config.models import HardwareConfig
    from ascendsim.scenario.schema import HardwareSpec, Scenario

    segs = parse_path(path)
    if segs[0] != "hardware":
        check_schema_path(Scenario, segs, "the scenario")
        return Axis(path, segs, tuple(values))
    rest = segs[1:]
    if not rest or rest == ("preset",):
        return Axis(path, segs, tuple(values), preset=True)
    if rest[0] == "overrides":
        rest = rest[1:]
        if not rest:
            raise ValueError("name the overridden field: hardware.overrides.SECTION.FIELD")
    elif rest[0] in HardwareSpec.model_fields:
        raise ValueError(f"hardware.{rest[0]}: give hardware.preset or hardware.SECTION.FIELD")
    if any(not isinstance(s, str) for s in rest):
        raise ValueError("hardware override paths are dotted field names (pcie.h2d_bandwidth)")
    try:
        check_schema_path(HardwareConfig, rest, "the hardware config")
    except ValueError as exc:
        raise ValueError(f"hardware override: {exc}") from None
    return Axis(path, segs, tuple(values), override=".".join(str(s) for s in rest))


def build_axes(axes: Mapping[str, list[Any]], where: Any) -> list[Axis]:
    """Parse and check every axis path; ``where(path)`` gives the ``file:line:col`` of an axis.

    Raises:
        ScenarioError: a malformed path or one that does not exist in the schemas.
    """
    out = []
    for path, values in axes.items():
        try:
            out.append(_axis(path, list(values)))
        except ValueError as exc:
            raise ScenarioError(
                f"{where(path)}: axes.{path}: no such path in the scenario: {exc}"
            ) from None
    seen: dict[tuple[Any, ...], str] = {}
    for ax in out:
        key = ("override", ax.override) if ax.override else ("path", ax.segments, ax.preset)
        if key in seen:
            raise ScenarioError(
                f"{where(ax.path)}: axes.{ax.path}: sets the same field as axis "
                f"{seen[key]!r}; combine their values into one axis"
            )
        seen[key] = ax.path
    return out


# --- points -------------------------------------------------------------------------------------
def expand(axes: list[Axis], mode: str, where: Any) -> list[tuple[Any, ...]]:
    """The axis values of every point, in a stable order (product: last axis fastest).

    Raises:
        ScenarioError: zip axes of different lengths, or more than MAX_POINTS points.
    """
    if mode == "zip":
        n = len(axes[0].values)
        for ax in axes[1:]:
            if len(ax.values) != n:
                raise ScenarioError(
                    f"{where(ax.path)}: axes.{ax.path}: mode zip needs axes of equal length; "
                    f"{axes[0].path!r} has {n} values, {ax.path!r} has {len(ax.values)}"
                )
        return list(zip(*(ax.values for ax in axes), strict=True))
    total = 1
    for ax in axes:
        total *= len(ax.values)
    if total > MAX_POINTS:
        raise ScenarioError(
            f"{where(axes[0].path)}: axes: the product has {total} points, more "
            f"than {MAX_POINTS}; use fewer values or mode: zip"
        )
    return list(itertools.product(*(ax.values for ax in axes)))


def _select(node: list[Any], seg: int | Select, label: str) -> int:
    if isinstance(seg, int):
        if not 0 <= seg < len(node):
            raise ValueError(f"{label} has {len(node)} items; index {seg} is out of range")
        return seg
    for i, item in enumerate(node):
        if isinstance(item, Mapping) and seg.name in (item.get("name"), item.get("id")):
            return i
    names = [str(it.get("name", it.get("id"))) for it in node if isinstance(it, Mapping)]
    close = difflib.get_close_matches(seg.name, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"{label} has no item named {seg.name!r}{hint}")


def _set(doc: dict[str, Any], segs: tuple[Segment, ...], value: Any) -> None:
    node: Any = doc
    for i, seg in enumerate(segs):
        label = ".".join(str(s) for s in segs[:i]) or "the scenario"
        last = i == len(segs) - 1
        if isinstance(node, list) and isinstance(seg, int | Select):
            k = _select(node, seg, label)
            if last:
                node[k] = value
            else:
                node = node[k]
            continue
        if not isinstance(node, dict) or not isinstance(seg, str):
            raise ValueError(f"{label} is not a mapping in the base scenario")
        if last:
            node[seg] = value
        else:
            if seg not in node or node[seg] is None:
                node[seg] = {} if isinstance(segs[i + 1], str) else []
            node = node[seg]


def resolve(base: dict[str, Any], axes: list[Axis], values: tuple[Any, ...]) -> dict[str, Any]:
    """The base scenario (plain data) with every axis set to its value at this point.

    Raises:
        ValueError: a selector that matches no item of the base scenario.
    """
    doc = copy.deepcopy(base)
    for ax, value in zip(axes, values, strict=True):
        value = plain(value)
        if ax.preset or ax.override:
            hw = doc.get("hardware", "ascend910a")
            hw = {"preset": hw} if isinstance(hw, str) else dict(hw)
            if ax.preset and isinstance(value, Mapping):
                hw = dict(value)
            elif ax.preset:
                hw["preset"] = value
            else:
                hw["overrides"] = {**hw.get("overrides", {}), ax.override: value}
            doc["hardware"] = hw["preset"] if set(hw) == {"preset"} else hw
        else:
            _set(doc, ax.segments, value)
    return doc


def point_hash(scenario: Mapping[str, Any]) -> str:
    """The identity of a resolved scenario: SHA-256 of its canonical JSON, 16 hex digits."""
    text = json.dumps(
        scenario, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def describe_values(axes: list[Axis], values: tuple[Any, ...]) -> str:
    """``devices=8, hardware.pcie.h2d_bandwidth=16GB/s``."""
    return ", ".join(f"{ax.path}={_short(v)}" for ax, v in zip(axes, values, strict=True))


def _short(v: Any) -> str:
    text = v if isinstance(v, str) else json.dumps(plain(v), separators=(",", ":"))
    return text if len(text) <= 60 else text[:57] + "..."


_WHERE = re.compile(r"^.*?:\d+:\d+: ")


def validate_point(scenario: dict[str, Any], label: str, base_dir: Path) -> Any:
    """Validate a resolved scenario as a scenario file; returns a ``LoadedScenario``.

    Raises:
        ScenarioError: ``path: message`` of the first problem (no position: the point has no
            file of its own; the caller adds the sweep's).
    """
    from ascendsim.scenario import schema as S
    from ascendsim.scenario.checks import check_document
    from ascendsim.scenario.loader import LoadedScenario
    from ascendsim.scenario.messages import render_errors

    loaded = Loaded(scenario, label)
    try:
        sc = S.Scenario.model_validate(scenario)
        hardware = check_document(sc, loaded, base_dir)
    except pydantic.ValidationError as exc:
        raise ScenarioError(_WHERE.sub("", render_errors(exc, loaded, label), count=1)) from None
    except AscendSimError as exc:
        raise ScenarioError(_WHERE.sub("", str(exc).replace("\n", " "), count=1)) from None
    return LoadedScenario(sc, label, loaded, base_dir, hardware)
