"""Runs a flow from the CLI and turns its result into output and an exit code."""

from __future__ import annotations

import asyncio
import sys

from flows.cli import EXIT_FAILED, EXIT_OK


def run_ingest(config: str, sources: list[str] | None, db: str, *, quiet: bool = False) -> int:
    from flows.ingest import ingest_flow
    from flows.report import format_text

    try:
        result = asyncio.run(ingest_flow(config=config, sources=sources, db=db))
    except Exception as e:  # noqa: BLE001 - the flow failed as a whole
        print(f"themewire: run failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    if not quiet:
        print(format_text(result))
    failed = [n for n, s in result["sources"].items() if s["status"] != "completed"]
    return EXIT_FAILED if failed else EXIT_OK
