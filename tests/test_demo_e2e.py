"""End to end on real parts: the sample site on 127.0.0.1, the real Prefect engine, a DuckDB file.

This is the demo's acceptance: every sample article stored once with title, date and clean text; a
score for every article and theme with the off-theme articles not matching; one fetches row per
request; one runs row per run; a second run adds nothing twice.
"""

from __future__ import annotations

import duckdb
import pytest

from dbquery import query_dicts as _rows
from flows.cli import main
from flows.sample import SAMPLE_SOURCE, load_expected, sample_config_text, serve_sample_site


@pytest.fixture(scope="module")
def demo_db(prefect_engine, tmp_path_factory):
    """Two `themewire demo` runs on one database, through the CLI, against one sample site."""
    db = tmp_path_factory.mktemp("demo") / "themewire.duckdb"
    with serve_sample_site() as site:
        port = int(site.base_url.rsplit(":", 1)[1])
    # The CLI starts its own site; pass the port we just saw free so both runs share URLs.
    first = main(["demo", "--db", str(db), "--port", str(port)])
    with duckdb.connect(str(db), read_only=True) as con:
        after_first = _table_counts(con)
    second = main(["demo", "--db", str(db), "--port", str(port)])
    return {"db": db, "codes": (first, second), "after_first": after_first}


def _table_counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "article_themes", "fetches", "runs")}


def test_demo_exits_zero_twice(demo_db):
    assert demo_db["codes"] == (0, 0)


def test_every_sample_article_stored_once_with_clean_text(demo_db):
    expected = load_expected()["articles"]
    rows = _rows(demo_db["db"], "SELECT url, canonical_url, title, published_at, text FROM articles "
                                "WHERE source = ?", SAMPLE_SOURCE)
    by_path = {}
    for r in rows:
        path = "/" + r["canonical_url"].split("/", 3)[3]
        assert path not in by_path, f"{path} stored twice"
        by_path[path] = r
    for path, exp in expected.items():
        assert path in by_path, f"sample article {path} missing"
        row = by_path[path]
        assert row["title"] == exp["title"]
        assert str(row["published_at"])[:10] == exp["published"]
        for sentence in exp["must_contain"]:
            assert sentence in row["text"], (path, sentence)
        for junk in exp["must_not_contain"]:
            assert junk not in row["text"], (path, junk)


def test_every_article_scored_on_every_theme_and_off_theme_rejected(demo_db):
    db = demo_db["db"]
    n_themes = len(_rows(db, "SELECT DISTINCT theme FROM article_themes"))
    assert n_themes == 6
    per_article = _rows(db, "SELECT a.canonical_url, count(t.theme) AS n, bool_or(t.is_match) AS any_match "
                            "FROM articles a LEFT JOIN article_themes t USING (article_id) "
                            "GROUP BY a.canonical_url")
    assert per_article and all(r["n"] == n_themes for r in per_article)
    expected = load_expected()["articles"]
    matched = {"/" + r["canonical_url"].split("/", 3)[3]: r["any_match"] for r in per_article}
    for path, exp in expected.items():
        if not exp["on_theme"]:
            assert matched[path] is False, f"off-theme {path} matched a theme"


def test_fetches_one_row_per_request_and_runs_one_per_run(demo_db):
    db = demo_db["db"]
    runs = _rows(db, "SELECT run_id, status FROM runs WHERE source = ?", SAMPLE_SOURCE)
    assert len(runs) == 2 and all(r["status"] == "completed" for r in runs)
    fetch_runs = {r["run_id"] for r in _rows(db, "SELECT DISTINCT run_id FROM fetches")}
    assert fetch_runs == {r["run_id"] for r in runs}
    dupes = _rows(db, "SELECT run_id, url, fetched_at, count(*) AS n FROM fetches "
                      "GROUP BY ALL HAVING count(*) > 1")
    assert dupes == []


def test_second_run_adds_nothing_twice(demo_db):
    with duckdb.connect(str(demo_db["db"]), read_only=True) as con:
        after_second = _table_counts(con)
    first = demo_db["after_first"]
    assert after_second["articles"] == first["articles"]
    assert after_second["article_themes"] == first["article_themes"]
    assert after_second["runs"] == first["runs"] + 1
    not_modified = _rows(demo_db["db"], "SELECT count(*) AS n FROM fetches WHERE outcome = 'not_modified'")
    assert not_modified[0]["n"] > 0  # the second run asked conditionally


def test_error_routes_are_recorded_not_fatal(prefect_engine, tmp_path, capsys):
    """404, 500 and a slow page among the seeds: each is a fetches row with its reason; the run completes."""
    db = tmp_path / "errors.duckdb"
    with serve_sample_site(slow_seconds=3.0) as site:
        text = sample_config_text(site.base_url)
        text = text.replace("per_host_delay_seconds = 0",
                            "per_host_delay_seconds = 0\ndeadline_seconds = 1.0\nretries = 1\n"
                            "retry_backoff_seconds = 0.01")
        seeds = [f"{site.base_url}/errors/{name}" for name in ("404", "500", "slow")]
        text = text.replace("seeds = [", "seeds = [" + "".join(f'"{u}", ' for u in seeds), 1)
        config = tmp_path / "themewire.toml"
        config.write_text(text)
        assert main(["ingest", "--config", str(config), "--db", str(db)]) == 0
    outcomes = {r["candidate_url"].rsplit("/", 1)[1]: r["outcome"] for r in _rows(
        db, "SELECT candidate_url, last(outcome ORDER BY seq) AS outcome, last(error ORDER BY seq) AS error "
            "FROM fetches WHERE candidate_url LIKE '%/errors/%' GROUP BY candidate_url")}
    assert outcomes == {"404": "http_error", "500": "http_error", "slow": "timeout"}
    assert "http_error" in capsys.readouterr().out
    stored = _rows(db, "SELECT count(*) AS n FROM articles")[0]["n"]
    assert stored == len(load_expected()["articles"])
