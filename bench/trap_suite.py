"""Run every trap of tests/trapsite.py through one Fetcher (default-like settings), then discovery over the
site, and report each outcome, the wall time and the peak RSS of the process.

    .venv/bin/python bench/trap_suite.py [--deadline 5] [--max-bytes 10485760]

Settings are FetchSettings defaults except: the trap site's origin in allowed_origins, no per-host delay,
a shorter deadline/read timeout (the slow and silent traps would otherwise take 30 s each), quick retries.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from extractors.config import FetchSettings  # noqa: E402
from extractors.discover import extract_page_links, fetch_plan, select_candidates  # noqa: E402
from extractors.fetch import Fetcher  # noqa: E402
from extractors.models import Candidate  # noqa: E402
from trapsite import TRAPS, TrapSite, brotli_bomb, gzip_bomb  # noqa: E402

FEEDS = {"truncated_feed", "entity_bomb_feed"}
SITEMAPS = {"sitemap_index_self", "big_sitemap"}


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(site: TrapSite, settings: FetchSettings) -> None:
    source = site.source(feeds=(site.url("/feed.xml"), site.url("/feed/truncated.xml"), site.url("/feed/bomb.xml")),
                         sitemaps=(site.url("/sitemap_index.xml"),), max_pages_per_run=500)
    async with Fetcher(settings, allowed_domains=source.domains) as fetcher:
        t0 = time.perf_counter()
        kinds = {name: "feed" if name in FEEDS else "sitemap" if name in SITEMAPS else "article" for name in TRAPS}
        results = await asyncio.gather(*(fetcher.fetch(site.url(p), kind=kinds[n]) for n, p in TRAPS.items()))
        for name, r in zip(TRAPS, results):
            print(f"  {name:24} {r.outcome:20} attempts={len(r.attempts)}  {(r.error or '')[:70]}")
        print(f"traps fetched concurrently: {time.perf_counter() - t0:.2f}s, peak RSS so far {rss_mib():.0f} MiB")

        t0 = time.perf_counter()
        home = await fetcher.fetch(site.url("/"))
        plan = await fetch_plan(source, fetcher, seed_pages={home.final_url: home.body})
        print(f"fetch_plan: {len(plan.candidates)} candidates, skips {dict(Counter(s.outcome for s in plan.skips))}, "
              f"{time.perf_counter() - t0:.2f}s, peak RSS {rss_mib():.0f} MiB")

        t0 = time.perf_counter()
        frontier = [Candidate(site.url(p), source.name, "seed")
                    for p in ("/calendar/2024/05", "/trap/many-links", "/trap/other-hosts", "/trap/duplicates")]
        taken: set[str] = set()
        fetched = skipped = 0
        while True:
            chosen, skips = select_candidates(frontier, source, already_selected=taken)
            skipped += len(skips)
            if not chosen:
                break
            taken.update(c.url for c in chosen)
            frontier = []
            async for r in fetcher.fetch_many([(c.url, None) for c in chosen]):
                fetched += 1
                if r.ok:
                    frontier += [Candidate(u, source.name, "link") for u in extract_page_links(r.body, r.final_url)]
        print(f"link crawl (calendar, 5,000 links, other hosts, duplicates): {fetched} fetched, {skipped} skipped, "
              f"{time.perf_counter() - t0:.2f}s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--deadline", type=float, default=5.0)
    ap.add_argument("--max-bytes", type=int, default=FetchSettings().max_bytes)
    args = ap.parse_args()
    t0 = time.perf_counter()
    gzip_bomb(), brotli_bomb()  # build the bombs before measuring the crawl
    print(f"bombs built in {time.perf_counter() - t0:.2f}s; RSS {rss_mib():.0f} MiB")
    start = time.perf_counter()
    with TrapSite() as site:
        settings = FetchSettings(per_host_delay_seconds=0.0, per_host_concurrency=8, deadline_seconds=args.deadline,
                                 read_timeout_seconds=min(2.0, args.deadline), connect_timeout_seconds=2.0,
                                 max_bytes=args.max_bytes, retries=2, retry_backoff_seconds=0.05,
                                 max_retry_after_seconds=5.0, allowed_origins=(site.origin,))
        asyncio.run(run(site, settings))
        print(f"requests received by the trap site: {len(site.paths())}")
    print(f"TOTAL wall {time.perf_counter() - start:.2f}s, peak RSS {rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
