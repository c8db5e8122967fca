"""`themewire stats`: per-source health from the published warehouse, as plain text."""

from __future__ import annotations

import os

from .reader import open_reader

_COLUMNS = ("source", "last_run_id", "last_run_status", "last_run_started_at", "last_run_finished_at",
            "runs", "articles", "on_theme_articles", "on_theme_share", "last_run_requests",
            "last_run_error_rate", "last_run_failures", "requests_total", "error_rate_total")


def read_source_health(db_path: str | os.PathLike) -> list[dict]:
    """v_source_health rows as dicts (columns documented in warehouse/views.sql), by source."""
    con = open_reader(db_path)
    try:
        rows = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM v_source_health ORDER BY source").fetchall()
    finally:
        con.close()
    return [dict(zip(_COLUMNS, r)) for r in rows]


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def format_source_health(rows: list[dict]) -> str:
    if not rows:
        return "no sources yet: the warehouse has no runs and no articles"
    out = []
    for r in rows:
        started = r["last_run_started_at"].strftime("%Y-%m-%d %H:%M UTC") if r["last_run_started_at"] else "-"
        out += [f"{r['source']}",
                f"  last run       {r['last_run_id'] or '-'} ({r['last_run_status'] or 'none'}), started {started}"
                f"; {r['runs']} run(s) in total",
                f"  articles       {r['articles']} ({r['on_theme_articles']} on-theme, "
                f"{_pct(r['on_theme_share'])})",
                f"  requests       last run {r['last_run_requests']} (errors {_pct(r['last_run_error_rate'])}); "
                f"all runs {r['requests_total']} (errors {_pct(r['error_rate_total'])})"]
        failures = r["last_run_failures"] or {}
        if failures:
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(failures.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(f"  not stored     {reasons}")
        else:
            out.append("  not stored     nothing (last run)")
    return "\n".join(out)
