"""The reprocess flow: re-extract and re-classify stored raw pages with the current extractor and themes,
without fetching, and say what changed (texts, theme matches).

Same skeleton and tasks as ingest (flows/run.py: the extraction backend, load_batch in one transaction
per batch); the pages are the warehouse's raw_pages (Warehouse.iter_stored_pages), handed to extraction
as FetchResults with no request attempts, so no `fetches` rows are written and the URL ledger keeps its
validators.
Pages a backfill fetched but dropped as out of range stay dropped.
"""

from __future__ import annotations

from flows.prefect_env import ensure_prefect_offline

ensure_prefect_offline()

import asyncio  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterator, Mapping, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date, datetime, time, timezone  # noqa: E402
from functools import partial  # noqa: E402

from prefect import flow  # noqa: E402

from extractors.config import Settings  # noqa: E402
from extractors.models import FetchResult, ProcessedPage  # noqa: E402
from flows import report  # noqa: E402
from flows.run import SourceRun, load_processed, open_run, run_source, select_sources  # noqa: E402
from warehouse.state import ArticleState, read_article_state  # noqa: E402

BATCH_SIZE = 200  # stored pages per extract/load task


@flow(name="themewire-reprocess", log_prints=True)
async def reprocess_flow(config: str = "themewire.toml", sources: list[str] | None = None,
                         since: date | None = None, db: str = "data/themewire.duckdb",
                         dask_address: str | None = None) -> dict:
    """Every stored page of the named sources (or all), fetched on or after `since` (UTC date) if given.

    `dask_address` (opt-in): extract on that Dask cluster instead of the local process pool (as ingest)."""
    from extractors.config import load_settings

    settings = load_settings(config)
    return await reprocess_sources(settings, sources, since, db, dask_address=dask_address)


@dataclass
class Diff:
    """What re-extraction changed, per source."""

    pages: int = 0
    texts_changed: int = 0  # same article, different content hash
    matches_changed: int = 0  # same article, different set of matching themes
    unchanged: int = 0
    newly_extracted: int = 0  # no article before (extraction had failed), one now
    now_failing: int = 0  # an article before, extraction fails now (the stored article is kept)
    not_article: int = 0  # an article before, the page-type gate says not an article now (it is removed
    # unless another stored page still yields it)
    kept_out: int = 0  # fetched by a backfill but outside its range: not turned into an article
    gained: Counter = field(default_factory=Counter)  # theme -> articles that now match it
    lost: Counter = field(default_factory=Counter)  # theme -> articles that no longer match it

    def as_dict(self) -> dict:
        return {"pages": self.pages, "texts_changed": self.texts_changed, "matches_changed": self.matches_changed,
                "unchanged": self.unchanged, "newly_extracted": self.newly_extracted,
                "now_failing": self.now_failing, "not_article": self.not_article, "kept_out": self.kept_out,
                "theme_gains": dict(self.gained), "theme_losses": dict(self.lost)}


@dataclass(frozen=True)
class PageChange:
    """How one re-extracted page compares with the stored article (change: text, themes, text+themes,
    unchanged, newly_extracted, now_failing, not_article, not_extracted)."""

    url: str
    article_id: str | None
    change: str
    gained: frozenset[str] = frozenset()
    lost: frozenset[str] = frozenset()


def page_change(p: ProcessedPage, old: Mapping[str, tuple[str, frozenset[str]]],
                old_ids: Mapping[str, str | None]) -> PageChange:
    """Compare a re-extracted page with what the warehouse held (article_id -> (content_hash, matches))."""
    from warehouse import article_id_for

    before_id = old_ids.get(p.candidate.url)
    if p.article is None:
        if before_id is None:
            return PageChange(p.candidate.url, None, "not_extracted")
        gone = p.skip is not None and p.skip.outcome == "not_article"
        return PageChange(p.candidate.url, before_id, "not_article" if gone else "now_failing")
    aid = article_id_for(p.article.canonical_url or p.article.url)
    prior = old.get(aid) or (old.get(before_id) if before_id else None)
    if prior is None:
        return PageChange(p.candidate.url, aid, "newly_extracted")
    old_hash, old_matches = prior
    new_matches = frozenset(s.theme for s in p.scores if s.is_match)
    text_changed, match_changed = old_hash != p.article.content_hash, old_matches != new_matches
    change = ("text+themes" if text_changed and match_changed else "text" if text_changed
              else "themes" if match_changed else "unchanged")
    return PageChange(p.candidate.url, aid, change, new_matches - old_matches, old_matches - new_matches)


def diff_pages(pages: Sequence[ProcessedPage], old: Mapping[str, tuple[str, frozenset[str]]], diff: Diff,
               old_ids: Mapping[str, str | None]) -> None:
    """Count re-extracted pages' changes (page_change) into `diff`."""
    for p in pages:
        diff.pages += 1
        c = page_change(p, old, old_ids)
        diff.now_failing += c.change == "now_failing"
        diff.not_article += c.change == "not_article"
        diff.newly_extracted += c.change == "newly_extracted"
        diff.texts_changed += c.change in ("text", "text+themes")
        diff.matches_changed += c.change in ("themes", "text+themes")
        diff.unchanged += c.change == "unchanged"
        diff.gained.update(c.gained)
        diff.lost.update(c.lost)


def reprocess_dry_run(settings: Settings, names: Sequence[str] | None, since: date | None,
                      db: str) -> list[tuple[str, PageChange]]:
    """(source, change) for every stored page whose article would change (text, theme matches, newly
    extracted, now failing) if reprocess ran now. Reads the published file read-only and extracts in
    this process: no run, no Prefect flow, nothing written."""
    from extractors.process import extract_processed_page
    from warehouse.state import read_stored_pages

    since_dt = datetime.combine(since, time(), tzinfo=timezone.utc) if since else None
    out = []
    for source in select_sources(settings, names):
        old, themes = read_article_state(db, source.name), settings.theme_set(source)
        for stored in read_stored_pages(db, source.name, since_dt):
            if stored.candidate.url in old.kept_out:
                continue
            page = extract_processed_page(stored.candidate, _as_fetch(stored), themes)
            change = page_change(page, old.articles, old.page_articles)
            if change.change not in ("unchanged", "not_extracted"):
                out.append((source.name, change))
    return out


async def reprocess_sources(settings: Settings, names: Sequence[str] | None, since: date | None, db: str,
                            *, batch_size: int = BATCH_SIZE, dask_address: str | None = None) -> dict:
    selected = select_sources(settings, names)
    summaries: dict[str, dict] = {}
    olds = {s.name: read_article_state(db, s.name) for s in selected}  # as published before this run
    since_dt = datetime.combine(since, time(), tzinfo=timezone.utc) if since else None
    with open_run("reprocess", settings, db, dask_address) as run:
        for source in selected:
            diff = Diff()
            summary, _ = await run_source(run.for_source(source),
                                          partial(_reprocess, since=since_dt, old=olds[source.name], diff=diff,
                                                  batch_size=batch_size),
                                          params={"since": since.isoformat() if since else None})
            d = {**diff.as_dict(), "articles_removed": summary.get("articles_removed", 0)}
            print(format_diff(source.name, d))
            summaries[source.name] = {**summary, "diff": d}
    await _artifact(run.run_id, summaries)
    return {"run_id": run.run_id, "db": db, "sources": summaries}


async def _reprocess(srun: SourceRun, *, since: datetime | None, old: ArticleState, diff: Diff,
                     batch_size: int) -> None:
    """The source's stored pages, in batches, through extraction and the load (and into the diff).

    Pipelined like ingest's run_pipeline: batch k+1 is read and queued on the extraction backend before
    batch k is loaded, so the workers extract while the flow process writes. Reads and loads share the
    writer's connection and never overlap: a batch is read only between loads."""
    batches = _stored_batches(srun, since, old, diff, batch_size)
    first = next(batches, None)
    if first is None:
        return
    srun.backend.warm()  # start the workers now, not on the first submit (it would hold the event loop)
    queued = len(first)
    extracting = _extract_next(srun, first, "reprocess-1")
    try:
        while extracting is not None:
            current = extracting
            nxt = next(batches, None)  # read while no load runs on the connection
            extracting = None
            if nxt is not None:
                extracting = _extract_next(srun, nxt, f"reprocess-{queued + 1}")
                queued += len(nxt)
            pages, label = await current
            diff_pages(pages, old.articles, diff, old.page_articles)
            await load_processed(srun, pages, label)
    finally:
        if extracting is not None and not extracting.done():  # a failed batch stops the source
            extracting.cancel()


def _stored_batches(srun: SourceRun, since: datetime | None, old: ArticleState, diff: Diff,
                    batch_size: int) -> Iterator[list[tuple]]:
    """The source's stored pages as (Candidate, FetchResult) batches; pages kept out of range counted."""
    batch: list[tuple] = []
    for stored in srun.warehouse.iter_stored_pages(srun.source.name, since, chunk=batch_size):
        if stored.candidate.url in old.kept_out:
            diff.kept_out += 1
            continue
        batch.append((stored.candidate, _as_fetch(stored)))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extract_next(srun: SourceRun, batch: list[tuple], label: str) -> "asyncio.Future":
    """Queue one batch's extraction now; the future gives (pages, label)."""

    async def run() -> tuple[list[ProcessedPage], str]:
        return await srun.backend.extract(batch, srun.themes, label), label

    return asyncio.ensure_future(run())


def _as_fetch(stored) -> FetchResult:
    """A stored page as the FetchResult extraction takes: ok, its body, no request attempts (or
    raw_missing, with the reason, when the raw store lost its file)."""
    if stored.html is None:
        return FetchResult(url=stored.candidate.url, final_url=stored.final_url, outcome="raw_missing",
                           error=stored.missing)
    return FetchResult(url=stored.candidate.url, final_url=stored.final_url, outcome="ok", status_code=200,
                       body=stored.html, content_type=stored.content_type, encoding=stored.encoding)


def format_diff(name: str, d: dict) -> str:
    """The summary `themewire reprocess` prints per source (d: Diff.as_dict())."""
    lines = [f"reprocess {name}: {d['pages']} stored pages re-extracted; texts changed {d['texts_changed']}, "
             f"theme matches changed {d['matches_changed']}, unchanged {d['unchanged']}, newly extracted "
             f"{d['newly_extracted']}, now failing {d['now_failing']}, kept out of range {d['kept_out']}, "
             f"no longer articles {d.get('not_article', 0)} (articles removed {d.get('articles_removed', 0)})"]
    gained, lost = d["theme_gains"], d["theme_losses"]
    for theme in sorted(set(gained) | set(lost)):
        lines.append(f"    {theme}: +{gained.get(theme, 0)} / -{lost.get(theme, 0)} matching articles")
    return "\n".join(lines)


async def _artifact(run_id: str, summaries: dict[str, dict]) -> None:
    lines = [report.format_markdown(run_id, summaries), "", "## What re-extraction changed", "",
             "| source | pages | texts changed | matches changed | unchanged | newly extracted | now failing |",
             "|---|---|---|---|---|---|---|"]
    for name, s in summaries.items():
        d = s["diff"]
        lines.append(f"| {name} | {d['pages']} | {d['texts_changed']} | {d['matches_changed']} | {d['unchanged']} "
                     f"| {d['newly_extracted']} | {d['now_failing']} |")
    await report.publish_artifact("themewire-reprocess-summary", "\n".join(lines),
                                  "Re-extraction of stored pages: what changed")

