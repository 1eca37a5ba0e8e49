"""Turn pydantic validation errors into one ``file:line:col: path: message`` line.

pydantic reports locations that include union tags (``program -> steps program -> steps``)
and messages written for developers (``Input should be a valid integer``). This module maps a
location back to the document path, merges the errors of one union member into one message
(``expected a valid integer or 'host' or 'all', got 'hots'; did you mean 'host'?``), explains
missing kind keys of steps and expectations, suggests the closest valid key for an unknown key
(resolving the schema model at that path, discriminators included) and reports the error that
comes first in the file. :func:`ascendsim.yamlio.render_validation_error` does the formatting.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any

import pydantic
from pydantic import BaseModel, Discriminator, Tag

from ascendsim.scenario import schema as S
from ascendsim.yamlio import Loaded, locate, render_validation_error

__all__ = ["render_errors", "kind_of"]


def render_errors(exc: pydantic.ValidationError, loaded: Loaded, filename: str) -> str:
    """The one-line message for a failed validation of ``loaded`` (see the module docstring)."""
    data = loaded.data
    errors = _clean_errors(exc, data)
    return render_validation_error(
        _Errors(errors),  # type: ignore[arg-type]
        loaded,
        filename,
        known_keys=_KnownKeys(data),
    )


def kind_of(value: Any) -> str:
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string" if isinstance(value, str) else type(value).__name__


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
            return f"{what} must be a mapping, got a {kind_of(node)}", "", ""
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
