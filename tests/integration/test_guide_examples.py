"""The "Network Parameters" guide's examples, run unmodified through ``ascendsim exec``.

``tests/golden/guide_exN.txt`` (N = 1..7) is the stdout of ``guide_exN.py`` captured from real
MindSpore r1.6 (1.6.1, CPU backend, Linux: numpy's default integer prints ``Int64``);
``guide_ex8.txt`` is the output the guide documents for its float-status example, which r1.6
cannot run on CPU.
"""

from __future__ import annotations

import random

import pytest

from tests.integration import GOLDEN, fresh_state, run_cli

EXAMPLES = [f"guide_ex{i}" for i in range(1, 9)]


@pytest.fixture(autouse=True)
def _fresh():
    fresh_state()
    yield
    fresh_state()


def _golden(name: str) -> str:
    return (GOLDEN / f"{name}.txt").read_text()


def _exec(name: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    # `exec` itself resets the context and the session; resetting here too makes each run
    # independent of whatever the previous script left behind.
    fresh_state()
    return run_cli(["exec", str(GOLDEN / f"{name}.py")], capsys)


@pytest.mark.parametrize("name", EXAMPLES)
def test_guide_example_prints_golden_output(name: str, capsys: pytest.CaptureFixture[str]):
    code, out, err = _exec(name, capsys)
    assert (code, err) == (0, "")
    assert out == _golden(name)


def test_guide_examples_in_any_order_in_one_process(capsys: pytest.CaptureFixture[str]):
    """Reverse and shuffled orders give the same bytes: set_seed makes ex5/ex6 independent of
    what ran before, and no state leaks from one script into the next."""
    shuffled = EXAMPLES[:]
    random.Random(1234).shuffle(shuffled)
    for order in (list(reversed(EXAMPLES)), shuffled, EXAMPLES):
        results = {name: _exec(name, capsys) for name in order}
        assert {n: r[0] for n, r in results.items()} == {n: 0 for n in order}
        assert {n: r[1] for n, r in results.items()} == {n: _golden(n) for n in order}


def test_seeded_examples_repeat_without_resetting(capsys: pytest.CaptureFixture[str]):
    """ex5 then ex6 then ex5 again with no reset in between: set_seed(1) alone fixes the
    weights (it resets the seed counters)."""
    import runpy

    from ascendsim.ms import install_as_mindspore

    install_as_mindspore()
    outs = []
    for name in ("guide_ex5", "guide_ex6", "guide_ex5"):
        capsys.readouterr()
        runpy.run_path(str(GOLDEN / f"{name}.py"), run_name="__main__")
        outs.append(capsys.readouterr().out)
    assert outs == [_golden("guide_ex5"), _golden("guide_ex6"), _golden("guide_ex5")]
