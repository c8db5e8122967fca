"""Site rules: per-source CSS selectors ([sources.rules]) applied before extraction, checked by
`themewire sources validate`, shown by `themewire extract --source`, used by ingest."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from dbquery import query as _rows
from extractors.config import load_settings_text
from extractors.content import extract_article
from extractors.errors import ConfigError
from extractors.models import SiteProfile, SiteRules
from flows.cli import main
from templatesite import BOXES, SOURCE, article_lines, serve_template_site

LINES = [
    "The port authority published its review of the dredging at the north quay on Tuesday, and it found "
    "that costs had risen by nine percent over the plan.",
    "Workers at the north quay said the dredging had changed their shifts twice this year and asked for the "
    "schedule to be fixed before winter.",
    "Engineers expect the project to need eleven more months, while residents complain about noise at night "
    "and lorries queuing on the coast road.",
]
BOX = "Every Friday our editors pick five stories from the harbour for you to read at the weekend."
READERS = [
    "Readers wrote in about yesterday's story: one said the council should have voted a year ago, another "
    "that the fishermen were right to protest the plan.",
    "A third reader asked whether the new berths would bring more cruise ships to the old town, and what "
    "that would mean for rents and for the ferries.",
]

PAGE = f"""<html><head><title>Site name | Port pages</title></head><body>
<div class="a1"><h2 class="hl">The real headline of the day</h2>
<div class="meta"><span class="who">Mara Quint</span> <span class="when">6 May 2024</span></div>
<div class="t"><p>{LINES[0]}</p><div class="plug"><p>{BOX}</p></div><p>{LINES[1]}</p><p>{LINES[2]}</p></div></div>
<div class="a2"><p>{READERS[0]}</p><p>{READERS[1]}</p></div>
</body></html>"""
URL = "https://port.example/news/the-day"


def _extract(**rules):
    return extract_article(PAGE, URL, profile=SiteProfile(rules=SiteRules(**rules)))


def test_without_rules_the_box_and_the_readers_letters_are_kept():
    text = extract_article(PAGE, URL).text
    assert BOX in text and READERS[0] in text  # what the rules below are for


def test_a_drop_selector_removes_a_box():
    text = _extract(drop=(".plug",)).text
    assert BOX not in text and all(line in text for line in LINES)


def test_the_body_selector_chooses_the_article():
    text = _extract(body="div.a1 .t").text
    assert not any(r in text for r in READERS) and all(line in text for line in LINES)
    assert BOX in text  # only `drop` removes boxes inside the body
    unmatched = _extract(body="div.nothing-like-this").text  # no match: the whole page, as without rules
    assert unmatched == extract_article(PAGE, URL).text


def test_title_author_and_date_from_selectors():
    art = _extract(title="h2.hl", author=".who", date=".when")
    assert art.title == "The real headline of the day"
    assert art.author == "Mara Quint" and art.author_candidates[0].source == "rule"
    assert art.published_at == datetime(2024, 5, 6, tzinfo=timezone.utc) and art.date_source == "rule"
    assert "Mara Quint" not in art.text and "6 May 2024" not in art.text  # read, then removed like a byline
    plain = extract_article(PAGE, URL)
    assert plain.title != art.title and plain.date_source != "rule"


def test_a_date_attribute_wins_over_the_elements_text():
    page = PAGE.replace('<span class="when">6 May 2024</span>', '<time class="when" datetime="2024-05-07T08:30:00Z">'
                                                              'yesterday</time>')
    art = extract_article(page, URL, profile=SiteProfile(rules=SiteRules(date="time.when")))
    assert art.published_at == datetime(2024, 5, 7, 8, 30, tzinfo=timezone.utc)


def test_pages_without_rules_never_run_the_rules_parse(monkeypatch):
    import extractors.content._rules as rules_module

    def fail(*a, **k):
        raise AssertionError("the rules parse ran for a page without rules")

    monkeypatch.setattr(rules_module, "extract_with_rules", fail)
    assert extract_article(PAGE, URL).text
    assert extract_article(PAGE, URL, profile=SiteProfile(fingerprint=True)).text
    with pytest.raises(AssertionError):
        _extract(drop=(".plug",))


# --- configuration ----------------------------------------------------------------------------------------

CONFIG = """[[sources]]
name = "port"
seeds = ["https://port.example/"]

  [[sources.themes]]
  name = "Port works"
  description = "Construction and budgets of the port."
  keywords = ["dredging"]

  [sources.rules]
  drop = [".plug", "div.share"]
  body = "div.a1 .t"
  title = "h2.hl"
"""


def test_rules_are_read_into_the_source():
    s = load_settings_text(CONFIG, "t.toml")
    assert s.sources[0].rules == SiteRules(drop=(".plug", "div.share"), body="div.a1 .t", title="h2.hl")
    assert s.theme_set(s.sources[0]).profile == SiteProfile(rules=s.sources[0].rules)


@pytest.mark.parametrize("bad, line, key, reason", [
    ('drop = [".plug", "div.share"]', 'drop = [".plug", "div[class="]', "drop", "Malformed attribute selector"),
    ('body = "div.a1 .t"', 'body = "div..t"', "body", "Malformed class selector"),
    ('title = "h2.hl"', 'title = "h2:nope(x)"', "title", "nope"),
])
def test_a_bad_selector_is_rejected_with_file_line_and_reason(tmp_path, capsys, bad, line, key, reason):
    path = tmp_path / "themewire.toml"
    path.write_text(CONFIG.replace(bad, line), encoding="utf-8")
    lineno = path.read_text().splitlines().index("  " + line) + 1
    assert main(["sources", "validate", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{lineno}: sources.rules.{key}:" in err and reason in err and "not a valid CSS selector" in err


def test_unknown_rule_keys_and_wrong_types_are_rejected():
    with pytest.raises(ConfigError, match=r"t\.toml:12: unknown key sources\.rules\.bdy: did you mean 'body'"):
        load_settings_text(CONFIG.replace('body = "div.a1 .t"', 'bdy = "div"'), "t.toml")
    with pytest.raises(ConfigError, match=r"t\.toml:11: drop must be a list"):
        load_settings_text(CONFIG.replace('drop = [".plug", "div.share"]', 'drop = ".plug"'), "t.toml")


def test_validate_prints_the_rules(tmp_path, capsys):
    path = tmp_path / "themewire.toml"
    path.write_text(CONFIG, encoding="utf-8")
    assert main(["sources", "validate", "--config", str(path)]) == 0
    assert "rules: drop 2 selector(s), body 'div.a1 .t', title 'h2.hl'" in capsys.readouterr().out


# --- themewire extract --source ----------------------------------------------------------------------------

@pytest.fixture()
def page_and_config(tmp_path):
    page, config = tmp_path / "page.html", tmp_path / "themewire.toml"
    page.write_text(PAGE, encoding="utf-8")
    config.write_text(CONFIG, encoding="utf-8")
    return page, config


def test_extract_with_source_applies_the_rules_and_reports_them(page_and_config, capsys):
    page, config = page_and_config
    assert main(["extract", str(page), "--url", URL, "--source", "port", "--config", str(config)]) == 0
    captured = capsys.readouterr()
    assert BOX not in captured.out and READERS[0] not in captured.out and LINES[2] in captured.out
    assert "drop '.plug': 1 element(s) removed" in captured.err
    assert "drop 'div.share': 0 element(s) removed" in captured.err
    assert "body 'div.a1 .t': 1 element(s) kept" in captured.err
    assert f"  - {BOX}" in captured.err and "title: 'The real headline of the day'" in captured.err

    assert main(["extract", str(page), "--url", URL, "--source", "port", "--config", str(config),
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "The real headline of the day"
    rules = data["rules"]
    assert rules["drop"] == {".plug": 1, "div.share": 0} and rules["body"] == {"selector": "div.a1 .t", "matched": 1}
    assert BOX in rules["lines_removed"] and READERS[1] in rules["lines_removed"] and rules["lines_added"] == []
    assert rules["text_chars"] < rules["text_chars_without_rules"]


def test_extract_with_an_unknown_source_is_a_usage_error(page_and_config, capsys):
    page, config = page_and_config
    assert main(["extract", str(page), "--source", "nope", "--config", str(config)]) == 2
    assert "no source named 'nope'" in capsys.readouterr().err


# --- ingest -----------------------------------------------------------------------------------------------

def test_ingest_applies_the_sources_rules(prefect_engine, tmp_path):
    db, config = tmp_path / "themewire.duckdb", tmp_path / "themewire.toml"
    with serve_template_site(pages=4) as site:
        config.write_text(site.config_text() + '\n  [sources.rules]\n  drop = [".note", "div.aux"]\n',
                          encoding="utf-8")
        assert main(["ingest", "--config", str(config), "--db", str(db)]) == 0
    texts = dict(_rows(db, "SELECT url, text FROM articles WHERE source = ?", SOURCE))
    assert len(texts) == 4
    for i in range(1, 5):
        text = texts[site.url(i)]
        assert BOXES[0] not in text and BOXES[2] not in text and BOXES[1] in text  # aux-b is not div.aux
        assert all(line in text for line in article_lines(i))
