"""The analyst helpers through flows.cli.main on real DuckDB files: query, search, failures, stats --json,
export --format, classify --format table, did-you-mean, and ./run from another directory."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from factories import BASE_TIME, make_page, make_pages, url_for
from flows.cli import main
from warehouse import RunInfo, Warehouse
from warehouse.export import ANALYST_TABLES, ANALYST_VIEWS

ROOT = Path(__file__).resolve().parents[1]


def _db(path: Path) -> Path:
    with Warehouse.open(path) as wh:
        wh.load_run_started(RunInfo("run-1", "ingest", "sample", BASE_TIME))
        wh.load_pages("run-1", "sample", make_pages(10, failed_every=5))
        wh.load_run_finished("run-1", "sample", "completed")
        wh.load_run_started(RunInfo("run-2", "ingest", "other", BASE_TIME.replace(hour=13)))
        wh.load_pages("run-2", "other", [
            make_page(100, title="Zeppelin chatbots", text="A zeppelin chatbot flies over the city."),
            make_page(101, title="Tomatoes", text="Tomatoes and roses in the spring garden.")])
        wh.load_run_finished("run-2", "other", "completed")
        wh.publish()
    return path


@pytest.fixture
def db(tmp_path):
    return _db(tmp_path / "tw.duckdb")


def _json(capsys):
    return json.loads(capsys.readouterr().out)


# ---- query --------------------------------------------------------------------------------------

def test_query_prints_rows_in_each_format(db, capsys):
    sql = "SELECT source, count(*) AS n FROM articles GROUP BY source ORDER BY source"
    assert main(["query", sql, "--db", str(db), "--format", "json"]) == 0
    assert _json(capsys) == [{"source": "other", "n": 2}, {"source": "sample", "n": 8}]
    assert main(["query", sql, "--db", str(db), "--format", "csv"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [["source", "n"], ["other", "2"], ["sample", "8"]]
    assert main(["query", sql, "--db", str(db), "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["source", "n"] and lines[2].split() == ["other", "2"] and lines[-1] == "(2 rows)"


def test_query_defaults_to_json_off_a_terminal_and_renders_timestamps_as_iso(db, capsys):
    assert main(["query", "SELECT started_at, params FROM runs WHERE run_id = 'run-1'", "--db", str(db)]) == 0
    (row,) = _json(capsys)
    assert row["started_at"] == "2026-01-05T12:00:00+00:00"


def test_query_is_read_only_and_errors_exit_2(db, capsys):
    assert main(["query", "DELETE FROM articles", "--db", str(db)]) == 2
    assert "read-only" in capsys.readouterr().err.lower()
    assert duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM articles").fetchone() == (10,)
    assert main(["query", "SELEC 1", "--db", str(db)]) == 2
    assert "syntax error" in capsys.readouterr().err.lower()
    assert main(["query", "SELECT 1", "--db", str(db.with_name("none.duckdb"))]) == 2
    assert "themewire ingest" in capsys.readouterr().err


# ---- search -------------------------------------------------------------------------------------

def test_search_ranks_and_filters_by_source_before_the_limit(db, capsys):
    assert main(["search", "zeppelin chatbot", "--db", str(db), "--format", "json"]) == 0
    hits = _json(capsys)
    assert hits[0]["title"] == "Zeppelin chatbots" and hits[0]["source"] == "other" and len(hits) > 1
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert main(["search", "tomatoes", "--db", str(db), "--format", "json"]) == 0
    assert [h["title"] for h in _json(capsys)] == ["Tomatoes"]
    # --source: that source's best results, not the global top-k filtered afterwards
    assert main(["search", "zeppelin chatbot", "--db", str(db), "--format", "json", "--limit", "1"]) == 0
    assert [h["source"] for h in _json(capsys)] == ["other"]
    assert main(["search", "zeppelin chatbot", "--db", str(db), "--format", "json", "--limit", "1",
                 "--source", "sample"]) == 0
    only = _json(capsys)
    assert len(only) == 1 and only[0]["source"] == "sample"
    with pytest.raises(SystemExit) as e:
        main(["search", "chatbot", "--db", str(db), "--limit", "0"])
    assert e.value.code == 2 and "positive" in capsys.readouterr().err


# ---- failures -----------------------------------------------------------------------------------

def test_failures_lists_the_last_run_by_default_and_any_run_by_id(db, capsys):
    assert main(["failures", "--db", str(db), "--format", "json"]) == 0
    assert _json(capsys) == []  # run-2 (the last) stored everything
    assert main(["failures", "--db", str(db), "--format", "json", "--source", "sample"]) == 0
    rows = _json(capsys)  # the last run of sample: run-1, 2 timeouts
    assert {r["run_id"] for r in rows} == {"run-1"}
    assert sorted(r["url"] for r in rows) == [url_for(4), url_for(9)]
    assert {r["outcome"] for r in rows} == {"timeout"} and all(r["reason"] for r in rows)
    assert main(["failures", "--db", str(db), "--run", "run-1", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("run run-1: 2 URL(s) not stored") and url_for(4) in out


def test_failures_of_an_unknown_run_exit_2_with_a_hint(db, capsys):
    assert main(["failures", "--db", str(db), "--run", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no run 'nope'" in err and "themewire query" in err


# ---- stats --json, export -----------------------------------------------------------------------

def test_stats_json_is_one_object_per_source(db, capsys):
    assert main(["stats", "--json", "--db", str(db)]) == 0
    rows = {r["source"]: r for r in _json(capsys)}
    assert set(rows) == {"other", "sample"}
    assert rows["sample"]["articles"] == 8 and rows["sample"]["last_run_failures"] == {"timeout": 2}
    assert rows["other"]["last_run_started_at"] == "2026-01-05T13:00:00+00:00"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_writes_tables_and_views_in_each_format(db, tmp_path, fmt):
    out = tmp_path / "out"
    assert main(["export", "--format", fmt, "--out", str(out), "--db", str(db)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.{fmt}" for n in (*ANALYST_TABLES, *ANALYST_VIEWS))
    path = out / f"v_articles.{fmt}"
    if fmt == "parquet":
        rows = pq.read_table(path).to_pylist()
    elif fmt == "csv":
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
    else:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 10 and {r["source"] for r in rows} == {"sample", "other"}
    assert all("top_theme" in r and "effective_date" in r for r in rows)


def test_export_keeps_the_parquet_option_and_refuses_mixing_it(db, tmp_path, capsys):
    assert main(["export", "--parquet", str(tmp_path / "pq"), "--db", str(db)]) == 0
    assert (tmp_path / "pq" / "v_source_health.parquet").exists()
    assert main(["export", "--parquet", str(tmp_path / "x"), "--format", "csv", "--db", str(db)]) == 2
    assert "--format csv --out" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["export", "--db", str(db)])
    assert e.value.code == 2


# ---- the parser ---------------------------------------------------------------------------------

def test_a_mistyped_command_suggests_the_right_one(capsys):
    with pytest.raises(SystemExit) as e:
        main(["ingset"])
    assert e.value.code == 2
    assert "did you mean ingest?" in capsys.readouterr().err


def test_a_mistyped_option_prints_the_commands_usage_and_a_suggestion(capsys):
    with pytest.raises(SystemExit) as e:
        main(["search", "x", "--sorce", "a"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: themewire search ") and "did you mean --source?" in err
    with pytest.raises(SystemExit):
        main(["failures", "--rn", "x"])
    err = capsys.readouterr().err
    assert err.startswith("usage: themewire failures ") and "did you mean --run?" in err


# ---- ./run from another directory ---------------------------------------------------------------

def test_run_script_resolves_relative_paths_against_the_callers_directory(tmp_path):
    caller = tmp_path / "elsewhere"
    caller.mkdir()
    _db(caller / "mine.duckdb")
    env = {k: v for k, v in os.environ.items() if k not in ("THEMEWIRE_DB", "THEMEWIRE_CONFIG")}
    done = subprocess.run([str(ROOT / "run"), "themewire", "query", "SELECT count(*) AS n FROM articles",
                           "--db", "mine.duckdb", "--format", "json"],
                          cwd=caller, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"n": 10}]
    done = subprocess.run([str(ROOT / "run"), "themewire", "export", "--format", "csv", "--out", "exported",
                           "--db", "mine.duckdb"], cwd=caller, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (caller / "exported" / "articles.csv").exists() and not (ROOT / "exported").exists()
