"""The docs agree with the code: generated scenario tables, CLI options, links, pictures."""

from __future__ import annotations

import argparse
import re

from ascendsim.cli import build_parser
from tests.cli import ROOT
from tests.cli.scenario_doc import DOC, MODELS, block_names, update

DOCS = ROOT / "docs"


def test_scenario_reference_tables_match_the_schema() -> None:
    text = DOC.read_text()
    assert update(text) == text, "docs/scenarios.md is stale: run python -m tests.cli.scenario_doc"
    names = block_names(text)
    assert set(MODELS) <= set(names)  # every model (each expectation kind too) has a table
    assert len(names) == len(set(names))


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, list[str]]:
    """``{"run": ["--trace", ...], "hardware show": [...]}`` for every (sub)command."""
    out: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                out[full] = [
                    s for a in sub._actions for s in a.option_strings if s not in ("-h", "--help")
                ]
                out.update(_commands(sub, full))
    return out


def test_cli_page_names_every_command_and_option() -> None:
    text = (DOCS / "cli.md").read_text()
    commands = _commands(build_parser())
    assert {"run", "check", "explore", "exec", "schema", "hardware list", "hardware show"} <= set(
        commands
    )
    missing = []
    for command, options in commands.items():
        if f"ascendsim {command}" not in text:
            missing.append(command)
        missing += [f"{command} {o}" for o in options if f"`{o}" not in text]
    assert missing == []


def test_concept_pages_exist_and_links_and_pictures_resolve() -> None:
    pages = ["parameters", "initializers", "dependency-control", "float-status", "scenarios", "cli"]
    for page in pages:
        assert (DOCS / f"{page}.md").is_file(), page
    for md in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", md.read_text()):
            if "://" in target:
                continue
            assert (md.parent / target).exists(), f"{md.name} links to missing {target}"
    for png in (DOCS / "img").glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_readme_keeps_its_first_two_commands() -> None:
    lines = (ROOT / "README.md").read_text().splitlines()
    start = lines.index("```bash")
    assert lines[start + 1 : start + 3] == [
        "pip install -e . && ascendsim run scenarios/guide_float_status.yaml",
        'pip install -e ".[test]" && python -m pytest -q -p no:cacheprovider',
    ]
