"""The README documents every command, every option and every setting (datasette-style)."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest

from extractors.config import ClassifySettings, FetchSettings, Source, Theme
from flows.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_cli_has_the_contract_commands():
    assert {"demo", "ingest", "extract", "sources"} <= set(_subcommands())


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_and_option_is_in_readme(name):
    parser = _subcommands()[name]
    assert f"themewire {name}" in README, f"`themewire {name}` is not documented in README.md"
    for action in parser._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"option {flag} of `themewire {name}` is not documented in README.md"


@pytest.mark.parametrize("cls", [FetchSettings, ClassifySettings, Source, Theme])
def test_every_setting_is_in_readme(cls):
    for f in dataclasses.fields(cls):
        assert f"`{f.name}`" in README, f"setting {cls.__name__}.{f.name} is not documented in README.md"
