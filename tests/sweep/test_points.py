"""Sweep files, axis paths and points: checked before anything runs, one line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascendsim.errors import ScenarioError
from ascendsim.sweep.points import Select, parse_path, point_hash
from ascendsim.sweep.runner import plan

DATA = Path(__file__).parent / "data"


def _sweep(tmp_path: Path, body: str) -> Path:
    (tmp_path / "base.yaml").write_text((DATA / "base.yaml").read_text())
    path = tmp_path / "s.yaml"
    path.write_text("name: t\nscenario: base.yaml\n" + body)
    return path


def _error(tmp_path: Path, body: str) -> str:
    with pytest.raises(ScenarioError) as info:
        plan(_sweep(tmp_path, body))
    return str(info.value).replace(str(tmp_path) + "/", "")


def test_paths_parse_into_names_indices_and_selectors() -> None:
    assert parse_path("run.schedule") == ("run", "schedule")
    assert parse_path("parameters[layers.qkv].shape") == (
        "parameters",
        Select("layers.qkv"),
        "shape",
    )
    assert parse_path("expect.0.max") == ("expect", 0, "max")
    for bad in ("", "run.", ".run", "run..steps", "[x].y"):
        with pytest.raises(ValueError):
            parse_path(bad)


def test_product_points_in_a_stable_order_last_axis_fastest(tmp_path: Path) -> None:
    p = plan(_sweep(tmp_path, "axes:\n  seed: [0, 1]\n  run.schedule: [program, reverse]\n"))
    assert [pt.values for pt in p.points] == [
        (0, "program"),
        (0, "reverse"),
        (1, "program"),
        (1, "reverse"),
    ]
    assert [(pt.scenario["seed"], pt.scenario["run"]["schedule"]) for pt in p.points] == [
        (0, "program"),
        (0, "reverse"),
        (1, "program"),
        (1, "reverse"),
    ]
    # the base is untouched, each point has its own hash, and the hash is of the content
    assert p.points[0].scenario["run"]["steps"] == 2
    assert len({pt.hash for pt in p.points}) == 4
    assert p.points[0].hash == point_hash(dict(p.points[0].scenario))


def test_zip_pairs_the_values(tmp_path: Path) -> None:
    p = plan(_sweep(tmp_path, "mode: zip\naxes:\n  seed: [3, 4]\n  run.steps: [2, 3]\n"))
    assert [pt.values for pt in p.points] == [(3, 2), (4, 3)]


def test_hardware_axes_set_the_preset_and_overrides(tmp_path: Path) -> None:
    body = (
        "axes:\n  hardware: [ascend910b]\n"
        "  hardware.pcie.h2d_bandwidth: [16GB/s]\n"
        "  hardware.overrides.hbm.capacity: [8GiB]\n"
    )
    (pt,) = plan(_sweep(tmp_path, body)).points
    assert pt.scenario["hardware"] == {
        "preset": "ascend910b",
        "overrides": {"pcie.h2d_bandwidth": "16GB/s", "hbm.capacity": "8GiB"},
    }


def test_selectors_pick_items_by_name(tmp_path: Path) -> None:
    body = (
        "axes:\n  parameters[scale_sense].values: [3.0]\n  program.steps[two].tensor.fill: [5.0]\n"
    )
    (pt,) = plan(_sweep(tmp_path, body)).points
    assert pt.scenario["parameters"][0]["values"] == 3.0
    assert pt.scenario["program"]["steps"][0]["tensor"]["fill"] == 5.0


def test_an_unknown_path_names_the_axis_line_and_the_closest_key(tmp_path: Path) -> None:
    assert _error(tmp_path, "axes:\n  run.schedul: [program]\n") == (
        "s.yaml:4:3: axes.run.schedul: no such path in the scenario: run has no key "
        "'schedul'; did you mean 'schedule'?"
    )
    assert _error(tmp_path, "axes:\n  hardware.pcie.h2d_bandwith: [1GB/s]\n") == (
        "s.yaml:4:3: axes.hardware.pcie.h2d_bandwith: no such path in the scenario: hardware "
        "override: pcie has no key 'h2d_bandwith'; did you mean 'h2d_bandwidth'?"
    )
    assert _error(tmp_path, "axes:\n  seed.x: [1]\n") == (
        "s.yaml:4:3: axes.seed.x: no such path in the scenario: seed is a value, not a "
        "section: it has no 'x'"
    )


def test_an_empty_axis_and_zip_lengths_are_errors(tmp_path: Path) -> None:
    assert _error(tmp_path, "axes:\n  seed: []\n") == (
        "s.yaml:4:3: axes.seed: the axis has no values; give at least one (or remove the axis)"
    )
    assert _error(tmp_path, "mode: zip\naxes:\n  seed: [1, 2]\n  run.steps: [1]\n") == (
        "s.yaml:6:3: axes.run.steps: mode zip needs axes of equal length; 'seed' has 2 "
        "values, 'run.steps' has 1"
    )


def test_the_first_invalid_point_is_reported_with_its_axis_values(tmp_path: Path) -> None:
    # run.steps 1 leaves the overflow injected at step 1 without a step: found before any run
    assert _error(tmp_path, "axes:\n  run.steps: [3, 1]\n") == (
        "s.yaml:4:3: axes.run.steps: point 1 (run.steps=1) is not a valid scenario: "
        "run.overflow[0].steps[0]: step 1 does not exist: run.steps is 1, so steps are numbered "
        "0..0"
    )
    msg = _error(tmp_path, "axes:\n  seed: [0, 1]\n  devices: [1, 2000]\n")
    assert msg == (
        "s.yaml:5:3: axes.devices: point 1 (seed=0, devices=2000) is not a valid scenario: "
        "devices: expected less than or equal to 1024, got 2000"
    )
    msg = _error(tmp_path, "axes:\n  hardware: [ascend910a, ascend9000]\n")
    assert msg.startswith(
        "s.yaml:4:3: axes.hardware: point 1 (hardware=ascend9000) is not a "
        "valid scenario: hardware: unknown hardware preset 'ascend9000'"
    )


def test_unknown_keys_and_bad_files_are_one_line_errors(tmp_path: Path) -> None:
    assert _error(tmp_path, "axis:\n  seed: [1]\n") == (
        "s.yaml:3:1: axis: unknown key 'axis'; did you mean 'axes'? (and 1 more error)"
    )
    assert _error(tmp_path, "axes:\n  seed: 3\n") == (
        "s.yaml:4:9: axes.seed: expected a list of values, e.g. seed: [1, 2, 4]"
    )
    path = tmp_path / "s2.yaml"
    path.write_text("scenario: nothere.yaml\naxes:\n  seed: [1]\n")
    with pytest.raises(ScenarioError, match=r"s2.yaml:1:11: scenario: no scenario file "):
        plan(path)
    path.write_text("scenario: x\naxes: {seed: [1]}\naxes: {seed: [2]}\n")
    with pytest.raises(ScenarioError, match="duplicate key"):
        plan(path)


def test_an_inline_scenario_reports_positions_in_the_sweep_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "scenario:\n  name: x\n  devics: 2\n  program: {steps: [{id: a, op: Add, "
        "inputs: [1.0, 2.0]}]}\naxes:\n  seed: [1]\n"
    )
    with pytest.raises(ScenarioError) as info:
        plan(path)
    assert str(info.value) == f"{path}:3:11: devics: unknown key 'devics'; did you mean 'devices'?"


def test_a_mapping_spec_works_like_a_file() -> None:
    p = plan({"scenario": str(DATA / "base.yaml"), "axes": {"seed": [5]}})
    assert p.points[0].scenario["seed"] == 5
