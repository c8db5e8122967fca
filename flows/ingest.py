"""The ingest flow: plan -> fetch -> extract+classify -> load, per source, in coarse batches.

Orchestration only: the work is done by extractors/ and warehouse/. Fetching is async (one Fetcher per
source bounds concurrency per host); extraction runs in a process pool sized to the cores while the
next batch is being fetched; each batch is loaded in one transaction; after all sources the warehouse
publishes the read-only snapshot analysts open.
"""

from __future__ import annotations

from flows.prefect_env import ensure_prefect_offline

ensure_prefect_offline()

import asyncio  # noqa: E402
import logging  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

from prefect import flow  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from extractors.config import Settings, Source, ThemeSet  # noqa: E402
from extractors.models import Candidate, ProcessedPage  # noqa: E402
from flows import report  # noqa: E402
from flows.pool import extraction_pool, warm_pool  # noqa: E402
from flows.tasks import extract_batch, fetch_batch, load_batch, plan_source  # noqa: E402

log = logging.getLogger("flows.ingest")

BATCH_SIZE = 200  # URLs per fetch/extract/load task: coarse, so Prefect's per-task cost stays small (bench:
# 200 vs 100 cut the flow process's CPU by ~20% and doubled load rows/s; 3 batches in flight ~15 MB)
# Batches (pages, bodies, articles) go to tasks inside quote(): otherwise Prefect walks every object in
# them twice per task run looking for futures (measured: ~60% of the flow process's CPU).


@flow(name="themewire-ingest", log_prints=True)
async def ingest_flow(config: str = "themewire.toml", sources: list[str] | None = None,
                      db: str = "data/themewire.duckdb", dask_address: str | None = None) -> dict:
    """One scheduled run: every named source (or all) into the warehouse at `db`.

    `dask_address` (opt-in, e.g. "tcp://10.0.0.5:8786"): extract on that Dask cluster through
    prefect-dask instead of the local process pool; "local" starts a LocalCluster for the run."""
    from extractors.config import load_settings

    settings = load_settings(config)
    return await ingest_sources(settings, sources, db, dask_address=dask_address)


def extraction_backend(dask_address: str | None = None):
    """The local process pool, or (opt-in) a Dask cluster via flows.dask_extract."""
    if not dask_address:
        return extraction_pool()
    from flows.dask_extract import dask_extraction

    return dask_extraction(None if dask_address == "local" else dask_address)


async def ingest_sources(settings: Settings, names: Sequence[str] | None, db: str, *,
                         dask_address: str | None = None) -> dict:
    from warehouse import Warehouse

    selected = [settings.source(n) for n in names] if names else list(settings.sources)
    run_id = str(flow_run.id or "") or _local_run_id()
    summaries: dict[str, dict] = {}
    with Warehouse.open(db) as wh, extraction_backend(dask_address) as pool:
        for source in selected:
            summaries[source.name] = await _ingest_one(settings, source, wh, run_id, pool)
        wh.publish()
    await report.publish_run_artifact(run_id, summaries)
    return {"run_id": run_id, "db": db, "sources": summaries}


async def _ingest_one(settings: Settings, source: Source, wh, run_id: str, pool) -> dict:
    """A failing source is recorded as a failed run row; it never stops the other sources."""
    from warehouse import RunInfo

    started = datetime.now(timezone.utc)
    wh.load_run_started(RunInfo(run_id=run_id, flow="ingest", source=source.name, started_at=started))
    tally = report.Tally()
    try:
        await _crawl(settings, source, wh, run_id, pool, tally)
        status = "completed"
    except Exception as e:  # noqa: BLE001 - recorded, then the next source runs
        log.exception("source %s failed", source.name)
        tally.error = f"{type(e).__name__}: {e}"
        status = "failed"
    wh.load_run_finished(run_id, source.name, status, tally.counts())
    return tally.summary(status)


async def _crawl(settings: Settings, source: Source, wh, run_id: str, pool, tally: "report.Tally") -> None:
    from extractors.discover import select_candidates
    from extractors.fetch import Fetcher
    from extractors.urls import normalize_url

    state = wh.read_crawl_state(source.name)
    async with Fetcher(settings.fetch, allowed_domains=source.domains,
                       host_blocks=state.host_blocks) as fetcher:
        seeds = [Candidate(normalize_url(u), source.name, "seed") for u in source.seeds]
        # Seeds are fetched unconditionally: their links are the discovery, even when unchanged.
        themes = settings.theme_set(source)
        seed_pages = await _process(fetcher, seeds, {}, source, wh, run_id, pool, tally, "seeds", themes)
        plan = await plan_source(source, fetcher, {p.fetch.final_url: p.fetch.body for p in seed_pages
                                                   if p.fetch.body})
        wh.load_plan_fetches(run_id, source.name, plan.fetches)
        links = [Candidate(link.url, source.name, "link", found_on=p.candidate.url)
                 for p in seed_pages if p.article for link in p.article.links]
        selected, skips = select_candidates([*links, *plan.candidates], source,
                                            already_selected=[c.url for c in seeds],
                                            finished=state.finished)
        wh.load_skips(run_id, [*plan.skips, *skips])
        tally.add_skips([*plan.skips, *skips])
        tally.discovered += len(seeds) + len(selected)
        batches = [selected[i:i + BATCH_SIZE] for i in range(0, len(selected), BATCH_SIZE)]
        await _pipeline(fetcher, batches, state.validators, source, wh, run_id, pool, tally, themes=themes)
        wh.load_host_blocks(fetcher.host_blocks(), run_id=run_id)


async def _pipeline(fetcher, batches, validators, source, wh, run_id, pool, tally, *, themes: ThemeSet,
                    keep=None, on_batch=None) -> None:
    """Fetch batch k+1 while batch k is extracted; load each batch in one transaction.

    Extraction of batch k+1 is queued on the pool as soon as it is fetched, before batch k is loaded,
    so the workers never wait for the load or for the event loop; at most three batches are held
    (k being loaded, k+1 in the pool, k+2 being fetched), so memory does not grow with the run.

    `keep(pages) -> pages` may turn pages into skips before loading (the backfill's date filter);
    `on_batch(k, n_batches, pages)` is called after batch k is loaded (progress)."""
    if not batches:
        return
    if any(c.url not in validators for batch in batches for c in batch):
        warm_pool(pool)  # new URLs: there will be pages to extract; start the workers while fetching

    def fetch(k: int):
        return asyncio.ensure_future(fetch_batch(fetcher, quote(batches[k]), quote(validators), label=str(k + 1)))

    async def extract(fetching, k: int) -> list[ProcessedPage]:
        return await _extract(await fetching, themes, pool, str(k + 1))

    extracting = asyncio.ensure_future(extract(fetch(0), 0))
    try:
        for k in range(len(batches)):
            current = extracting
            if k + 1 < len(batches):
                extracting = asyncio.ensure_future(extract(fetch(k + 1), k + 1))
            pages = await current
            if keep is not None:
                pages = keep(pages)
            tally.add(pages, await load_batch(wh, run_id, source.name, quote(pages), label=str(k + 1)))
            if on_batch is not None:
                on_batch(k + 1, len(batches), pages)
    finally:
        if not extracting.done():  # a failed batch stops the source: do not leave the next one running
            extracting.cancel()


async def _process(fetcher, candidates, validators, source, wh, run_id, pool, tally, label,
                   themes: ThemeSet) -> list[ProcessedPage]:
    fetched = await fetch_batch(fetcher, quote(candidates), quote(validators), label=label)
    pages = await _extract(fetched, themes, pool, label)
    tally.add(pages, await load_batch(wh, run_id, source.name, quote(pages), label=label))
    return pages


async def _extract(fetched, themes: ThemeSet, pool, label: str) -> list[ProcessedPage]:
    """One batch through the extraction backend: the local pool (a task), or Dask (remote task runs)."""
    if hasattr(pool, "extract_batch"):  # flows.dask_extract.DaskExtraction: submitted from the flow
        return await pool.extract_batch(fetched, themes, frozenset(), label)
    return await extract_batch(quote(fetched), themes, frozenset(), pool, label=label)


def _local_run_id() -> str:
    import uuid

    return str(uuid.uuid4())
