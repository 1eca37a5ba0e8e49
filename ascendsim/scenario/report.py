"""Present a scenario result: a rich summary for ``run``, plain lines for ``check``.

The summary shows the run (simulated time, steps, trace size, any error), memory per device
(peak and final, all pools summed) and on the host, the number of events of each kind, every
expectation with what it observed, then warnings and printed output. ``check`` prints one
line per scenario and, indented, one per failed expectation (every one with ``--verbose``),
each naming the expectation's ``file:line:col``.
"""

from __future__ import annotations

from typing import Any

from ascendsim.scenario.expectations import memory_use
from ascendsim.scenario.runner import ScenarioResult
from ascendsim.units import format_bytes, format_ns

__all__ = ["summary", "check_lines"]


def _error_text(result: ScenarioResult) -> str:
    err = result.error
    assert err is not None
    return f"{type(err).__name__}: {' '.join(str(err).split())}"


def check_lines(result: ScenarioResult, *, verbose: bool = False) -> list[str]:
    """The ``check`` report of one scenario (no trailing newlines)."""
    n = len(result.expectations)
    failed = [r for r in result.expectations if not r.passed]
    head = f"{result.loaded.filename}: {result.name}"
    if result.passed:
        lines = [
            f"PASS {head} ({n} expectation{'s' if n != 1 else ''}, simulated "
            f"{format_ns(result.end_time)})"
        ]
    else:
        what = f"{len(failed)} of {n} expectations failed" if failed else "the run failed"
        lines = [f"FAIL {head} ({what})"]
    if result.error is not None and not result.expected_error:
        lines.append(f"  the run raised at step {result.error_step}: {_error_text(result)}")
    for r in result.expectations:
        if verbose or not r.passed:
            mark = "ok  " if r.passed else "FAIL"
            lines.append(
                f"  {mark} {r.where}: {r.kind}: expected {r.expected}; observed {r.observed}"
            )
    return lines


def summary(result: ScenarioResult) -> Any:
    """A rich renderable summarising one run."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    sc = result.scenario
    title = Text.assemble((result.name, "bold"), f"  ({result.loaded.filename})")
    run = Table(title=title, show_header=False, title_justify="left")
    run.add_column("what", style="bold")
    run.add_column("value")
    hw = getattr(result.loaded.hardware, "name", "?")
    run.add_row("hardware", f"{hw}, {sc.devices} device{'s' if sc.devices > 1 else ''}")
    run.add_row(
        "context",
        f"{sc.context.device_target}, {sc.context.mode} mode, backend "
        f"{sc.context.backend}" + (", shape-only" if sc.run.shape_only else ""),
    )
    run.add_row("steps", f"{result.steps_done} of {sc.run.steps} (schedule {sc.run.schedule})")
    run.add_row("simulated time", format_ns(result.end_time))
    n_records = len(result.system.trace) if result.system is not None else 0
    run.add_row("trace records", str(n_records))
    if result.error is not None:
        style = "green" if result.expected_error else "red"
        run.add_row("raised", Text(f"at step {result.error_step}: {_error_text(result)}", style))
    parts: list[Any] = [run]
    if result.system is not None:
        parts += [_memory_table(result), _events_table(result)]
    if result.expectations:
        parts.append(_expect_table(result))
    for w in result.warnings:
        parts.append(Text(f"warning: {w}", style="yellow"))
    if result.printed:
        parts.append(Text("printed:\n" + "\n".join(result.printed)))
    verdict = "PASS" if result.passed else "FAIL"
    parts.append(Text(verdict, style="bold green" if result.passed else "bold red"))
    return Group(*parts)


def _memory_table(result: ScenarioResult) -> Any:
    from rich.table import Table

    table = Table(title="memory", title_justify="left")
    table.add_column("where")
    table.add_column("peak", justify="right")
    table.add_column("final", justify="right")
    records = list(result.system.trace)
    for d in [*range(result.scenario.devices), None]:
        peak, final = memory_use(records, d)
        table.add_row("host" if d is None else f"npu{d}", format_bytes(peak), format_bytes(final))
    return table


def _events_table(result: ScenarioResult) -> Any:
    from rich.table import Table

    counts: dict[str, int] = {}
    for r in result.system.trace:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    table = Table(title="events", title_justify="left")
    table.add_column("kind")
    table.add_column("count", justify="right")
    for kind, n in counts.items():
        table.add_row(kind, str(n))
    return table


def _expect_table(result: ScenarioResult) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="expectations", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("kind")
    table.add_column("expected")
    table.add_column("observed")
    table.add_column("")
    for r in result.expectations:
        verdict = Text("pass", style="green") if r.passed else Text("FAIL", style="bold red")
        table.add_row(str(r.index), r.kind, r.expected, r.observed, verdict)
    return table
