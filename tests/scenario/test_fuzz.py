"""Hostile scenario files: every one gets exit code 2 and one error line, never a traceback.

Hypothesis generates at least 1,000 malformed files per run from a valid scenario: wrong types,
missing and unknown keys, huge or negative sizes, steps naming themselves or later steps (Depend
cycles), undefined names, deep nesting, alias bombs, YAML tags, duplicate keys, syntax errors,
non-UTF-8 bytes and binary junk. Each file goes through ``ascendsim check`` in-process; an
interval timer fails any single file that takes more than 10 s (a hang).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import signal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ascendsim.scenario.commands import main_for_tests
from ascendsim.scenario.fields import DTYPES

VALID: dict[str, Any] = {
    "name": "fuzz base",
    "description": "a valid scenario that the mutations below break",
    "hardware": "ascend910a",
    "devices": 1,
    "context": {"device_target": "Ascend", "mode": "graph", "backend": "ge"},
    "seed": 1,
    "parameters": [{"name": "w", "shape": [2, 2], "dtype": "float32", "init": "ones"}],
    "inputs": {"x": {"shape": [2, 2], "dtype": "float32", "fill": 1.0}},
    "program": {
        "steps": [
            {"id": "a", "op": "Add", "inputs": ["x", "w"]},
            {"id": "b", "op": "MatMul", "inputs": ["a", "w"]},
            {"id": "c", "op": "Depend", "inputs": ["b", "a"]},
        ],
        "outputs": ["c"],
    },
    "run": {"steps": 2, "schedule": "program", "shape_only": False},
    "expect": [
        {"output": "c", "values": [[4.0, 4.0], [4.0, 4.0]]},
        {"happens_before": ["a", "b"]},
        {"peak_memory": 0, "max": "1GiB"},
        {"time": "total", "max": "1s"},
    ],
}

# (path, strategy of values the schema or the document checks must reject there)
_not_int = st.one_of(
    st.text(max_size=8),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
)
_not_str = st.one_of(
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_bad_size = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=2**61),
    st.sampled_from(["-1GiB", "1e30GiB", "12 parsecs", "GiB", "1..2MB"]),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)
_bad_dims = st.one_of(
    st.lists(st.integers(max_value=0), min_size=1, max_size=4),
    st.lists(st.integers(min_value=2**41, max_value=2**80), min_size=1, max_size=4),
    st.lists(st.integers(min_value=1, max_value=3), min_size=9, max_size=12),
    _not_int.filter(lambda v: not isinstance(v, list) and v is not None),
)
_bad_name = st.text(max_size=10).filter(lambda s: s not in ("x", "w", "a", "b", "c"))
MUTATIONS: list[tuple[tuple[Any, ...], st.SearchStrategy[Any]]] = [
    (("name",), _not_str | st.just("")),
    (("description",), _not_str.filter(lambda v: v is not None) | st.just(None)),
    (("devices",), _not_int | st.integers(max_value=0) | st.integers(min_value=1025)),
    (("seed",), _not_int | st.integers(max_value=-1) | st.integers(min_value=2**32)),
    (
        ("hardware",),
        st.one_of(
            st.integers(),
            st.lists(st.text(max_size=3), max_size=2),
            st.text(min_size=1, max_size=12).filter(
                lambda s: s.strip() not in ("ascend910a", "ascend910b", "ascend310p")
            ),
        ),
    ),
    (
        ("context", "mode"),
        _not_str | st.text(max_size=8).filter(lambda s: s not in ("graph", "pynative")),
    ),
    (("context", "device_target"), st.sampled_from(["CPU", "GPU"])),  # with backend ge
    (
        ("parameters", 0, "dtype"),
        st.text(max_size=8).filter(lambda s: s not in DTYPES),
    ),
    (("parameters", 0, "shape"), _bad_dims),
    (
        ("parameters", 0, "init"),
        st.one_of(
            st.booleans(),
            st.lists(st.integers(), max_size=2),
            st.sampled_from(["constant", "normall", ""]),
        ),
    ),
    (("parameters", 0, "requires_grad"), _not_str.filter(lambda v: not isinstance(v, bool))),
    (("inputs", "x", "shape"), _bad_dims),
    (
        ("inputs", "x", "fill"),
        st.one_of(st.text(max_size=4), st.none(), st.lists(st.integers(), max_size=2)),
    ),
    (("program", "steps", 0, "op"), _not_str | st.sampled_from(["Ad", "add", "NPUFloatStatus"])),
    (("program", "steps", 1, "inputs", 0), st.sampled_from(["b", "c"]) | _bad_name),
    (("program", "steps", 2, "inputs", 1), st.sampled_from(["c"]) | _bad_name),
    (("program", "outputs", 0), _bad_name),
    (("run", "steps"), _not_int | st.integers(max_value=0) | st.integers(min_value=10_001)),
    (
        ("run", "schedule"),
        st.text(max_size=10).filter(
            lambda s: s.partition(":")[0] not in ("program", "reverse", "critical-path")
        ),
    ),
    (("expect", 0, "output"), _bad_name),
    (("expect", 0, "values"), st.just([[1.0], [2.0, 3.0]]) | st.just([[]]) | st.text(max_size=3)),
    (
        ("expect", 1, "happens_before"),
        st.lists(_bad_name.filter(lambda s: ":" not in s), max_size=4),
    ),
    (("expect", 2, "max"), _bad_size),
    (
        ("expect", 2, "peak_memory"),
        st.integers(min_value=1) | st.text(max_size=5).filter(lambda s: s not in ("host", "all")),
    ),
    (("expect", 3, "max"), st.sampled_from(["-5us", "10 fortnights", "1e99s"])),
]
REQUIRED: list[tuple[Any, ...]] = [
    ("name",),
    ("program",),
    ("program", "steps"),
    ("program", "steps", 0, "id"),
    ("program", "steps", 1, "op"),
    ("parameters", 0, "name"),
    ("parameters", 0, "init"),
    ("inputs", "x", "fill"),
    ("expect", 0, "output"),
    ("expect", 2, "max"),
]
MODEL_MAPS: list[tuple[Any, ...]] = [
    (),
    ("context",),
    ("run",),
    ("parameters", 0),
    ("inputs", "x"),
    ("program",),
    ("program", "steps", 0),
    ("expect", 0),
    ("expect", 2),
]
_KNOWN_KEYS = {
    "name",
    "description",
    "hardware",
    "devices",
    "context",
    "seed",
    "parameters",
    "inputs",
    "program",
    "run",
    "expect",
    "device_target",
    "mode",
    "backend",
    "float_status_check",
    "parallel_mode",
    "steps",
    "schedule",
    "shape_only",
    "overflow",
    "shape",
    "dtype",
    "init",
    "values",
    "requires_grad",
    "layerwise_parallel",
    "ps",
    "sliced",
    "fill",
    "outputs",
    "python",
    "args",
    "id",
    "op",
    "attrs",
    "tensor",
    "item",
    "index",
    "output",
    "rtol",
    "atol",
    "step",
    "happens_before",
    "is_init",
    "value",
    "at",
    "peak_memory",
    "final_memory",
    "time",
    "min",
    "max",
    "order_independent",
    "max_orders",
    "raises",
    "match",
    "loss_scale",
    "of",
}


def _block(data: Any) -> bytes:
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(data, out)
    return out.getvalue().encode()


def _dump(data: Any) -> bytes:
    return json.dumps(data).encode()  # JSON is YAML 1.2 (flow style), and fast to write


VALID_TEXT = _block(VALID)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(data)
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


def _delete(data: Any, path: tuple[Any, ...]) -> Any:
    doc = copy.deepcopy(data)
    node = doc
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return doc


@st.composite
def wrong_value(draw: Any) -> bytes:
    path, values = draw(st.sampled_from(MUTATIONS))
    return _dump(_set(VALID, path, draw(values)))


@st.composite
def missing_key(draw: Any) -> bytes:
    return _dump(_delete(VALID, draw(st.sampled_from(REQUIRED))))


@st.composite
def unknown_key(draw: Any) -> bytes:
    path = draw(st.sampled_from(MODEL_MAPS))
    key = draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in _KNOWN_KEYS))
    value = draw(st.one_of(st.integers(), st.text(max_size=5), st.none()))
    return _dump(_set(VALID, (*path, key), value))


@st.composite
def deep_nesting(draw: Any) -> bytes:
    depth = draw(st.integers(min_value=66, max_value=3000))
    open_, close = draw(st.sampled_from([("[", "]"), ("{a: ", "}")]))
    return VALID_TEXT + f"junk: {open_ * depth}1{close * depth}\n".encode()


@st.composite
def alias_bomb(draw: Any) -> bytes:
    width = draw(st.integers(min_value=8, max_value=12))
    levels = draw(st.integers(min_value=7, max_value=9))
    lines = ["l0: &l0 [" + ", ".join(["1"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return VALID_TEXT + ("\n".join(lines) + "\n").encode()


@st.composite
def tagged(draw: Any) -> bytes:
    tag = draw(
        st.sampled_from(
            [
                "!!python/object/apply:os.system",
                "!!python/name:os.system",
                "!custom",
                "!!binary",
                "!!timestamp",
                "!!set",
                "!<tag:example.com,2000:x>",
            ]
        )
    )
    lines = VALID_TEXT.decode().splitlines()
    candidates = [i for i, line in enumerate(lines) if ": " in line]
    i = draw(st.sampled_from(candidates))
    key, _, value = lines[i].partition(": ")
    lines[i] = f"{key}: {tag} {value}"
    return ("\n".join(lines) + "\n").encode()


@st.composite
def text_damage(draw: Any) -> bytes:
    lines = VALID_TEXT.decode().splitlines()
    i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    kind = draw(st.sampled_from(["dup", "syntax", "tab"]))
    if kind == "dup":
        lines.insert(1, lines[0])  # duplicate top-level 'context:'... first key again
        lines.insert(len(lines), "name: again")
    elif kind == "syntax":
        lines[i] += draw(st.sampled_from([": :", ": [", ": {", " :x: y: z"]))
    else:
        lines[i] = "\t" + lines[i]
    return ("\n".join(lines) + "\n").encode()


@st.composite
def bad_bytes(draw: Any) -> bytes:
    pos = draw(st.integers(min_value=0, max_value=len(VALID_TEXT)))
    junk = draw(
        st.sampled_from(
            [b"\xff", b"\xfe\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x80", b"\xf8\x88\x80\x80\x80"]
        )
    )
    return VALID_TEXT[:pos] + junk + VALID_TEXT[pos:]


def binary_junk() -> st.SearchStrategy[bytes]:
    return st.binary(max_size=400)


@st.composite
def python_target(draw: Any) -> bytes:
    mod = draw(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True))
    doc = _set(VALID, ("program",), {"python": f"no_such_module_{mod}:build"})
    return _dump(doc)


HOSTILE = st.one_of(
    wrong_value(),
    missing_key(),
    unknown_key(),
    deep_nesting(),
    alias_bomb(),
    tagged(),
    text_damage(),
    bad_bytes(),
    binary_junk(),
    python_target(),
)


class _Hang(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Hang("one scenario file took more than 10 s")


def _check(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 10.0)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main_for_tests(["check", str(path)])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return code, out.getvalue(), err.getvalue()


def test_the_base_scenario_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "base.yaml"
    path.write_bytes(VALID_TEXT)
    code, out, err = _check(path)
    assert (code, err) == (0, ""), out


def test_hostile_files_get_exit_code_2_and_one_line(tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "case.yaml"
    seen: list[bytes] = []

    @settings(
        max_examples=1100,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(HOSTILE)
    def one(data: bytes) -> None:
        path.write_bytes(data)
        code, out, err = _check(path)
        assert code == 2, (data[:300], out, err)
        assert out == ""
        assert err.startswith("ascendsim: error: "), err
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert "Traceback" not in err
        seen.append(data)

    one()
    assert len(seen) >= 1000
