"""Integration tests: whole user workflows through the CLI, the import hook and the runtime.

Shared helpers live here (this package has no conftest): every test module calls
:func:`fresh_state` from an autouse fixture, so each test starts with the default context, no
simulated session and no ``mindspore`` alias, and leaves none behind.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
SCRIPTS = Path(__file__).resolve().parent / "scripts"
CONFIGS = ROOT / "configs"


def fresh_state() -> None:
    """Default context, no current session, ``import mindspore`` not aliased."""
    from ascendsim.ms import _session, context, uninstall_mindspore

    uninstall_mindspore()
    context.reset_context()
    _session.reset()


def trace() -> Any:
    """The event log of the current simulated system."""
    from ascendsim.ms import _session

    return _session.current().system.trace


def run_cli(argv: list[str], capsys: Any) -> tuple[int, str, str]:
    """Run ``ascendsim ARGV`` in-process; returns (exit code, stdout, stderr)."""
    from ascendsim.cli import main

    capsys.readouterr()  # drop anything printed before
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def small_hbm_preset(tmp_path: Path, capacity: str = "64MiB") -> Path:
    """A copy of ``configs/ascend910a.yaml`` with ``hbm.capacity`` = ``capacity`` and no
    reserved pool memory, written into ``tmp_path``."""
    text = (CONFIGS / "ascend910a.yaml").read_text()
    text, n_cap = re.subn(r"(?m)^(\s*capacity:\s*)32GiB", rf"\g<1>{capacity}", text)
    text, n_res = re.subn(r"(?m)^(\s*reserved:\s*)\S+", r"\g<1>0", text)
    assert (n_cap, n_res) == (1, 1), "configs/ascend910a.yaml changed shape; update this helper"
    path = tmp_path / "small_hbm.yaml"
    path.write_text(text)
    return path
