"""The extraction worker pool: processes sized to the cores, started once per flow run."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def pool_size() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _warm_worker() -> None:
    """Import the extraction stack once per worker, not per batch."""
    import extractors.content  # noqa: F401
    import extractors.themes  # noqa: F401


@contextmanager
def extraction_pool(workers: int | None = None):
    """A process pool for extraction, or None where one worker would only add overhead.

    'forkserver' rather than 'fork': the parent runs Prefect's threads, which must not be forked.
    """
    n = workers or pool_size()
    if n <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_warm_worker) as pool:
        yield pool
