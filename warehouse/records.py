"""Records the warehouse takes and returns (beside extractors.models, which it stores).

All datetimes returned are timezone-aware UTC; datetimes passed in may be aware (any zone) or naive
(taken as UTC). Stored columns are TIMESTAMPTZ (since migration 013), written and read in UTC.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field
from datetime import datetime
from typing import Mapping

from extractors.models import Candidate, Validators


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One flow run for one source: a `runs` row (primary key run_id + source)."""

    run_id: str
    flow: str  # "ingest" | "backfill" | "reprocess" | "demo" ...
    source: str
    started_at: datetime
    params: Mapping[str, object] = field(default_factory=dict)  # stored as JSON text


@dataclass(frozen=True, slots=True)
class CrawlState:
    """What the ledger remembers about a source, for the next run."""

    source: str
    validators: Mapping[str, Validators]  # url -> ETag / Last-Modified of its last good fetch
    host_blocks: Mapping[str, datetime]  # host -> blocked until (only blocks still in the future)
    known: frozenset[str]  # every URL of the source in the ledger
    finished: frozenset[str]  # known URLs that need no retry (stored, not modified, or a final failure)
    next_fetch_at: Mapping[str, datetime]  # url -> earliest time a re-fetch is useful (where set)


@dataclass(frozen=True, slots=True)
class LoadCounts:
    """What one load_pages call did (pages after de-duplication of the batch by URL)."""

    pages: int = 0
    fetched: int = 0  # fetch outcome ok
    not_modified: int = 0
    failed: int = 0  # any other final outcome (fetch failure, extract_failed, ...)
    stored_new: int = 0
    updated: int = 0  # content changed
    unchanged: int = 0
    duplicates: int = 0  # exact duplicates of an earlier article under another canonical URL
    on_theme: int = 0
    skipped: int = 0  # skips rows written
    canonical_merged: int = 0  # pages stored as the article of the other URL their canonical names
    canonical_ignored: int = 0  # canonicals on another origin, ignored (the page's own URL is its identity)
    canonical_kept_apart: int = 0  # same-site canonicals whose article has another body: kept apart
    articles_removed: int = 0  # (reprocess) stored articles no page yields any more: removed

    def __add__(self, other: "LoadCounts") -> "LoadCounts":
        return LoadCounts(*(a + b for a, b in zip(astuple(self), astuple(other))))


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """One configured entry point of a source run (a seed, feed, sitemap or archive page) and whether it
    could be read: an `entry_points` row."""

    kind: str  # seed | feed | sitemap | archive
    url: str
    ok: bool
    outcome: str  # "ok", or the outcome that stopped it
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A stored raw page, decompressed, with the hints it was found with (for reprocess). html is None
    when the raw store lost its file; `missing` then says which and why."""

    candidate: Candidate
    final_url: str
    article_id: str | None
    fetched_at: datetime
    content_type: str | None
    encoding: str | None
    html: bytes | None
    missing: str | None = None
