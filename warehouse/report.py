"""`themewire report`: one self-contained HTML file — themes over time, top articles per theme,
source health — with charts as inline SVG. No scripts, no external resources; a CSP forbids both
anyway. Every string from the warehouse (scraped or not) goes through `_e` (html.escape)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

from .reader import open_reader
from .stats import describe_run, entry_failure_line, read_run_notes

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
OUTCOME_COLORS = {"ok": "#59a14f", "not_modified": "#76b7b2", "redirect": "#bab0ac"}
ERROR_COLOR = "#e15759"
TOP_N = 5


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


@dataclass
class ReportData:
    weekly: list[tuple]  # (theme, week, articles)
    top: list[tuple]  # (theme, rank, title, url, source, effective_date, score)
    health: list[tuple]  # (source, last_run_id, status, started, articles, on_theme, share, err_rate, outcomes, flow)
    totals: tuple  # (articles, on_theme, sources, runs)
    by_source: dict = field(default_factory=dict)  # source -> [(theme, week, articles)]
    entries: dict = field(default_factory=dict)  # source -> {"entry_points": n, "failed": [...]} (stats.read_run_notes)
    canonicals: dict = field(default_factory=dict)  # source -> (merged, ignored, kept apart), last fetching run


def read_report_data(db_path: str | os.PathLike) -> ReportData:
    con = open_reader(db_path)
    try:
        weekly = con.execute("SELECT theme, week, sum(articles) FROM v_theme_weekly "
                             "GROUP BY theme, week ORDER BY week, theme").fetchall()
        top = con.execute(
            f"""SELECT t.theme, row_number() OVER (PARTITION BY t.theme ORDER BY t.score DESC, a.article_id) AS rank,
                       a.title, a.url, a.source, a.effective_date, t.score
                FROM article_themes t JOIN v_articles a USING (article_id)
                WHERE t.is_match AND NOT a.is_duplicate
                QUALIFY rank <= {TOP_N} ORDER BY t.theme, rank""").fetchall()
        per_source = con.execute("SELECT source, theme, week, articles FROM v_theme_weekly "
                                 "ORDER BY source, week, theme").fetchall()
        health = con.execute(
            "SELECT source, last_run_id, last_run_status, last_run_started_at, articles, on_theme_articles, "
            "on_theme_share, last_run_error_rate, last_run_outcomes, last_run_flow FROM v_source_health "
            "ORDER BY source").fetchall()
        entries, canonicals = read_run_notes(con)
        totals = con.execute(
            "SELECT (SELECT count(*) FROM v_articles WHERE NOT is_duplicate), "
            "(SELECT count(*) FROM v_articles WHERE on_theme AND NOT is_duplicate), "
            "(SELECT count(DISTINCT source) FROM v_source_health), (SELECT count(*) FROM runs)").fetchone()
    finally:
        con.close()
    by_source: dict[str, list[tuple]] = {}
    for source, theme, week, n in per_source:
        by_source.setdefault(source, []).append((theme, week, n))
    return ReportData(weekly, top, health, totals, by_source, entries, canonicals)


# ---- charts ------------------------------------------------------------------------------------
def theme_colors(themes) -> dict[str, str]:
    """One colour per theme, the same in every chart of the report (themes in sorted order)."""
    return {t: PALETTE[k % len(PALETTE)] for k, t in enumerate(sorted(set(themes)))}


def svg_theme_weeks(weekly: list[tuple], width: int = 1000, height: int = 300, *,
                    colors: dict[str, str] | None = None, label: str = "Theme matches per week") -> str:
    """Theme matches per week as stacked bars (every week from the first to the last), with a legend
    naming every colour used. The SVG scales to the full width of the page (its viewBox is
    width x height); `colors` (theme -> colour) keeps a theme's colour across charts."""
    if not weekly:
        return '<p class="empty">No matched articles yet.</p>'
    first, last = min(w for _, w, _ in weekly), max(w for _, w, _ in weekly)
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    themes = sorted({t for t, _, _ in weekly})
    colors = colors or theme_colors(themes)
    height = max(height, 16 + 14 + 18 * len(themes) + 8)  # room for one legend row per theme
    counts = {(t, w): n for t, w, n in weekly}
    top = max(sum(counts.get((t, w), 0) for t in themes) for w in weeks) or 1
    left, right, top_pad, bottom = 40, 200, 16, 40
    pw, ph = width - left - right, height - top_pad - bottom
    slot = pw / len(weeks)
    bar = max(1.0, slot * 0.8)

    def y(n):
        return top_pad + ph - ph * n / top

    parts = [f'<svg class="chart" role="img" aria-label="{_e(label)}" viewBox="0 0 {width} {height}" '
             f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="{top_pad + ph}" x2="{left + pw}" y2="{top_pad + ph}" stroke="#888"/>']
    for tick in sorted({0, top // 2, top}):
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + pw}" y2="{y(tick):.1f}" stroke="#eee"/>'
                     f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" class="tick">{tick}</text>')
    every = -(-len(weeks) // 6)  # at most ~6 date labels
    for i, w in enumerate(weeks):
        x0 = left + i * slot + (slot - bar) / 2
        if i % every == 0:
            parts.append(f'<text x="{x0 + bar / 2:.1f}" y="{top_pad + ph + 16}" text-anchor="middle" '
                         f'class="tick">{_e(w.strftime("%d %b %y"))}</text>')
        base = 0
        for theme in themes:
            n = counts.get((theme, w), 0)
            if n:
                parts.append(f'<rect class="seg" x="{x0:.1f}" y="{y(base + n):.1f}" width="{bar:.1f}" '
                             f'height="{y(base) - y(base + n):.1f}" fill="{colors[theme]}">'
                             f'<title>{_e(theme)}, week of {_e(w)}: {n}</title></rect>')
                base += n
    for k, theme in enumerate(themes):  # the legend: every colour the bars use
        ly = top_pad + 14 + 18 * k
        parts.append(f'<rect class="key" x="{left + pw + 16}" y="{ly - 9}" width="10" height="10" '
                     f'fill="{colors[theme]}"/><text x="{left + pw + 32}" y="{ly}" '
                     f'class="legend">{_e(_short(theme, 28))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_outcome_bar(outcomes: dict | None, width: int = 360, height: int = 18) -> str:
    """One stacked bar: the last run's requests by outcome (green ok, red errors)."""
    outcomes = outcomes or {}
    total = sum(outcomes.values())
    if not total:
        return '<span class="empty">no requests</span>'
    parts = [f'<svg class="bar" role="img" aria-label="requests by outcome" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    x0 = 0.0
    for outcome, n in sorted(outcomes.items(), key=lambda kv: (kv[0] not in OUTCOME_COLORS, kv[0])):
        w = width * n / total
        color = OUTCOME_COLORS.get(outcome, ERROR_COLOR)
        parts.append(f'<rect x="{x0:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{color}" '
                     f'stroke="#fff" stroke-width="0.5"><title>{_e(outcome)}: {n}</title></rect>')
        x0 += w
    parts.append("</svg>")
    return "".join(parts)


OUTCOME_LEGEND = (("ok", OUTCOME_COLORS["ok"]), ("not modified (304)", OUTCOME_COLORS["not_modified"]),
                  ("redirect", OUTCOME_COLORS["redirect"]), ("error (any other outcome)", ERROR_COLOR))
SCORE_COLOR = "#4e79a7"


def legend(items) -> str:
    """An HTML legend: one swatch and label per (label, colour)."""
    return '<p class="legend-row">' + "".join(
        f'<span class="key"><span class="swatch" style="background:{c}"></span>{_e(label)}</span>'
        for label, c in items) + "</p>"


def svg_score_bar(score: float, best: float, width: int = 80, height: int = 10) -> str:
    """Score relative to `best` (classifier scores are not bounded to 0..1)."""
    w = max(0.0, min(1.0, float(score) / best)) * width if best > 0 else 0.0
    return (f'<svg class="score" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg"><rect width="{width}" height="{height}" fill="#eee"/>'
            f'<rect width="{w:.1f}" height="{height}" fill="{SCORE_COLOR}"/></svg>')


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _link(title, url) -> str:
    label = _e(title or url or "(untitled)")
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{label}</a>'
    return label


# ---- sections -----------------------------------------------------------------------------------
def _top_section(top: list[tuple]) -> str:
    if not top:
        return '<p class="empty">No matched articles yet.</p>'
    out, current = [], None
    best = max(row[6] for row in top)
    for theme, rank, title, url, source, day, score in top:
        if theme != current:
            if current is not None:
                out.append("</ol></div>")
            out.append(f'<div class="theme"><h3>{_e(theme)}</h3><ol>')
            current = theme
        date = day.strftime("%Y-%m-%d") if day else ""
        out.append(f'<li>{svg_score_bar(score, best)} <span class="num">{score:.2f}</span> {_link(title, url)} '
                   f'<span class="meta">{_e(source)} · {_e(date)}</span></li>')
    out.append("</ol></div>")
    return "".join(out)


def _health_section(health: list[tuple], entries: dict | None = None, canonicals: dict | None = None) -> str:
    """The source table: the last run labelled with its flow (a reprocess fetches nothing), failed entry
    points named by URL (a degraded source says so), canonical decisions, and a legend of the bar."""
    if not health:
        return '<p class="empty">No runs yet.</p>'
    entries, canonicals = entries or {}, canonicals or {}
    rows = ['<table><thead><tr><th>source</th><th>last run</th><th>articles</th><th>on-theme</th>'
            '<th>error rate</th><th>last run requests by outcome</th></tr></thead><tbody>']
    for source, run_id, status, started, arts, on_theme, share, err, outcomes, flow in health:
        when = started.strftime("%Y-%m-%d %H:%M") if started else "-"
        pct = "-" if share is None else f"{100 * share:.0f}%"
        erp = "-" if err is None else f"{100 * err:.1f}%"
        cls = ' class="bad"' if status in ("degraded", "failed") else ""
        rows.append(f'<tr><td>{_e(source)}</td><td{cls}>{_e(describe_run(flow, status or "-"))} '
                    f'<span class="meta">{_e(when)} {_e(_short(run_id or "", 12))}</span></td>'
                    f'<td class="num">{arts}</td><td class="num">{on_theme} ({pct})</td>'
                    f'<td class="num">{erp}</td><td>{svg_outcome_bar(outcomes)}</td></tr>')
        notes = []
        e = entries.get(source)
        if e and e["failed"]:
            head = ("DEGRADED: every entry point failed" if len(e["failed"]) == e["entry_points"]
                    else f'{len(e["failed"])} of {e["entry_points"]} entry points failed')
            notes.append(f'<b class="bad">{_e(head)}</b><ul class="entries">'
                         + "".join(f"<li>{_e(entry_failure_line(*f))}</li>" for f in e["failed"]) + "</ul>")
        c = canonicals.get(source)
        if c and any(c):
            notes.append(f'<span class="meta">canonicals, last run: {c[0]} merged, {c[1]} ignored (another '
                         f'origin), {c[2]} kept apart (different body)</span>')
        if notes:
            rows.append(f'<tr class="notes"><td></td><td colspan="5">{"".join(notes)}</td></tr>')
    rows.append("</tbody></table>")
    rows.append(legend(OUTCOME_LEGEND))
    return "".join(rows)


def _per_source_section(sources, by_source: dict, colors: dict[str, str]) -> str:
    """One themes-over-time chart per source (every source of `sources`), in the report's theme colours."""
    names = sorted(set(sources) | set(by_source))
    if not names:
        return '<p class="empty">No sources yet.</p>'
    return "".join(f'<div class="source-chart"><h3>{_e(source)}</h3>'
                   + svg_theme_weeks(by_source.get(source, []), height=200, colors=colors,
                                     label=f"Theme matches per week, {source}") + "</div>"
                   for source in names)


CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#222;padding:0 1rem}
svg.chart{display:block;width:100%;height:auto} .bad{color:#b3261e} ul.entries{margin:.2rem 0 .4rem}
.legend-row{margin:.4rem 0} .legend-row .key{margin-right:1rem;color:#555;font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:.3rem;vertical-align:-1px}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
h3{margin:.8rem 0 .3rem;font-size:1rem} .meta,.tick,.legend{color:#777;font-size:12px}
.tick,.legend{fill:#555} .theme{display:inline-block;vertical-align:top;width:29rem;margin-right:1rem}
ol{padding-left:1.2rem;margin:0} li{margin:.25rem 0} .num{font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%} td,th{padding:.35rem .5rem;border-bottom:1px solid #eee;
text-align:left;vertical-align:middle} .empty{color:#999} .cards{display:flex;gap:1rem}
.card{background:#f6f7f9;border-radius:8px;padding:.6rem 1rem} .card b{font-size:1.4rem;display:block}
"""


def render_report(db_path: str | os.PathLike, *, now: datetime | None = None) -> str:
    d = read_report_data(db_path)
    when = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    articles, on_theme, sources, runs = d.totals
    colors = theme_colors(t for t, _, _ in d.weekly)
    cards = "".join(f'<div class="card"><b>{v}</b>{_e(k)}</div>' for k, v in
                    (("articles", articles), ("on-theme", on_theme), ("sources", sources), ("runs", runs)))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>themewire report</title><style>{CSS}</style></head>
<body>
<h1>themewire report</h1>
<p class="meta">Generated {_e(when)} from {_e(Path(db_path).name)}</p>
<div class="cards" id="totals">{cards}</div>
<section id="themes-over-time"><h2>Themes over time</h2>
<p class="meta">Theme matches per week (an article matching two themes counts in both), by publication date, else first seen; exact duplicates excluded.</p>
{svg_theme_weeks(d.weekly, colors=colors)}</section>
<section id="themes-per-source"><h2>Themes over time, per source</h2>{_per_source_section([h[0] for h in d.health], d.by_source, colors)}</section>
<section id="top-articles"><h2>Top articles per theme</h2>
{legend([("score, relative to the best score in the report", SCORE_COLOR)]) if d.top else ""}{_top_section(d.top)}</section>
<section id="source-health"><h2>Source health</h2>{_health_section(d.health, d.entries, d.canonicals)}</section>
</body></html>
"""


def write_report(db_path: str | os.PathLike, out: str | os.PathLike, *, now: datetime | None = None) -> Path:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render_report(db_path, now=now), encoding="utf-8")
    os.replace(tmp, path)
    return path
