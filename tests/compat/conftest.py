"""Fixtures: ``mindspore`` resolves to ascendsim, on a fresh simulated system per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

import ascendsim.ms as ms
from ascendsim.ms import _alias, _session, context


@pytest.fixture
def printed() -> list[str]:
    """What graph-mode ``Print`` ops write during the test (one string per Print)."""
    return []


@pytest.fixture
def mindspore(printed: list[str]) -> Iterator[Any]:
    """``import mindspore`` as user code does; PyNative on the CPU target, a fresh system."""
    installed = _alias._finder in sys.meta_path
    ms.install_as_mindspore()
    saved = {k: context.get_context(k) for k in ("mode", "device_target")}
    context.set_context(mode=context.PYNATIVE_MODE, device_target="CPU")
    import mindspore as user_ms

    try:
        with _session.use_system(None, out=printed.append):
            yield user_ms
    finally:
        context.set_context(**saved)
        if not installed:
            ms.uninstall_mindspore()
