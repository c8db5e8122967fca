"""The backfill flow: ingest the articles of one source published in a date range.

plan   extractors/discover/backfill.py: sitemaps (shards pruned by lastmod), feeds, URL dates, archive
       pages, before any article is fetched; every URL records the signal that admitted or excluded it
fetch/extract/load   the ingest pipeline itself (flows/run.run_pipeline: the same tasks, batches,
       extraction backend and warehouse loads as a scheduled run), with one filter before loading:
       an article whose EXTRACTED publication date is outside the range becomes a skip
       (`out_of_range`, or undated), not an article
resume URLs the warehouse ledger already counts as finished (CrawlState.finished) are not refetched,
       so re-running an interrupted backfill picks up where it stopped
"""

from __future__ import annotations

from flows.prefect_env import ensure_prefect_offline

ensure_prefect_offline()

from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from functools import partial  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from extractors.config import Settings, Source  # noqa: E402
from extractors.discover import (  # noqa: E402
    OUT_OF_RANGE, BackfillPlan, Window, fetch_backfill_plan, format_plan, parse_window,
)
from extractors.models import ProcessedPage, Skip  # noqa: E402
from flows import report  # noqa: E402
from flows.backfill_dry import fetch_dry_plan  # noqa: E402
from flows.progress import make_progress, progress_active  # noqa: E402
from flows.run import (  # noqa: E402
    SourceRun, entry_points_of, new_run_id, open_run, record_entry_points, run_pipeline, run_source,
)

BATCH_SIZE = 50  # URLs per fetch/extract/load task; smaller than ingest's so an interruption loses less


@dataclass(frozen=True)
class BackfillRequest:
    """What a backfill was asked for, beside its source: the runs row's params."""

    window: Window
    include_undated: bool = False
    archives: tuple[str, ...] = ()
    batch_size: int = BATCH_SIZE

    def params(self) -> dict:
        w = self.window
        return {"since": w.since.isoformat(), "until": w.until.isoformat() if w.until else None,
                "include_undated": self.include_undated, "archives": list(self.archives)}


@flow(name="themewire-backfill", log_prints=True)
async def backfill_flow(source: str, since: date, until: date | None = None, config: str = "themewire.toml",
                        db: str = "data/themewire.duckdb", dry_run: bool = False, include_undated: bool = False,
                        archives: list[str] | None = None, batch_size: int = BATCH_SIZE,
                        dask_address: str | None = None) -> dict:
    """Articles of `source` published from `since` to `until` (inclusive, UTC dates) into `db`.

    `dask_address` (opt-in): extract on that Dask cluster instead of the local process pool (as ingest)."""
    from extractors.config import load_settings

    settings = load_settings(config)
    request = BackfillRequest(window=parse_window(since, until), include_undated=include_undated,
                              archives=tuple(archives or ()), batch_size=batch_size)
    if dry_run:
        return await dry_run_source(settings, settings.source(source), request, db)
    return await backfill_source(settings, settings.source(source), request, db, dask_address=dask_address)


@task(cache_policy=NO_CACHE, task_run_name="backfill-plan-{source.name}")
async def plan_backfill(source: Source, fetcher, window: Window, archives, include_undated: bool,
                        finished: frozenset[str]) -> BackfillPlan:
    """Sitemaps, feeds and archive pages only: no article page is fetched here."""
    return await fetch_backfill_plan(source, fetcher, window, archives=archives,
                                     include_undated=include_undated, finished=finished)


async def dry_run_source(settings: Settings, source: Source, request: BackfillRequest, db: str) -> dict:
    """The plan only, printed; nothing is written and no article page is fetched."""
    run_id = new_run_id()
    plan = await fetch_dry_plan(settings, source, request.window, db, archives=request.archives,
                                include_undated=request.include_undated)
    print(format_plan(plan))
    await _artifact(run_id, {}, plan)
    return {"run_id": run_id, "db": db, "dry_run": True, "plan": plan.counts(), "sources": {}}


async def backfill_source(settings: Settings, source: Source, request: BackfillRequest, db: str, *,
                          dask_address: str | None = None) -> dict:
    with open_run("backfill", settings, db, dask_address) as run:
        summary, plan = await run_source(run.for_source(source), partial(_crawl, request=request),
                                         params=request.params())
    await _artifact(run.run_id, {source.name: summary}, plan)
    return {"run_id": run.run_id, "db": db, "dry_run": False, "plan": plan.counts() if plan else {},
            "sources": {source.name: summary}}


async def _crawl(srun: SourceRun, *, request: BackfillRequest) -> BackfillPlan:
    from extractors.fetch import Fetcher

    source, wh = srun.source, srun.warehouse
    state = wh.read_crawl_state(source.name)
    async with Fetcher(srun.fetch_settings, allowed_domains=source.domains,
                       host_blocks=state.host_blocks) as fetcher:
        plan = await plan_backfill(source, fetcher, request.window, request.archives, request.include_undated,
                                  quote(state.finished))  # quote: Prefect need not walk every URL
        _record_plan(srun, plan)
        record_entry_points(srun, entry_points_of(srun, None, plan.fetches, plan.skips, request.archives))
        todo, size = list(plan.candidates), max(1, request.batch_size)
        batches = [todo[i:i + request.batch_size] for i in range(0, len(todo), size)]
        if progress_active():  # the CLI shows the run's progress itself
            await run_pipeline(srun, fetcher, batches, state.validators, keep=in_window(request.window))
        else:
            with make_progress(source.name, len(todo)) as progress:
                await run_pipeline(srun, fetcher, batches, state.validators, keep=in_window(request.window),
                                   on_batch=progress.batch_done)
        wh.load_host_blocks(fetcher.host_blocks(), run_id=srun.run_id)
    return plan


def _record_plan(srun: SourceRun, plan: BackfillPlan) -> None:
    """The plan's requests and exclusions into the warehouse and the tally; its summary line printed."""
    srun.warehouse.load_plan_fetches(srun.run_id, srun.source.name, plan.fetches)
    srun.warehouse.load_skips(srun.run_id, list(plan.skips))
    srun.tally.add_skips(list(plan.skips))
    srun.tally.discovered += len(plan.candidates)
    print(_plan_line(srun.source.name, plan))


def in_window(window: Window):
    """The filter applied to each batch before loading: articles whose extracted publication date is
    outside the window (or missing) become skips, with the date and the reason."""

    def keep(pages: list[ProcessedPage]) -> list[ProcessedPage]:
        return [_filter_page(p, window) for p in pages]

    return keep


def _filter_page(page: ProcessedPage, window: Window) -> ProcessedPage:
    a = page.article
    if a is None:
        return page
    if a.published_at is None:
        reason = "no publication date could be extracted, so it cannot be placed in the range"
    elif window.contains(a.published_at):
        return page
    else:
        reason = (f"published {a.published_at.date().isoformat()} ({a.date_source or 'extracted'}), "
                  f"{window.why_not(a.published_at)}")
    skip = Skip(url=page.candidate.url, source=page.candidate.source, stage="extract", outcome=OUT_OF_RANGE,
                reason=reason)
    return ProcessedPage(candidate=page.candidate, fetch=page.fetch, article=None, scores=(), skip=skip)


def _plan_line(name: str, plan: BackfillPlan) -> str:
    c = plan.counts()
    by_signal = ", ".join(f"{k} {v}" for k, v in sorted(plan.signals.items())) or "none"
    return (f"backfill {name} {plan.window.describe()}: plan {c['considered']} URLs considered, "
            f"{c['admitted']} admitted ({by_signal}), {c['to_fetch']} to fetch, "
            f"{c['already_finished']} already done, {c['excluded']} excluded, "
            f"{c['shards_skipped']} sitemap shards skipped")


async def _artifact(run_id: str, summaries: dict, plan: BackfillPlan | None) -> None:
    parts = [report.format_markdown(run_id, summaries)] if summaries else [f"# themewire backfill `{run_id}`"]
    if plan is not None:
        c = plan.counts()
        parts += ["", f"## Plan ({plan.window.describe()})", "", "| considered | admitted | to fetch | already done "
                  "| excluded | shards skipped | feed/sitemap requests |", "|---|---|---|---|---|---|---|",
                  f"| {c['considered']} | {c['admitted']} | {c['to_fetch']} | {c['already_finished']} | "
                  f"{c['excluded']} | {c['shards_skipped']} | {c['plan_requests']} |", "",
                  "Admitted by signal: " + (", ".join(f"{k} {v}" for k, v in sorted(plan.signals.items()))
                                            or "none")]
    await report.publish_artifact("themewire-backfill-summary", "\n".join(parts),
                                  "Backfill plan (cheap signals) and what was fetched and stored")
