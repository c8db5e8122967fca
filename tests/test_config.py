"""Configuration: a good file loads into frozen Settings; a bad one is exit code 2 with a message that
names the file, the line, the field and what to write instead."""

from __future__ import annotations

import dataclasses

import pytest

from extractors.config import FetchSettings, load_settings_text
from extractors.errors import ConfigError
from flows.cli import main

GOOD = """
[fetch]
user_agent = "themewire-test/0.1 (+https://site.example/contact)"
per_host_delay_seconds = 0.5
allowed_origins = ["http://127.0.0.1:8765"]

[[sources]]
name = "ai-connection"
seeds = ["https://news.example/why-people-lean-on-ai/"]
feeds = ["https://news.example/feed/"]
max_pages_per_run = 50

  [[sources.themes]]
  name = "AI companionship"
  description = "People forming relationships with AI companions and chatbots."
  keywords = ["AI companion", "chatbot"]
"""


def test_good_config_loads_frozen_settings():
    s = load_settings_text(GOOD, "good.toml")
    src = s.source("ai-connection")
    assert src.domains == ("news.example",)  # defaults to the hosts of seeds and feeds
    assert s.fetch.allowed_origins == ("http://127.0.0.1:8765",)
    assert s.fetch.per_host_delay_seconds == 0.5
    assert src.themes[0].keywords == ("AI companion", "chatbot")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.fetch.user_agent = "x"  # type: ignore[misc]


BAD = [
    ("unknown key", GOOD.replace("max_pages_per_run", "max_page_per_run"), 11, "did you mean 'max_pages_per_run'"),
    ("missing name", GOOD.replace('name = "ai-connection"\n', ""), 7, 'needs name = "a-short-slug"'),
    ("bad url", GOOD.replace("https://news.example/feed/", "news.example/feed/"), 10, "is not an http(s) URL"),
    ("empty keywords", GOOD.replace('["AI companion", "chatbot"]', "[]"), 16, "needs keywords"),
    ("no description", GOOD.replace('  description = "People forming relationships with AI companions and '
                                    'chatbots."\n', ""), 13, "needs a description"),
    ("duplicate theme", GOOD + GOOD[GOOD.index("  [[sources.themes]]"):], 18, "defined twice"),
    ("bad fetch value", GOOD.replace("per_host_delay_seconds = 0.5", 'per_host_delay_seconds = "fast"'), 4,
     "must be a non-negative number"),
    ("bad origin", GOOD.replace('"http://127.0.0.1:8765"', '"127.0.0.1"'), 5, "is not an origin"),
    ("not toml", "[[sources]\nname=", None, "invalid TOML"),
]


@pytest.mark.parametrize("label,text,line,fix", BAD, ids=[b[0] for b in BAD])
def test_bad_config_names_file_line_and_fix(label, text, line, fix):
    with pytest.raises(ConfigError) as e:
        load_settings_text(text, "conf/themewire.toml")
    msg = str(e.value)
    assert msg.startswith("conf/themewire.toml"), msg
    if line is not None:
        assert msg.startswith(f"conf/themewire.toml:{line}:"), msg
    assert fix in msg


@pytest.mark.parametrize("label,text,line,fix", BAD[:3], ids=[b[0] for b in BAD[:3]])
def test_cli_exits_2_on_bad_config(tmp_path, capsys, label, text, line, fix):
    path = tmp_path / "themewire.toml"
    path.write_text(text)
    assert main(["sources", "validate", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and fix in err


def test_cli_validates_good_config(tmp_path, capsys):
    path = tmp_path / "themewire.toml"
    path.write_text(GOOD)
    assert main(["sources", "validate", "--config", str(path)]) == 0
    assert "ai-connection" in capsys.readouterr().out


def test_missing_config_file_is_usage_error(tmp_path, capsys):
    assert main(["sources", "validate", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_fetch_defaults_are_bounded():
    f = FetchSettings()
    assert 0 < f.deadline_seconds <= 60 and 0 < f.max_bytes <= 50 * 1024 * 1024 and f.max_redirects <= 20


def test_settings_are_parsed_once_per_version_of_the_file(tmp_path):
    import os

    from extractors.config import load_settings

    path = tmp_path / "themewire.toml"
    path.write_text(GOOD)
    first = load_settings(path)
    assert load_settings(str(path)) is first  # the flow's load after the CLI's: no second parse
    path.write_text(GOOD.replace("max_pages_per_run = 50", "max_pages_per_run = 60"))  # same size
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    changed = load_settings(path)
    assert changed is not first and changed.source("ai-connection").max_pages_per_run == 60
    path.write_text(GOOD.replace("max_pages_per_run", "max_page_per_run"))
    with pytest.raises(ConfigError, match="did you mean 'max_pages_per_run'"):
        load_settings(path)
    path.unlink()
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(path)
