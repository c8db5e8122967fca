"""`themewire stats`: per-source health from the published warehouse, as plain text."""

from __future__ import annotations

import os

from .reader import open_reader

_COLUMNS = ("source", "last_run_id", "last_run_flow", "last_run_status", "last_run_started_at", "last_run_finished_at",
            "runs", "articles", "on_theme_articles", "on_theme_share", "last_run_requests",
            "last_run_error_rate", "last_run_failures", "requests_total", "error_rate_total")


# The entry points of each source's latest run that recorded any (a reprocess records none), and the
# canonical counts of its last run that fetched (ingest or backfill).
ENTRY_POINTS_SQL = """
WITH latest AS (
    SELECT e.source, first(e.run_id ORDER BY r.started_at DESC, e.run_id DESC) AS run_id
    FROM entry_points e JOIN runs r USING (run_id, source) GROUP BY e.source)
SELECT e.source, e.kind, e.url, e.ok, e.outcome, e.reason
FROM entry_points e JOIN latest USING (source, run_id) ORDER BY e.source, e.kind, e.url
"""
CANONICALS_SQL = """
SELECT source, first(canonical_merged ORDER BY started_at DESC), first(canonical_ignored ORDER BY started_at DESC),
       first(canonical_kept_apart ORDER BY started_at DESC)
FROM runs WHERE flow <> 'reprocess' AND status <> 'running' GROUP BY source
"""


def read_run_notes(con) -> tuple[dict[str, dict], dict[str, tuple]]:
    """(source -> {"entry_points": n, "failed": [(kind, url, outcome, reason), ...]},
    source -> (canonical merged, ignored, kept apart)) from an open reader: what `stats` and the report
    add to v_source_health. Empty for a file written before these were recorded."""
    import duckdb

    entries: dict[str, dict] = {}
    try:
        for source, kind, url, ok, outcome, reason in con.execute(ENTRY_POINTS_SQL).fetchall():
            e = entries.setdefault(source, {"entry_points": 0, "failed": []})
            e["entry_points"] += 1
            if not ok:
                e["failed"].append((kind, url, outcome, reason))
        canon = {r[0]: tuple(r[1:]) for r in con.execute(CANONICALS_SQL).fetchall()}
    except duckdb.CatalogException:  # an older published file
        return {}, {}
    return entries, canon


def read_source_health(db_path: str | os.PathLike) -> list[dict]:
    """v_source_health rows as dicts (columns documented in warehouse/views.sql), by source, plus
    `entry_points` / `entry_failures` (read_run_notes) and `canonicals` (merged, ignored, kept apart)."""
    con = open_reader(db_path)
    try:
        rows = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM v_source_health ORDER BY source").fetchall()
        entries, canon = read_run_notes(con)
    finally:
        con.close()
    out = []
    for r in rows:
        d = dict(zip(_COLUMNS, r))
        e = entries.get(d["source"], {"entry_points": 0, "failed": []})
        d.update(entry_points=e["entry_points"], entry_failures=e["failed"], canonicals=canon.get(d["source"]))
        out.append(d)
    return out


def describe_run(flow: str | None, status: str | None) -> str:
    """How a run is labelled: its flow beside its status ("reprocess, completed"), so a reprocess,
    which fetches nothing, is never read as an ingest."""
    if not status:
        return "none"
    return f"{flow}, {status}" if flow else status


def entry_failure_line(kind: str, url: str, outcome: str, reason: str | None) -> str:
    return f"{kind} {url}: {outcome}" + (f" ({reason})" if reason and reason != outcome else "")


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def format_source_health(rows: list[dict]) -> str:
    if not rows:
        return "no sources yet: the warehouse has no runs and no articles"
    out = []
    for r in rows:
        started = r["last_run_started_at"].strftime("%Y-%m-%d %H:%M UTC") if r["last_run_started_at"] else "-"
        out += [f"{r['source']}",
                f"  last run       {r['last_run_id'] or '-'} ({describe_run(r['last_run_flow'], r['last_run_status'])}),"
                f" started {started}"
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
        failed = r.get("entry_failures") or []
        if r.get("entry_points"):
            degraded = " - DEGRADED: nothing could be discovered" if len(failed) == r["entry_points"] else ""
            out.append(f"  entry points   {r['entry_points'] - len(failed)} of {r['entry_points']} read{degraded}")
            out += [f"    failed       {entry_failure_line(*f)}" for f in failed]
        if r.get("canonicals") and any(r["canonicals"]):
            merged, ignored, apart = r["canonicals"]
            out.append(f"  canonicals     last run: {merged} merged, {ignored} ignored (another origin), "
                       f"{apart} kept apart (different body)")
    return "\n".join(out)
