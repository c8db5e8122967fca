"""The analysts' side: the `duckdb` shell (duckdb-cli 1.5.6, a dev dependency) opens the published
file read-only and runs the views and the BM25 search macro with no extension to download."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factories import BASE_TIME, make_page, make_pages
from warehouse import RunInfo, Warehouse


def _duckdb_shell() -> str | None:
    beside = Path(sys.executable).with_name("duckdb")  # the venv's duckdb-cli
    return str(beside) if os.access(beside, os.X_OK) else shutil.which("duckdb")


def test_the_duckdb_shell_queries_views_and_search(tmp_path):
    shell = _duckdb_shell()
    if shell is None:
        pytest.skip("the duckdb shell (pip install duckdb-cli==1.5.6) is not installed")
    db = tmp_path / "tw.duckdb"
    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME))
        wh.load_pages("r1", "sample", make_pages(20, failed_every=5) + [
            make_page(77, title="Grief bots", text="A griefbot imitates a parent; griefbot users talk nightly.")])
        wh.load_run_finished("r1", "sample", "completed")
        wh.publish()
    sql = ("SET autoinstall_known_extensions = false; "
           "SELECT title FROM search_articles('griefbot'); "
           "SELECT source, articles, last_run_status FROM v_source_health; "
           "SELECT count(*) FROM v_articles; SELECT count(*) > 0 FROM v_theme_weekly; "
           "SELECT DISTINCT outcome FROM v_skipped;")
    proc = subprocess.run([shell, "-readonly", "-csv", "-noheader", str(db), "-c", sql],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["Grief", "bots", "sample,17,completed", "17", "true", "timeout"]
