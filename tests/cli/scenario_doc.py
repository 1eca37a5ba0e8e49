"""The generated parts of ``docs/scenarios.md``, rendered from ``ascendsim/scenario/schema.py``.

``docs/scenarios.md`` holds blocks between ``<!-- generated: NAME -->`` and
``<!-- end generated -->``; :func:`update` re-renders each block from the pydantic models and
the schema's constants (key tables, expectation kinds, dtypes, initializers, event kinds, error
classes, limits). ``tests/cli/test_docs.py`` fails when the page and the schema disagree; fix it
with ``python -m tests.cli.scenario_doc`` (rewrites the page in place).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ascendsim.scenario import schema as S

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"

MODELS: dict[str, type[Any]] = {
    "scenario": S.Scenario,
    "hardware": S.HardwareSpec,
    "context": S.Context,
    "parameter": S.ParameterSpec,
    "tensor": S.TensorSpec,
    "op-step": S.OpStep,
    "tensor-step": S.TensorStep,
    "item-step": S.ItemStep,
    "steps-program": S.StepsProgram,
    "python-program": S.PythonProgram,
    "run": S.RunSpec,
    "overflow": S.OverflowInjection,
    "bound": S.Bound,
    **{f"expect-{k}": m for k, m in S.EXPECT_KINDS.items()},
}

_BLOCK = re.compile(r"(<!-- generated: ([\w-]+) -->\n)(.*?)(<!-- end generated -->)", re.S)


def _type(p: dict[str, Any], defs: dict[str, Any]) -> str:
    """A short human description of a JSON-schema property."""
    if "$ref" in p:
        return "mapping (" + p["$ref"].rsplit("/", 1)[-1] + ")"
    alternatives = p.get("anyOf") or p.get("oneOf")
    if alternatives and len(alternatives) > 3 and all("$ref" in x for x in alternatives):
        return f"mapping (one of {len(alternatives)} kinds)"
    if alternatives:
        parts = [_type(x, defs) for x in alternatives if x.get("type") != "null"]
        return " or ".join(dict.fromkeys(parts))
    if "const" in p:
        return f"`{p['const']}`"
    if "enum" in p:
        return "one of " + ", ".join(f"`{v}`" for v in p["enum"])
    t = p.get("type")
    if t == "array":
        item = _type(p.get("items", {}), defs) if p.get("items") else "values"
        return "list (see note)" if item == "see note" else f"list of {item}"
    if t == "object":
        return "mapping"
    if t == "integer":
        lo = p.get("minimum", p.get("exclusiveMinimum"))
        hi = p.get("maximum")
        bounds = []
        if lo is not None:
            bounds.append(f">= {lo}")
        if hi is not None:
            bounds.append(f"<= {hi}")
        if "exclusiveMaximum" in p:
            bounds.append(f"< {p['exclusiveMaximum']}")
        return "integer" + (f" ({', '.join(bounds)})" if bounds else "")
    if t in ("string", "number", "boolean"):
        return t
    return "see note" if p.get("description") else "any"


def _note(p: dict[str, Any]) -> str:
    """The first description in a property (nested ``anyOf`` included)."""
    if p.get("description"):
        return str(p["description"])
    items = [p["items"]] if isinstance(p.get("items"), dict) else []
    for x in p.get("anyOf", []) + p.get("oneOf", []) + items:
        found = _note(x)
        if found:
            return found
    return ""


def _default(field: Any) -> str:
    from pydantic import BaseModel
    from pydantic_core import PydanticUndefined

    if field.is_required():
        return "**required**"
    d = field.default
    if d is PydanticUndefined or d is None:
        return "(not set)"
    if isinstance(d, BaseModel):
        return "(all defaults)"
    if d == "":
        return '`""`'
    if isinstance(d, bool):
        return "`true`" if d else "`false`"
    if isinstance(d, list | dict) and not d:
        return "`[]`" if isinstance(d, list) else "`{}`"
    return f"`{d}`"


def key_table(model: type[Any]) -> str:
    """``| key | type | default | note |`` for every field of ``model``."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    rows = ["| key | type | default | note |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        prop = schema["properties"].get(name, {})
        note = (field.description or _note(prop)).replace("|", "\\|")
        rows.append(f"| `{name}` | {_type(prop, defs)} | {_default(field)} | {note} |")
    return "\n".join(rows)


def _names(values: Any) -> str:
    return ", ".join(f"`{v}`" for v in values)


def blocks() -> dict[str, str]:
    """Every generated block's text (without the markers), by name."""
    out = {name: key_table(model) for name, model in MODELS.items()}
    out["expect-kinds"] = _names(S.EXPECT_KINDS)
    out["step-kinds"] = _names(S.STEP_KINDS)
    out["dtypes"] = _names(S.DTYPES)
    out["initializers"] = "\n".join(
        f"| `{name}` | `{cls}` | {_names(allowed) or '(none)'} |"
        for name, (cls, allowed, _required) in S.INITIALIZERS.items()
    )
    out["trace-kinds"] = _names(S.TRACE_KINDS)
    out["error-names"] = _names(S.ERROR_NAMES)
    out["limits"] = "\n".join(
        [
            f"| devices | {S.MAX_DEVICES:,} |",
            f"| run steps | {S.MAX_STEPS:,} |",
            f"| elements of one tensor (shape-only) | 2**{S.MAX_ELEMENTS.bit_length() - 1} |",
            f"| a size | 2**{S.MAX_BYTES.bit_length() - 1} bytes |",
            f"| a time | 2**{S.MAX_NS.bit_length() - 1} ns |",
        ]
    )
    return out


def update(text: str) -> str:
    """``text`` with every generated block re-rendered.

    Raises:
        KeyError: a block names no known table.
    """
    rendered = blocks()

    def sub(m: re.Match[str]) -> str:
        return m.group(1) + rendered[m.group(2)] + "\n" + m.group(4)

    return _BLOCK.sub(sub, text)


def block_names(text: str) -> list[str]:
    """The names of the generated blocks in ``text``, in order."""
    return [m.group(2) for m in _BLOCK.finditer(text)]


if __name__ == "__main__":
    DOC.write_text(update(DOC.read_text()))
    print(f"updated {DOC}")
