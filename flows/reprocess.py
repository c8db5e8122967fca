"""The reprocess flow: re-extract and re-classify stored raw pages with the current extractor and themes,
without fetching, and say what changed (texts, theme matches).

Same tasks as ingest (extract_batch in the process pool, load_batch in one transaction per batch); the
pages are the warehouse's raw_pages (Warehouse.iter_stored_pages), handed to extraction as FetchResults
with no request attempts, so no `fetches` rows are written and the URL ledger keeps its validators.
Pages a backfill fetched but dropped as out of range stay dropped.
"""

from __future__ import annotations

from flows.prefect_env import ensure_prefect_offline

ensure_prefect_offline()

import logging  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date, datetime, time, timezone  # noqa: E402

from prefect import flow  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from extractors.config import Settings, Source  # noqa: E402
from extractors.models import FetchResult, ProcessedPage  # noqa: E402
from flows import report  # noqa: E402
from flows.tasks import extract_batch, load_batch  # noqa: E402

log = logging.getLogger("flows.reprocess")

BATCH_SIZE = 200  # stored pages per extract/load task


@flow(name="themewire-reprocess", log_prints=True)
async def reprocess_flow(config: str = "themewire.toml", sources: list[str] | None = None,
                         since: date | None = None, db: str = "data/themewire.duckdb") -> dict:
    """Every stored page of the named sources (or all), fetched on or after `since` (UTC date) if given."""
    from extractors.config import load_settings

    settings = load_settings(config)
    return await reprocess_sources(settings, sources, since, db)


@dataclass
class Diff:
    """What re-extraction changed, per source."""

    pages: int = 0
    texts_changed: int = 0  # same article, different content hash
    matches_changed: int = 0  # same article, different set of matching themes
    unchanged: int = 0
    newly_extracted: int = 0  # no article before (extraction had failed), one now
    now_failing: int = 0  # an article before, extraction fails now (the stored article is kept)
    kept_out: int = 0  # fetched by a backfill but outside its range: not turned into an article
    gained: Counter = field(default_factory=Counter)  # theme -> articles that now match it
    lost: Counter = field(default_factory=Counter)  # theme -> articles that no longer match it

    def as_dict(self) -> dict:
        return {"pages": self.pages, "texts_changed": self.texts_changed, "matches_changed": self.matches_changed,
                "unchanged": self.unchanged, "newly_extracted": self.newly_extracted,
                "now_failing": self.now_failing, "kept_out": self.kept_out,
                "theme_gains": dict(self.gained), "theme_losses": dict(self.lost)}


def diff_pages(pages: Sequence[ProcessedPage], old: dict[str, tuple[str, frozenset[str]]], diff: Diff,
               old_ids: dict[str, str | None]) -> None:
    """Compare re-extracted pages with what the warehouse held (article_id -> (content_hash, matches))."""
    from warehouse import article_id_for

    for p in pages:
        diff.pages += 1
        before_id = old_ids.get(p.candidate.url)
        if p.article is None:
            diff.now_failing += before_id is not None
            continue
        aid = article_id_for(p.article.canonical_url or p.article.url)
        prior = old.get(aid) or (old.get(before_id) if before_id else None)
        if prior is None:
            diff.newly_extracted += 1
            continue
        old_hash, old_matches = prior
        new_matches = frozenset(s.theme for s in p.scores if s.is_match)
        text_changed, match_changed = old_hash != p.article.content_hash, old_matches != new_matches
        diff.texts_changed += text_changed
        diff.matches_changed += match_changed
        diff.unchanged += not (text_changed or match_changed)
        diff.gained.update(new_matches - old_matches)
        diff.lost.update(old_matches - new_matches)


async def reprocess_sources(settings: Settings, names: Sequence[str] | None, since: date | None, db: str,
                            *, batch_size: int = BATCH_SIZE) -> dict:
    from flows.pool import extraction_pool
    from warehouse import Warehouse

    selected = [settings.source(n) for n in names] if names else list(settings.sources)
    run_id = str(flow_run.id or "") or _local_run_id()
    summaries: dict[str, dict] = {}
    olds = {s.name: read_article_state(db, s.name) for s in selected}
    with Warehouse.open(db) as wh, extraction_pool() as pool:
        for source in selected:
            summaries[source.name] = await _reprocess_one(source, settings.theme_set(source), since, wh,
                                                          run_id, pool, olds[source.name], batch_size)
        wh.publish()
    await _artifact(run_id, summaries)
    return {"run_id": run_id, "db": db, "sources": summaries}


async def _reprocess_one(source: Source, themes, since: date | None, wh, run_id: str, pool, old: "OldState",
                         batch_size: int) -> dict:
    from warehouse import RunInfo

    started = datetime.now(timezone.utc)
    wh.load_run_started(RunInfo(run_id=run_id, flow="reprocess", source=source.name, started_at=started,
                                params={"since": since.isoformat() if since else None}))
    tally, diff = report.Tally(), Diff()
    try:
        since_dt = datetime.combine(since, time(), tzinfo=timezone.utc) if since else None
        batch: list[tuple] = []
        for stored in wh.iter_stored_pages(source.name, since_dt):
            if stored.candidate.url in old.kept_out:
                diff.kept_out += 1
                continue
            batch.append((stored.candidate, _as_fetch(stored)))
            if len(batch) >= batch_size:
                await _one_batch(batch, themes, source, wh, run_id, pool, tally, diff, old)
                batch = []
        if batch:
            await _one_batch(batch, themes, source, wh, run_id, pool, tally, diff, old)
        status = "completed"
    except Exception as e:  # noqa: BLE001 - recorded on the runs row; other sources go on
        log.exception("reprocess of %s failed", source.name)
        tally.error = f"{type(e).__name__}: {e}"
        status = "failed"
    wh.load_run_finished(run_id, source.name, status, tally.counts())
    print(format_diff(source.name, diff.as_dict()))
    return {**tally.summary(status), "diff": diff.as_dict()}


async def _one_batch(batch, themes, source, wh, run_id, pool, tally, diff, old) -> None:
    label = f"reprocess-{diff.pages + 1}"
    pages = await extract_batch(quote(batch), themes, frozenset(), pool, label=label)  # quote: no deep walk
    diff_pages(pages, old.articles, diff, old.page_articles)
    tally.add(pages, await load_batch(wh, run_id, source.name, quote(pages), label=label))


def _as_fetch(stored) -> FetchResult:
    """A stored page as the FetchResult extraction takes: ok, its body, no request attempts (or
    raw_missing, with the reason, when the raw store lost its file)."""
    if stored.html is None:
        return FetchResult(url=stored.candidate.url, final_url=stored.final_url, outcome="raw_missing",
                           error=stored.missing)
    return FetchResult(url=stored.candidate.url, final_url=stored.final_url, outcome="ok", status_code=200,
                       body=stored.html, content_type=stored.content_type, encoding=stored.encoding)


@dataclass(frozen=True)
class OldState:
    articles: dict[str, tuple[str, frozenset[str]]]  # article_id -> (content_hash, matching themes)
    page_articles: dict[str, str | None]  # raw page URL -> its article_id
    kept_out: frozenset[str]  # URLs whose last outcome is out_of_range (a backfill dropped them)


def read_article_state(db: str, source: str) -> OldState:
    """The source's articles as published before this run.

    Local fallback: warehouse/ has no reader for this yet (wanted: Warehouse.read_article_state), so
    this reads the published file through warehouse.open_reader."""
    from warehouse import open_reader
    from warehouse.errors import WarehouseNotFound

    try:
        con = open_reader(db)
    except WarehouseNotFound:
        return OldState({}, {}, frozenset())
    try:
        rows = con.execute(
            "SELECT a.article_id, a.content_hash, list(t.theme ORDER BY t.theme) FILTER (WHERE t.is_match) "
            "FROM articles a LEFT JOIN article_themes t USING (article_id) WHERE a.source = ? "
            "GROUP BY a.article_id, a.content_hash", [source]).fetchall()
        pages = con.execute("SELECT url, article_id FROM raw_pages WHERE source = ?", [source]).fetchall()
        out = con.execute("SELECT url FROM urls WHERE source = ? AND last_outcome = 'out_of_range'",
                          [source]).fetchall()
    finally:
        con.close()
    return OldState({aid: (h, frozenset(m or ())) for aid, h, m in rows}, dict(pages),
                    frozenset(u for (u,) in out))


def format_diff(name: str, d: dict) -> str:
    """The summary `themewire reprocess` prints per source (d: Diff.as_dict())."""
    lines = [f"reprocess {name}: {d['pages']} stored pages re-extracted; texts changed {d['texts_changed']}, "
             f"theme matches changed {d['matches_changed']}, unchanged {d['unchanged']}, newly extracted "
             f"{d['newly_extracted']}, now failing {d['now_failing']}, kept out of range {d['kept_out']}"]
    gained, lost = d["theme_gains"], d["theme_losses"]
    for theme in sorted(set(gained) | set(lost)):
        lines.append(f"    {theme}: +{gained.get(theme, 0)} / -{lost.get(theme, 0)} matching articles")
    return "\n".join(lines)


async def _artifact(run_id: str, summaries: dict[str, dict]) -> None:
    from prefect.artifacts import acreate_markdown_artifact

    lines = [report.format_markdown(run_id, summaries), "", "## What re-extraction changed", "",
             "| source | pages | texts changed | matches changed | unchanged | newly extracted | now failing |",
             "|---|---|---|---|---|---|---|"]
    for name, s in summaries.items():
        d = s["diff"]
        lines.append(f"| {name} | {d['pages']} | {d['texts_changed']} | {d['matches_changed']} | {d['unchanged']} "
                     f"| {d['newly_extracted']} | {d['now_failing']} |")
    await acreate_markdown_artifact(markdown="\n".join(lines), key="themewire-reprocess-summary",
                                    description="Re-extraction of stored pages: what changed")


def _local_run_id() -> str:
    import uuid

    return str(uuid.uuid4())
