"""The analyst schema (migration 013): TIMESTAMPTZ and JSON columns, internals in their own schema,
comments on every analyst table, view and column, and an in-place upgrade that keeps every row."""

from __future__ import annotations

import importlib
from datetime import timedelta

import duckdb
import pytest

from factories import BASE_TIME, make_pages, snapshot_tables
from warehouse import RunInfo, Warehouse, open_reader
from warehouse.migrate import migrations

M013 = importlib.import_module("warehouse.migrations.013_analyst_schema")
BEFORE_013 = max(v for v, _, _ in migrations() if v < 13)


def _load(wh, run_id="r1", start=0):
    wh.load_run_started(RunInfo(run_id, "ingest", "sample", BASE_TIME + timedelta(hours=start)))
    wh.load_pages(run_id, "sample", make_pages(8, start=start, failed_every=4))
    wh.load_host_blocks({"slow.example": BASE_TIME + timedelta(days=1)}, run_id=run_id)
    wh.load_run_finished(run_id, "sample", "completed", finished_at=BASE_TIME + timedelta(hours=start, minutes=5))


def _columns(db, where: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns() "
                           f"WHERE database_name = current_database() AND {where} ORDER BY ALL").fetchall()


def _as_pre_013(src, dst):
    """`src` (latest schema) copied into a new warehouse held at the last schema before 013, the way
    main's migrations built it: every table in main, naive TIMESTAMP (UTC) and VARCHAR JSON text."""
    with Warehouse.open(dst, schema_upto=BEFORE_013) as wh:
        con = wh._con
        con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
        for schema, t in con.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'src' "
                "AND table_name NOT IN ('schema_version', 'outcomes')").fetchall():
            newer = [c for (c,) in con.execute(  # columns later migrations added (014: runs.articles_removed)
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'src' AND table_name = ? EXCEPT "
                "SELECT column_name FROM duckdb_columns() WHERE database_name <> 'src' AND table_name = ?",
                [t, t]).fetchall()]
            exclude = f"EXCLUDE ({', '.join(newer)})" if newer else ""
            con.execute(f"DELETE FROM main.{t}")
            con.execute(f"INSERT INTO main.{t} BY NAME SELECT * {exclude} FROM src.{schema}.{t}")
        con.execute("INSERT INTO main.article_themes (article_id, source, theme, score, is_match, evidence, run_id) "
                    "VALUES ('bad-json', 'sample', 'X', 0.0, false, 'not json {', 'r0')")
        con.execute("DETACH src")
        wh.publish()


def test_upgrading_a_pre_013_file_keeps_every_row_and_converts_the_types(tmp_path):
    src, db = tmp_path / "src.duckdb", tmp_path / "old.duckdb"
    with Warehouse.open(src) as wh:
        _load(wh)
        wh.publish()
    _as_pre_013(src, db)
    assert _columns(db, "table_name = 'articles' AND column_name = 'published_at'")[0][3] == "TIMESTAMP"
    assert {r[1] for r in _columns(db, "schema_name = 'main'")} >= {"search_docs", "raw_pages", "schema_version"}
    before = snapshot_tables(db, drop_columns=("evidence",))  # compared below, as JSON
    with duckdb.connect(str(db), read_only=True) as con:
        evidence_before = dict(con.execute("SELECT article_id || theme, evidence FROM article_themes").fetchall())
        days_before = con.execute(  # v_theme_daily's days, from the naive UTC values (no views before 013 here)
            "SELECT a.source, t.theme, CAST(coalesce(a.published_at, a.first_seen_at) AS DATE), count(*) "
            "FROM article_themes t JOIN articles a USING (article_id) WHERE t.is_match GROUP BY ALL ORDER BY ALL"
        ).fetchall()

    with Warehouse.open(db) as wh:
        assert wh.schema_version == max(v for v, _, _ in migrations())
        wh.publish()
    after = snapshot_tables(db, drop_columns=("evidence", "articles_removed"))  # the latter: added by 014
    for table in before:
        if table in ("schema_version", "outcomes"):
            continue
        assert after[table] == before[table], table  # the same instants (read as naive UTC) and values
    assert len(after["articles"]) == 6 and len(after["raw_pages"]) == 6 and len(after["search_postings"]) > 100
    assert sorted(r[0] for r in after["schema_version"]) == [v for v, _, _ in migrations()]

    # types: every timestamp is TIMESTAMPTZ, in every schema; the JSON text columns are JSON
    assert _columns(db, "data_type = 'TIMESTAMP'") == []
    tz = {(r[1], r[2]) for r in _columns(db, "data_type = 'TIMESTAMP WITH TIME ZONE'")}
    assert {("articles", "published_at"), ("articles", "first_seen_at"), ("runs", "started_at"),
            ("fetches", "fetched_at"), ("article_dates", "value"), ("hosts", "blocked_until"),
            ("raw_pages", "fetched_at"), ("v_articles", "effective_date")} <= tz
    assert {(r[1], r[2]) for r in _columns(db, "data_type = 'JSON'")} >= {("article_themes", "evidence"),
                                                                          ("runs", "params")}
    with duckdb.connect(str(db), read_only=True) as con:
        evidence_after = dict(con.execute("SELECT article_id || theme, evidence FROM article_themes").fetchall())
        assert evidence_after.pop("bad-jsonX") == '"not json {"'  # kept, as a JSON string
        evidence_before.pop("bad-jsonX")
        assert evidence_after == evidence_before  # valid JSON text unchanged
        keywords = con.execute("SELECT count(*) FROM article_themes WHERE json_type(evidence, '$.keywords') = 'ARRAY'")
        assert keywords.fetchone()[0] > 0
        # an analyst in another time zone sees the same instants and the same UTC days
        con.execute("SET TimeZone = 'America/New_York'")
        (published,) = con.execute("SELECT max(published_at) FROM articles").fetchone()
        assert published.utcoffset() == timedelta(hours=-5)
        assert con.execute("SELECT source, theme, day, articles FROM v_theme_daily ORDER BY ALL"
                           ).fetchall() == days_before != []
    with Warehouse.open(db) as wh:  # and it keeps loading: the search index and the raw store work
        _load(wh, "r2", start=8)
        wh.publish()
    with open_reader(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 12
        assert con.execute("SELECT count(*) FROM search_articles('article', k := 100)").fetchone()[0] > 6


def test_every_analyst_table_view_and_column_is_commented_and_internals_are_apart(tmp_path):
    db = tmp_path / "tw.duckdb"
    with Warehouse.open(db) as wh:
        _load(wh)
        wh.publish()
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name, comment FROM duckdb_tables() "
                             "WHERE database_name = current_database()").fetchall()
        views = con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal "
                            "AND database_name = current_database()").fetchall()
    main = {t for s, t, _ in tables if s == "main"}
    assert main >= {"articles", "article_themes", "fetches", "runs", "urls", "skips"}
    assert not main & set(M013.INTERNAL)
    assert {t for s, t, _ in tables if s == "internal"} == set(M013.INTERNAL)
    assert [t for s, t, c in tables if s == "main" and not c] == []
    assert {v for v, _ in views} >= {"v_articles", "v_theme_daily", "v_theme_weekly", "v_source_health", "v_skipped"}
    assert [v for v, c in views if not c] == []
    main_columns = _columns(db, "schema_name = 'main'")
    assert len(main_columns) > 150
    assert [(r[1], r[2]) for r in main_columns if not r[4]] == []


_LOAD_IN_TOKYO = """
import sys
sys.path.insert(0, sys.argv[2])
from factories import BASE_TIME, make_pages
from warehouse import RunInfo, Warehouse
with Warehouse.open(sys.argv[1]) as wh:
    wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME.replace(tzinfo=None)))  # naive = UTC
    wh.load_pages("r1", "sample", make_pages(2))
    wh.publish()
"""


def test_writer_stores_utc_whatever_the_process_time_zone(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    db = tmp_path / "tw.duckdb"
    env = {**os.environ, "TZ": "Asia/Tokyo"}  # DuckDB's default TimeZone follows the process's
    subprocess.run([sys.executable, "-c", _LOAD_IN_TOKYO, str(db), str(Path(__file__).parent)], env=env, check=True)
    with duckdb.connect(str(db), read_only=True) as con:
        (started,) = con.execute("SELECT started_at FROM runs").fetchone()
        first_seen = con.execute("SELECT min(first_seen_at) FROM articles").fetchone()[0]
    assert started == BASE_TIME
    assert first_seen.utcoffset() is not None and first_seen >= BASE_TIME


@pytest.mark.parametrize("table", M013.INTERNAL)
def test_internal_tables_are_not_visible_unqualified(tmp_path, table):
    db = tmp_path / "tw.duckdb"
    with Warehouse.open(db) as wh:
        wh.publish()
    with duckdb.connect(str(db), read_only=True) as con:
        with pytest.raises(duckdb.CatalogException):
            con.execute(f"SELECT * FROM {table}")
        con.execute(f"SELECT * FROM internal.{table}")
