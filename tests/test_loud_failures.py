"""Failures that must not look like success, and errors that must come before the work: failed entry
points named in the summary, `stats` and the report; degraded sources and --fail-on-degraded; a read-only
database or folder refused before anything is fetched, in one line; validate warnings; the
blocked_address hint. Real servers on 127.0.0.1, real DuckDB files, the real Prefect engine."""

from __future__ import annotations

import os
import stat

import pytest

from canonsite import serve_canon_site
from dbquery import query as _q
from extractors.config import FetchSettings, extract_config_warnings, load_settings_text
from extractors.fetch import fetch_one
from factories import BASE_TIME, make_pages
from flows.cli import main
from warehouse import RunInfo, Warehouse
from warehouse.report import render_report


@pytest.fixture
def site():
    with serve_canon_site() as s:
        yield s


def _config(tmp_path, site, *sources: str, allowed: bool = True):
    path = tmp_path / "themewire.toml"
    path.write_text(site.config("\n".join(sources), allowed=allowed), encoding="utf-8")
    return str(path)


# --- entry points -----------------------------------------------------------------------------------------


def test_a_feed_404_is_named_in_the_summary_stats_and_report(prefect_engine, tmp_path, site, capsys):
    db = tmp_path / "tw.duckdb"
    cfg = _config(tmp_path, site, site.source("half", feeds=["/missing-feed.xml"], sitemaps=["/sitemap-legit.xml"]))
    assert main(["ingest", "--config", cfg, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    feed = f"{site.base}/missing-feed.xml"
    assert f"feed failed: {feed} (http_error: feed not read: HTTP 404)" in out
    assert "half: completed;" in out and "DEGRADED" not in out  # the sitemap was read: not degraded
    assert _q(db, "SELECT status, entry_points, entry_points_failed FROM runs") == [("completed", 2, 1)]
    assert _q(db, "SELECT kind, url, ok, outcome FROM entry_points ORDER BY kind") == [
        ("feed", feed, False, "http_error"), ("sitemap", f"{site.base}/sitemap-legit.xml", True, "ok")]
    assert main(["stats", "--db", str(db)]) == 0
    stats = capsys.readouterr().out
    assert "entry points   1 of 2 read" in stats
    assert f"failed       feed {feed}: http_error (feed not read: HTTP 404)" in stats
    html = render_report(db)
    assert f"feed {feed}: http_error (feed not read: HTTP 404)" in html and "1 of 2 entry points failed" in html


def test_a_source_whose_every_entry_point_fails_is_degraded(prefect_engine, tmp_path, site, capsys):
    db = tmp_path / "tw.duckdb"
    cfg = _config(tmp_path, site, site.source("dead", seeds=["/gone/"], feeds=["/missing-feed.xml"],
                                              sitemaps=["/nope.xml"]))
    assert main(["ingest", "--config", cfg, "--db", str(db)]) == 0  # recorded, not fatal, by default
    out = capsys.readouterr().out
    assert "dead: degraded;" in out and "DEGRADED: all 3 entry points failed" in out
    for kind, path in (("seed", "/gone/"), ("feed", "/missing-feed.xml"), ("sitemap", "/nope.xml")):
        assert f"{kind} failed: {site.base}{path} (http_error" in out
    assert main(["ingest", "--config", cfg, "--db", str(db), "--fail-on-degraded"]) == 1
    assert [s for (s,) in _q(db, "SELECT status FROM runs ORDER BY started_at")] == ["degraded", "degraded"]
    assert main(["stats", "--db", str(db)]) == 0
    stats = capsys.readouterr().out
    assert "(ingest, degraded)" in stats and "0 of 3 read - DEGRADED" in stats
    html = render_report(db)
    assert "DEGRADED: every entry point failed" in html and "ingest, degraded" in html


def test_a_backfill_whose_feeds_and_sitemaps_fail_exits_1_with_fail_on_degraded(prefect_engine, tmp_path, site,
                                                                                 capsys):
    db = tmp_path / "tw.duckdb"
    cfg = _config(tmp_path, site, site.source("dead", feeds=["/missing-feed.xml"], sitemaps=["/nope.xml"]))
    args = ["backfill", "--source", "dead", "--since", "2026-01-01", "--config", cfg, "--db", str(db)]
    assert main(args) == 0
    assert main([*args, "--fail-on-degraded"]) == 1
    out = capsys.readouterr().out
    assert f"feed failed: {site.base}/missing-feed.xml" in out and "dead: degraded;" in out
    assert _q(db, "SELECT flow, status, entry_points_failed FROM runs") == [("backfill", "degraded", 2)] * 2


# --- writability, before the work ----------------------------------------------------------------------


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_a_read_only_database_is_refused_before_anything_is_fetched(prefect_engine, tmp_path, site, capsys):
    db = tmp_path / "tw.duckdb"
    cfg = _config(tmp_path, site, site.source("legit", sitemaps=["/sitemap-legit.xml"]))
    assert main(["ingest", "--config", cfg, "--db", str(db)]) == 0
    runs = _q(db, "SELECT run_id, status FROM runs")
    capsys.readouterr()
    site.requests.clear()
    os.chmod(db, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        assert main(["ingest", "--config", cfg, "--db", str(db)]) == 2
    finally:
        os.chmod(db, 0o644)
    line = _one_line(capsys.readouterr().err)
    assert f"cannot write the database {db}: it is read-only" in line and "nothing was fetched" in line
    assert site.requests == []
    assert _q(db, "SELECT run_id, status FROM runs") == runs  # no run row says it ran


def test_a_read_only_folder_is_refused_before_the_lock_is_taken(prefect_engine, tmp_path, site, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    cfg = _config(tmp_path, site, site.source("legit", sitemaps=["/sitemap-legit.xml"]))
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    try:
        for cmd in (["ingest"], ["backfill", "--source", "legit", "--since", "2026-01-01"]):
            assert main([*cmd, "--config", cfg, "--db", str(folder / "tw.duckdb")]) == 2
            line = _one_line(capsys.readouterr().err)
            assert f"cannot write the database folder {folder}: it is read-only" in line
        assert site.requests == []
        assert sorted(os.listdir(folder)) == []  # no lock file, no writer file, no raw store
    finally:
        os.chmod(folder, 0o755)


def test_a_publish_that_fails_after_the_work_leaves_failed_runs_rows(prefect_engine, tmp_path, site, capsys):
    """The runs row agrees with the exit code: when the published path cannot be replaced at the end (here
    a folder appears where the file goes, mid-run), the run exits 1 and its rows say failed."""
    import duckdb

    from warehouse.writer import writer_path

    db = tmp_path / "tw.duckdb"
    cfg = _config(tmp_path, site, site.source("legit", sitemaps=["/sitemap-legit.xml"]))

    def block_publish(path: str) -> None:
        if path == "/sitemap-legit.xml":
            (db / "in-the-way").mkdir(parents=True, exist_ok=True)

    site.on_request = block_publish
    assert main(["ingest", "--config", cfg, "--db", str(db)]) == 1
    assert "themewire: ingest failed: " in capsys.readouterr().err
    with duckdb.connect(str(writer_path(db)), read_only=True) as con:
        rows = con.execute("SELECT status, error FROM runs").fetchall()
    assert [r[0] for r in rows] == ["failed"] and rows[0][1].startswith("publish failed: ")


def test_any_error_is_one_line_unless_debug(tmp_path, capsys):
    bad = tmp_path / "not-a-database.duckdb"
    bad.write_bytes(b"this is not a DuckDB file" * 100)
    assert main(["stats", "--db", str(bad)]) == 1
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("themewire stats: error: ") and "IOException" in line
    with pytest.raises(Exception):  # --debug: the traceback, not a line
        main(["--debug", "stats", "--db", str(bad)])


# --- validate and the blocked_address hint -----------------------------------------------------------


def test_validate_warns_about_no_sources(tmp_path, capsys):
    path = tmp_path / "themewire.toml"
    path.write_text('[fetch]\nuser_agent = "me/1.0"\n', encoding="utf-8")
    assert main(["sources", "validate", "--config", str(path)]) == 0
    captured = capsys.readouterr()
    assert "OK (0 sources, 1 warnings)" in captured.out
    assert f"warning: {path}: no [[sources]]: nothing would be ingested" in captured.err


def test_validate_names_the_line_to_add_for_loopback_seeds():
    text = ('[fetch]\nallowed_origins = ["http://127.0.0.1:9000"]\n\n[[sources]]\nname = "local"\n'
            'seeds = ["http://127.0.0.1:8765/a/"]\nfeeds = ["http://127.0.0.1:9000/feed", '
            '"http://localhost:8080/feed"]\nsitemaps = ["https://news.example/sitemap.xml"]\n')
    warnings = extract_config_warnings(load_settings_text(text, "tw.toml"), text)
    line = 'allowed_origins = ["http://127.0.0.1:9000", "http://127.0.0.1:8765", "http://localhost:8080"]'
    assert warnings == [
        f"tw.toml:6: http://127.0.0.1:8765/a/ is on a loopback/private address that fetch.allowed_origins does "
        f"not list, so every fetch would be blocked_address; write under [fetch]: {line}",
        f"tw.toml:7: http://localhost:8080/feed is on a loopback/private address that fetch.allowed_origins "
        f"does not list, so every fetch would be blocked_address; write under [fetch]: {line}"]
    fixed = text.replace('["http://127.0.0.1:9000"]', line.split(" = ")[1])
    assert extract_config_warnings(load_settings_text(fixed, "tw.toml"), fixed) == []


def test_blocked_address_says_what_to_add_to_allowed_origins(site):
    result = fetch_one(f"{site.base}/story", FetchSettings(respect_robots=False, retries=0))
    assert result.outcome == "blocked_address"
    assert f"add '{site.base}' to fetch.allowed_origins" in result.error
    assert site.requests == []


# --- a reprocess is labelled as one ------------------------------------------------------------------------


def test_stats_and_report_label_a_reprocess_run(tmp_path, capsys):
    db = tmp_path / "tw.duckdb"
    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME))
        wh.load_pages("r1", "sample", make_pages(4))
        wh.load_run_finished("r1", "sample", "completed")
        wh.load_run_started(RunInfo("r2", "reprocess", "sample", BASE_TIME.replace(day=6)))
        wh.load_run_finished("r2", "sample", "completed")
        wh.publish()
    assert main(["stats", "--db", str(db)]) == 0
    assert "last run       r2 (reprocess, completed)" in capsys.readouterr().out
    html = render_report(db)
    assert "reprocess, completed" in html


def test_the_report_has_full_width_charts_one_per_source_and_a_legend_for_every_colour(tmp_path):
    from warehouse.report import ERROR_COLOR, OUTCOME_COLORS, SCORE_COLOR

    db = tmp_path / "tw.duckdb"
    with Warehouse.open(db) as wh:
        for k, source in enumerate(("alpha", "beta")):
            wh.load_run_started(RunInfo(f"r-{source}", "ingest", source, BASE_TIME))
            wh.load_pages(f"r-{source}", source, make_pages(12, start=100 * k, source=source, failed_every=4))
            wh.load_run_finished(f"r-{source}", source, "completed")
        wh.publish()
    html = render_report(db)
    assert html.count('<svg class="chart"') == 3  # all sources, then one per source
    assert 'aria-label="Theme matches per week, alpha"' in html and 'aria-label="Theme matches per week, beta"' in html
    assert 'svg class="chart" role="img"' in html and 'width="100%"' in html and "svg.chart{display:block;width:100%" in html
    import re

    used = set(re.findall(r'fill="(#[0-9a-f]{6})"><title>', html))  # bar segments of the theme charts
    keyed = set(re.findall(r'<rect class="key" [^>]*fill="(#[0-9a-f]{6})"', html))
    assert used and used <= keyed
    for color in (*OUTCOME_COLORS.values(), ERROR_COLOR, SCORE_COLOR):
        assert f'class="swatch" style="background:{color}"' in html
