"""Read a published DuckDB file in tests, the way analysts do (read-only, closed after each query)."""

from __future__ import annotations

import duckdb


def query(db, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def query_dicts(db, sql: str, *params) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]
