"""The backfill flow: ingest the articles of one source published in a date range.

plan   flows/backfill_plan.py: sitemaps (shards pruned by lastmod), feeds, URL dates, archive pages,
       before any article is fetched; every URL records the signal that admitted or excluded it
fetch/extract/load   the ingest pipeline itself (flows/ingest._pipeline: the same tasks, batches,
       process pool and warehouse loads as a scheduled run), with one filter before loading:
       an article whose EXTRACTED publication date is outside the range becomes a skip
       (`out_of_range`, or undated), not an article
resume URLs the warehouse ledger already counts as finished (CrawlState.finished) are not refetched,
       so re-running an interrupted backfill picks up where it stopped
"""

from __future__ import annotations

from flows.prefect_env import ensure_prefect_offline

ensure_prefect_offline()

import logging  # noqa: E402
import sys  # noqa: E402
from datetime import date, datetime, timezone  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from extractors.config import Settings, Source  # noqa: E402
from extractors.models import ProcessedPage, Skip  # noqa: E402
from flows import report  # noqa: E402
from flows.backfill_plan import OUT_OF_RANGE, BackfillPlan, Window, fetch_backfill_plan, format_plan  # noqa: E402
from flows.backfill_plan import fetch_dry_plan, parse_window  # noqa: E402

log = logging.getLogger("flows.backfill")

BATCH_SIZE = 50  # URLs per fetch/extract/load task; smaller than ingest's so an interruption loses less


@flow(name="themewire-backfill", log_prints=True)
async def backfill_flow(source: str, since: date, until: date | None = None, config: str = "themewire.toml",
                        db: str = "data/themewire.duckdb", dry_run: bool = False, include_undated: bool = False,
                        archives: list[str] | None = None, batch_size: int = BATCH_SIZE) -> dict:
    """Articles of `source` published from `since` to `until` (inclusive, UTC dates) into `db`."""
    from extractors.config import load_settings

    settings = load_settings(config)
    return await backfill_source(settings, settings.source(source), parse_window(since, until), db,
                                 dry_run=dry_run, include_undated=include_undated, archives=archives or (),
                                 batch_size=batch_size)


@task(cache_policy=NO_CACHE, task_run_name="backfill-plan-{source.name}")
async def plan_backfill(source: Source, fetcher, window: Window, archives, include_undated: bool,
                        finished: frozenset[str]) -> BackfillPlan:
    """Sitemaps, feeds and archive pages only: no article page is fetched here."""
    return await fetch_backfill_plan(source, fetcher, window, archives=archives,
                                     include_undated=include_undated, finished=finished)


async def backfill_source(settings: Settings, source: Source, window: Window, db: str, *, dry_run: bool = False,
                          include_undated: bool = False, archives=(), batch_size: int = BATCH_SIZE) -> dict:
    run_id = str(flow_run.id or "") or _local_run_id()
    if dry_run:
        plan = await fetch_dry_plan(settings, source, window, db, archives=archives,
                                    include_undated=include_undated)
        print(format_plan(plan))
        result = {"run_id": run_id, "db": db, "dry_run": True, "plan": plan.counts(), "sources": {}}
        await _artifact(run_id, {}, plan)
        return result
    from flows.pool import extraction_pool
    from warehouse import Warehouse

    with Warehouse.open(db) as wh, extraction_pool() as pool:
        summary, plan = await _backfill_one(settings, source, window, wh, run_id, pool, archives=archives,
                                            include_undated=include_undated, batch_size=batch_size)
        wh.publish()
    await _artifact(run_id, {source.name: summary}, plan)
    return {"run_id": run_id, "db": db, "dry_run": False, "plan": plan.counts() if plan else {},
            "sources": {source.name: summary}}


async def _backfill_one(settings, source, window, wh, run_id, pool, *, archives, include_undated, batch_size):
    """The runs row, and a failure recorded on it rather than raised (like ingest._ingest_one)."""
    from warehouse import RunInfo

    started = datetime.now(timezone.utc)
    params = {"since": window.since.isoformat(), "until": window.until.isoformat() if window.until else None,
              "include_undated": include_undated, "archives": list(archives)}
    wh.load_run_started(RunInfo(run_id=run_id, flow="backfill", source=source.name, started_at=started,
                                params=params))
    tally, plan = report.Tally(), None
    try:
        plan = await _crawl(settings, source, window, wh, run_id, pool, tally, archives=archives,
                            include_undated=include_undated, batch_size=batch_size)
        status = "completed"
    except Exception as e:  # noqa: BLE001 - recorded on the runs row and in the summary
        log.exception("backfill of %s failed", source.name)
        tally.error = f"{type(e).__name__}: {e}"
        status = "failed"
    wh.load_run_finished(run_id, source.name, status, tally.counts())
    return tally.summary(status), plan


async def _crawl(settings, source, window, wh, run_id, pool, tally, *, archives, include_undated, batch_size
                 ) -> BackfillPlan:
    from extractors.fetch import Fetcher
    from flows.ingest import _pipeline

    state = wh.read_crawl_state(source.name)
    async with Fetcher(settings.fetch, allowed_domains=source.domains, host_blocks=state.host_blocks) as fetcher:
        plan = await plan_backfill(source, fetcher, window, tuple(archives), include_undated,
                                  quote(state.finished))  # quote: Prefect need not walk every URL
        wh.load_plan_fetches(run_id, source.name, plan.fetches)
        wh.load_skips(run_id, list(plan.skips))
        tally.add_skips(list(plan.skips))
        tally.discovered += len(plan.candidates)
        print(_plan_line(source.name, plan))
        todo = list(plan.candidates)
        batches = [todo[i:i + batch_size] for i in range(0, len(todo), max(1, batch_size))]
        with make_progress(source.name, len(todo)) as progress:
            await _pipeline(fetcher, batches, state.validators, source, wh, run_id, pool, tally,
                            themes=settings.theme_set(source), keep=in_window(window),
                            on_batch=progress.batch_done)
        wh.load_host_blocks(fetcher.host_blocks(), run_id=run_id)
    return plan


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
    from prefect.artifacts import acreate_markdown_artifact

    parts = [report.format_markdown(run_id, summaries)] if summaries else [f"# themewire backfill `{run_id}`"]
    if plan is not None:
        c = plan.counts()
        parts += ["", f"## Plan ({plan.window.describe()})", "", "| considered | admitted | to fetch | already done "
                  "| excluded | shards skipped | feed/sitemap requests |", "|---|---|---|---|---|---|---|",
                  f"| {c['considered']} | {c['admitted']} | {c['to_fetch']} | {c['already_finished']} | "
                  f"{c['excluded']} | {c['shards_skipped']} | {c['plan_requests']} |", "",
                  "Admitted by signal: " + (", ".join(f"{k} {v}" for k, v in sorted(plan.signals.items()))
                                            or "none")]
    await acreate_markdown_artifact(markdown="\n".join(parts), key="themewire-backfill-summary",
                                    description="Backfill plan (cheap signals) and what was fetched and stored")


# --- progress: a rich bar on a terminal, plain lines otherwise --------------------------------------------


def make_progress(source: str, total: int, *, stream=None):
    stream = stream or sys.stderr
    if total and getattr(stream, "isatty", lambda: False)():
        return _RichProgress(source, total, stream)
    return _LineProgress(source, total)


class _LineProgress:
    def __init__(self, source: str, total: int) -> None:
        self.source, self.total, self.done, self.stored, self.out = source, total, 0, 0, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def batch_done(self, k: int, n: int, pages: list[ProcessedPage]) -> None:
        self.done += len(pages)
        self.stored += sum(p.article is not None for p in pages)
        self.out += sum(1 for p in pages if p.skip and p.skip.outcome == OUT_OF_RANGE)
        print(f"backfill {self.source}: batch {k}/{n} loaded; {self.done}/{self.total} URLs, "
              f"{self.stored} articles in range, {self.out} out of range", flush=True)


class _RichProgress(_LineProgress):
    def __init__(self, source: str, total: int, stream) -> None:
        super().__init__(source, total)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(TextColumn(f"backfill {source}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[note]}"), TimeElapsedColumn(),
                             console=Console(file=stream))
        self._task = self._bar.add_task("urls", total=total, note="")

    def __enter__(self):
        self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bar.stop()

    def batch_done(self, k: int, n: int, pages: list[ProcessedPage]) -> None:
        self.done += len(pages)
        self.stored += sum(p.article is not None for p in pages)
        self.out += sum(1 for p in pages if p.skip and p.skip.outcome == OUT_OF_RANGE)
        self._bar.update(self._task, completed=self.done,
                         note=f"{self.stored} in range, {self.out} out of range")


def _local_run_id() -> str:
    import uuid

    return str(uuid.uuid4())
