"""Differentiation rules ("bprops"), one per op name, in a small registry.

A rule is ``rule(prim, inputs, out, dout) -> tuple``: ``inputs`` are the op's arguments as they
were traced (symbolic tensors, Parameters, plain Python values), ``out`` its output (a tuple for
multi-output ops) and ``dout`` the gradient flowing into the output (for multi-output ops a
tuple whose entries are ``None`` where no gradient arrived). It returns one entry per input:
a tensor (the input's gradient, same shape and dtype as the input), or ``None`` for "no
gradient" (zero, or a non-tensor input). Rules emit ordinary primitive calls, so while a graph
is being traced the backward computation lands in the same graph as the forward one.

:func:`register_bprop` adds a rule; :func:`get_bprop` finds one and raises r1.6's error for an
op without one (``RuntimeError: Illegal primitive: Primitive X's bprop not defined.``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....errors import MsRuntimeError

__all__ = ["register_bprop", "get_bprop", "has_bprop", "bprop_names", "Rule"]

Rule = Callable[[Any, tuple[Any, ...], Any, Any], tuple[Any, ...]]

_RULES: dict[str, Rule] = {}


def register_bprop(*names: str) -> Callable[[Rule], Rule]:
    """Decorator: ``rule`` differentiates the ops called ``names`` (``"Add"``, ...)."""

    def deco(rule: Rule) -> Rule:
        for name in names:
            _RULES[name] = rule
        return rule

    return deco


def has_bprop(name: str) -> bool:
    """Whether an op called ``name`` has a differentiation rule."""
    _load()
    return name in _RULES


def get_bprop(prim: Any) -> Rule:
    """The rule of ``prim`` (by its name).

    Raises:
        MsRuntimeError: no rule for that op (r1.6's message, plus how to fix it).
    """
    _load()
    name = getattr(prim, "name", type(prim).__name__)
    rule = _RULES.get(name)
    if rule is None:
        raise MsRuntimeError(
            f"Illegal primitive: Primitive {name}'s bprop not defined. ascendsim has no "
            f"differentiation rule for '{name}': keep it off the path from the differentiated "
            "inputs and weights to the output, or register one with "
            f"ascendsim.ms.ops._grad.register_bprop({name!r})."
        )
    return rule


def bprop_names() -> list[str]:
    """Every op name with a rule, sorted."""
    _load()
    return sorted(_RULES)


_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from . import grad_array, grad_math, grad_nn  # noqa: F401  (they register rules)
