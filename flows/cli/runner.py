"""Runs a flow from the CLI and turns its result into output and an exit code.

    result, seconds = run_flow("ingest", lambda: ingest_flow(...))   # None if the flow failed
    return finish_run("ingest", result, seconds, format_text(result))

`run_flow` decides where the run's engine is (the local engine when it is up: flows/engine.py; else
Prefect's temporary server) before prefect is imported, and shows progress while the flow runs
(flows/progress.py); `finish_run` prints the summary as --quiet/--json/normal ask (flows/cli/output.py).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable

from flows.cli import EXIT_FAILED, EXIT_OK, debugging, ensure_writable, output

COUNTS = ("discovered", "fetched", "not_modified", "failed", "stored_new", "updated", "duplicates", "on_theme")


def choose_engine() -> str | None:
    """The local engine's API URL when it is up (and says so in one line), else None. Call it before
    anything imports prefect."""
    from flows.engine import use_local_engine

    url = use_local_engine(os.environ)
    if url:
        output.info(f"themewire: using the local engine at {url} (`themewire server stop` stops it)")
    return url


def run_flow(command: str, make: Callable[[], Awaitable[dict]]) -> tuple[dict | None, float]:
    """`make()` imports the flow and returns its coroutine; it is awaited with progress shown.
    Returns (the flow's result, or None when the flow failed as a whole, with the error printed; seconds)."""
    from flows.progress import cli_progress

    choose_engine()
    t0 = time.monotonic()
    mode = output.verbosity()
    try:
        with cli_progress(command, bars=mode != "quiet" or output.json_mode(),
                          lines=mode in ("normal", "verbose")):
            result = asyncio.run(make())
    except Exception as e:  # noqa: BLE001 - the flow failed as a whole
        if debugging():
            raise
        seconds = time.monotonic() - t0
        output.error(f"themewire: {command} failed: {error_line(e)}")
        if output.json_mode():
            output.result("", {"command": command, "status": "failed", "error": error_line(e),
                               "duration_seconds": round(seconds, 3)})
        return None, seconds
    return result, time.monotonic() - t0


def run_summary(command: str, result: dict, seconds: float) -> dict:
    """The machine-readable summary of a run (--json): the run's totals, its `runs` rows as the published
    file holds them (one per source), failures and skips by outcome, the duration."""
    from warehouse.summary import read_run_rows

    sources = result.get("sources", {})
    failures, skips = Counter(), Counter()
    for s in sources.values():
        failures.update(s.get("failures_by_outcome", {}))
        skips.update(s.get("skipped_by_outcome", {}))
    runs = read_run_rows(result["db"], result["run_id"]) if result.get("run_id") and result.get("db") else []
    statuses = {s.get("status") for s in sources.values()}
    status = "failed" if statuses & FAILED else "degraded" if "degraded" in statuses else "completed"
    out = {"command": command, "status": status, "run_id": result.get("run_id"), "db": result.get("db"),
           "duration_seconds": round(seconds, 3),
           "counts": {k: sum(s.get(k, 0) for s in sources.values()) for k in COUNTS},
           "failures_by_outcome": dict(failures), "skipped_by_outcome": dict(skips), "runs": runs,
           "sources": sources}
    if "plan" in result:
        out["plan"] = result["plan"]
    return out


def one_line(summary: dict) -> str:
    c = summary["counts"]
    n = len(summary["sources"])
    return (f"{summary['command']} {summary['status']} in {summary['duration_seconds']:.1f}s: {n} source"
            f"{'s' if n != 1 else ''}, discovered {c['discovered']}, fetched {c['fetched']}, not modified "
            f"{c['not_modified']}, failed {c['failed']}, stored new {c['stored_new']}, updated {c['updated']} "
            f"(run {summary['run_id']})")


def finish_run(command: str, result: dict | None, seconds: float, full_text: str | None, *,
               fail_on_degraded: bool = False) -> int:
    """Print the run's end as the output mode asks; the exit code (1 if the flow or a source failed, or
    with `fail_on_degraded` was degraded: every entry point failed)."""
    if result is None:
        return EXIT_FAILED
    summary = run_summary(command, result, seconds)
    output.summary(full_text or "", one_line(summary), summary)
    return exit_code(result, fail_on_degraded=fail_on_degraded)


FAILED = frozenset({"failed", "interrupted", "running"})  # source statuses that make a run fail


def exit_code(result: dict, *, fail_on_degraded: bool = False) -> int:
    """1 when a source failed, or (fail_on_degraded) was degraded; else 0."""
    bad = FAILED | ({"degraded"} if fail_on_degraded else set())
    return EXIT_FAILED if any(s["status"] in bad for s in result["sources"].values()) else EXIT_OK


def error_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def run_ingest(config: str, sources: list[str] | None, db: str, *, command: str = "ingest",
               fail_on_degraded: bool = False) -> int:
    ensure_writable(db)  # before Prefect starts and anything is fetched

    def make():
        from flows.ingest import ingest_flow

        return ingest_flow(config=config, sources=sources, db=db)

    result, seconds = run_flow(command, make)
    from flows.report import format_text

    return finish_run(command, result, seconds, format_text(result) if result else None,
                      fail_on_degraded=fail_on_degraded)
