"""The extraction worker pool: processes sized to the cores, started once per flow run."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

CHUNKS_PER_WORKER = 2  # per batch: a worker done early takes the next chunk instead of idling


def pool_size() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


PRELOAD = "flows._pool_preload"  # the forkserver imports it: workers are forked warm


def _warm_worker() -> None:
    """Import the extraction stack and load the theme model once per worker, not per batch; build
    trafilatura's lazily built tables (warm_trafilatura) while at it."""
    import extractors.content  # noqa: F401
    import extractors.themes

    extractors.themes.load_classifier()
    warm_trafilatura()


def warm_trafilatura() -> None:
    """Build trafilatura's all-languages jusText stop list (~155,000 words, ~25 MB as its tuple and
    frozenset) now. trafilatura builds it on a page's first jusText fallback, so otherwise every worker
    builds its own copy (~0.3 s of CPU) on its first pages; built in the forkserver (PRELOAD), the workers
    share it copy-on-write. Best effort: an internal of trafilatura's that may move."""
    try:
        from justext.core import define_stoplist
        from trafilatura import external

        define_stoplist(external.JT_STOPLIST or external.jt_stoplist_init())
    except (ImportError, AttributeError):  # pragma: no cover - another trafilatura: it builds it itself
        pass


def release_memory() -> None:
    """Give the allocator's free pages back to the system (glibc's malloc_trim): a parsed page frees
    tens of MB in small blocks that would otherwise stay in the process's RSS until reused. ~1-5 ms;
    called after each chunk in the workers and after each batch's load in the flow process."""
    global _TRIM
    if _TRIM is None:
        try:
            import ctypes

            _TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):  # not glibc
            _TRIM = False
    if _TRIM:
        _TRIM(0)


_TRIM = None


def _ready() -> int:
    return os.getpid()


RAW_GZIP_LEVEL = 3  # raw pages are gzipped here, in the workers, not in the flow process at load: level 3
# costs ~0.3 ms per 80 KB page against ~0.7 ms at level 6, for ~10% more bytes (bench/bench_ingest.py pages)


def extract_chunk_without_bodies(items, themes) -> list:
    """The pool's unit of work: extract_processed_pages, returned without the raw bodies, which come
    back gzipped instead (ProcessedPage.raw_gzip, the form the warehouse stores).

    The parent still holds every FetchResult it sent, so shipping the bodies back would pickle each
    page twice; flows.extraction.extract_split puts the parent's FetchResult back. Lives here, not in
    flows.tasks, so that workers never import prefect."""
    from extractors.process import extract_processed_pages

    try:
        return [_without_body(p) for p in extract_processed_pages(items, themes)]
    finally:
        release_memory()


def _without_body(page):
    import gzip
    from dataclasses import replace

    body = page.fetch.body
    if body is None:
        return page
    raw = gzip.compress(body, compresslevel=RAW_GZIP_LEVEL, mtime=0) if page.fetch.outcome == "ok" else None
    return replace(page, fetch=replace(page.fetch, body=None), raw_gzip=raw)


async def extract_in_pool(executor: Executor, themes, items: list) -> list:
    """Pages with a body, extracted in the pool in a few chunks per worker (so that no worker idles
    behind a slow one); they come back in order and without their bodies."""
    loop = asyncio.get_running_loop()
    n = max(1, getattr(executor, "_max_workers", 2)) * CHUNKS_PER_WORKER
    size = -(-len(items) // n)
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    parts = await asyncio.gather(*(loop.run_in_executor(executor, extract_chunk_without_bodies, chunk, themes)
                                   for chunk in chunks))
    return [page for part in parts for page in part]


@contextmanager
def extraction_pool(workers: int | None = None):
    """A process pool for extraction, or None where one worker would only add overhead.

    'forkserver' rather than 'fork': the parent runs Prefect's threads, which must not be forked. The
    forkserver preloads the extraction stack and the model (PRELOAD); the initializer is then a no-op.
    """
    n = workers or pool_size()
    if n <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([PRELOAD])  # effective when this process starts its forkserver
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_warm_worker) as pool:
        yield pool  # workers start on first use, or early through warm_pool()


def warm_pool(pool) -> None:
    """Start (and warm: imports, theme model) every worker now, so that it happens while the flow is
    still fetching. Call it once there will be pages to extract: a run of 304s should not pay for it.

    From a thread: the first submit starts the forkserver and waits until it has preloaded the
    extraction stack (~2 s of CPU), which would otherwise hold the flow's event loop (and its fetches
    and Prefect's task-run calls) for that long."""
    if not isinstance(pool, ProcessPoolExecutor):  # None, or another backend (Dask)
        return
    if getattr(pool, "_themewire_warming", False):  # idempotent
        return
    pool._themewire_warming = True

    def submit_all() -> None:
        try:
            for _ in range(pool._max_workers):
                pool.submit(_ready)
        except RuntimeError:  # the run ended (the pool shut down) before the workers were needed
            pass

    threading.Thread(target=submit_all, name="warm-extraction-pool", daemon=True).start()
