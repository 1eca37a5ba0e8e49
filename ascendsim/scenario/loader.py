"""Read a scenario file: safe YAML with positions, schema validation, then whole-file checks.

Every problem becomes one :class:`~ascendsim.errors.ScenarioError` line,
``file:line:col: path: message``, with the closest valid key or name suggested (rendering in
:mod:`ascendsim.scenario.messages`). The steps: read the bytes (size cap, UTF-8, no NUL bytes);
refuse deep flow nesting, alias bombs and tags before they are expanded; parse with
:func:`ascendsim.yamlio.load_yaml_text` (safe, positions kept, duplicate keys refused);
validate against :mod:`ascendsim.scenario.schema`; then run the whole-document checks of
:mod:`ascendsim.scenario.checks` (names defined before use, ops, imports, hardware). Any other
exception of the parser becomes a ScenarioError too: loading never shows a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from ascendsim.errors import AscendSimError, ScenarioError
from ascendsim.scenario import schema as S
from ascendsim.scenario.checks import check_document
from ascendsim.scenario.messages import kind_of, render_errors
from ascendsim.yamlio import Loaded, load_yaml_text, locate, plain

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
            f"(name, program, ...), got a {kind_of(data)}"
        )
    try:
        scenario = S.Scenario.model_validate(plain(data))
    except pydantic.ValidationError as exc:
        raise ScenarioError(render_errors(exc, loaded, filename)) from None
    hardware = check_document(scenario, loaded, base)
    return LoadedScenario(scenario, filename, loaded, base, hardware)


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
