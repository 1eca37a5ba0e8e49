"""The pytest plugin (entry point ``pytest11``): scenarios as tests, fixtures, MindSpore alias.

- Scenario files under the ``ascendsim_scenarios`` ini folder(s) or ``--ascendsim-scenarios
  PATH`` are collected as test items, one per file; a failing expectation fails the item with
  the expectation report.
- Fixtures: ``ascend_system`` (a fresh System made current for the test; the preset comes from
  ``@pytest.mark.ascend_hardware("ascend910b")``, default the context's), ``ascend_trace``.
- ``--ascendsim-as-mindspore`` (or ini ``ascendsim_as_mindspore = true``) installs the
  ``mindspore`` import alias before collection, so an existing MindSpore test suite runs on
  the emulator unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_SUFFIXES = (".yaml", ".yml")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ascendsim")
    group.addoption(
        "--ascendsim-scenarios",
        action="append",
        default=[],
        metavar="PATH",
        help="collect ascendsim scenario files under PATH as tests",
    )
    group.addoption(
        "--ascendsim-as-mindspore",
        action="store_true",
        default=False,
        help="make `import mindspore` load ascendsim's front end",
    )
    parser.addini(
        "ascendsim_scenarios", "folders of scenario files to collect", type="paths", default=[]
    )
    parser.addini(
        "ascendsim_as_mindspore", "install the mindspore import alias", type="bool", default=False
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ascend_hardware(name): the preset for ascend_system")
    if config.getoption("--ascendsim-as-mindspore") or config.getini("ascendsim_as_mindspore"):
        from ascendsim.ms import install_as_mindspore

        install_as_mindspore()


def _scenario_roots(config: pytest.Config) -> list[Path]:
    roots = [Path(p) for p in config.getoption("--ascendsim-scenarios")]
    roots += [Path(p) for p in config.getini("ascendsim_scenarios")]
    return [r.resolve() for r in roots]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Any:
    if file_path.suffix not in _SUFFIXES:
        return None
    roots = _scenario_roots(parent.config)
    path = file_path.resolve()
    if any(path == r or r in path.parents for r in roots):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def pytest_sessionstart(session: pytest.Session) -> None:
    # a scenario path given on the command line but not under the rootdir's tests
    for root in _scenario_roots(session.config):
        if not root.exists():
            raise pytest.UsageError(f"--ascendsim-scenarios {root}: no such file or folder")


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield ScenarioItem.from_parent(self, name=self.path.name)


class ScenarioFailed(Exception):
    pass


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        from ascendsim.errors import AscendSimError
        from ascendsim.scenario.loader import load_scenario
        from ascendsim.scenario.report import check_lines
        from ascendsim.scenario.runner import run_scenario

        try:
            loaded = load_scenario(self.path)
        except AscendSimError as exc:
            raise ScenarioFailed(str(exc)) from None
        result = run_scenario(loaded)
        if not result.passed:
            raise ScenarioFailed("\n".join(check_lines(result, verbose=True)))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario {self.path.name}"


@pytest.fixture
def ascend_system(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh simulated System, current for the test's ops (see the module docstring)."""
    from ascendsim.config import load_hardware
    from ascendsim.device import System
    from ascendsim.ms import _session, context

    marker = request.node.get_closest_marker("ascend_hardware")
    preset = marker.args[0] if marker else context.get_context("hardware")
    system = System(
        load_hardware(preset), devices=int(marker.kwargs.get("devices", 1)) if marker else 1
    )
    with _session.use_system(system):
        yield system


@pytest.fixture
def ascend_trace(ascend_system: Any) -> Any:
    """The trace of the test's ``ascend_system``."""
    return ascend_system.trace
