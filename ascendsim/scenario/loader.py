"""Read a scenario file: safe YAML with positions, schema validation, then whole-file checks.

Every problem becomes one :class:`~ascendsim.errors.ScenarioError` line,
``file:line:col: path: message``, with the closest valid key or name suggested. Beyond the
schema (:mod:`ascendsim.scenario.schema`) this module checks what needs the whole document:
names are unique and defined before use (steps are SSA, so a step naming itself or a later step
is a cycle), ops exist and accept their ``attrs``, a ``python:`` target imports, expectations
name known nodes, parameters and devices, the hardware preset loads, and value runs stay small
enough to compute. Before parsing, the event stream is scanned so that alias bombs and very deep
nesting are refused instead of expanded.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel, Discriminator, Tag

from ascendsim.errors import AscendSimError, ScenarioError
from ascendsim.scenario import schema as S
from ascendsim.scenario.checks import check_document
from ascendsim.yamlio import Loaded, load_yaml_text, locate, plain, render_validation_error

__all__ = ["LoadedScenario", "load_scenario", "load_scenario_text", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 16 * 1024 * 1024
_MAX_NODES = 1_000_000  # after alias expansion
_MAX_DEPTH = 64
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")
)


def _tag_text(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


@dataclass
class LoadedScenario:
    """A validated scenario: the model, where it came from and its resolved hardware."""

    scenario: S.Scenario
    filename: str
    loaded: Loaded
    base_dir: Path
    hardware: Any  # ascendsim.config.HardwareConfig

    def where(self, *loc: str | int) -> str:
        """``file:line:col`` of a document path (for run-time messages)."""
        return self.loaded.where(loc)


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read and validate a scenario file.

    Raises:
        ScenarioError: unreadable file, non-UTF-8 bytes, YAML syntax, tags, duplicate keys,
            schema violations, undefined names, unknown ops or presets, a failing import.
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise ScenarioError(f"{p}: is a directory; give a scenario .yaml file")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                f"{p}: the file is {size} bytes; scenario files are limited to "
                f"{MAX_FILE_BYTES // 2**20} MiB"
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            f"{p}: cannot read the file ({exc.strerror or exc}); check the path"
        ) from None
    return load_scenario_bytes(raw, str(p), p.resolve().parent)


def load_scenario_bytes(raw: bytes, filename: str, base_dir: Path | None = None) -> LoadedScenario:
    """Validate a scenario given as bytes (see :func:`load_scenario`)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            f"{filename}:{line}:{col}: the file is not valid UTF-8 (byte "
            f"0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from None
    return load_scenario_text(text, filename, base_dir)


def load_scenario_text(text: str, filename: str, base_dir: Path | None = None) -> LoadedScenario:
    """Validate scenario text (see :func:`load_scenario`); relative paths (hardware files,
    python modules) resolve against ``base_dir`` (default: the current directory)."""
    base = base_dir if base_dir is not None else Path.cwd()
    try:
        return _load(text, filename, base)
    except ScenarioError:
        raise
    except AscendSimError as exc:  # e.g. a ConfigError from the hardware preset
        raise ScenarioError(str(exc).replace("\n", " ")) from None
    except RecursionError:
        raise ScenarioError(f"{filename}: the document is nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - a parser corner case must not show a traceback
        msg = str(exc).replace("\n", " ")[:200]
        raise ScenarioError(
            f"{filename}: cannot read the scenario ({type(exc).__name__}: {msg})"
        ) from None


def _load(text: str, filename: str, base: Path) -> LoadedScenario:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ScenarioError(
            f"{filename}:{line}:1: the file contains NUL bytes; is it a binary "
            "file? give a scenario .yaml file"
        )
    _flow_guard(text, filename)
    if "&" in text or "!" in text:  # anchors (alias bombs) or tags: check the event stream
        _scan_events(text, filename)
    loaded = load_yaml_text(text, filename, ScenarioError)
    data = loaded.data
    if data is None:
        raise ScenarioError(
            f"{filename}:1:1: the file is empty; a scenario needs at least 'name' and 'program'"
        )
    if not isinstance(data, Mapping):
        line, col = locate(data, ())
        raise ScenarioError(
            f"{filename}:{line}:{col}: a scenario must be a mapping of keys "
            f"(name, program, ...), got a {_kind(data)}"
        )
    try:
        scenario = S.Scenario.model_validate(plain(data))
    except pydantic.ValidationError as exc:
        errors = _clean_errors(exc, data)
        msg = render_validation_error(
            _Errors(errors),
            loaded,
            filename,  # type: ignore[arg-type]
            known_keys=_KnownKeys(data),
        )
        raise ScenarioError(msg) from None
    hardware = check_document(scenario, loaded, base)
    return LoadedScenario(scenario, filename, loaded, base, hardware)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string" if isinstance(value, str) else type(value).__name__


# --- pre-scan: alias bombs and nesting depth ----------------------------------------------------
_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_guard(text: str, filename: str) -> None:
    """Refuse very deep flow nesting (``[[[[...``) before the YAML scanner, which looks ahead
    to the closing bracket and is quadratic in the depth. Counts brackets anywhere (a bracket in
    a string counts too; real files stay far below the limit)."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                raise ScenarioError(
                    f"{filename}:{line}:{col}: nesting deeper than {_MAX_DEPTH} "
                    "levels; flatten the document"
                )
        elif depth:
            depth -= 1


def _scan_events(text: str, filename: str) -> None:
    """Refuse documents that expand to too many nodes through aliases, or nest too deeply."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        NodeEvent,
        ScalarEvent,
    )

    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, size]
    total = 0
    try:
        for ev in YAML(typ="rt", pure=True).parse(text):
            tag = getattr(ev, "tag", None) if isinstance(ev, NodeEvent) else None
            tag = getattr(tag, "value", tag)
            if tag is not None and tag not in _PLAIN_TAGS:
                m = ev.start_mark
                raise ScenarioError(
                    f"{filename}:{m.line + 1}:{m.column + 1}: YAML tag "
                    f"{_tag_text(str(tag))!r} is not allowed; remove it (no "
                    "objects are constructed from scenario files)"
                )
            if isinstance(ev, ScalarEvent | AliasEvent):
                n = sizes.get(ev.anchor, 1) if isinstance(ev, AliasEvent) else 1
                if isinstance(ev, ScalarEvent) and ev.anchor:
                    sizes[ev.anchor] = 1
                if stack:
                    stack[-1][1] += n
                total += n
            elif isinstance(ev, CollectionStartEvent):
                stack.append([ev.anchor, 1])
                if len(stack) > _MAX_DEPTH:
                    m = ev.start_mark
                    raise ScenarioError(
                        f"{filename}:{m.line + 1}:{m.column + 1}: nesting deeper "
                        f"than {_MAX_DEPTH} levels; flatten the document"
                    )
            elif isinstance(ev, CollectionEndEvent) and stack:
                anchor, n = stack.pop()
                if anchor:
                    sizes[anchor] = n
                if stack:
                    stack[-1][1] += n
                total += 1
            if total > _MAX_NODES or (stack and stack[-1][1] > _MAX_NODES):
                m = ev.start_mark
                raise ScenarioError(
                    f"{filename}:{m.line + 1}:{m.column + 1}: the document "
                    f"expands to more than {_MAX_NODES} values (aliases "
                    "repeating aliases?); write the values out"
                )
    except YAMLError:
        return  # the real parse reports it with its position


# --- validation errors: document paths, one clear message ----------------------------------------
class _Errors:
    """Quacks like a ``pydantic.ValidationError`` for :func:`render_validation_error`."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self._errors = errors

    def errors(self, include_url: bool = False) -> list[dict[str, Any]]:
        return self._errors


def _doc_path(loc: tuple[Any, ...], data: Any, keep_last: bool) -> tuple[str | int, ...]:
    """Keep the parts of a pydantic ``loc`` that exist in the document (drops union tags)."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, Mapping) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif keep_last and i == len(loc) - 1:
            out.append(part)
    return tuple(out)


def _node_at(data: Any, path: tuple[str | int, ...]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _message(err: dict[str, Any], node: Any) -> tuple[str, str, str]:
    """(what was wrong or expected, what was found, a hint) for one pydantic error."""
    typ, msg = err["type"], err["msg"]
    if typ in ("expect_kind", "step_kind"):
        kinds = S.EXPECT_KINDS if typ == "expect_kind" else S.STEP_KINDS
        what = "an expectation" if typ == "expect_kind" else "a step"
        if not isinstance(node, Mapping):
            return f"{what} must be a mapping, got a {_kind(node)}", "", ""
        present = [k for k in kinds if k in node]
        if len(present) > 1:
            return (
                f"{what} has more than one kind key ({', '.join(present)}); write one "
                f"{'expectation' if typ == 'expect_kind' else 'step'} per list item",
                "",
                "",
            )
        for key in node:
            close = difflib.get_close_matches(str(key), list(kinds), n=1)
            if close:
                return f"{what} needs one of: {', '.join(kinds)}", "", f"did you mean {close[0]!r}?"
        return f"{what} needs one of the keys: {', '.join(kinds)}", "", ""
    got = f"got {_short(err.get('input'))}"
    if typ == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
        close = difflib.get_close_matches(str(err.get("input")), options, n=1)
        hint = f"did you mean {close[0]!r}?" if close else ""
        if len(options) > 8:
            return f"unknown value (one of {len(options)} names)", got, hint
        return f"expected {expected}", got, hint
    if typ.startswith("value_error"):
        return msg.removeprefix("Value error, "), "", ""
    if typ in ("missing", "extra_forbidden"):
        return msg, "", ""
    if msg.startswith("Input should be "):
        return "expected " + msg.removeprefix("Input should be "), got, ""
    return msg, "", ""


def _short(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _clean_errors(exc: pydantic.ValidationError, data: Any) -> list[dict[str, Any]]:
    """Document paths (union tags dropped), one merged message per path, in file order."""
    parts: dict[tuple[Any, ...], tuple[str, list[str], str, str]] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        keep = err["type"] in ("missing", "extra_forbidden")
        path = _doc_path(loc, data, keep_last=keep)
        main, got, hint = _message(err, _node_at(data, path))
        if path in parts:
            typ, mains, old_got, old_hint = parts[path]
            if main not in mains:
                mains.append(main)
            parts[path] = (typ, mains, old_got or got, old_hint or hint)
        else:
            parts[path] = (err["type"] if keep else "ascendsim", [main], got, hint)
    out = []
    for path, (typ, mains, got, hint) in parts.items():
        msg = mains[0] + "".join(" or " + m.removeprefix("expected ") for m in mains[1:])
        msg += (f", {got}" if got else "") + (f"; {hint}" if hint else "")
        out.append({"type": typ, "loc": path, "msg": msg})

    def position(e: dict[str, Any]) -> tuple[int, int]:
        loc = e["loc"][:-1] if e["type"] == "missing" else e["loc"]
        return locate(data, loc)

    return sorted(out, key=position)


class _KnownKeys(Mapping[tuple[Any, ...], list[str]]):
    """Valid keys at a document path, resolved against the schema (for 'did you mean')."""

    def __init__(self, data: Any) -> None:
        self._data = data

    def __getitem__(self, path: tuple[Any, ...]) -> list[str]:
        model = _model_at(path, self._data)
        if model is None:
            raise KeyError(path)
        return list(model.model_fields)

    def get(self, path: Any, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[path]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:  # render_validation_error tests ``known_keys or {}``
        return True


def _pick(tp: Any, node: Any) -> Any:
    """Resolve Annotated/Union (using discriminators on the document node) to one type."""
    disc = None
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        disc = next((m for m in args[1:] if isinstance(m, Discriminator)), disc)
        tp = args[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = typing.get_args(tp)
        if disc is not None and callable(disc.discriminator):
            tag = disc.discriminator(node)
            for m in members:
                if typing.get_origin(m) is typing.Annotated and any(
                    isinstance(x, Tag) and x.tag == tag for x in typing.get_args(m)[1:]
                ):
                    return _pick(m, node)
            return None
        for m in members:
            base = _pick(m, node)
            if isinstance(base, type) and issubclass(base, BaseModel) and isinstance(node, Mapping):
                return base
            if typing.get_origin(base) is list and isinstance(node, list):
                return base
            if typing.get_origin(base) is dict and isinstance(node, Mapping):
                return base
        return None
    return tp


def _model_at(path: tuple[Any, ...], data: Any) -> type[BaseModel] | None:
    tp: Any = S.Scenario
    node = data
    for part in path:
        tp = _pick(tp, node)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return None
            tp = field.annotation
            if field.metadata:
                tp = typing.Annotated[(tp, *field.metadata)]
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
        node = _node_at(node, (part,))
    tp = _pick(tp, node)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None
