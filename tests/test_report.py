"""The HTML report: content, escaping of scraped strings, and a real render in headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta

import pytest

from factories import BASE_TIME, make_page, make_pages
from flows.cli import main
from warehouse import RunInfo, Warehouse
from warehouse.report import render_report

SCRIPT_TITLE = "<script>document.title='pwned-by-script'</script>"
IMG_TITLE = "<img src=x onerror=\"document.title='pwned-by-onerror'\">"
SQL_TITLE = "'); DROP TABLE articles; --"


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "tw.duckdb"
    with Warehouse.open(path) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME))
        hostile = [make_page(900 + k, title=t, text=f"Hostile {k} chatbot companion.",
                             published_at=BASE_TIME - timedelta(days=k))
                   for k, t in enumerate((SCRIPT_TITLE, IMG_TITLE, SQL_TITLE))]
        hostile.append(make_page(950, url="https://news.example/js/", title="JS link",
                                 canonical_url="javascript:document.title='pwned-by-href'"))
        wh.load_pages("r1", "sample", make_pages(40, failed_every=6) + hostile)
        wh.load_run_finished("r1", "sample", "completed")
        wh.publish()
    return path


def _force_into_top(db_path) -> None:
    """Give the hostile articles the top score for every theme, so the report must show them."""
    with Warehouse.open(db_path) as wh:
        wh._con.execute("UPDATE article_themes SET score = 1.0, is_match = true WHERE article_id IN "
                        "(SELECT article_id FROM articles WHERE text LIKE 'Hostile%' OR title = 'JS link')")
        wh.publish()


def test_report_shows_the_sections_and_escapes_scraped_strings(db):
    _force_into_top(db)
    html = render_report(db)
    for marker in ('id="themes-over-time"', 'id="top-articles"', 'id="source-health"', 'class="seg"', "<svg"):
        assert marker in html
    assert "&lt;script&gt;document.title=&#x27;pwned-by-script&#x27;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html and "<img" not in html
    assert "&#x27;); DROP TABLE articles; --" in html
    assert "<script" not in html and "href=\"javascript" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing external


def test_report_of_an_empty_warehouse_says_so(tmp_path):
    path = tmp_path / "empty.duckdb"
    with Warehouse.open(path) as wh:
        wh.publish()
    html = render_report(path)
    assert "No matched articles yet." in html and "No runs yet." in html


def test_report_renders_in_headless_chromium_without_running_scraped_code(db, tmp_path):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium): the report was not rendered")
    _force_into_top(db)
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out), "--db", str(db)]) == 0
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=2000",
         "--dump-dom", out.as_uri()],
        capture_output=True, text=True, timeout=120)
    dom = proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "<title>themewire report</title>" in dom  # no scraped script or handler changed it
    assert "pwned-by-script</title>" not in dom and "pwned-by-onerror</title>" not in dom
    assert "<script" not in dom and "<img" not in dom  # the strings stayed text
    assert "&lt;script&gt;document.title='pwned-by-script'&lt;/script&gt;" in dom
    assert dom.count('class="seg"') >= 6 and 'id="source-health"' in dom and "<table>" in dom
    assert "Story " in dom and "JS link" in dom
