"""Prefect tasks: coarse (one batch of URLs per task), thin wrappers over extractors/ and warehouse/.

Per-URL failures are recorded inside the batch result (never raised), so one bad page cannot make a
downstream task NotReady. Task retries are only for transient errors of the whole task (e.g. the
warehouse lock being busy), decided by `retry_if_transient`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import Executor
from functools import partial

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.config import Source
from extractors.models import Candidate, FetchResult, ProcessedPage, Skip, Validators


def retry_if_transient(task, task_run, state) -> bool:
    """Retry a task only when it failed with an error whose outcome is transient."""
    from extractors.errors import is_transient

    try:
        # _sync: inside an async task Prefect's result() would return an un-awaited coroutine, never raise
        state.result(_sync=True)
    except Exception as e:  # noqa: BLE001 - we inspect the type
        return is_transient(e)
    return False


@task(cache_policy=NO_CACHE, task_run_name="plan-{source.name}")
async def plan_source(source: Source, fetcher, seed_pages: dict[str, bytes]):
    """Feeds, sitemaps and feed autodiscovery: candidates, skips and the requests they took."""
    from extractors.discover import fetch_plan

    return await fetch_plan(source, fetcher, seed_pages=seed_pages)


@task(cache_policy=NO_CACHE, task_run_name="fetch-{label}")
async def fetch_batch(fetcher, candidates: Sequence[Candidate], validators: dict[str, Validators],
                      label: str = "batch") -> list[tuple[Candidate, FetchResult]]:
    """Fetch a batch politely (the Fetcher bounds concurrency per host); every candidate gets a result."""
    by_url = {c.url: c for c in candidates}
    items = [(c.url, validators.get(c.url)) for c in candidates]
    out: list[tuple[Candidate, FetchResult]] = []
    async for result in fetcher.fetch_many(items, kind="article"):
        out.append((by_url[result.url], result))
    return out


@task(cache_policy=NO_CACHE, task_run_name="extract-{label}")
async def extract_batch(fetched: Sequence[tuple[Candidate, FetchResult]], themes, executor: Executor | None,
                        label: str = "batch") -> list[ProcessedPage]:
    """Extract and classify a batch, in the process pool when one is given (flows.extraction's local
    backend). Only pages with a body go to the pool (a warm run of 304s never wakes it), and come back
    without their bodies (the parent already has them: flows.extraction.extract_split)."""
    from extractors.process import extract_processed_pages
    from flows.extraction import extract_split
    from flows.pool import extract_in_pool

    if executor is None:
        return extract_processed_pages(list(fetched), themes)
    return await extract_split(fetched, themes, partial(extract_in_pool, executor, themes))


@task(cache_policy=NO_CACHE, task_run_name="extract-remote-{label}")
def extract_batch_remote(payload: bytes, themes, label: str = "batch") -> list[ProcessedPage]:
    """A chunk of a batch, run by a remote task runner's worker (flows.dask_extract): pages without bodies.

    `payload` is the pickled list of (Candidate, FetchResult) pairs: one opaque value for Prefect.
    Submitted from the flow, not from inside another task: a parent task's context would carry its
    parameters (the runner itself) to the worker."""
    import pickle

    from flows.pool import extract_chunk_without_bodies

    return extract_chunk_without_bodies(pickle.loads(payload), themes)


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10], retry_jitter_factor=0.5,
      retry_condition_fn=retry_if_transient, task_run_name="load-{label}")
async def load_batch(warehouse, run_id: str, source: str, pages: Sequence[ProcessedPage],
                     skips: Sequence[Skip] = (), label: str = "batch"):
    """One transaction: fetches, URL ledger, raw pages, articles, theme scores, links, skips.

    Runs in a thread, so the event loop goes on fetching the next batches while DuckDB writes (it
    releases the GIL); callers await it before touching the warehouse again."""
    return await asyncio.to_thread(_load, warehouse, run_id, source, pages, skips)


def _load(warehouse, run_id: str, source: str, pages: Sequence[ProcessedPage], skips: Sequence[Skip]):
    counts = warehouse.load_pages(run_id, source, pages)
    if skips:
        warehouse.load_skips(run_id, skips)
    return counts
