"""The simulated system the front end runs on (built lazily, replaceable).

MindSpore code has no notion of a simulator, so the front end keeps one current
:class:`Session`: a :class:`~ascendsim.device.System` built from the context's ``hardware``
preset (default ``ascend910a``) with enough devices for ``device_id`` and data parallel, and the
:class:`~ascendsim.backend.runtime.Runtime` that lowers work onto it. It is created on first
use. Tools and tests activate their own with :func:`use_system` (a context manager) or
:func:`activate`; :func:`reset` drops it (the next op builds a fresh one).

Context changes that alter the simulated machine (``hardware``, ``device_id``) start a new
session; ``float_status_check`` is applied to the current one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Session", "current", "activate", "use_system", "reset", "new_system"]


class Session:
    """One simulated system plus its runtime (see the module docstring)."""

    def __init__(
        self,
        system: Any = None,
        *,
        warn: Callable[[str], None] | None = None,
        out: Callable[[str], None] | None = None,
    ) -> None:
        self._system = system
        self._runtime: Any = None
        self._warn = warn
        self._out = out
        #: made by :func:`current` from the context (not activated by a user or a tool)
        self.auto = False
        self.graphs: list[Any] = []  # compiled graphs run in this session, in order
        self.explorations: list[Any] = []

    @property
    def system(self) -> Any:
        if self._system is None:
            self._system = new_system()
        return self._system

    @property
    def runtime(self) -> Any:
        if self._runtime is None:
            from ascendsim.backend.runtime import Runtime
            from ascendsim.ms import context

            self._runtime = Runtime(
                self.system,
                device=min(int(context.get_context("device_id")), len(self.system.devices) - 1),
                float_status_check=context.get_context("float_status_check"),
                warn=self._warn,
                out=self._out,
            )
        return self._runtime

    @property
    def started(self) -> bool:
        return self._runtime is not None

    def close(self) -> None:
        """End the simulation: tensors collected later no longer touch this system's memory
        or trace (their run is over; a trace already read must not change)."""
        if self._runtime is not None:
            self._runtime.closed = True


def new_system(*, devices: int | None = None, seed: int | None = None) -> Any:
    """A System for the current context: preset ``hardware``, enough devices for
    ``device_id`` and the auto-parallel ``device_num``."""
    from ascendsim.config import load_hardware
    from ascendsim.device import System
    from ascendsim.ms import context

    cfg = load_hardware(context.get_context("hardware"))
    if devices is None:
        wanted = int(context.get_context("device_id")) + 1
        device_num = context.get_auto_parallel_context("device_num")
        if isinstance(device_num, int) and device_num > 0:
            wanted = max(wanted, device_num)
        devices = wanted
    return System(cfg, devices=devices, seed=0 if seed is None else seed)


def fresh_like(session: Session) -> Any:
    """A new System with the same config, device count and seed as ``session``'s (for
    repeated independent runs, e.g. one per explored order)."""
    from ascendsim.device import System

    base = session.system
    return System(base.config, devices=len(base.devices), seed=base.seed)


_current: Session | None = None


def current() -> Session:
    """The session ops run in (created on first use)."""
    global _current
    if _current is None:
        _current = Session()
        _current.auto = True
    return _current


def activate(session_or_system: Session | Any | None) -> Session | None:
    """Make a session (or a System, wrapped in one) current; returns the previous one."""
    global _current
    prev = _current
    if session_or_system is None or isinstance(session_or_system, Session):
        _current = session_or_system
    else:
        _current = Session(session_or_system)
    return prev


@contextlib.contextmanager
def use_system(system: Any = None, **kwargs: Any) -> Iterator[Session]:
    """Run the block on ``system`` (a fresh one for the context when None)."""
    session = Session(system, **kwargs)
    prev = activate(session)
    try:
        yield session
    finally:
        session.close()
        activate(prev)


def reset() -> None:
    """End and forget the current session; the next op builds a new system."""
    if _current is not None:
        _current.close()
    activate(None)


def _on_context_change(key: str, value: Any) -> None:
    """Context changes that alter the simulated machine start a new session (unless the
    user activated their own system); ``float_status_check`` applies to the running one."""
    session = _current
    if session is None:
        return
    if key in ("hardware", "device_id") and session.auto:
        reset()
    elif key == "float_status_check" and session.started:
        session.runtime.monitor.mode = value


def _install_listener() -> None:
    from ascendsim.ms import context

    context.add_context_listener(_on_context_change)
