"""The warehouse writer in one process: loads, idempotency, identity, ledger, search, migrations."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from factories import (BASE_TIME, THEMES, make_failed_page, make_not_modified_page, make_page,
                       make_pages, snapshot_tables, url_for)
from warehouse import RunInfo, SchemaTooNew, Warehouse, WarehouseNotFound, article_id_for, open_reader
from warehouse.migrate import latest_version, migrations


def _q(db, sql, params=None):
    con = open_reader(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _run(wh, run_id="r1", source="sample", started=BASE_TIME):
    wh.load_run_started(RunInfo(run_id, "ingest", source, started))


@pytest.fixture
def db(tmp_path):
    return tmp_path / "tw.duckdb"


def test_load_writes_every_table_and_counts(db):
    with Warehouse.open(db) as wh:
        _run(wh)
        counts = wh.load_pages("r1", "sample", make_pages(14, failed_every=7))
        wh.load_run_finished("r1", "sample", "completed", {"discovered": 20})
        wh.publish()
    assert (counts.pages, counts.fetched, counts.failed, counts.stored_new, counts.skipped) == (14, 12, 2, 12, 2)
    assert _q(db, "SELECT count(*) FROM articles") == [(12,)]
    assert _q(db, "SELECT count(*) FROM article_themes") == [(12 * len(THEMES),)]
    assert _q(db, "SELECT count(*) FROM fetches") == [(12 + 2 * 2,)]  # failed pages made 2 requests
    assert _q(db, "SELECT count(*) FROM internal.raw_pages") == [(12,)]
    assert _q(db, "SELECT count(*), count(DISTINCT stage) FROM skips") == [(2, 1)]
    run = _q(db, "SELECT status, discovered, fetched, failed, stored_new, failures FROM runs")
    assert run == [("completed", 20, 12, 2, 12, {"timeout": 2})]
    assert _q(db, "SELECT DISTINCT run_id FROM articles") == [("r1",)]


def test_author_candidates_are_stored_with_their_source_and_replaced_from_the_winning_page(db):
    from extractors.models import AuthorCandidate

    first = make_page(0)
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [first])
        rows = lambda: _q(db, "SELECT name, source, position FROM article_authors ORDER BY position")  # noqa: E731
        wh.publish()
        assert rows() == [("Author 0", "jsonld", 0), ("Author 0", "meta", 1)]
        art = replace(first.article, author="Jane Doe, John Roe", author_candidates=(
            AuthorCandidate("Jane Doe", "byline"), AuthorCandidate("John Roe", "byline"),
            AuthorCandidate("Jane Doe", "byline"), AuthorCandidate("Jane Doe", "trafilatura")))
        wh.load_pages("r1", "sample", [first, replace(first, article=art)])  # the last page wins
        wh.publish()
    assert rows() == [("Jane Doe", "byline", 0), ("John Roe", "byline", 1), ("Jane Doe", "trafilatura", 2)]
    assert _q(db, "SELECT author FROM articles") == [("Jane Doe, John Roe",)]
    assert _q(db, "SELECT DISTINCT article_id FROM article_authors") == _q(db, "SELECT article_id FROM articles")


def test_updated_at_is_stored_apart_from_published_at_as_utc(db):
    first = make_page(0)
    updated = datetime(2026, 1, 6, 9, 30, tzinfo=timezone(timedelta(hours=2)))  # 07:30 UTC
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [first, replace(make_page(1), article=replace(make_page(1).article,
                                                                                     updated_at=updated))])
        wh.publish()
    rows = _q(db, "SELECT url, published_at, updated_at FROM articles ORDER BY url")
    assert rows[0][2] is None  # the page gave no update time
    assert rows[1][2] == datetime(2026, 1, 6, 7, 30, tzinfo=timezone.utc) and rows[1][1] != rows[1][2]
    assert latest_version() >= 8


def test_reloading_the_same_batch_changes_nothing(db):
    pages = make_pages(10, failed_every=4)
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", pages)
        wh.publish()
        once = snapshot_tables(db)
        second = wh.load_pages("r1", "sample", pages + pages[:3])  # repeats inside the batch too
        wh.publish()
    assert snapshot_tables(db) == once
    assert second.stored_new == 8  # the first load in a run decides new/updated


def test_a_new_run_updates_changed_articles_and_keeps_first_seen(db):
    with Warehouse.open(db) as wh:
        _run(wh, "r1")
        wh.load_pages("r1", "sample", make_pages(3))
        _run(wh, "r2", started=BASE_TIME + timedelta(days=1))
        later = BASE_TIME + timedelta(days=1)
        c = wh.load_pages("r2", "sample", [make_page(0, text="Changed body about chatbots.", fetched_at=later),
                                           make_page(1, fetched_at=later), make_not_modified_page(2)])
        wh.publish()
    assert (c.stored_new, c.updated, c.unchanged, c.not_modified) == (0, 1, 1, 1)
    rows = _q(db, "SELECT url, first_seen_run, run_id, first_seen_at < last_fetched_at FROM articles ORDER BY url")
    assert rows == [(url_for(0), "r1", "r2", True), (url_for(1), "r1", "r2", True), (url_for(2), "r1", "r1", True)]
    assert _q(db, "SELECT text FROM articles WHERE url = ?", [url_for(0)]) == [("Changed body about chatbots.",)]


def test_one_article_however_many_urls_lead_to_it(db):
    canonical = url_for(5)
    alias = "https://news.example/amp/5/"
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [make_page(5), make_page(5, url=alias, canonical_url=canonical)])
        wh.publish()
    assert _q(db, "SELECT article_id, canonical_url FROM articles") == [(article_id_for(canonical), canonical)]
    assert article_id_for(canonical) == __import__("hashlib").sha256(canonical.encode()).hexdigest()[:16]
    ledger = _q(db, "SELECT url, found_via, article_id FROM urls ORDER BY url")
    assert ledger == [(alias, "feed", article_id_for(canonical)), (url_for(5), "feed", article_id_for(canonical))]


def test_same_content_under_another_url_is_marked_duplicate_not_dropped(db):
    text = "Identical syndicated text about an AI companion app."
    near = (1 << 40) | (1 << 3)  # two bits from the base fingerprint
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [make_page(1, text=text, simhash=0)])
        c = wh.load_pages("r1", "sample", [make_page(2, text=text, simhash=0),
                                           make_page(3, text="Reworded: " + text, simhash=near),
                                           make_page(4, simhash=(1 << 64) - 1)])  # far, and unsigned
        wh.publish()
    assert c.duplicates == 1
    rows = _q(db, "SELECT a.url, d.is_exact_duplicate, d.is_near_duplicate, d.duplicate_of, d.cluster_id "
                  "FROM duplicates d JOIN articles a USING (article_id) ORDER BY a.url")
    ids = {i: article_id_for(url_for(i)) for i in (1, 2, 3, 4)}
    cluster = min(ids[1], ids[2], ids[3])
    assert rows == [(url_for(1), False, False, None, cluster),
                    (url_for(2), True, False, ids[1], cluster),
                    (url_for(3), False, True, ids[1], cluster),
                    (url_for(4), False, False, None, ids[4])]
    assert _q(db, "SELECT simhash FROM articles WHERE url = ?", [url_for(4)]) == [(-1,)]
    assert _q(db, "SELECT count(*) FROM articles") == [(4,)]
    assert _q(db, "SELECT article_status FROM run_pages WHERE url = ?", [url_for(2)]) == [("duplicate",)]


def test_untrusted_text_is_stored_verbatim(db):
    title = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"
    text = "'); DROP TABLE articles; -- \"quoted\" \\ backslash $run ? %s"
    with Warehouse.open(db) as wh:
        _run(wh, run_id="r'); DROP TABLE runs; --")
        wh.load_pages("r'); DROP TABLE runs; --", "sample", [make_page(1, title=title, text=text)])
        wh.publish()
    assert _q(db, "SELECT title, text FROM articles") == [(title, text)]
    assert _q(db, "SELECT run_id FROM runs") == [("r'); DROP TABLE runs; --",)]


def test_crawl_state_has_validators_blocks_and_finished_urls(db):
    now = datetime(2026, 1, 6, tzinfo=timezone.utc)
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [make_page(1), make_failed_page(2, "timeout"),
                                       make_failed_page(3, "robots_disallowed"),
                                       make_page(4, canonical_url="https://news.example/c/4/")])
        wh.load_host_blocks({"slow.example": now + timedelta(hours=1), "old.example": now - timedelta(hours=1)})
        state = wh.read_crawl_state("sample", now=now)
        assert wh.read_crawl_state("other").known == frozenset()
    assert state.validators[url_for(1)].etag == '"e1"'
    assert state.host_blocks == {"slow.example": now + timedelta(hours=1)}
    assert state.known == {url_for(i) for i in (1, 2, 3, 4)} | {"https://news.example/c/4/"}
    assert state.finished == {url_for(1), url_for(3), url_for(4), "https://news.example/c/4/"}
    assert state.next_fetch_at[url_for(2)] > BASE_TIME


def test_not_modified_keeps_validators_and_the_article(db):
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [make_page(7)])
        _run(wh, "r2")
        c = wh.load_pages("r2", "sample", [make_not_modified_page(7)])
        state = wh.read_crawl_state("sample")
        wh.publish()
    assert c.not_modified == 1 and c.stored_new == 0
    assert state.validators[url_for(7)].last_modified == "Mon, 05 Jan 2026 12:00:00 GMT"
    assert _q(db, "SELECT count(*) FROM articles") == [(1,)]
    assert _q(db, "SELECT article_id FROM run_pages WHERE run_id = 'r2'") == [(article_id_for(url_for(7)),)]


def test_stored_pages_come_back_decompressed_with_hints(db):
    html = "<html><body>Café ünïcode ✓</body></html>".encode()
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [make_page(i, html=html) for i in range(5)] + [make_failed_page(9)])
        pages = list(wh.iter_stored_pages(source="sample", chunk=2))
        none_since = list(wh.iter_stored_pages(since=BASE_TIME + timedelta(days=3)))
        other = list(wh.iter_stored_pages(source="other"))
    assert [p.candidate.url for p in pages] == sorted(url_for(i) for i in range(5))
    assert all(p.html == html for p in pages)
    assert pages[0].candidate.date_hint_source == "feed" and pages[0].candidate.date_hint.tzinfo
    assert none_since == [] and other == []


def test_bm25_search_ranks_in_sql(db):
    docs = [make_page(1, title="Chatbot companions", text="A chatbot companion chatbot for lonely people."),
            make_page(2, title="Markets", text="Investors fund a startup; one chatbot mention."),
            make_page(3, title="Gardening", text="Tomatoes and roses in the spring garden.")]
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", docs)
        wh.publish()
    hits = _q(db, "SELECT title, score FROM search_articles('chatbot companion')")
    assert [h[0] for h in hits] == ["Chatbot companions", "Markets"]
    assert hits[0][1] > hits[1][1] > 0
    assert _q(db, "SELECT title FROM search_articles('TOMATOES!', k := 5)") == [("Gardening",)]
    assert _q(db, "SELECT * FROM search_articles('the and of')") == []


def test_upgrading_a_first_version_database_keeps_its_data(db):
    with Warehouse.open(db, schema_upto=1) as wh:
        assert wh.schema_version == 1
        con = wh._con  # the v1 schema has no loader of its own: write rows as v1 would have
        con.execute("INSERT INTO articles (article_id, source, url, canonical_url, title, text, content_hash, "
                    "first_seen_at, first_seen_run, last_fetched_at, run_id) VALUES "
                    "('a1', 'sample', 'https://old.example/1', 'https://old.example/1', 'Old companion story', "
                    "'An older chatbot companion article.', 'h1', ?, 'r0', ?, 'r0')", [BASE_TIME, BASE_TIME])
        con.execute("INSERT INTO runs (run_id, flow, source, started_at, status) VALUES ('r0', 'ingest', 'sample', ?, 'completed')",
                    [BASE_TIME])
        wh.publish()
    with Warehouse.open(db) as wh:
        assert wh.schema_version == latest_version() >= 2
        wh.publish()
    assert _q(db, "SELECT article_id, title FROM articles") == [("a1", "Old companion story")]
    assert _q(db, "SELECT run_id, status FROM runs") == [("r0", "completed")]
    assert _q(db, "SELECT article_id FROM search_articles('companion')") == [("a1",)]
    # every bundled migration applied once, in order (numbers may skip: they are reserved per feature)
    assert [r[0] for r in _q(db, "SELECT version FROM internal.schema_version ORDER BY 1")] == [v for v, _, _ in migrations()]
    assert migrations()[-1][0] == latest_version()


# The documented key of every table that has no PRIMARY KEY since migration 004.
KEYS = {"articles": "article_id", "duplicates": "article_id", "internal.search_docs": "article_id",
        "article_themes": "article_id, theme", "article_links": "from_article_id, to_url, kind",
        "fetches": "run_id, candidate_url, seq", "run_pages": "run_id, url", "urls": "url",
        "internal.raw_pages": "url", "skips": "run_id, url, stage", "article_authors": "article_id, name, source",
        "page_types": "url", "canonical_decisions": "url",
        "entry_points": "run_id, source, kind, url"}


def _duplicate_keys(db) -> dict[str, int]:
    return {t: n for t, k in KEYS.items()
            if (n := _q(db, f"SELECT count(*) - count(DISTINCT ({k})) FROM {t}")[0][0])}


def _load_overlapping(wh, run_id):
    _run(wh, run_id)
    for k in range(3):  # each batch repeats pages of the previous one, and one page twice
        pages = make_pages(6, start=4 * k, failed_every=5)
        wh.load_pages(run_id, "sample", pages + pages[:2])
    wh.load_run_finished(run_id, "sample", "completed")


def test_keys_stay_unique_without_key_indexes(db):
    with Warehouse.open(db) as wh:
        _load_overlapping(wh, "r1")
        _load_overlapping(wh, "r1")  # a resumed run re-loads everything
        _load_overlapping(wh, "r2")
        wh.publish()
    assert _q(db, "SELECT count(*) FROM articles")[0][0] > 0
    assert _duplicate_keys(db) == {}
    assert _q(db, "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
                  f"AND table_name IN ({', '.join(repr(t.split('.')[-1]) for t in KEYS)})") == [(0,)]


RUNS_COLUMNS_012 = ("canonical_merged", "canonical_ignored", "canonical_kept_apart", "entry_points",
                    "entry_points_failed")


def _as_older_schema(src, dst, version):
    """Copy the published warehouse `src` into a new warehouse `dst` held at schema `version` (3 or 4:
    raw page bodies inside raw_pages.html, as those versions stored them)."""
    import pyarrow as pa

    from warehouse.rawstore import RawStore, store_dir

    store = RawStore(store_dir(src))
    with Warehouse.open(dst, schema_upto=version) as wh:
        con = wh._con
        con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
        keys = [k for (k,) in con.execute("SELECT DISTINCT raw_key FROM src.internal.raw_pages").fetchall()]
        con.register("bodies", pa.table({"raw_key": keys, "html": [store.read(k) for k in keys]}))
        for schema, t in con.execute(  # src is at the latest schema (internals in `internal`), dst all in main
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'src' "
                "AND table_name NOT IN ('schema_version', 'outcomes') AND table_name IN "
                "(SELECT table_name FROM duckdb_tables() WHERE database_name <> 'src')").fetchall():
            newer = [c for (c,) in con.execute(  # columns later migrations added (008: articles.updated_at)
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'src' AND table_name = ? EXCEPT "
                "SELECT column_name FROM duckdb_columns() WHERE database_name <> 'src' AND table_name = ?",
                [t, t]).fetchall() if t != "raw_pages"]
            select = (f"SELECT * {'EXCLUDE (' + ', '.join(newer) + ')' if newer else ''} FROM src.{schema}.{t}"
                      if t != "raw_pages" else
                      "SELECT r.* EXCLUDE (raw_key, stored_bytes), b.html FROM src.internal.raw_pages r "
                      "JOIN bodies b USING (raw_key)")
            con.execute(f"DELETE FROM {t}")  # some are seeded by the migrations (search_stopwords)
            con.execute(f"INSERT INTO {t} BY NAME {select}")
        con.execute("DETACH src")
        wh.publish()


@pytest.mark.parametrize("version", [3, 4])
def test_upgrading_an_older_database_keeps_every_row_and_moves_bodies_to_files(tmp_path, version):
    import hashlib

    src, db = tmp_path / "src.duckdb", tmp_path / "old.duckdb"
    with Warehouse.open(src) as wh:
        _load_overlapping(wh, "r1")
        wh.publish()
    _as_older_schema(src, db, version)
    before = snapshot_tables(db)
    with Warehouse.open(db) as wh:
        assert wh.schema_version == latest_version() >= 5
        stored = {p.candidate.url: p.html for p in wh.iter_stored_pages("sample")}
        wh.publish()
    after = snapshot_tables(db, drop_columns=("updated_at", *RUNS_COLUMNS_012, "articles_removed"))  # added by 008, 012, 014
    assert _q(db, "SELECT count(*) FROM articles WHERE updated_at IS NOT NULL") == [(0,)]
    kept = lambda snap: {t: rows for t, rows in snap.items() if t in before and t not in ("schema_version", "outcomes", "raw_pages")}  # noqa: E731
    assert kept(after) == kept(before) and len(kept(after)) >= 15  # outcomes: refreshed on every open
    assert after["raw_garbage"] == []  # added by migration 006, empty
    # raw_pages: the same rows, each body now a file named by the sha256 of its bytes
    html = {r[0]: r[-2] for r in before["raw_pages"]}
    assert {r[0]: r[8] for r in after["raw_pages"]} == {u: hashlib.sha256(h).hexdigest() for u, h in html.items()}
    assert len(stored) == len(html) > 0 and all(stored[u] == gzip.decompress(h) for u, h in html.items())
    with Warehouse.open(db) as wh:  # and keeps loading the same way
        _load_overlapping(wh, "r2")
        wh.publish()
    assert _duplicate_keys(db) == {}
    assert [r[0] for r in _q(db, "SELECT article_id FROM search_articles('chatbot', k := 100)")]


def test_reopening_is_idempotent_and_newer_schemas_are_refused(db):
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", make_pages(3))
        wh.publish()
    before = snapshot_tables(db)
    with Warehouse.open(db) as wh:
        wh.publish()
    assert snapshot_tables(db) == before
    with Warehouse.open(db) as wh:
        wh._con.execute("INSERT INTO internal.schema_version VALUES (999, 'future', now()::TIMESTAMP)")
    with pytest.raises(SchemaTooNew, match="999"):
        Warehouse.open(db)


def test_the_writer_seeds_its_file_from_the_published_one(db, tmp_path):
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", make_pages(2))
        wh.publish()
        writer = wh.writer_path
    writer.unlink()
    with Warehouse.open(db) as wh:
        assert len(wh.read_crawl_state("sample").known) == 2


def test_readers_get_a_typed_error_without_a_published_file(tmp_path):
    with pytest.raises(WarehouseNotFound, match="themewire ingest"):
        open_reader(tmp_path / "missing.duckdb")


def test_run_rows_resume_and_dead_runs_become_interrupted(db):
    with Warehouse.open(db) as wh:
        _run(wh, "r1")
        _run(wh, "r1", started=BASE_TIME + timedelta(hours=1))  # resumed: keeps the first start
        _run(wh, "r2", started=BASE_TIME + timedelta(days=1))
        wh.load_run_finished("r2", "sample", "failed", {"error": "ConfigError: boom"})
        wh.publish()
    rows = _q(db, "SELECT run_id, status, started_at, error FROM runs ORDER BY run_id")
    assert rows == [("r1", "interrupted", BASE_TIME, None),  # TIMESTAMPTZ: read back aware, in UTC
                    ("r2", "failed", BASE_TIME + timedelta(days=1), "ConfigError: boom")]


def test_plan_skips_survive_page_loads_of_the_same_url(db):
    from extractors.models import Skip

    plan = Skip(url=url_for(3), source="sample", stage="plan", outcome="budget_exhausted", reason="over budget")
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_skips("r1", [plan, plan])
        wh.load_pages("r1", "sample", [make_failed_page(3), replace(make_page(4), skip=replace(plan, url=url_for(4)))])
        wh.load_pages("r1", "sample", [make_failed_page(3)])
        wh.publish()
    assert _q(db, "SELECT url, stage, outcome FROM skips ORDER BY url, stage") == [
        (url_for(3), "fetch", "timeout"), (url_for(3), "plan", "budget_exhausted"),
        (url_for(4), "plan", "budget_exhausted")]


def test_plan_fetches_are_logged_once_per_requested_url(db):
    feed = make_failed_page(500, "http_error").fetch  # two attempts
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_plan_fetches("r1", "sample", [feed])
        wh.load_plan_fetches("r1", "sample", [feed, make_page(501).fetch])
        wh.load_plan_fetches("r1", "sample", [])
        wh.publish()
    assert _q(db, "SELECT candidate_url, seq, outcome FROM fetches ORDER BY 1, 2") == [
        (url_for(500), 0, "http_error"), (url_for(500), 1, "http_error"), (url_for(501), 0, "ok")]
    assert _q(db, "SELECT last_run_requests, last_run_errors FROM v_source_health") == [(3, 2)]


def test_views_agree_with_the_tables(db):
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", make_pages(30, failed_every=10)
                      + [make_page(40, text=make_page(1).article.text)])  # an exact duplicate of 1
        wh.publish()
    matched = _q(db, "SELECT count(*) FROM article_themes t JOIN duplicates d USING (article_id) "
                     "WHERE t.is_match AND NOT d.is_exact_duplicate")[0][0]
    assert _q(db, "SELECT sum(articles) FROM v_theme_daily")[0][0] == matched
    assert _q(db, "SELECT sum(articles) FROM v_theme_weekly")[0][0] == matched
    assert _q(db, "SELECT count(*) FILTER (WHERE is_duplicate), count(*) FROM v_articles") == [(1, 28)]
    top = _q(db, "SELECT top_theme, top_score FROM v_articles WHERE url = ?", [url_for(2)])[0]
    best = max(make_page(2).scores, key=lambda s: (s.score, [-ord(c) for c in s.theme]))
    assert top == (best.theme, best.score)
    assert _q(db, "SELECT count(*), count(DISTINCT outcome) FROM v_skipped") == [(3, 1)]


def test_a_batch_of_large_raw_pages_loads(tmp_path):
    """One batch holding ~300 MB of raw pages (60 incompressible 5 MB bodies) commits and reads back.
    (With the bodies inside DuckDB and a 128 or 256 MB memory_limit this failed with "failed to pin
    block"; they are files now, written once per distinct body.)"""
    import gzip
    import os

    body = os.urandom(5_000_000)
    stored = gzip.compress(body, compresslevel=1, mtime=0)
    pages = [replace(p, fetch=replace(p.fetch, body=body), raw_gzip=stored) for p in make_pages(60)]
    db = tmp_path / "w.duckdb"
    with Warehouse.open(db) as wh:
        counts = wh.load_pages("r1", "sample", pages)
        wh.publish()
        stored_page = next(p for p in wh.iter_stored_pages("sample") if p.candidate.url == pages[7].candidate.url)
    assert counts.stored_new == 60
    assert stored_page.html == body
    with open_reader(db) as con:  # 60 rows, one file: equal bodies are stored once
        assert con.execute("SELECT count(*), count(DISTINCT raw_key), min(stored_bytes) FROM internal.raw_pages").fetchone() == (60, 1, len(stored))
    assert [p.stat().st_size for p in wh.raw_store.root.glob("*/*")] == [len(stored)]


def test_raw_store_files_no_row_names_are_deleted_when_the_writer_opens(db):
    from warehouse.rawstore import OPEN_MARK

    first, second = make_page(1, html=b"<html>first body</html>"), make_page(1, html=b"<html>second body</html>")
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [first, make_page(2)])
        wh.load_pages("r1", "sample", [second])  # the URL's body changed: its first file is named by nothing
        store = wh.raw_store
        # what a crash between writing a batch's files and its COMMIT leaves: files, and a temporary
        store.ensure_stored([("ab" * 32, b"never committed")])
        (store.root / "ab" / ("cd" * 32 + ".gz.123.part")).write_bytes(b"half written")
        wh.publish()
        named = {k for (k,) in wh._con.execute("SELECT raw_key FROM internal.raw_pages").fetchall()}
        assert (store.root / OPEN_MARK).exists()
    files = lambda: sorted(p.name for p in store.root.glob("*/*"))  # noqa: E731
    assert len(named) == 2 and len(files()) == 5 and not (store.root / OPEN_MARK).exists()
    with Warehouse.open(db):  # closed cleanly before: only the replaced body is checked and deleted
        assert files() == sorted([*(k + ".gz" for k in named), "ab" * 32 + ".gz", "cd" * 32 + ".gz.123.part"])
    (store.root / OPEN_MARK).write_text("4242")  # as a writer that was killed leaves it
    with Warehouse.open(db) as wh:  # so this one sweeps the whole store
        assert files() == sorted(k + ".gz" for k in named)
        assert [p.html for p in wh.iter_stored_pages("sample")] == [b"<html>second body</html>", make_page(2).fetch.body]


def test_a_batch_that_does_not_commit_removes_the_files_it_added(db, monkeypatch):
    from warehouse import load

    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", make_pages(2))
        before = sorted(wh.raw_store.root.glob("*/*"))
        monkeypatch.setattr(load, "STEPS", [*load.STEPS, "SELECT error('the batch fails')"])
        with pytest.raises(Exception, match="the batch fails"):
            wh.load_pages("r1", "sample", [make_page(1), make_page(7, html=b"<html>new body</html>")])
        assert sorted(wh.raw_store.root.glob("*/*")) == before and len(before) == 2


def test_a_stored_page_whose_file_is_gone_or_damaged_reads_as_missing_not_as_an_error(db):
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", make_pages(3))
        keys = dict(wh._con.execute("SELECT url, raw_key FROM internal.raw_pages").fetchall())
        wh.raw_store.path_for(keys[url_for(0)]).unlink()
        wh.raw_store.path_for(keys[url_for(1)]).write_bytes(gzip.compress(b"<html>other bytes</html>"))
        pages = {p.candidate.url: p for p in wh.iter_stored_pages("sample")}
    assert pages[url_for(0)].html is None and "is missing" in pages[url_for(0)].missing
    assert pages[url_for(1)].html is None and "is damaged" in pages[url_for(1)].missing
    assert pages[url_for(2)].html == make_page(2).fetch.body and pages[url_for(2)].missing is None


def test_a_batch_of_huge_texts_loads_in_parts_and_the_later_page_still_wins(tmp_path, monkeypatch):
    from warehouse import writer

    monkeypatch.setattr(writer, "MAX_TX_TEXT_CHARS", 1)  # one page per transaction
    pages = make_pages(7)
    newer = make_page(0, text="A rewritten first story about chatbot companions. " * 100)
    db = tmp_path / "w.duckdb"
    with Warehouse.open(db) as wh:
        _run(wh)
        counts = wh.load_pages("r1", "sample", [*pages, newer])
        wh.load_run_finished("r1", "sample", "completed")
        wh.publish()
    assert counts.pages == 7 and counts.stored_new == 7  # pages after de-duplication by URL, as ever
    assert _q(db, "SELECT count(*), count(DISTINCT article_id) FROM articles") == [(7, 7)]
    assert _q(db, "SELECT text FROM articles WHERE url = ?", [url_for(0)]) == [(newer.article.text,)]
    assert _duplicate_keys(db) == {}


def test_the_writer_reconnects_to_drop_duckdbs_cache_and_loads_the_same(tmp_path, monkeypatch):
    from warehouse import writer

    def load(db):
        with Warehouse.open(db) as wh:
            first = wh._con
            _load_overlapping(wh, "r1")
            wh.publish()
            return first
    load(tmp_path / "a.duckdb")
    monkeypatch.setattr(writer, "RECONNECT_EVERY", 1)  # reconnect after every load
    with Warehouse.open(tmp_path / "probe.duckdb") as wh:
        before = wh._con
        wh.load_pages("r1", "sample", make_pages(2))
        assert wh._con is not before
    load(tmp_path / "b.duckdb")
    clock = ("applied_at", "finished_at")  # wall-clock columns
    assert snapshot_tables(tmp_path / "b.duckdb", drop_columns=clock) == snapshot_tables(tmp_path / "a.duckdb", drop_columns=clock)


def test_a_truncated_raw_file_is_repaired_when_the_same_body_is_loaded_again(db):
    page = make_page(3)
    with Warehouse.open(db) as wh:
        _run(wh)
        wh.load_pages("r1", "sample", [page])
        (key,), = wh._con.execute("SELECT raw_key FROM internal.raw_pages").fetchall()
        path = wh.raw_store.path_for(key)
        path.write_bytes(path.read_bytes()[:10])  # what a power cut can leave
        assert [p.missing is not None for p in wh.iter_stored_pages("sample")] == [True]
        wh.load_pages("r1", "sample", [page])  # the refetch brings the same bytes: same key
        assert [p.html for p in wh.iter_stored_pages("sample")] == [page.fetch.body]


def test_a_batch_without_articles_or_bodies_skips_their_statements_and_loads_the_same(tmp_path, monkeypatch):
    """A warm batch (304s and failures: no article, no page body) runs fewer statements; the tables
    come out exactly as when every statement runs."""
    from warehouse import load

    def ingest(db):
        with Warehouse.open(db) as wh:
            _run(wh, "r1")
            wh.load_pages("r1", "sample", make_pages(6, failed_every=4))  # cold: articles and bodies
            wh.load_run_finished("r1", "sample", "completed", finished_at=BASE_TIME)
            _run(wh, "r2", started=BASE_TIME + timedelta(days=1))
            warm = [make_not_modified_page(i) for i in (0, 1, 2, 4)] + [make_failed_page(3), make_failed_page(9)]
            wh.load_pages("r2", "sample", warm)
            wh.load_pages("r2", "sample", warm[:2])  # a resumed warm batch
            wh.load_run_finished("r2", "sample", "completed", finished_at=BASE_TIME + timedelta(days=1))
            wh.publish()

    warm_rows = {"pages": 6, "attempts": 8, "skips": 2, "articles": 0, "themes": 0, "links": 0,
                 "dates": 0, "raw": 0}
    subs = load.batch_substitutions(warm_rows)
    assert len([s for s in load.STEPS if subs.get(s, s)]) < len(load.STEPS) // 2
    assert load.batch_substitutions({**warm_rows, "articles": 1, "raw": 1, "not_article": 1}) == {}
    ingest(tmp_path / "pruned.duckdb")
    monkeypatch.setattr(load, "batch_substitutions", lambda rows: {})  # every statement runs
    ingest(tmp_path / "full.duckdb")
    clock = ("applied_at",)
    pruned = snapshot_tables(tmp_path / "pruned.duckdb", drop_columns=clock)
    assert pruned == snapshot_tables(tmp_path / "full.duckdb", drop_columns=clock)
    assert len(pruned["run_pages"]) == 12 and len(pruned["articles"]) == 5
