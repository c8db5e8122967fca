"""The discover stage: what to fetch.

Pure parsers (`extract_feed`, `extract_sitemap`, `extract_feed_links`, `extract_page_links`), the
candidate filter (`select_candidates`: allowed domains, budget, runaway URL families) and the one
orchestrator that takes a Fetcher (`fetch_plan`: feeds, sitemaps, autodiscovery). Backfill planning
(`backfill`): date windows, the cheap date signals of each URL (`decide`, `build_plan`, `format_plan`)
and the Fetcher-driven gatherer (`fetch_backfill_plan`). `_parse` holds the XML/HTML readers.
"""

from .backfill import (
    OUT_OF_RANGE, BackfillPlan, Decision, Hint, Window, build_plan, decide, extract_url_period,
    fetch_backfill_plan, format_plan, parse_window,
)
from .plan import (
    MAX_CANDIDATE_URL_LENGTH, MAX_LINKS_PER_PATTERN, MAX_PAGES_PER_FAMILY, MAX_PATH_SEGMENTS, MAX_SITEMAP_DEPTH, MAX_SITEMAP_URLS,
    MAX_SITEMAPS_PER_RUN, extract_feed, extract_feed_links, extract_page_links, extract_sitemap, fetch_plan,
    parse_date, select_candidates, url_family, url_pattern,
)

__all__ = [
    "MAX_SITEMAP_URLS", "MAX_SITEMAP_DEPTH", "MAX_SITEMAPS_PER_RUN", "MAX_LINKS_PER_PATTERN",
    "MAX_CANDIDATE_URL_LENGTH", "MAX_PATH_SEGMENTS", "extract_feed", "extract_sitemap", "extract_feed_links",
    "extract_page_links", "parse_date", "fetch_plan", "select_candidates", "url_pattern",
    "MAX_PAGES_PER_FAMILY", "url_family", "OUT_OF_RANGE", "Window", "parse_window", "extract_url_period", "Hint", "Decision", "decide",
    "BackfillPlan", "build_plan", "format_plan", "fetch_backfill_plan",
]
