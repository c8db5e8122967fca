"""`themewire stats` and `themewire export` through flows.cli.main."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from factories import BASE_TIME, make_pages
from flows.cli import main
from warehouse import RunInfo, Warehouse
from warehouse.export import ANALYST_TABLES, ANALYST_VIEWS


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "tw.duckdb"
    with Warehouse.open(path) as wh:
        wh.load_run_started(RunInfo("run-1", "ingest", "sample", BASE_TIME))
        wh.load_pages("run-1", "sample", make_pages(30, failed_every=5))
        wh.load_run_finished("run-1", "sample", "completed")
        wh.publish()
    return path


def test_stats_prints_per_source_health(db, capsys):
    assert main(["stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "sample" in out and "run-1 (ingest, completed)" in out
    assert "articles       24" in out and "timeout 6" in out


def test_export_writes_every_analyst_table_and_view_as_parquet(db, tmp_path, capsys):
    target = tmp_path / "pq"
    assert main(["export", "--parquet", str(target), "--db", str(db)]) == 0
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{t}.parquet" for t in (*ANALYST_TABLES, *ANALYST_VIEWS))
    articles = pq.read_table(target / "articles.parquet")
    assert articles.num_rows == 24 and "canonical_url" in articles.column_names
    assert pq.read_table(target / "article_themes.parquet").num_rows == 24 * 6
    assert pq.read_table(target / "runs.parquet").column("failures").to_pylist() == [[("timeout", 6)]]


@pytest.mark.parametrize("argv", [["stats"], ["export", "--parquet", "out"], ["report", "--out", "r.html"]])
def test_commands_on_a_missing_database_exit_2_with_a_hint(tmp_path, capsys, argv):
    assert main([*argv[:1], *[str(tmp_path / a) if a in ("out", "r.html") else a for a in argv[1:]],
                 "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "themewire ingest" in capsys.readouterr().err
