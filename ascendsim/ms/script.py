"""``ascendsim exec SCRIPT``: run a MindSpore script unchanged on the simulated NPU.

The script runs as ``__main__`` with ``import mindspore`` resolving to :mod:`ascendsim.ms`. Its
stdout carries only what the script prints; the simulator's view goes elsewhere: ``--trace``
writes a Chrome/Perfetto trace (also when the script fails: the trace up to the fault is kept),
``--summary`` prints a summary on stderr, ``--plot`` draws memory over the timeline of streams
and links (:mod:`ascendsim.trace.plot`) and ``--explain`` tells the run in plain words on stderr
(:mod:`ascendsim.trace.narrative`), all of them also when the script fails. An exception in the
script prints the script's own traceback (the frames of ascendsim's internals and runpy left
out), as Python would, and exits 1.

While the script runs, the heap that exists before it starts (the interpreter's and ascendsim's
modules, classes and tables) is frozen (``gc.freeze``): the cyclic garbage collector's full
passes then only walk what the script made. A PyNative script makes a few objects per op that
live as long as the trace, so without this the full passes re-walk the whole start-up heap
every few thousand ops (about a fifth of the time of a loop of small ops).
"""

from __future__ import annotations

import gc
import os
import runpy
import sys
import traceback
from pathlib import Path

from ascendsim.errors import AscendSimError

__all__ = ["run_script", "ScriptNotFound", "ScriptOutputError"]

_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SIMPY = os.path.dirname(os.path.abspath(__import__("simpy").__file__))


class ScriptNotFound(AscendSimError):
    exit_code = 2


class ScriptOutputError(AscendSimError):
    """An output file (``--plot``) cannot be written."""

    exit_code = 2


def _check_plot(plot: str) -> None:
    """Fail before the script runs: an unknown image suffix exits 2 (and no matplotlib, 1)."""
    from ascendsim.errors import MsValueError
    from ascendsim.trace.plot import plot_format

    try:
        plot_format(plot)
    except MsValueError as exc:
        raise ScriptOutputError(f"--plot: {exc}") from None


def _is_user(filename: str) -> bool:
    """A frame of the user's code (not ascendsim's internals, not runpy)."""
    path = os.path.abspath(filename)
    return not (
        path.startswith(_PKG)
        or path.startswith(_SIMPY)
        or path.endswith("runpy.py")
        or "<frozen runpy>" in filename
    )


def run_script(
    path: str,
    argv: list[str] | None = None,
    *,
    hardware: str | None = None,
    trace: str | None = None,
    summary: bool = False,
    plot: str | None = None,
    explain: bool = False,
) -> int:
    """Run ``path`` as ``__main__``; returns the exit code (see the module docstring).

    Raises:
        ScriptNotFound: ``path`` is not a file.
        ScriptOutputError: the plot cannot be written, or its suffix is no image format.
        MsImportError: ``plot`` is given but matplotlib is not installed.
    """
    from ascendsim.ms import _session, context
    from ascendsim.ms._alias import install_as_mindspore

    script = Path(path)
    if not script.is_file():
        raise ScriptNotFound(f"{path}: no such script file")
    if plot:
        _check_plot(plot)
    if hardware:
        from ascendsim.config import load_hardware

        load_hardware(hardware)  # a bad preset is an input error before the script starts
    install_as_mindspore()
    context.reset_context()
    if hardware:
        context.set_context(hardware=hardware)
    _session.reset()
    old_argv, old_path0 = sys.argv, sys.path[0] if sys.path else None
    sys.argv = [str(script), *(argv or [])]
    sys.path.insert(0, str(script.resolve().parent))
    code = 0
    frozen = _freeze_startup_heap()
    try:
        runpy.run_path(str(script), run_name="__main__")
        session = _session.current()
        if session.started:
            # the script ended: finish the simulated work it launched; a fault there (e.g.
            # float_status_check="error", a deadlock) fails the run like an error in the script
            session.runtime.synchronize()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException as exc:  # noqa: BLE001 - report the script's failure as Python would
        sys.stdout.flush()
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_user(f.filename)]
        if frames:
            print("Traceback (most recent call last):", file=sys.stderr)
            traceback.print_list(frames, file=sys.stderr)
        print(_last_line(exc), file=sys.stderr)
        code = 1
    finally:
        if frozen:
            gc.unfreeze()
        sys.argv = old_argv
        if old_path0 is not None and sys.path and sys.path[0] == str(script.resolve().parent):
            sys.path.pop(0)
        sys.stdout.flush()
        session = _session.current()
        if session.started:
            session.runtime.synchronize_quietly()
        if trace:
            from ascendsim.trace.chrome import write_chrome_trace

            write_chrome_trace(session.system.trace, trace)
        if summary:
            from ascendsim.report import print_summary

            print_summary(session, file=sys.stderr)
        if explain:
            from ascendsim.trace.narrative import narrate

            for line in narrate(session.system.trace):
                print(f"ascendsim: {line}", file=sys.stderr)
        if plot:
            from ascendsim.trace.plot import plot_trace

            try:
                plot_trace(session.system.trace, plot, title=script.name)
            except OSError as exc:
                raise ScriptOutputError(
                    f"cannot write the plot to {plot}: {exc.strerror or exc}"
                ) from None
    return code


def _last_line(exc: BaseException) -> str:
    """The traceback's last line; an error MindSpore raises as a builtin (``MsTypeError`` is
    r1.6's ``TypeError``) is named as MindSpore names it."""
    kind = type(exc)
    if isinstance(exc, AscendSimError) and kind.__name__.startswith("Ms"):
        builtin = next((b for b in kind.__mro__ if b.__module__ == "builtins"), Exception)
        if builtin not in (Exception, BaseException):
            text = str(exc)
            return f"{builtin.__name__}: {text}" if text else builtin.__name__
    return "".join(traceback.format_exception_only(kind, exc)).rstrip()


def _freeze_startup_heap() -> bool:
    """Freeze the current heap for the script's run (see the module docstring); False if the
    process had frozen objects already (an embedding program's choice, left alone)."""
    if gc.get_freeze_count():
        return False
    # what the script's first op loads anyway (the system, its config models, the runtime)
    import ascendsim.backend.runtime  # noqa: F401
    import ascendsim.config.models  # noqa: F401
    import ascendsim.device  # noqa: F401

    gc.collect()  # nothing that is garbage now is frozen
    gc.freeze()
    return True
