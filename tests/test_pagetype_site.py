"""Only articles become articles, on a realistic news site (tests/newssite.py): the real ingest flow
(`themewire ingest` in this process, the real Prefect engine) into a real DuckDB file.

The site has a home page, sections with paginated archives (/page/N/ and ?page=N), tags, authors, an
about page, 16 articles in two templates and an events calendar whose sitemap lists 216 months. One run:
every article stored once, no other page in `articles`, every listing recorded in `page_types` with its
type and a `not_article` skip with the reason, the calendar capped at MAX_PAGES_PER_FAMILY months with
`family_capped` skips; a second run stores nothing again.
"""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

from dbquery import query as _rows
from extractors.discover import MAX_PAGES_PER_FAMILY
from flows.cli import main
from newssite import ARTICLES, CALENDAR_MONTHS, SOURCE, listing_paths, serve_news_site


def _path(url: str) -> str:
    p = urlsplit(url)
    return p.path + (f"?{p.query}" if p.query else "")


def _ingest(tmp_path, site, db) -> int:
    cfg = tmp_path / "themewire.toml"
    cfg.write_text(site.config_text(), encoding="utf-8")
    return main(["ingest", "--config", str(cfg), "--db", str(db)])


def test_only_articles_are_stored_and_the_calendar_is_capped(prefect_engine, tmp_path, capsys):
    db = tmp_path / "news.duckdb"
    with serve_news_site() as site:
        assert _ingest(tmp_path, site, db) == 0, capsys.readouterr()
        calendar_fetches = site.requested("/events/")
        first_requests = Counter(site.requested())
        site.clear()
        assert _ingest(tmp_path, site, db) == 0, capsys.readouterr()
        second_304 = site.not_modified
        second_calendar = site.requested("/events/")

    # every real article stored once, nothing else
    stored = Counter(_path(u) for (u,) in _rows(db, "SELECT url FROM articles WHERE source = ?", SOURCE))
    assert stored == Counter(a.path for a in ARTICLES)
    assert all(first_requests[a.path] == 1 for a in ARTICLES)

    # every listing is recorded with its type and a not_article skip with the reason
    types = {_path(u): (kind, page_type, reason, json.loads(signals)) for u, kind, page_type, reason, signals in
             _rows(db, "SELECT url, kind, page_type, reason, signals FROM page_types WHERE source = ?", SOURCE)}
    for path, expected in listing_paths().items():
        kind, page_type, reason, signals = types[path]
        assert (kind, page_type) == ("listing", expected), (path, reason)
        assert reason.startswith(f"listing ({expected})") and "cards" in reason, reason
        assert signals["prose_paragraphs"] == 0 and signals["links"] > 0
    assert types["/about/"][:2] == ("other", "about")
    assert {types[a.path][:2] for a in ARTICLES} == {("article", "article")}
    first_run, second_run = [r for (r,) in _rows(db, "SELECT run_id FROM runs WHERE source = ? ORDER BY started_at",
                                                  SOURCE)]
    skips = {(_path(u), stage): (outcome, reason) for u, stage, outcome, reason in
             _rows(db, "SELECT url, stage, outcome, reason FROM skips WHERE run_id = ?", first_run)}
    for path in [*listing_paths(), "/about/"]:
        outcome, reason = skips[(path, "extract")]
        assert outcome == "not_article" and reason == types[path][2]

    # the calendar: at most MAX_PAGES_PER_FAMILY months fetched, the other months capped with a reason
    assert len(calendar_fetches) == MAX_PAGES_PER_FAMILY
    assert len(set(calendar_fetches)) == MAX_PAGES_PER_FAMILY
    capped = [(p, r) for (p, stage), (o, r) in skips.items() if o == "family_capped"]
    assert len(capped) == len(CALENDAR_MONTHS) - MAX_PAGES_PER_FAMILY
    assert all(p.startswith("/events/") and "events/{date}/{date}" in r for p, r in capped)
    assert {types[p][:2] for p in calendar_fetches} == {("listing", "calendar")}

    # the second run: conditional requests, nothing stored again
    (second,) = _rows(db, "SELECT stored_new, updated FROM runs WHERE run_id = ?", second_run)
    assert second == (0, 0)
    assert second_304 >= len(ARTICLES) + MAX_PAGES_PER_FAMILY
    assert sorted(second_calendar) == sorted(calendar_fetches)  # the same months, re-checked: no crawl creep
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == len(ARTICLES)
