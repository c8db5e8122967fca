"""Runs a flow from the CLI and turns its result into output and an exit code."""

from __future__ import annotations

import asyncio
import sys

from flows.cli import EXIT_FAILED, EXIT_OK, debugging, ensure_writable


def run_ingest(config: str, sources: list[str] | None, db: str, *, quiet: bool = False,
               fail_on_degraded: bool = False) -> int:
    from flows.ingest import ingest_flow
    from flows.report import format_text

    ensure_writable(db)  # before Prefect starts and anything is fetched
    try:
        result = asyncio.run(ingest_flow(config=config, sources=sources, db=db))
    except Exception as e:  # noqa: BLE001 - the flow failed as a whole
        if debugging():
            raise
        print(f"themewire: run failed: {one_line(e)}", file=sys.stderr)
        return EXIT_FAILED
    if not quiet:
        print(format_text(result))
    return exit_code(result, fail_on_degraded=fail_on_degraded)


def exit_code(result: dict, *, fail_on_degraded: bool = False) -> int:
    """1 when a source failed, or (fail_on_degraded) was degraded: every entry point failed; else 0."""
    bad = {"failed", "interrupted", "running"} | ({"degraded"} if fail_on_degraded else set())
    return EXIT_FAILED if any(s["status"] in bad for s in result["sources"].values()) else EXIT_OK


def one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text}" if text else type(e).__name__
