"""Hardware configs: presets, units, overrides, and errors that name the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascendsim import units
from ascendsim.cli import main
from ascendsim.config import list_presets, load_hardware
from ascendsim.errors import ConfigError

PRESET = Path(__file__).resolve().parents[2] / "configs" / "ascend910a.yaml"


def test_presets_load_in_internal_units() -> None:
    assert list_presets() == ["ascend310p", "ascend910a", "ascend910b"]
    a = load_hardware()  # the default preset
    assert a.name == "ascend910a"
    assert a.chip.ai_cores == 32
    assert a.hbm.capacity == 32 * 2**30
    assert a.hbm.bandwidth == 1200.0  # 1.2 TB/s is 1200 bytes per ns
    assert a.chip.cube_peak == {"float16": 256_000.0, "int8": 512_000.0}  # FLOP per ns
    assert a.host.launch_overhead == 5_000  # 5 us in ns
    assert a.chip.overflow_mode == "saturation"
    assert load_hardware("ascend910b").chip.overflow_mode == "inf_nan"
    assert load_hardware("ascend310p").hbm.capacity == 24 * 2**30


def test_every_preset_number_has_a_source_comment() -> None:
    for path in sorted(PRESET.parent.glob("*.yaml")):
        for no, line in enumerate(path.read_text().splitlines(), 1):
            body = line.split("#")[0].strip()
            if (
                body.endswith(":")
                or not body
                or body.startswith(("name:", "description:", "model:"))
            ):
                continue
            if any(ch.isdigit() for ch in body):
                assert "#" in line, f"{path.name}:{no}: a number without a source comment"


def test_load_by_path_and_override_by_dotted_or_nested_field() -> None:
    assert load_hardware(str(PRESET)).name == "ascend910a"
    c = load_hardware("ascend910a", {"pcie.h2d_bandwidth": "16GB/s"})
    assert c.pcie.h2d_bandwidth == 16.0
    c = load_hardware("ascend910a", {"hbm": {"capacity": "64GiB"}, "devices_per_server": 4})
    assert (c.hbm.capacity, c.hbm.bandwidth, c.devices_per_server) == (64 * 2**30, 1200.0, 4)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"pcie.h2d_bandwidth": "0GB/s"}, "pcie.h2d_bandwidth: must be greater than zero"),
        ({"chip.ai_cores": -1}, "chip.ai_cores: Input should be greater than 0"),
        ({"pcie.h2d_latency": "3 furlongs"}, "cannot read '3 furlongs' as a duration"),
        ({"hbm.capacity": "12 parsecs"}, "cannot read '12 parsecs' as a size"),
        ({"pcie.bandwith": "1GB/s"}, "unknown key 'bandwith'; did you mean 'h2d_bandwidth'?"),
        ({"chip.overflow_mode": "wrap"}, "chip.overflow_mode: Input should be 'saturation'"),
    ],
)
def test_bad_values_name_the_file_line_and_field(overrides: dict, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_hardware("ascend910a", overrides)
    msg = str(info.value)
    assert msg.startswith(f"{PRESET}:"), msg
    assert fragment in msg


def test_missing_field_and_unknown_key_in_a_file(tmp_path: Path) -> None:
    text = PRESET.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("  ai_cores: 32", "  ai_kores: 32"))
    with pytest.raises(
        ConfigError,
        match=r"bad\.yaml:\d+:\d+: chip\.ai_kores: unknown key "
        r"'ai_kores'; did you mean 'ai_cores'\?",
    ):
        load_hardware(str(bad))
    bad.write_text(text.replace("  bandwidth: 1.2TB/s", ""))
    with pytest.raises(ConfigError, match=r"hbm\.bandwidth: missing required key 'bandwidth'"):
        load_hardware(str(bad))
    bad.write_text("name: x\nname: y\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:2:1: YAML syntax error"):
        load_hardware(str(bad))
    bad.write_text("!!python/object:os.system {}\n")
    with pytest.raises(ConfigError, match="tag"):
        load_hardware(str(bad))


def test_unknown_preset_suggests_the_closest() -> None:
    with pytest.raises(ConfigError, match=r"unknown hardware preset 'ascend910'; did you mean "):
        load_hardware("ascend910")
    with pytest.raises(ConfigError, match="'nosuch' is not a section"):
        load_hardware("ascend910a", {"nosuch.x": 1})


def test_units_parse_and_format() -> None:
    assert units.parse_bytes("32GiB") == 32 * 2**30
    assert units.parse_bytes("1.5KB") == 1500
    assert units.parse_bytes(512) == 512
    assert units.parse_time_ns("2us") == 2000
    assert units.parse_time_ns("1.5ns") == 2  # durations round up
    assert units.parse_bandwidth("25GB/s") == 25.0
    assert units.parse_rate("256TFLOPS") == 256_000.0
    assert units.parse_frequency("1.0GHz") == 1e9
    for bad in ("1e999GB", "nan", True, [1]):
        with pytest.raises(ValueError):
            units.parse_bytes(bad)
    assert units.format_bytes(7077888) == "6.75 MiB"
    assert units.format_ns(3200) == "3.2 us"
    assert units.format_bandwidth(25.0) == "25 GB/s"
    assert units.format_rate(512_000.0, ops="OPS") == "512 TOPS"


def test_hardware_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # rich fits tables to the terminal width
    assert main(["hardware", "list"]) == 0
    out = capsys.readouterr().out
    assert "ascend910a" in out and "ascend310p" in out
    assert main(["hardware", "show", "ascend910b", "--set", "pcie.h2d_bandwidth=16GB/s"]) == 0
    out = capsys.readouterr().out
    assert "pcie.h2d_bandwidth" in out and "16 GB/s" in out
    assert main(["hardware", "show", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ascendsim: error: unknown hardware preset 'nope'")
    assert len(err.strip().splitlines()) == 1
