"""A backfill's plan alone (`themewire backfill --dry-run`, and the flow's dry_run): feeds, sitemaps and
archive pages are read, nothing is written, no article page is fetched. No Prefect here, so the CLI's
dry run never imports it."""

from __future__ import annotations

from collections.abc import Sequence

from extractors.config import Settings, Source
from extractors.discover import BackfillPlan, Window, fetch_backfill_plan


async def fetch_dry_plan(settings: Settings, source: Source, window: Window, db: str, *,
                         archives: Sequence[str] = (), include_undated: bool = False) -> BackfillPlan:
    """The plan; URLs an existing warehouse counts as finished are marked done."""
    from extractors.fetch import Fetcher
    from warehouse.state import read_finished

    finished, blocks = read_finished(db, source.name)
    async with Fetcher(settings.fetch, allowed_domains=source.domains, host_blocks=blocks) as fetcher:
        return await fetch_backfill_plan(source, fetcher, window, archives=tuple(archives),
                                         include_undated=include_undated, finished=finished)
