"""Reprocess drops the articles of pages that are no longer articles: the real ingest and reprocess
flows (the real Prefect engine) on a real news site (tests/newssite.py) into a real DuckDB file.

An article page is ingested; then the site serves a tag listing at that URL, the next ingest stores
that body (the gate says listing; ingest keeps the stored article) and reprocess removes the article
with every row keyed by it, in the batch's transaction, and counts it in the runs row."""

from __future__ import annotations

import pytest

from dbquery import query as _rows
from flows.cli import main
from newssite import ARTICLES, SOURCE, serve_news_site, tag_html

THEME = "Harbour and transport"

# table -> the column naming the article
KEYED = {"articles": "article_id", "article_themes": "article_id", "article_links": "from_article_id",
         "article_dates": "article_id", "article_authors": "article_id", "theme_labels": "article_id",
         "canonical_decisions": "article_id", "page_blocks": "article_id", "duplicates": "article_id",
         "internal.search_docs": "article_id", "internal.search_postings": "article_id",
         "internal.search_pending": "article_id", "urls": "article_id", "internal.raw_pages": "article_id",
         "page_types": "article_id"}


def _keyed(db, aid: str) -> dict[str, int]:
    return {t: _rows(db, f"SELECT count(*) FROM {t} WHERE {c} = ?", aid)[0][0] for t, c in KEYED.items()}


def _tables(db) -> dict[str, list]:
    """Every table keyed by article, as sorted rows (run ids and times left out, and theme scores: they
    are calibrated on the source's stored articles, which the first removal changed)."""
    out = {}
    for t, c in KEYED.items():
        cols = [n for (n,) in _rows(db, "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                        "AND schema_name = ? ORDER BY column_index",
                                    t.split(".")[-1], "internal" if "." in t else "main")
                if n not in ("run_id", "labelled_at", "decided_at", "last_fetched_at", "score", "evidence")]
        out[t] = sorted(map(str, _rows(db, f"SELECT {', '.join(cols)} FROM {t}")))
    return out


def _run(tmp_path, site, db, command: str) -> int:
    cfg = tmp_path / "themewire.toml"
    cfg.write_text(site.config_text(), encoding="utf-8")
    return main([command, "--config", str(cfg), "--db", str(db)])


@pytest.fixture()
def listed(prefect_engine, tmp_path, capsys):
    """The site ingested; one article URL then serves a listing and a second ingest stores that body."""
    from warehouse import Warehouse
    from warehouse.labels import ThemeLabel, load_theme_labels

    db = tmp_path / "news.duckdb"
    art = ARTICLES[0]
    with serve_news_site() as site:
        assert _run(tmp_path, site, db, "ingest") == 0, capsys.readouterr()
        url = site.url(art.path)
        (aid,) = _rows(db, "SELECT article_id FROM urls WHERE url = ?", url)[0]
        with Warehouse.open(db) as wh:
            assert load_theme_labels(wh, [ThemeLabel(SOURCE, aid, THEME, True, "test")],
                                     {SOURCE: {THEME}}).written == 1
            wh.publish()
        site.files[art.path] = (tag_html("harbour"), "text/html; charset=utf-8")
        assert _run(tmp_path, site, db, "ingest") == 0, capsys.readouterr()
        yield {"db": db, "site": site, "url": url, "aid": aid, "tmp": tmp_path}


def test_reprocess_removes_the_article_of_a_page_now_a_listing_with_every_dependant(listed, capsys):
    db, url, aid = listed["db"], listed["url"], listed["aid"]
    before = _keyed(db, aid)
    # ingest stored the listing's body and the gate's verdict, and kept the article
    assert _rows(db, "SELECT kind, page_type FROM page_types WHERE url = ?", url) == [("listing", "index")]
    for t in ("articles", "article_themes", "article_dates", "theme_labels", "duplicates", "internal.search_docs",
              "internal.search_postings", "urls", "internal.raw_pages"):
        assert before[t] > 0, (t, before)
    others = _rows(db, "SELECT article_id, content_hash FROM articles WHERE article_id <> ? ORDER BY 1", aid)
    assert len(others) == len(ARTICLES) - 1

    capsys.readouterr()
    assert _run(listed["tmp"], listed["site"], db, "reprocess") == 0
    out = capsys.readouterr().out
    assert "no longer articles 1 (articles removed 1)" in out, out

    assert {t: n for t, n in _keyed(db, aid).items() if n} == {}
    assert _rows(db, "SELECT article_id, content_hash FROM articles ORDER BY 1") == others
    kind, page_type, reason, page_aid = _rows(db, "SELECT kind, page_type, reason, article_id FROM page_types "
                                                  "WHERE url = ?", url)[0]
    assert (kind, page_type, page_aid) == ("listing", "index", None) and reason.startswith("listing (index)")
    (run_id,) = _rows(db, "SELECT run_id FROM runs WHERE flow = 'reprocess'")[0]
    assert _rows(db, "SELECT outcome, article_id, article_status FROM run_pages WHERE run_id = ? AND url = ?",
                 run_id, url) == [("not_article", aid, "removed")]
    assert _rows(db, "SELECT articles_removed, status FROM runs WHERE run_id = ?", run_id) == [(1, "completed")]
    assert _rows(db, "SELECT count(*) FROM search_articles('harbour', k := 100) WHERE article_id = ?", aid) == [(0,)]

    # idempotent: a second reprocess removes nothing and leaves the same tables
    tables = _tables(db)
    assert _run(listed["tmp"], listed["site"], db, "reprocess") == 0
    assert _tables(db) == tables
    assert sorted(n for (n,) in _rows(db, "SELECT articles_removed FROM runs WHERE flow = 'reprocess'")) == [0, 1]


def test_a_reprocess_that_fails_mid_removal_leaves_the_article_and_its_rows(listed, monkeypatch, capsys):
    """The removal is part of the batch's transaction: a failure after the article row was deleted
    (before its search rows, its duplicates, the URL ledger) rolls all of it back."""
    from warehouse import load as sql

    db, aid = listed["db"], listed["aid"]
    before, tables = _keyed(db, aid), _tables(db)
    at = sql.STEPS.index(f"DELETE FROM articles WHERE article_id IN ({sql._REMOVED})") + 1
    monkeypatch.setattr(sql, "STEPS", [*sql.STEPS[:at], "SELECT error('disk gone')", *sql.STEPS[at:]])
    assert _run(listed["tmp"], listed["site"], db, "reprocess") != 0
    assert _keyed(db, aid) == before
    assert _tables(db) == tables
    monkeypatch.undo()
    assert _run(listed["tmp"], listed["site"], db, "reprocess") == 0
    assert _keyed(db, aid)["articles"] == 0
