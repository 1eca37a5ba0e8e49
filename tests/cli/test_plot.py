"""``--plot``: a whole, valid, deterministic image; usage errors before running."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from ascendsim.errors import MsValueError
from ascendsim.scenario.commands import main_for_tests
from ascendsim.trace.log import TraceLog
from ascendsim.trace.plot import plot_format, plot_trace
from tests.cli import SCENARIOS, run
from tests.integration import fresh_state, run_cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    assert data[-8:-4] == b"IEND"  # written whole
    return struct.unpack(">II", data[16:24])


def test_plot_trace_writes_a_valid_png_and_nothing_else(tmp_path: Path) -> None:
    trace = run("ge_init_graph").system.trace
    out = plot_trace(trace, tmp_path / "run.png", title="GE")
    assert out == tmp_path / "run.png"
    width, height = _png_size(out)
    assert width == 1320 and 500 < height < 1000  # 12 in at 110 dpi, 5 timeline rows
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.png"]  # no temporary left
    again = plot_trace(run("ge_init_graph").system.trace, tmp_path / "again.png", title="GE")
    assert again.read_bytes() == out.read_bytes()  # a pure function of the trace


def test_svg_and_an_empty_trace(tmp_path: Path) -> None:
    out = plot_trace(TraceLog(), tmp_path / "empty.svg")
    text = out.read_text()
    assert text.startswith("<?xml") and text.rstrip().endswith("</svg>")
    assert "no allocations" in text and "no device activity" in text


def test_unknown_suffix_is_refused() -> None:
    with pytest.raises(MsValueError, match=r"unknown image format 'txt'; use a \.png"):
        plot_format("out.txt")
    assert plot_format("out.PNG") == "png"


def test_run_plot_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "f16.png"
    assert (
        main_for_tests(["run", str(SCENARIOS / "float16_overflow.yaml"), "--plot", str(out)]) == 0
    )
    assert _png_size(out)[0] == 1320


def test_run_plot_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f16 = str(SCENARIOS / "float16_overflow.yaml")
    assert main_for_tests(["run", f16, "--plot", str(tmp_path / "x.txt")]) == 2
    assert capsys.readouterr().err == (
        f"ascendsim: error: --plot: cannot plot to {tmp_path / 'x.txt'}: unknown image format "
        "'txt'; use a .png, .svg or .pdf file\n"
    )
    assert main_for_tests(["run", f16, f16, "--plot", str(tmp_path / "x.png")]) == 2
    assert "give one scenario with --plot" in capsys.readouterr().err
    target = tmp_path / "taken.png"
    target.mkdir()  # the rename onto a directory fails: nothing is left behind
    assert main_for_tests(["run", f16, "--plot", str(target)]) == 2
    assert f"cannot write the plot to {target}" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.png"]


SCRIPT = """\
import numpy as np
from mindspore import Tensor, context, ops
context.set_context(device_target="Ascend")
x = Tensor(np.full([2, 2], 300, np.float16))
status = ops.NPUAllocFloatStatus()()
clear = ops.NPUClearFloatStatus()(status)
x = ops.depend(x, clear)
product = ops.MatMul()(x, x)
status = ops.depend(status, product)
get = ops.NPUGetFloatStatus()(status)
status = ops.depend(status, get)
print(status.sum() > 0)
"""


def test_exec_plot_and_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "overflow.py"
    script.write_text(SCRIPT)
    out = tmp_path / "exec.png"
    fresh_state()
    try:
        code, stdout, stderr = run_cli(
            ["exec", str(script), "--plot", str(out), "--explain"], capsys
        )
    finally:
        fresh_state()
    assert (code, stdout) == (0, "True\n")  # stdout carries only the script's prints
    assert _png_size(out)[0] == 1320
    told = [line for line in stderr.splitlines() if "float-status register" in line]
    assert [line.split(": ", 2)[2] for line in told] == [
        "`NPUClearFloatStatus-0` cleared the float-status register of npu0 (it was clear)",
        "`MatMul-0` overflowed: float-status register of npu0 set",
        "`NPUGetFloatStatus-0` read the float-status register of npu0: overflow",
    ]
    assert all(line.startswith("ascendsim: t=") for line in stderr.splitlines())
