"""The README documents every command, option and setting where it belongs (datasette-style).

The convention, read from the README's markdown sections (headings inside fenced code blocks do not count):
- under `## Commands`, every command has a subsection headed exactly ``### `themewire NAME` `` (NAME as
  typed: `sources validate`, `themes suggest`, ...), and every long option of that command appears inside
  that subsection written backticked (`` `--db PATH` `` or `` `--db` ``);
- under `## Configuration`, every setting appears backticked with its full dotted path (`` `fetch.user_agent` ``,
  `` `classify.model` ``, `` `sources.seeds` ``, `` `sources.themes.keywords` ``), and so do the environment
  variables `` `THEMEWIRE_CONFIG` `` and `` `THEMEWIRE_DB` ``.

Commands and options are enumerated from the real argparse parser; settings from the dataclasses of
extractors/config.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractors.config import ClassifySettings, FetchSettings, Settings, Source, Theme
from extractors.models import SiteRules
from flows.cli import build_parser

README_PATH = Path(__file__).resolve().parents[1] / "README.md"

# Dotted prefix of each settings table -> the dataclass whose fields are its keys.
SETTING_TABLES = {"fetch": FetchSettings, "classify": ClassifySettings, "sources": Source, "sources.themes": Theme,
                  "sources.rules": SiteRules}
NOT_SETTINGS = {"config_path"}  # Settings fields that are no TOML table (where the file was read from)
ENVIRONMENT = ("THEMEWIRE_CONFIG", "THEMEWIRE_DB")


# --- the real parser and settings ---------------------------------------------------------------------------

def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub[0].choices) if sub else {}


def cli_commands(parser: argparse.ArgumentParser | None = None, prefix: str = "") -> dict[str, list[str]]:
    """Command as typed ("stats", "sources validate") -> its long options, for every leaf command."""
    out: dict[str, list[str]] = {}
    for name, sub in _subparsers(parser or build_parser()).items():
        typed = f"{prefix}{name}"
        nested = cli_commands(sub, typed + " ")
        out.update(nested or {typed: [f for a in sub._actions for f in a.option_strings
                                      if f.startswith("--") and f != "--help"]})
    return out


def settings_names() -> list[str]:
    return [f"{table}.{f.name}" for table, cls in SETTING_TABLES.items() for f in dataclasses.fields(cls)]


# --- the README's sections ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    level: int
    title: str
    body: str  # everything up to the next heading of the same or a higher level, subsections included


def sections(markdown: str) -> list[Section]:
    lines = markdown.splitlines()
    headings, fence = [], None
    for n, line in enumerate(lines):
        marker = re.match(r"\s*(`{3,}|~{3,})", line)
        if marker:
            fence = None if fence and marker.group(1).startswith(fence) else (fence or marker.group(1))
        elif fence is None and (m := re.match(r"(#{1,6})\s+(.*?)\s*#*\s*$", line)):
            headings.append((n, len(m.group(1)), m.group(2)))
    out = []
    for i, (n, level, title) in enumerate(headings):
        end = next((m for m, lv, _ in headings[i + 1:] if lv <= level), len(lines))
        out.append(Section(level, title, "\n".join(lines[n + 1:end])))
    return out


def section(markdown: str, level: int, title: str) -> Section | None:
    return next((s for s in sections(markdown) if s.level == level and s.title == title), None)


def command_heading(command: str) -> str:
    return f"`themewire {command}`"


def _backticked(body: str, name: str, tail: str = r"[\w-]") -> bool:
    """`name` right after a backtick and not continued (`--source` is not `--sources`)."""
    return re.search("`" + re.escape(name) + f"(?!{tail})", body) is not None


# --- what is missing ----------------------------------------------------------------------------------------

def undocumented_command(markdown: str, command: str, options: list[str]) -> list[str]:
    commands = section(markdown, 2, "Commands")
    if commands is None:
        return ["README.md has no `## Commands` section"]
    sub = section(commands.body, 3, command_heading(command))
    if sub is None:
        return [f"no subsection ### {command_heading(command)} under ## Commands"]
    return [f"option {opt} of `themewire {command}` is not written backticked under ### {command_heading(command)}"
            for opt in options if not _backticked(sub.body, opt)]


def undocumented_settings(markdown: str, names: list[str]) -> list[str]:
    config = section(markdown, 2, "Configuration")
    if config is None:
        return ["README.md has no `## Configuration` section"]
    return [f"{name} is not written backticked under ## Configuration"
            for name in names if not _backticked(config.body, name, tail=r"[\w.]")]


def stray_command_headings(markdown: str, commands: list[str]) -> list[str]:
    """Subsections under ## Commands headed like a command that does not exist."""
    known = {command_heading(c) for c in commands}
    found = section(markdown, 2, "Commands")
    return [s.title for s in sections(found.body) if s.level == 3 and s.title.startswith("`themewire ")
            and s.title not in known] if found else []


# --- the real README (written to this convention) -------------------------------------------------------------

COMMANDS = cli_commands()


def _readme() -> str:
    return README_PATH.read_text(encoding="utf-8")


def test_cli_has_the_contract_commands():
    assert {"demo", "ingest", "backfill", "reprocess", "extract", "classify", "sources validate",
            "themes suggest", "stats", "export", "report"} <= set(COMMANDS)
    assert "--db" in COMMANDS["stats"] and "--max" in COMMANDS["themes suggest"]


def test_every_settings_table_is_enumerated():
    tables = {f.name for f in dataclasses.fields(Settings)} - NOT_SETTINGS
    assert tables <= {t.partition(".")[0] for t in SETTING_TABLES}, "a new [table] in Settings: add it here"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_and_option_is_documented_in_its_subsection(command):
    assert undocumented_command(_readme(), command, COMMANDS[command]) == []


def test_every_setting_is_documented_under_configuration():
    assert undocumented_settings(_readme(), settings_names() + list(ENVIRONMENT)) == []


def test_no_subsection_documents_a_command_that_does_not_exist():
    assert stray_command_headings(_readme(), list(COMMANDS)) == []


# --- the check itself, on READMEs written here ------------------------------------------------------------------

SMALL = """# tool

## Quickstart
`themewire stats --db data/x.duckdb`

## Commands
Every command has `--help`.

```text
### `themewire stats`
a heading inside a code block is no heading: `--db PATH`
```

### `themewire stats`
Per-source health.

```sh
# a shell comment, not a heading that would end the subsection
themewire stats
```
Options: `--db PATH`.

### `themewire sources validate`
Checks the file. Options: `--config FILE`.

#### Errors
What they look like.

## Configuration

`fetch.user_agent` is sent with every request; `THEMEWIRE_DB` names the database.

## Later
"""
SMALL_COMMANDS = {"stats": ["--db"], "sources validate": ["--config"]}
SMALL_SETTINGS = ["fetch.user_agent", "THEMEWIRE_DB"]


def _small(tmp_path: Path, text: str) -> str:
    path = tmp_path / "README.md"
    path.write_text(text, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def _all_missing(markdown: str, commands: dict[str, list[str]], settings: list[str]) -> list[str]:
    found = [m for c, opts in commands.items() for m in undocumented_command(markdown, c, opts)]
    return found + undocumented_settings(markdown, settings) + stray_command_headings(markdown, list(commands))


def test_a_readme_following_the_convention_passes(tmp_path):
    assert _all_missing(_small(tmp_path, SMALL), SMALL_COMMANDS, SMALL_SETTINGS) == []


def test_an_option_documented_only_in_another_section_fails(tmp_path):
    text = SMALL.replace("Options: `--db PATH`.", "Reads the warehouse.").replace("## Later", "## Later\n`--db PATH`")
    missing = _all_missing(_small(tmp_path, text), SMALL_COMMANDS, SMALL_SETTINGS)
    assert missing == ["option --db of `themewire stats` is not written backticked under ### `themewire stats`"]


def test_an_option_documented_under_another_command_fails(tmp_path):
    text = SMALL.replace("Options: `--db PATH`.", "Reads the warehouse.").replace("`--config FILE`.",
                                                                                 "`--config FILE`, `--db PATH`.")
    assert _all_missing(_small(tmp_path, text), SMALL_COMMANDS, SMALL_SETTINGS) == [
        "option --db of `themewire stats` is not written backticked under ### `themewire stats`"]


def test_a_longer_option_does_not_document_a_shorter_one(tmp_path):
    text = SMALL.replace("`--db PATH`", "`--dbs PATH`")
    assert _all_missing(_small(tmp_path, text), SMALL_COMMANDS, SMALL_SETTINGS) == [
        "option --db of `themewire stats` is not written backticked under ### `themewire stats`"]


def test_a_command_heading_in_a_code_block_or_loosely_written_does_not_count(tmp_path):
    text = SMALL.replace("### `themewire stats`\n", "### themewire stats\n")
    missing = _all_missing(_small(tmp_path, text), SMALL_COMMANDS, SMALL_SETTINGS)
    assert missing == ["no subsection ### `themewire stats` under ## Commands"]


def test_a_setting_outside_configuration_fails(tmp_path):
    text = SMALL.replace("`fetch.user_agent` is sent", "The user agent is sent").replace(
        "## Later", "## Later\n`fetch.user_agent`")
    assert _all_missing(_small(tmp_path, text), SMALL_COMMANDS, SMALL_SETTINGS) == [
        "fetch.user_agent is not written backticked under ## Configuration"]


def test_a_setting_needs_its_full_dotted_path(tmp_path):
    text = SMALL.replace("`fetch.user_agent`", "`user_agent`")
    assert _all_missing(_small(tmp_path, text), SMALL_COMMANDS, SMALL_SETTINGS) == [
        "fetch.user_agent is not written backticked under ## Configuration"]


def test_a_heading_for_a_command_that_does_not_exist_fails(tmp_path):
    text = SMALL.replace("## Configuration", "### `themewire frobnicate`\nGone.\n\n## Configuration")
    assert _all_missing(_small(tmp_path, text), SMALL_COMMANDS, SMALL_SETTINGS) == ["`themewire frobnicate`"]


def _readme_for(commands: dict[str, list[str]], settings: list[str]) -> str:
    parts = ["# themewire", "", "## Commands", ""]
    for command, options in commands.items():
        parts += [f"### {command_heading(command)}", "Options: " + ", ".join(f"`{o} X`" for o in options), ""]
    return "\n".join([*parts, "## Configuration", "", *(f"- `{name}`" for name in settings), ""])


def test_a_readme_documenting_the_real_cli_passes(tmp_path):
    """The real enumeration fits the convention: a README written from it passes, one option less fails."""
    settings = settings_names() + list(ENVIRONMENT)
    assert _all_missing(_small(tmp_path, _readme_for(COMMANDS, settings)), COMMANDS, settings) == []
    fewer = {c: [o for o in opts if (c, o) != ("backfill", "--since")] for c, opts in COMMANDS.items()}
    fewer_settings = [n for n in settings if n != "sources.themes.examples"]
    assert _all_missing(_small(tmp_path, _readme_for(fewer, fewer_settings)), COMMANDS, settings) == [
        "option --since of `themewire backfill` is not written backticked under ### `themewire backfill`",
        "sources.themes.examples is not written backticked under ## Configuration"]
