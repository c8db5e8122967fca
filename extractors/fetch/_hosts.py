"""Per-host state of one Fetcher (private to fetch): politeness slots and robots.txt verdicts.

Politeness: at most `per_host_concurrency` requests in flight per host, and request starts spaced by
the host's delay (max of FetchSettings.per_host_delay_seconds and the robots Crawl-delay, capped at
MAX_CRAWL_DELAY_SECONDS). The delay is waited before taking a global slot, so a slow host never
holds global capacity while it sleeps.
"""

from __future__ import annotations

import asyncio
import urllib.robotparser
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

MAX_CRAWL_DELAY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class RobotsVerdict:
    """robots.txt of one origin: a parser, or 'allow all' (parser None), or unavailable."""

    parser: urllib.robotparser.RobotFileParser | None = None
    unavailable: str | None = None  # the reason, when robots.txt could not be read

    def allows(self, url: str, user_agent: str) -> bool:
        return self.parser is None or self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(user_agent)
        try:
            return min(float(delay or 0.0), MAX_CRAWL_DELAY_SECONDS)
        except (TypeError, ValueError):
            return 0.0


def parse_robots(body: bytes, encoding: str | None) -> RobotsVerdict:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode(encoding or "utf-8", "replace").splitlines())
    return RobotsVerdict(parser=parser)


@dataclass
class HostSlots:
    """Politeness state of one host."""

    concurrency: int
    delay: float
    sem: asyncio.Semaphore = field(init=False)
    next_start: float = 0.0

    def __post_init__(self) -> None:
        self.sem = asyncio.Semaphore(max(1, self.concurrency))

    def raise_delay(self, seconds: float) -> None:
        self.delay = max(self.delay, seconds)

    def defer(self, seconds: float) -> None:
        """Back the whole host off (429/503): no request starts for `seconds`."""
        self.next_start = max(self.next_start, asyncio.get_running_loop().time() + seconds)

    @asynccontextmanager
    async def slot(self, global_sem: asyncio.Semaphore) -> AsyncIterator[None]:
        async with self.sem:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self.next_start)
            self.next_start = start + self.delay
            if start > now:
                await asyncio.sleep(start - now)
            async with global_sem:
                yield
