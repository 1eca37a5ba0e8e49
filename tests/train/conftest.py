"""Shared fixtures of the training tests: a clean context, session and world group each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ascendsim.ms import _session, communication, context


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    communication.release()
    context.reset_context()
    _session.reset()
    yield
    communication.release()
    context.reset_context()
    _session.reset()
