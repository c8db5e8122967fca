"""Imported by the extraction pool's forkserver process only (never by the flow process): the
extraction stack and the theme model are loaded once there, and every worker forked from it starts
warm and shares those pages copy-on-write (bench/bench_ingest.py: PSS of the pipeline)."""

import gc

from flows.pool import _warm_worker, release_memory

_warm_worker()
gc.collect()
gc.freeze()  # what the preload built is never collected: the workers' collections do not touch (copy) it
release_memory()
