"""Safe YAML 1.2 loading with positions, and pydantic errors rendered as ``file:line:col``.

Configs, scenarios and sweeps are read with ruamel.yaml's round-trip loader, which keeps the line
and column of every key and item, follows YAML 1.2 (``1e9`` is a number, ``on`` is a string) and
rejects duplicate keys. Tags (``!!python/object``, ``!custom``) are refused: no object is ever
constructed from a file. Errors are raised as the ``error`` class the caller gives (a
``ConfigError`` or a ``ScenarioError``), one line each: ``file:line:col: path: message``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pydantic

from ascendsim.errors import AscendSimError

__all__ = ["Loaded", "load_yaml", "load_yaml_text", "locate", "render_validation_error", "plain"]

_MAX_DEPTH = 64
#: the YAML 1.2 core schema's tags: anything else (``!!python/object``, ``!custom``) is refused
_CORE_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")
}


class Loaded:
    """A parsed document: ``data`` (ruamel containers, positions kept) and the file name."""

    def __init__(self, data: Any, filename: str) -> None:
        self.data = data
        self.filename = filename

    def where(self, loc: Sequence[str | int]) -> str:
        line, col = locate(self.data, loc)
        return f"{self.filename}:{line}:{col}"


def load_yaml(path: str | Path, error: type[AscendSimError]) -> Loaded:
    """Read a YAML file; a missing or unreadable file, bad UTF-8 or bad syntax raise ``error``."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise error(f"{p}: cannot read the file ({exc.strerror or exc}); check the path") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{p}:{line}:1: the file is not valid UTF-8; save it as UTF-8") from None
    return load_yaml_text(text, str(p), error)


def load_yaml_text(text: str, filename: str, error: type[AscendSimError]) -> Loaded:
    """Parse YAML text (see :func:`load_yaml`)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{filename}:{mark.line + 1}:{mark.column + 1}" if mark else filename
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x).replace("\n", " ")
        raise error(f"{where}: YAML syntax error: {what}") from None
    except (YAMLError, RecursionError, ValueError) as exc:
        msg = str(exc).replace("\n", " ")[:200]
        raise error(f"{filename}: YAML error: {msg}") from None
    _refuse_tags(data, filename, error, 0)
    return Loaded(data, filename)


def _refuse_tags(node: Any, filename: str, error: type[AscendSimError], depth: int) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if depth > _MAX_DEPTH:
        raise error(f"{filename}: nesting deeper than {_MAX_DEPTH} levels; flatten the document")
    tag = getattr(node, "tag", None)
    tag_value = getattr(tag, "value", tag) if tag is not None else None
    if isinstance(tag_value, str) and tag_value and tag_value not in _CORE_TAGS:
        raise error(
            f"{filename}: YAML tag {tag_value!r} is not allowed; remove it (no objects "
            "are constructed from files)"
        )
    if isinstance(node, CommentedMap):
        for i, (k, v) in enumerate(node.items()):
            if not isinstance(k, str | int | float | bool) and k is not None:
                line, col = _key_pos(node, k, i)
                raise error(f"{filename}:{line}:{col}: keys must be plain strings")
            _refuse_tags(v, filename, error, depth + 1)
    elif isinstance(node, CommentedSeq):
        for v in node:
            _refuse_tags(v, filename, error, depth + 1)
    elif type(node).__module__.startswith("ruamel") and not isinstance(node, str | int | float):
        raise error(
            f"{filename}: unsupported YAML value {type(node).__name__}; use plain "
            "scalars, lists and mappings"
        )


def _key_pos(node: Any, key: Any, index: int) -> tuple[int, int]:
    try:
        line, col = node.lc.key(key)
        return line + 1, col + 1
    except Exception:  # noqa: BLE001 - positions are best effort for odd keys
        return getattr(node.lc, "line", 0) + 1, getattr(node.lc, "col", 0) + 1


def locate(data: Any, loc: Sequence[str | int]) -> tuple[int, int]:
    """The 1-based (line, col) of the deepest node of ``loc`` that exists in ``data``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = data
    line = getattr(getattr(data, "lc", None), "line", 0) + 1
    col = getattr(getattr(data, "lc", None), "col", 0) + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            try:
                ln, cl = node.lc.value(part)
                if not isinstance(node[part], CommentedMap | CommentedSeq):
                    line, col = ln + 1, cl + 1
                else:
                    kl, kc = node.lc.key(part)
                    line, col = kl + 1, kc + 1
            except Exception:  # noqa: BLE001
                pass
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            try:
                ln, cl = node.lc.item(part)
                line, col = ln + 1, cl + 1
            except Exception:  # noqa: BLE001
                pass
            node = node[part]
        else:
            break
    return line, col


def _path(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def render_validation_error(
    exc: pydantic.ValidationError,
    loaded: Loaded | None,
    filename: str,
    *,
    known_keys: Mapping[tuple[str | int, ...], Iterable[str]] | None = None,
) -> str:
    """One line for the first error: ``file:line:col: path: message`` (+ a suggestion)."""
    errors = exc.errors(include_url=False)
    # a misspelt key also makes the right one "missing": report the unknown key first
    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    # discriminated unions add the tag to the location; keep only the document path
    doc_loc = tuple(p for p in loc if loaded is None or _exists_prefix(loaded.data, loc, p))
    where = loaded.where(doc_loc) if loaded is not None else filename
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        key = str(loc[-1])
        msg = f"unknown key {key!r}"
        options = list((known_keys or {}).get(tuple(loc[:-1]), []))
        close = difflib.get_close_matches(key, options, n=1)
        if close:
            msg += f"; did you mean {close[0]!r}?"
        elif options:
            msg += f"; valid keys: {', '.join(sorted(options))}"
    elif err["type"] == "missing":
        msg = f"missing required key {str(loc[-1])!r}"
    elif err["type"].startswith("value_error"):
        msg = msg.removeprefix("Value error, ")
    more = len(exc.errors()) - 1
    tail = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    return f"{where}: {_path(loc)}: {msg}{tail}".replace("\n", " ")


def _exists_prefix(data: Any, loc: tuple[str | int, ...], part: str | int) -> bool:
    # keep every location part that is a real key/index of the document on the way down
    node = data
    for p in loc:
        if isinstance(node, Mapping) and p in node:
            if p == part:
                return True
            node = node[p]
        elif isinstance(node, Sequence) and not isinstance(node, str) and isinstance(p, int):
            if p == part:
                return True
            node = node[p] if 0 <= p < len(node) else None
        elif p == part:
            return p == loc[-1]
    return False


def plain(node: Any) -> Any:
    """ruamel containers -> plain dicts/lists (positions dropped), for validation."""
    if isinstance(node, Mapping):
        return {str(k) if not isinstance(k, str) else k: plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node
