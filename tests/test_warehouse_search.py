"""The search index built once per run (warehouse/search.py), host lineage, pre-compressed raw pages."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import timedelta

import pytest

from factories import BASE_TIME, make_page, url_for
from warehouse import RunInfo, Warehouse, open_reader

TRICKY = ("Café naïve “Quoted” e-mail don't 3.14 ÉCOLE über_alles x Ⅻ ½ tab\tsep new\nline "
          "«guillemets» — dash—joined 東京タワー ΣΊΣΥΦΟΣ straße ǅemal A.B.C. 'single' (paren) end.")


def _q(db, sql, params=None):
    con = open_reader(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "tw.duckdb"


def _start(wh, run_id="r1"):
    wh.load_run_started(RunInfo(run_id, "ingest", "sample", BASE_TIME))


def test_postings_equal_the_tw_tokens_definition(db):
    pages = [make_page(1, title="Ünïcode Title", text=TRICKY), make_page(2, title=None, text=TRICKY * 3),
             make_page(3, text="a b c the of"),
             # a page of links: one 20 KB run without white space is tokenised in place
             make_page(4, text="|".join(f"link{i % 300}/Über" for i in range(2000)) + "\ntail words")]
    with Warehouse.open(db) as wh:
        _start(wh)
        wh.load_pages("r1", "sample", pages)
        wh.load_run_finished("r1", "sample", "completed")
        wh.publish()
    reference = _q(db, """
        WITH t AS (SELECT article_id, unnest(tw_tokens(coalesce(title, '') || ' ' || text)) AS term FROM articles)
        SELECT term, article_id, count(*)::INTEGER FROM t
        WHERE term NOT IN (SELECT term FROM internal.search_stopwords) GROUP BY ALL ORDER BY ALL""")
    assert _q(db, "SELECT term, article_id, tf FROM internal.search_postings ORDER BY ALL") == reference
    assert len(reference) > 20
    lens = _q(db, """SELECT d.doc_len = len(tw_tokens(coalesce(a.title, '') || ' ' || a.text)), d.run_id
                     FROM internal.search_docs d JOIN articles a USING (article_id)""")
    assert lens == [(True, "r1")] * 4
    assert _q(db, "SELECT DISTINCT run_id FROM internal.search_postings") == [("r1",)]
    assert _q(db, "SELECT count(*) FROM internal.search_pending") == [(0,)]
    assert _q(db, "SELECT count(*) FROM search_articles('東京タワー école')") == [(2,)]
    assert _q(db, "SELECT title FROM search_articles('ünïcode')") == [("Ünïcode Title",)]


def test_the_index_follows_changed_text_and_skips_unchanged_articles(db):
    with Warehouse.open(db) as wh:
        _start(wh)
        wh.load_pages("r1", "sample", [make_page(1, text="Original words about gardening tomatoes."),
                                        make_page(2, text="Unrelated chatbot article.")])
        assert wh._con.execute("SELECT count(*) FROM internal.search_pending").fetchone() == (2,)
        wh.load_run_finished("r1", "sample", "completed")
        assert wh._con.execute("SELECT count(*) FROM internal.search_pending").fetchone() == (0,)
        _start(wh, "r2")
        wh.load_pages("r2", "sample", [make_page(1, text="Rewritten words about violins."),
                                        make_page(2, text="Unrelated chatbot article.")])
        assert wh._con.execute("SELECT * FROM internal.search_pending").fetchall() == [(make_id(1),)]
        wh.publish()  # publish builds what is still queued
    assert _q(db, "SELECT count(*) FROM search_articles('tomatoes')") == [(0,)]
    assert _q(db, "SELECT title FROM search_articles('violins')") == [("Story 1",)]
    assert _q(db, "SELECT article_id, run_id FROM internal.search_docs ORDER BY run_id") == [
        (make_id(2), "r1"), (make_id(1), "r2")]


def make_id(i):
    from factories import url_for
    from warehouse import article_id_for

    return article_id_for(url_for(i))


def test_a_killed_build_leaves_the_queue_for_the_next_one(db):
    with Warehouse.open(db) as wh:
        _start(wh)
        wh.load_pages("r1", "sample", [make_page(1, text="Queued text about lighthouses.")])
        wh._con.execute("BEGIN TRANSACTION")
        wh._con.execute("DELETE FROM internal.search_pending")  # as if the build died before COMMIT
        wh._con.execute("ROLLBACK")
    with Warehouse.open(db) as wh:  # the writer file kept the queue
        assert wh._con.execute("SELECT count(*) FROM internal.search_pending").fetchone() == (1,)
        wh.publish()
    assert _q(db, "SELECT title FROM search_articles('lighthouses')") == [("Story 1",)]


def test_host_blocks_carry_the_run_id(db):
    with Warehouse.open(db) as wh:
        wh.load_host_blocks({"a.example": BASE_TIME + timedelta(hours=1)}, run_id="r7")
        wh.load_host_blocks({"b.example": BASE_TIME + timedelta(hours=2)})
        wh.publish()
    assert _q(db, "SELECT host, run_id FROM internal.hosts ORDER BY host") == [("a.example", "r7"), ("b.example", None)]


def test_a_pre_compressed_raw_page_is_stored_as_given(db):
    page = make_page(1)
    blob = gzip.compress(page.fetch.body, compresslevel=1)
    with Warehouse.open(db) as wh:
        _start(wh)
        wh.load_pages("r1", "sample", [replace(page, raw_gzip=blob), make_page(2)])
        assert [p.html for p in wh.iter_stored_pages("sample")] == [page.fetch.body, make_page(2).fetch.body]
        wh.publish()
        (key,), = _q(db, "SELECT raw_key FROM internal.raw_pages WHERE url = ?", [page.candidate.url])
        assert wh.raw_store.path_for(key).read_bytes() == blob


def test_long_texts_are_indexed_in_bounded_chunks_up_to_the_indexed_prefix(db):
    from warehouse.search import CHUNK_CHARS, MAX_INDEXED_CHARS

    filler = "plain filler words " * (MAX_INDEXED_CHARS // 19 + 10)  # longer than the indexed prefix
    texts = {i: f"zebraword{i} " + filler + f" tailword{i}" for i in range(CHUNK_CHARS // MAX_INDEXED_CHARS + 2)}
    assert len(texts) * MAX_INDEXED_CHARS > CHUNK_CHARS  # more than one chunk's worth of characters
    with Warehouse.open(db) as wh:
        _start(wh)
        wh.load_pages("r1", "sample", [make_page(i, text=t) for i, t in texts.items()])
        wh.load_run_finished("r1", "sample", "completed")
        wh.publish()
    for i in texts:
        assert _q(db, f"SELECT url FROM search_articles('zebraword{i}')") == [(url_for(i),)]
        assert _q(db, f"SELECT url FROM search_articles('tailword{i}')") == []  # past the prefix
    assert _q(db, "SELECT count(*) FROM internal.search_pending") == [(0,)]
