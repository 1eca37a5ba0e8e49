"""The sweep file format and its loading: a base scenario and the axes to vary.

A sweep file names a base scenario (a path relative to the sweep file, or the scenario inline)
and its axes: each a dotted path into the scenario with the list of values it takes::

    name: init-graph time against devices and PCIe bandwidth
    scenario: placement_7b_shape_only.yaml
    mode: product              # or zip: the i-th values of every axis form point i
    axes:
      devices: [1, 2, 4, 8]
      hardware.pcie.h2d_bandwidth: [16GB/s, 32GB/s, 64GB/s]

The file is read like a scenario (:mod:`ascendsim.yamlio`: YAML 1.2, positions kept, duplicate
keys and tags refused) and validated by :class:`SweepFile` (unknown keys rejected with the closest
valid key suggested). Every problem is one :class:`~ascendsim.errors.ScenarioError` line,
``file:line:col: path: message``. The axes are checked further by :mod:`ascendsim.sweep.points`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ascendsim.errors import AscendSimError, ScenarioError
from ascendsim.yamlio import Loaded, load_yaml_text, locate, plain, render_validation_error

__all__ = ["SweepFile", "LoadedSweep", "load_sweep", "load_sweep_text", "sweep_from_mapping",
           "MAX_AXIS_VALUES", "MAX_SWEEP_BYTES"]  # fmt: skip

MAX_SWEEP_BYTES = 4 * 1024 * 1024
MAX_AXIS_VALUES = 100_000
MAX_AXES = 32

AxisPath = Annotated[str, StringConstraints(min_length=1, max_length=400)]


class SweepFile(BaseModel):
    """A sweep file (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: Annotated[str, StringConstraints(max_length=200)] = ""
    description: str = ""
    scenario: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | dict[str, Any] = (
        Field(description="the base scenario: a path (relative to this file) or a mapping")
    )
    mode: Literal["product", "zip"] = Field(
        "product", description="product: every combination; zip: the i-th values together"
    )
    axes: dict[AxisPath, list[Any]] = Field(
        min_length=1,
        max_length=MAX_AXES,
        description="dotted.path: [values], e.g. hardware.pcie.h2d_bandwidth: [16GB/s, 32GB/s]",
    )


_KNOWN = {(): list(SweepFile.model_fields)}


@dataclass
class LoadedSweep:
    """A validated sweep file: the model, its document (for positions) and the base scenario.

    Attributes:
        spec: the validated file.
        filename: the sweep file's name (used in messages).
        loaded: the parsed document, positions kept.
        base_dir: where relative paths of the sweep and its scenario resolve.
        base: the base scenario, loaded and validated (a ``LoadedScenario``).
    """

    spec: SweepFile
    filename: str
    loaded: Loaded
    base_dir: Path
    base: Any

    def where(self, *loc: str | int) -> str:
        """``file:line:col`` of a path in the sweep document."""
        return self.loaded.where(loc)

    @property
    def title(self) -> str:
        """The sweep's name, else the file's stem."""
        return self.spec.name or Path(self.filename).stem


def load_sweep(path: str | Path) -> LoadedSweep:
    """Read and validate a sweep file and its base scenario.

    Raises:
        ScenarioError: unreadable file, YAML errors, unknown keys, an empty axis, or an invalid
            base scenario (each one line with ``file:line:col``).
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise ScenarioError(f"{p}: is a directory; give a sweep .yaml file")
        if p.stat().st_size > MAX_SWEEP_BYTES:
            raise ScenarioError(
                f"{p}: the file is larger than {MAX_SWEEP_BYTES // 2**20} MiB; sweep files "
                "list axes, not data"
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            f"{p}: cannot read the file ({exc.strerror or exc}); check the path"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"{p}:{line}:1: the file is not valid UTF-8; save it as UTF-8"
        ) from None
    return load_sweep_text(text, str(p), p.resolve().parent)


def load_sweep_text(text: str, filename: str, base_dir: Path | None = None) -> LoadedSweep:
    """Validate sweep text (see :func:`load_sweep`); relative paths resolve against
    ``base_dir`` (default: the current directory)."""
    from ascendsim.scenario.loader import _flow_guard, _scan_events  # the scenario's guards

    base = base_dir if base_dir is not None else Path.cwd()
    if "\x00" in text:
        raise ScenarioError(f"{filename}: the file contains NUL bytes; give a sweep .yaml file")
    _flow_guard(text, filename)
    if "&" in text or "!" in text:  # alias bombs and tags, before anything is expanded
        _scan_events(text, filename)
    loaded = load_yaml_text(text, filename, ScenarioError)
    return _validate(loaded, filename, base)


def sweep_from_mapping(
    data: Mapping[str, Any], base_dir: Path | None = None, filename: str = "<sweep>"
) -> LoadedSweep:
    """Validate a sweep given as a Python mapping (the ``ascendsim.sweep`` API)."""
    return _validate(Loaded(data, filename), filename, base_dir or Path.cwd())


def _validate(loaded: Loaded, filename: str, base: Path) -> LoadedSweep:
    data = loaded.data
    if data is None:
        raise ScenarioError(
            f"{filename}:1:1: the file is empty; a sweep needs 'scenario' and 'axes'"
        )
    if not isinstance(data, Mapping):
        line, col = locate(data, ())
        raise ScenarioError(
            f"{filename}:{line}:{col}: a sweep must be a mapping of keys (scenario, axes, ...)"
        )
    try:
        spec = SweepFile.model_validate(plain(data))
    except pydantic.ValidationError as exc:
        raise ScenarioError(_render(exc, loaded, filename)) from None
    for path, values in spec.axes.items():
        if not values:
            raise ScenarioError(
                f"{loaded.where(('axes', path))}: axes.{path}: the axis has no "
                "values; give at least one (or remove the axis)"
            )
        if len(values) > MAX_AXIS_VALUES:
            raise ScenarioError(
                f"{loaded.where(('axes', path))}: axes.{path}: more than "
                f"{MAX_AXIS_VALUES} values; split the sweep"
            )
    scenario = _base_scenario(spec, loaded, filename, base)
    return LoadedSweep(spec, filename, loaded, base, scenario)


def _render(exc: pydantic.ValidationError, loaded: Loaded, filename: str) -> str:
    err = exc.errors(include_url=False)[0]
    loc = err["loc"]
    if loc and loc[0] == "scenario" and err["type"] not in ("missing",):
        line, col = locate(loaded.data, ("scenario",))
        return (
            f"{filename}:{line}:{col}: scenario: expected a path to a scenario file or a "
            "scenario mapping"
        )
    if len(loc) >= 2 and loc[0] == "axes" and err["type"] == "list_type":
        line, col = locate(loaded.data, ("axes", loc[1]))
        return (
            f"{filename}:{line}:{col}: axes.{loc[1]}: expected a list of values, e.g. "
            f"{loc[1]}: [1, 2, 4]"
        )
    if loc == ("axes",) and err["type"] == "too_short":
        line, col = locate(loaded.data, ("axes",))
        return f"{filename}:{line}:{col}: axes: give at least one axis (dotted.path: [values])"
    return render_validation_error(exc, loaded, filename, known_keys=_KNOWN)


def _base_scenario(spec: SweepFile, loaded: Loaded, filename: str, base: Path) -> Any:
    """Load the base scenario: a file relative to the sweep, or the inline mapping (whose
    errors point into the sweep file)."""
    from ascendsim.scenario.loader import load_scenario

    if isinstance(spec.scenario, str):
        path = Path(spec.scenario)
        path = path if path.is_absolute() else base / path
        if not path.is_file():
            where = loaded.where(("scenario",))
            raise ScenarioError(
                f"{where}: scenario: no scenario file {str(path)!r}; give a "
                "path relative to the sweep file, or the scenario inline"
            )
        return load_scenario(path)
    return load_inline(loaded.data["scenario"], filename, base)


def load_inline(node: Any, filename: str, base: Path) -> Any:
    """Validate an inline scenario (a node of the sweep document, positions kept)."""
    from ascendsim.scenario import schema as S
    from ascendsim.scenario.checks import check_document
    from ascendsim.scenario.loader import LoadedScenario
    from ascendsim.scenario.messages import render_errors

    sub = Loaded(node, filename)
    try:
        sc = S.Scenario.model_validate(plain(node))
    except pydantic.ValidationError as exc:
        raise ScenarioError(render_errors(exc, sub, filename)) from None
    try:
        hardware = check_document(sc, sub, base)
    except ScenarioError:
        raise
    except AscendSimError as exc:
        raise ScenarioError(str(exc).replace("\n", " ")) from None
    return LoadedScenario(sc, filename, sub, base, hardware)
