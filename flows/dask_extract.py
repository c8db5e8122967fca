"""Opt-in scale-out: extraction batches on a Dask cluster through prefect-dask's DaskTaskRunner.

    with dask_extraction("tcp://scheduler:8786") as backend:   # or None: a LocalCluster on this machine
        pages = await backend.extract_batch(fetched, themes, frozenset(), label="1")  # from the flow

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
from contextlib import contextmanager
from dataclasses import replace

MIN_CHUNK = 50  # pages per remote task run: ~0.5 s of work vs ~160-290 ms of Dask+Prefect cost per run


class DaskExtraction:
    """Stands in for the local ProcessPoolExecutor: the flow calls `extract_batch` on it (flows.ingest)."""

    def __init__(self, runner) -> None:
        self.runner = runner

    def worker_threads(self) -> int:
        return max(1, sum(self.runner.client.nthreads().values()))

    async def extract_batch(self, fetched: list, themes, repeated: frozenset[str], label: str) -> list:
        """Like flows.tasks.extract_batch, but the pages with a body are extracted on the cluster.

        Call it from the flow (not from inside a task). Pages come back in order, bodies put back."""
        from extractors.process import extract_processed_pages

        items = list(fetched)
        todo = [i for i, (_, f) in enumerate(items) if f.ok]
        rest = [i for i, (_, f) in enumerate(items) if not f.ok]  # no body: nothing to send
        pages = dict(zip(rest, extract_processed_pages([items[i] for i in rest], themes, repeated)))
        if todo:
            done = await self._remote([items[i] for i in todo], themes, repeated, label)
            pages.update(zip(todo, done))
        return [pages[i] for i in range(len(items))]

    async def _remote(self, items: list, themes, repeated: frozenset[str], label: str) -> list:
        from flows.tasks import extract_batch_remote

        size = max(MIN_CHUNK, -(-len(items) // self.worker_threads()))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        futures = [self.runner.submit(extract_batch_remote,
                                      parameters={"payload": pickle.dumps(chunk, protocol=5), "themes": themes,
                                                  "repeated": repeated, "label": f"{label}.{j + 1}"})
                   for j, chunk in enumerate(chunks)]
        parts = await asyncio.gather(*(asyncio.to_thread(f.result) for f in futures))
        pages = [page for part in parts for page in part]
        return [replace(p, fetch=f) if p.fetch.body is None else p for p, (_, f) in zip(pages, items)]


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
