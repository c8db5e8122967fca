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
