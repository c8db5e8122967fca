"""Where a run's pages are extracted and classified: an extraction backend.

Two backends keep the same promise (`ExtractionBackend`): the local process pool (flows/pool.py, or
this process when there is one core) and, opt-in, a Dask cluster (flows/dask_extract.py).
`extraction_backend(dask_address)` picks one for a run. Both send only the pages with a body to their
workers, extract the others here, and put the parent's bodies back on the pages that return without
them: `extract_split`, shared by both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import replace
from typing import Protocol

from extractors.config import ThemeSet
from extractors.models import Candidate, FetchResult, ProcessedPage
from flows.pool import extraction_pool, warm_pool

Fetched = tuple[Candidate, FetchResult]


class ExtractionBackend(Protocol):
    def warm(self) -> None:
        """Start the workers now (while the flow is still fetching); a no-op where there is nothing to start."""

    async def extract(self, fetched: Sequence[Fetched], themes: ThemeSet, label: str) -> list[ProcessedPage]:
        """One batch, extracted and classified, in order; call it from the flow, not from inside a task."""


async def extract_split(fetched: Sequence[Fetched], themes: ThemeSet,
                        extract_bodied: Callable[[list[Fetched]], Awaitable[list[ProcessedPage]]]
                        ) -> list[ProcessedPage]:
    """Pages without a body extracted here (nothing to parse, no worker needed); those with one through
    `extract_bodied`, whose pages may come back without their bodies: the parent's FetchResult is put
    back on those. Pages are returned in the batch's order."""
    from extractors.process import extract_processed_pages

    items = list(fetched)
    todo = [i for i, (_, f) in enumerate(items) if f.ok]
    rest = [i for i, (_, f) in enumerate(items) if not f.ok]
    pages: list[ProcessedPage | None] = [None] * len(items)
    for i, page in zip(rest, extract_processed_pages([items[i] for i in rest], themes)):
        pages[i] = page
    if todo:
        for i, page in zip(todo, await extract_bodied([items[i] for i in todo])):
            pages[i] = replace(page, fetch=items[i][1]) if page.fetch.body is None else page
    return pages


class PoolExtraction:
    """The local backend: the `extract_batch` task over a process pool (None: in this process)."""

    def __init__(self, executor: Executor | None) -> None:
        self.executor = executor

    def warm(self) -> None:
        warm_pool(self.executor)

    async def extract(self, fetched: Sequence[Fetched], themes: ThemeSet, label: str) -> list[ProcessedPage]:
        from prefect.utilities.annotations import quote

        from flows.tasks import extract_batch

        # quote(): otherwise Prefect walks every object of the batch looking for futures
        return await extract_batch(quote(fetched), themes, self.executor, label=label)


@contextmanager
def extraction_backend(dask_address: str | None = None) -> Iterator[ExtractionBackend]:
    """The local process pool, or (opt-in) a Dask cluster at `dask_address` ("local": a LocalCluster
    started for the run), for the duration of a run."""
    if not dask_address:
        with extraction_pool() as executor:
            yield PoolExtraction(executor)
        return
    from flows.dask_extract import dask_extraction

    with dask_extraction(None if dask_address == "local" else dask_address) as backend:
        yield backend
