"""``mindspore.common.api``: where r1.6 defines ``ms_function`` (re-exported from
:mod:`ascendsim.ms._graph_mode`, the same object as ``mindspore.ms_function``)."""

from __future__ import annotations

from ascendsim.ms._graph_mode import ms_function

__all__ = ["ms_function"]
