"""Opt-in scale-out: extraction batches on a Dask cluster through prefect-dask's DaskTaskRunner.

    with dask_extraction("tcp://scheduler:8786") as backend:   # or None: a LocalCluster on this machine
        pages = await backend.extract(fetched, themes, label="1")  # from the flow

Only extraction moves: fetching stays in the flow's event loop (politeness is per host, so one crawler
per source), and loading stays with the one DuckDB writer. Each chunk of a batch becomes one Prefect
task run (`extract-remote-<batch>.<chunk>`) executed by a Dask worker; pages come back without their
raw bodies (the flow already has them). A chunk travels as one pickled bytes parameter: Prefect and
prefect-dask walk structured task parameters object by object (quote() is not honoured by prefect-dask's
future resolution), a bytes value is a single leaf. A task run on Dask costs ~160-290 ms (shared/notes), so chunks
are kept at MIN_CHUNK pages or more.

prefect-dask (0.3.7, works with prefect 3.9.1) is imported only when this path is used.
"""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Sequence
from contextlib import contextmanager

from extractors.config import ThemeSet
from extractors.models import ProcessedPage
from flows.extraction import Fetched, extract_split

MIN_CHUNK = 50  # pages per remote task run: ~0.5 s of work vs ~160-290 ms of Dask+Prefect cost per run


class DaskExtraction:
    """The Dask extraction backend (flows.extraction.ExtractionBackend): the pages with a body are
    extracted on the cluster, the others in the flow's process."""

    def __init__(self, runner) -> None:
        self.runner = runner

    def worker_threads(self) -> int:
        return max(1, sum(self.runner.client.nthreads().values()))

    def warm(self) -> None:
        """Nothing to start: the cluster's workers are already running."""

    async def extract(self, fetched: Sequence[Fetched], themes: ThemeSet, label: str) -> list[ProcessedPage]:
        """Call it from the flow (not from inside a task). Pages come back in order, bodies put back."""
        return await extract_split(fetched, themes, lambda items: self._remote(items, themes, label))

    async def _remote(self, items: list[Fetched], themes: ThemeSet, label: str) -> list[ProcessedPage]:
        from flows.tasks import extract_batch_remote

        size = max(MIN_CHUNK, -(-len(items) // self.worker_threads()))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        futures = [self.runner.submit(extract_batch_remote,
                                      parameters={"payload": pickle.dumps(chunk, protocol=5), "themes": themes,
                                                  "label": f"{label}.{j + 1}"})
                   for j, chunk in enumerate(chunks)]
        parts = await asyncio.gather(*(asyncio.to_thread(f.result) for f in futures))
        return [page for part in parts for page in part]


def dask_task_runner(address: str | None = None, *, n_workers: int | None = None):
    """A DaskTaskRunner connected to `address`, or owning a LocalCluster of processes (one thread each)."""
    from prefect_dask import DaskTaskRunner

    from flows.pool import pool_size

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": n_workers or pool_size(), "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


@contextmanager
def dask_extraction(address: str | None = None, *, n_workers: int | None = None):
    """The Dask extraction backend for the duration of a run (a LocalCluster is shut down at exit)."""
    with dask_task_runner(address, n_workers=n_workers) as runner:
        yield DaskExtraction(runner)
