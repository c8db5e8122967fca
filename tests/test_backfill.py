"""Backfills by date range, on a test site whose articles span January to June 2026 (tests/backfillsite.py).

Acceptance: a range stores exactly the articles published in it; --dry-run fetches no article page; a
backfill killed with SIGKILL and re-run completes without refetching the URLs it had finished.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dbquery import query as _rows
from backfillsite import ARCHIVE_ONLY, ARCHIVE_PATH, ARTICLES, SOURCE, expected_between, serve_backfill_site
from extractors.config import Source
from extractors.models import Candidate, FetchResult, ProcessedPage
from extractors.discover import Hint, Window, build_plan, decide, extract_url_period, parse_window
from flows.cli import main
from warehouse import Warehouse

REPO = Path(__file__).resolve().parents[1]
MARCH_APRIL = ["--since", "2026-03-01", "--until", "2026-04-30"]
IN_RANGE = expected_between(datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 5, 1, tzinfo=timezone.utc))
# What the plan admits for March-April: the in-range articles plus late-update (published in February,
# modified in April: only its lastmod is known before fetching, and lastmod is a lower bound).
ADMITTED = IN_RANGE | {"/articles/late-update/"}


def _utc(y, m, d):
    return datetime(y, m, d, tzinfo=timezone.utc)


# --- planning rules (pure) -------------------------------------------------------------------------------

def test_url_dates_day_and_month():
    assert extract_url_period("https://n.example/2026/07/09/slug/") == (_utc(2026, 7, 9), _utc(2026, 7, 10))
    assert extract_url_period("https://n.example/news/2026/12/slug") == (_utc(2026, 12, 1), _utc(2027, 1, 1))
    assert extract_url_period("https://n.example/2026-07-09-slug/") == (_utc(2026, 7, 9), _utc(2026, 7, 10))
    assert extract_url_period("https://n.example/slug-2026-07-09/") is None  # not at a segment start
    assert extract_url_period("https://n.example/about/") is None
    assert extract_url_period("https://n.example/2026/02/31/x/") is None


def test_window_is_inclusive_of_until_and_rejects_reversed_ranges():
    w = parse_window("2026-03-01", "2026-03-31")
    assert w.contains(_utc(2026, 3, 31).replace(hour=23)) and not w.contains(_utc(2026, 4, 1))
    assert not w.contains(datetime(2026, 2, 28, 23, 59, tzinfo=timezone.utc))
    with pytest.raises(ValueError, match="before --since"):
        parse_window("2026-03-01", "2026-02-01")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_window("March")


def test_signal_precedence_and_lastmod_as_lower_bound():
    w = Window(date(2026, 3, 1), date(2026, 3, 31))
    feed_in = [Hint("feed", _utc(2026, 3, 5), "feed"), Hint("sitemap_lastmod", _utc(2026, 1, 1), "sitemap")]
    d = decide("https://n.example/2026/01/01/x/", feed_in, w)
    assert (d.admitted, d.signal) == (True, "feed")  # a publication date beats the URL and lastmod
    d = decide("https://n.example/2026/02/27/x/", [Hint("sitemap_lastmod", _utc(2026, 3, 9), "sitemap")], w)
    assert (d.admitted, d.signal) == (False, "url")
    d = decide("https://n.example/a/", [Hint("sitemap_lastmod", _utc(2026, 6, 1), "sitemap")], w)
    assert (d.admitted, d.signal) == (True, "sitemap_lastmod")  # modified later, may be published in range
    d = decide("https://n.example/a/", [Hint("sitemap_lastmod", _utc(2026, 2, 1), "sitemap")], w)
    assert (d.admitted, d.signal) == (False, "sitemap_lastmod")  # modified before, so published before
    assert decide("https://n.example/a/", [], w).admitted is False
    assert decide("https://n.example/a/", [], w, include_undated=True).signal == "undated"


def test_plan_records_the_admitting_signal_and_leaves_finished_urls_out():
    src = Source(name="s", seeds=("https://n.example/",))
    w = Window(date(2026, 3, 1))
    hints = {"https://n.example/2026/03/02/a/": [Hint("sitemap_lastmod", None, "sitemap")],
             "https://n.example/b/": [Hint("feed", _utc(2026, 3, 3), "feed", "https://n.example/feed")],
             "https://n.example/2025/03/02/c/": [Hint("seed", None, "seed")],
             "https://other.example/2026/03/02/d/": [Hint("feed", _utc(2026, 3, 3), "feed")]}
    plan = build_plan(src, w, hints, finished={"https://n.example/2026/03/02/a/"})
    assert [(c.url, c.date_hint_source, c.found_via) for c in plan.candidates] == [
        ("https://n.example/b/", "feed", "feed")]
    assert plan.already_finished == ("https://n.example/2026/03/02/a/",)
    assert {(s.url, s.outcome) for s in plan.skips} == {("https://n.example/2025/03/02/c/", "out_of_range"),
                                                       ("https://other.example/2026/03/02/d/", "off_domain")}


# --- on the test site ------------------------------------------------------------------------------------

def _config(tmp_path: Path, site) -> str:
    path = tmp_path / "themewire.toml"
    path.write_text(site.config_text(), encoding="utf-8")
    return str(path)


def _paths(urls) -> set[str]:
    return {"/" + u.split("/", 3)[3] for u in urls}


def test_dry_run_prints_the_plan_and_fetches_no_article(tmp_path, capsys):
    db = tmp_path / "dry.duckdb"
    with serve_backfill_site() as site:
        code = main(["backfill", "--source", SOURCE, *MARCH_APRIL, "--dry-run", "--config", _config(tmp_path, site),
                     "--db", str(db)])
        requested = list(site.requests)
        articles_requested = site.article_paths_requested()
    out = capsys.readouterr().out
    assert code == 0
    assert articles_requested == [], "a dry run fetched article pages"
    assert "/sitemaps/2026-01.xml" not in requested  # the January shard was pruned by its index lastmod
    assert {"/sitemap-index.xml", "/sitemaps/2026-03.xml", "/feed.xml"} <= set(requested)
    for path in ADMITTED:
        line = next(ln for ln in out.splitlines() if ln.rstrip().split("  (")[0].endswith(path))
        assert line.lstrip().startswith("fetch"), line
    assert "sitemap_lastmod" in next(ln for ln in out.splitlines() if "/articles/march-undated/" in ln)
    assert "url" in next(ln for ln in out.splitlines() if "/2026/03/04/choir-competition/" in ln).split()
    assert "5 to fetch" in out and "1 sitemap shards skipped" in out
    assert not db.exists()  # a dry run writes nothing


def test_dry_run_with_an_archive_page_and_undated_urls(tmp_path, capsys):
    with serve_backfill_site() as site:
        code = main(["backfill", "--source", SOURCE, *MARCH_APRIL, "--dry-run", "--include-undated",
                     "--archive", site.base_url + ARCHIVE_PATH, "--config", _config(tmp_path, site),
                     "--db", str(tmp_path / "x.duckdb")])
        assert site.article_paths_requested() == []
        assert ARCHIVE_PATH in site.requests
    out = capsys.readouterr().out
    assert code == 0
    line = next(ln for ln in out.splitlines() if ARCHIVE_ONLY.path in ln)
    assert line.split()[:3] == ["fetch", "2026-03-15", "url"], line
    about = next(ln for ln in out.splitlines() if "/about/" in ln)
    assert about.split()[:3] == ["fetch", "-", "undated"], about  # --include-undated admits it


def test_backfill_stores_exactly_the_articles_in_range(prefect_engine, tmp_path, capsys):
    db = tmp_path / "bf.duckdb"
    with serve_backfill_site() as site:
        code = main(["backfill", "--source", SOURCE, *MARCH_APRIL, "--config", _config(tmp_path, site),
                     "--db", str(db), "--batch-size", "2"])
        fetched = site.article_paths_requested()
    assert code == 0, capsys.readouterr()
    stored = _paths(u for (u,) in _rows(db, "SELECT canonical_url FROM articles WHERE source = ?", SOURCE))
    assert stored == IN_RANGE
    assert sorted(fetched) == sorted(ADMITTED)  # each admitted URL fetched once, nothing else
    skips = {(p, stage, outcome) for u, stage, outcome in
             _rows(db, "SELECT url, stage, outcome FROM skips WHERE source = ?", SOURCE) for p in _paths([u])}
    assert ("/articles/late-update/", "extract", "out_of_range") in skips  # dropped by its extracted date
    assert ("/2026/02/03/orchard-frost-losses/", "plan", "out_of_range") in skips  # never fetched
    signals = dict((p, s) for u, s in _rows(db, "SELECT url, date_hint_source FROM urls WHERE source = ?", SOURCE)
                   for p in _paths([u]))
    assert signals["/articles/march-undated/"] == "sitemap_lastmod"
    assert signals["/2026/03/04/choir-competition/"] == "url"
    (run,) = _rows(db, "SELECT flow, status, fetched, stored_new, params FROM runs WHERE source = ?", SOURCE)
    assert run[:4] == ("backfill", "completed", len(ADMITTED), len(IN_RANGE))
    assert '"since": "2026-03-01"' in run[4]


def test_killed_backfill_resumes_without_refetching_finished_urls(prefect_engine, tmp_path):
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "resume.duckdb"
    batch = 2
    # Articles after the 4th wait: the 5th request (batch 3) is only made after batch 1 was loaded.
    with serve_backfill_site(hold_after=2 * batch) as site:
        config = _config(tmp_path, site)
        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONUNBUFFERED": "1"}
        cmd = [str(Path(sys.executable).parent / "themewire"), "backfill", "--source", SOURCE, *MARCH_APRIL,
               "--config", config, "--db", str(db), "--batch-size", str(batch)]
        proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while len(site.article_paths_requested()) <= 2 * batch and proc.poll() is None:
                assert time.monotonic() < deadline, "the backfill never reached its third batch"
                time.sleep(0.05)
            assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        first = site.article_paths_requested()
        with Warehouse.open(db) as wh:  # what the killed run had finished (its loads are committed)
            finished = _paths(wh.read_crawl_state(SOURCE).finished)
        site.release()
        site.hold_after = None
        site.clear()
        code = main(["backfill", "--source", SOURCE, *MARCH_APRIL, "--config", config, "--db", str(db),
                     "--batch-size", str(batch)])
        second = site.article_paths_requested()
    assert code == 0
    # batch 1 was loaded before batch 3's first request (the 5th) was made; batches 1 and 2 are fetched
    # concurrently, so which two of the first four paths are batch 1's is not fixed
    assert len(finished) >= batch and finished <= set(first[:2 * batch])
    assert finished.isdisjoint(second), (first, second, finished)
    assert finished | set(second) == ADMITTED
    assert len(second) == len(set(second))
    stored = _paths(u for (u,) in _rows(db, "SELECT canonical_url FROM articles WHERE source = ?", SOURCE))
    assert stored == IN_RANGE
    statuses = sorted(s for (s,) in _rows(db, "SELECT status FROM runs WHERE source = ?", SOURCE))
    assert statuses == ["completed", "interrupted"]


def test_every_site_article_is_dated_for_the_tests():
    assert len({a.path for a in ARTICLES}) == len(ARTICLES)
    assert len(IN_RANGE) == 4 and "/articles/late-update/" not in IN_RANGE


class _Tty:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, s: str) -> int:
        self.parts.append(s)
        return len(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_progress_is_a_rich_bar_on_a_terminal_and_plain_lines_otherwise(capsys):
    from flows.progress import _LineProgress, _RichProgress, make_progress

    page = ProcessedPage(candidate=Candidate("https://n.example/a/", SOURCE, "sitemap"),
                         fetch=FetchResult("https://n.example/a/", "https://n.example/a/", "ok", body=b"x"))
    tty = _Tty()
    with make_progress(SOURCE, 3, stream=tty) as bar:
        assert isinstance(bar, _RichProgress)
        bar.batch_done(1, 2, [page, page])
    assert "2/3" in "".join(tty.parts)
    with make_progress(SOURCE, 3, stream=sys.stderr) as plain:  # pytest's capture is not a terminal
        assert type(plain) is _LineProgress
        plain.batch_done(1, 2, [page])
    assert "batch 1/2 loaded; 1/3 URLs" in capsys.readouterr().out


def test_the_flow_dry_run_used_by_the_deployment_fetches_no_article(prefect_engine, tmp_path):
    import asyncio

    from flows.backfill import backfill_flow

    db = tmp_path / "flowdry.duckdb"
    with serve_backfill_site() as site:
        result = asyncio.run(backfill_flow(source=SOURCE, since=date(2026, 3, 1), until=date(2026, 4, 30),
                                           config=_config(tmp_path, site), db=str(db), dry_run=True))
        assert site.article_paths_requested() == []
    assert result["dry_run"] is True
    assert (result["plan"]["to_fetch"], result["plan"]["shards_skipped"]) == (len(ADMITTED), 1)
    assert not db.exists()
