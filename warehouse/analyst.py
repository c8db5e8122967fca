"""Analyst reads of the published file (`themewire query`, `search`, `failures`): read-only connections,
results as (columns, rows)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Sequence

from .errors import WarehouseError
from .reader import open_reader


class QueryError(WarehouseError):
    """SQL that DuckDB refused (a syntax error, an unknown table, a write on the read-only file...)."""


@dataclass(frozen=True)
class Result:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def read_query(db_path: str | os.PathLike, sql: str, params: Sequence[Any] = ()) -> Result:
    """Run one SQL statement on a read-only connection to the published file (writes are refused)."""
    import duckdb

    con = open_reader(db_path)
    try:
        try:
            cur = con.execute(sql, list(params))
        except duckdb.Error as e:
            raise QueryError(str(e).strip()) from None
        if cur.description is None:  # a statement without a result (SET, PRAGMA ...)
            return Result((), [])
        return Result(tuple(d[0] for d in cur.description), cur.fetchall())
    finally:
        con.close()


SEARCH_SQL = """SELECT article_id, title, source, url, published_at, round(score, 4) AS score
FROM search_articles(?, k := ?, in_source := ?)"""


def read_search(db_path: str | os.PathLike, terms: str, *, limit: int = 20, source: str | None = None) -> Result:
    """The BM25 search (the search_articles macro of views.sql), best first; `source` filters before
    the limit, so `limit` results of that source come back when there are that many."""
    return read_query(db_path, SEARCH_SQL, [terms, int(limit), source])


FAILURES_SQL = """SELECT s.run_id, s.source, s.url, s.stage, s.outcome, s.reason, s.outcome_description
FROM v_skipped s WHERE s.run_id = ? AND (?::VARCHAR IS NULL OR s.source = ?)
ORDER BY s.source, s.outcome, s.url"""

LAST_RUN_SQL = """SELECT run_id FROM runs WHERE ?::VARCHAR IS NULL OR source = ?
ORDER BY started_at DESC, run_id DESC LIMIT 1"""


class UnknownRun(WarehouseError):
    def __init__(self, run_id: str | None, source: str | None) -> None:
        if run_id is None:
            what = f"source {source!r} has no runs" if source else "the warehouse has no runs yet"
        else:
            what = f"no run {run_id!r}" + (f" for source {source!r}" if source else "")
        super().__init__(f"{what}; list the runs with: themewire query \"SELECT run_id, source, started_at, "
                         "status FROM runs ORDER BY started_at DESC\"")


def read_failures(db_path: str | os.PathLike, *, run_id: str | None = None,
                  source: str | None = None) -> tuple[str, Result]:
    """(run_id, the URLs of that run that did not become articles and why). Default run: the last one
    started (of `source`, if given). UnknownRun if there is no such run."""
    con = open_reader(db_path)
    try:
        if run_id is None:
            row = con.execute(LAST_RUN_SQL, [source, source]).fetchone()
        else:
            row = con.execute("SELECT run_id FROM runs WHERE run_id = ? AND (?::VARCHAR IS NULL OR source = ?) "
                              "LIMIT 1", [run_id, source, source]).fetchone()
        if row is None:
            raise UnknownRun(run_id, source)
        cur = con.execute(FAILURES_SQL, [row[0], source, source])
        return row[0], Result(tuple(d[0] for d in cur.description), cur.fetchall())
    finally:
        con.close()
