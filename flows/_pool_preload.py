"""Imported by the extraction pool's forkserver process only (never by the flow process): the
extraction stack and the theme model are loaded once there, and every worker forked from it starts
warm and shares those pages copy-on-write (bench/bench_ingest.py: PSS of the pipeline)."""

from flows.pool import _warm_worker

_warm_worker()
