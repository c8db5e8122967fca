"""The skeleton every flow runs on: one run (warehouse, run id, extraction backend), a runs row per
source with a failure recorded on it rather than raised, and the fetch -> extract -> load pipeline.

    with open_run("ingest", settings, db, dask_address) as run:      # publishes at the end
        for source in sources:
            summary, result = await run_source(run.for_source(source), crawl)

`crawl(source_run)` does the flow's own work for one source (ingest: seeds, plan, pipeline; backfill:
plan, pipeline with a date filter; reprocess: stored pages through extraction and load); it reads and
writes through the SourceRun, and what it returns comes back beside the summary (None if it failed).
"""

from __future__ import annotations

from flows.prefect_env import ensure_prefect_offline

ensure_prefect_offline()

import asyncio  # noqa: E402
import logging  # noqa: E402
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field, replace  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from typing import TYPE_CHECKING, TypeVar  # noqa: E402

from prefect.utilities.annotations import quote  # noqa: E402

from extractors.config import FetchSettings, Settings, Source, ThemeSet  # noqa: E402
from extractors.models import Candidate, FetchResult, ProcessedPage, SiteProfile, Skip, Validators  # noqa: E402
from flows.extraction import ExtractionBackend, extraction_backend  # noqa: E402
from flows.pool import release_memory  # noqa: E402
from flows.progress import report_progress  # noqa: E402
from flows.report import Tally  # noqa: E402
from flows.tasks import fetch_batch, load_batch  # noqa: E402

if TYPE_CHECKING:
    from warehouse import Warehouse

T = TypeVar("T")
Keep = Callable[[list[ProcessedPage]], list[ProcessedPage]]  # pages -> pages (some turned into skips)
OnBatch = Callable[[int, int, list[ProcessedPage]], None]  # (k, n_batches, pages) after batch k is loaded

# what the log says when a source fails, per flow (the runs row and the summary carry the error)
_FAILED = {"ingest": "source %s failed", "backfill": "backfill of %s failed",
           "reprocess": "reprocess of %s failed"}


def new_run_id() -> str:
    """The Prefect flow run's id, or a fresh uuid outside a flow run."""
    import uuid

    from prefect.runtime import flow_run

    return str(flow_run.id or "") or str(uuid.uuid4())


@dataclass(frozen=True)
class Run:
    """One flow run: the warehouse it writes, its id and where its pages are extracted."""

    flow: str  # the runs row's flow: ingest | backfill | reprocess
    settings: Settings
    warehouse: "Warehouse"
    backend: ExtractionBackend
    run_id: str

    def for_source(self, source: Source) -> "SourceRun":
        """The source's run, its extraction given the source's SiteProfile: its rules, its latest
        learned template, and fingerprints asked for (learning at the end of the run)."""
        version, template = self.warehouse.read_source_template(source.name)
        profile = SiteProfile(rules=source.rules, template=template, template_version=version, fingerprint=True)
        themes = adapted_theme_set(self.settings, self.warehouse, source)
        return SourceRun(run=self, source=source, themes=replace(themes, profile=profile))


@dataclass(frozen=True)
class SourceRun:
    """One source within a run: what every step of its crawl needs, and the counts of its runs row."""

    run: Run
    source: Source
    themes: ThemeSet
    tally: Tally = field(default_factory=Tally)

    @property
    def warehouse(self) -> "Warehouse":
        return self.run.warehouse

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @property
    def backend(self) -> ExtractionBackend:
        return self.run.backend

    @property
    def fetch_settings(self) -> FetchSettings:
        return self.run.settings.fetch


def adapted_theme_set(settings: Settings, wh: "Warehouse", source: Source) -> ThemeSet:
    """The source's themes adapted to what is stored for it: each theme's on-theme labels
    (theme_labels) join its examples, and the source's recent articles are its own background (used by
    the classifier once there are extractors.themes.MIN_SOURCE_ARTICLES of them)."""
    from dataclasses import replace as _replace

    from warehouse.labels import read_label_examples, read_source_history

    base = settings.theme_set(source)
    if not base.themes:
        return base
    examples = read_label_examples(wh, source.name)
    themes = tuple(_replace(t, examples=t.examples + examples[t.name]) if examples.get(t.name) else t
                   for t in base.themes)
    return _replace(base, themes=themes, history=read_source_history(wh, source.name))


@contextmanager
def open_run(flow: str, settings: Settings, db: str, dask_address: str | None = None) -> Iterator[Run]:
    """The warehouse at `db` and the extraction backend for one run; the warehouse is published when
    the body ends without an exception."""
    from warehouse import Warehouse

    from warehouse.preflight import ensure_writable

    ensure_writable(db)  # a read-only database, folder, raw store or lock: fail before any work
    run_id = new_run_id()
    with Warehouse.open(db) as wh, extraction_backend(dask_address) as backend:
        yield Run(flow=flow, settings=settings, warehouse=wh, backend=backend, run_id=run_id)
        try:
            wh.publish()
        except Exception as e:
            # the runs rows must not say `completed` for a run whose results never became visible
            wh.load_run_finished(run_id, None, "failed", {"error": f"publish failed: {type(e).__name__}: {e}"})
            raise


def select_sources(settings: Settings, names: Sequence[str] | None) -> list[Source]:
    """The named sources (ConfigError for an unknown one), or all of them."""
    return [settings.source(n) for n in names] if names else list(settings.sources)


async def run_source(srun: SourceRun, crawl: Callable[[SourceRun], Awaitable[T]],
                     params: Mapping[str, object] | None = None) -> tuple[dict, T | None]:
    """The source's runs row around `crawl(srun)`: a failing source is recorded as a failed row (and in
    the summary) and never stops the other sources. Returns (summary, what crawl returned or None)."""
    from warehouse import RunInfo

    wh, name = srun.warehouse, srun.source.name
    wh.load_run_started(RunInfo(run_id=srun.run_id, flow=srun.run.flow, source=name,
                                started_at=datetime.now(timezone.utc), params=dict(params or {})))
    result = None
    try:
        result = await crawl(srun)
        wh.ensure_source_template(name, srun.run_id)  # from the fingerprints of the pages just loaded
        status = "degraded" if srun.tally.degraded else "completed"
    except Exception as e:  # noqa: BLE001 - recorded, then the next source runs
        logging.getLogger(f"flows.{srun.run.flow}").exception(_FAILED.get(srun.run.flow, "%s failed"), name)
        srun.tally.error = f"{type(e).__name__}: {e}"
        status = "failed"
    wh.load_run_finished(srun.run_id, name, status, srun.tally.counts())
    return srun.tally.summary(status), result


def entry_points_of(srun: SourceRun, seed_pages: Sequence[ProcessedPage] | None, fetches: Sequence[FetchResult],
                    skips: Sequence[Skip], archives: Sequence[str] = ()) -> list:
    """The source's configured entry points (seeds, feeds, sitemaps; a backfill's archive pages) and
    whether each was read, from what the run did with them: a seed whose page was fetched and
    extracted (seeds only when `seed_pages` is given: a backfill does not fetch them), a feed or sitemap fetched and parsed (no plan skip names it). Each failure keeps the
    outcome and reason of its fetch or skip."""
    from extractors.urls import UrlRejected, normalize_url
    from warehouse.records import EntryPoint

    def norm(u: str) -> str:
        try:
            return normalize_url(u)
        except UrlRejected:
            return u

    source = srun.source
    out = []
    pages = {p.candidate.url: p for p in seed_pages or ()}
    for url in dict.fromkeys(norm(u) for u in (source.seeds if seed_pages is not None else ())):
        p = pages.get(url)
        if p is None:
            out.append(EntryPoint("seed", url, False, "invalid_url", "not fetched"))
        elif p.article is not None:
            out.append(EntryPoint("seed", url, True, "ok"))
        else:
            outcome = p.skip.outcome if p.skip else p.fetch.outcome
            out.append(EntryPoint("seed", url, False, outcome,
                                  (p.skip.reason if p.skip else p.fetch.error) or outcome))
    failed = {s.url: s for s in skips if s.stage == "plan"}
    fetched = {f.url: f for f in fetches}
    for kind, urls in (("feed", source.feeds), ("sitemap", source.sitemaps), ("archive", archives)):
        for url in dict.fromkeys(norm(u) for u in urls):
            f, skip = fetched.get(url), failed.get(url)
            if skip is not None:
                out.append(EntryPoint(kind, url, False, skip.outcome, skip.reason))
            elif f is None:
                out.append(EntryPoint(kind, url, False, "invalid_url", "not requested"))
            elif not f.ok:
                out.append(EntryPoint(kind, url, False, f.outcome, f.error or f.outcome))
            else:
                out.append(EntryPoint(kind, url, True, "ok"))
    return out


def record_entry_points(srun: SourceRun, points: Sequence) -> None:
    """The entry points into the warehouse and onto the tally (the summary names the failed ones)."""
    srun.warehouse.load_entry_points(srun.run_id, srun.source.name, points)
    srun.tally.entry_points = len(points)
    srun.tally.entry_failures = [(p.kind, p.url, p.outcome, p.reason) for p in points if not p.ok]


async def load_processed(srun: SourceRun, pages: list[ProcessedPage], label: str) -> None:
    """One batch into the warehouse (one transaction), counted on the source's tally."""
    loaded = await load_batch(srun.warehouse, srun.run_id, srun.source.name, quote(pages), label=label)
    release_memory()  # the batch's Arrow tables and DuckDB's freed buffers, back to the system
    srun.tally.add(pages, loaded)
    report_progress(srun.source.name, srun.tally)


async def fetch_extract_load(srun: SourceRun, fetcher, candidates: Sequence[Candidate],
                             validators: Mapping[str, Validators], label: str) -> list[ProcessedPage]:
    """One batch, start to end (ingest's seeds): fetched, extracted, loaded; its pages returned."""
    fetched = await fetch_batch(fetcher, quote(candidates), quote(validators), label=label)
    pages = await srun.backend.extract(fetched, srun.themes, label)
    await load_processed(srun, pages, label)
    return pages


async def run_pipeline(srun: SourceRun, fetcher, batches: Sequence[Sequence[Candidate]],
                       validators: Mapping[str, Validators], *, keep: Keep | None = None,
                       on_batch: OnBatch | None = None) -> None:
    """Fetch batch k+1 while batch k is extracted; load each batch in one transaction.

    Extraction of batch k+1 is queued on the backend as soon as it is fetched, before batch k is loaded,
    so the workers never wait for the load or for the event loop; at most three batches are held
    (k being loaded, k+1 being extracted, k+2 being fetched), so memory does not grow with the run.
    Batches (pages, bodies, articles) go to tasks inside quote(): otherwise Prefect walks every object in
    them twice per task run looking for futures (measured: ~60% of the flow process's CPU).

    `keep(pages) -> pages` may turn pages into skips before loading (the backfill's date filter);
    `on_batch(k, n_batches, pages)` is called after batch k is loaded (progress)."""
    report_progress(srun.source.name, srun.tally)  # what was discovered, before the first batch
    if not batches:
        return
    if any(c.url not in validators for batch in batches for c in batch):
        srun.backend.warm()  # new URLs: there will be pages to extract; start the workers while fetching

    async def extract(k: int) -> list[ProcessedPage]:
        fetched = await fetch_batch(fetcher, quote(batches[k]), quote(validators), label=str(k + 1))
        return await srun.backend.extract(fetched, srun.themes, str(k + 1))

    extracting = asyncio.ensure_future(extract(0))
    try:
        for k in range(len(batches)):
            current = extracting
            if k + 1 < len(batches):
                extracting = asyncio.ensure_future(extract(k + 1))
            pages = await current
            if keep is not None:
                pages = keep(pages)
            await load_processed(srun, pages, str(k + 1))
            if on_batch is not None:
                on_batch(k + 1, len(batches), pages)
    finally:
        if not extracting.done():  # a failed batch stops the source: do not leave the next one running
            extracting.cancel()
