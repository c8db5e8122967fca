"""Small read-only summaries of the published warehouse (for the demo and the CLI)."""

from __future__ import annotations

import os

from .reader import open_reader


def read_demo_summary(db_path: str | os.PathLike) -> dict:
    """articles, on_theme, off_theme (non-duplicate articles), themes [(theme, matches)] best first,
    skipped [(outcome, urls, example url)] for the most recent run."""
    con = open_reader(db_path)
    try:
        articles, on_theme = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE on_theme) FROM v_articles WHERE NOT is_duplicate"
        ).fetchone()
        themes = con.execute(
            "SELECT theme, count(*) AS n FROM article_themes t JOIN v_articles a USING (article_id) "
            "WHERE t.is_match AND NOT a.is_duplicate GROUP BY theme ORDER BY n DESC, theme").fetchall()
        skipped = con.execute(
            """WITH last AS (SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1)
               SELECT outcome, count(*) AS n, min(url) AS example FROM v_skipped
               WHERE run_id IN (SELECT run_id FROM last) GROUP BY outcome ORDER BY n DESC, outcome"""
        ).fetchall()
    finally:
        con.close()
    return {"articles": articles, "on_theme": on_theme, "off_theme": articles - on_theme,
            "themes": [tuple(r) for r in themes], "skipped": [tuple(r) for r in skipped]}


def read_run_rows(db_path: str | os.PathLike, run_id: str) -> list[dict]:
    """The `runs` rows of one run (one per source), as the published file holds them; [] if it has none."""
    if not os.path.exists(db_path):
        return []
    con = open_reader(db_path)
    try:
        cur = con.execute("SELECT * FROM runs WHERE run_id = ? ORDER BY source", [run_id])
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    finally:
        con.close()
    for r in rows:
        if isinstance(r.get("failures"), dict):  # MAP(VARCHAR, BIGINT)
            r["failures"] = dict(r["failures"])
    return rows
