"""Backfill planning: which URLs of a source were published in a date range, decided from cheap signals
before any article is fetched.

Signals, strongest first (each Candidate records the one that admitted it in `date_hint_source`):
  news_sitemap     <news:publication_date> of a news sitemap           a publication date
  feed             an RSS/Atom/JSON Feed item's date                    a publication date
  url              a date in the URL path (/2026/07/09/, /2026/07/)     a day or a month
  sitemap_lastmod  a sitemap <lastmod>                                  a LOWER bound: modified >= published
  undated          no signal (admitted only with include_undated)
A sitemap shard whose sitemap-index <lastmod> is before the window is not even downloaded (everything in
it was last modified, hence published, before --since). Articles are kept afterwards only if their
EXTRACTED publication date is in the window (the backfill flow's filter).

Pure, except `fetch_backfill_plan`, which reads through a Fetcher (kind "sitemap" / "feed" / "article" for
archive pages); parsing goes through discover's own parsers (`extract_sitemap` gives each child of a
sitemap index its <lastmod>, `SitemapDoc.sitemap_lastmods`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ._parse import extract_feed, extract_page_links, extract_sitemap
from ..config import Source
from ..errors import ExtractionError
from ..models import Candidate, FetchResult, SitemapDoc, Skip
from ..urls import UrlRejected, is_allowed_host, normalize_url

if TYPE_CHECKING:
    from ..fetch.fetcher import Fetcher

__all__ = [
    "OUT_OF_RANGE", "Window", "parse_window", "extract_url_period", "Hint", "Decision", "decide",
    "BackfillPlan", "PlanReads", "build_plan", "format_plan", "fetch_backfill_plan",
]

OUT_OF_RANGE = "out_of_range"  # a key of extractors.models.OUTCOMES
PRECISE_SIGNALS = ("news_sitemap", "feed")  # publication dates
MAX_SITEMAPS = 500  # sitemap documents read per plan (indexes included): a guard against loops and giants

_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=[/.\-_]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])(?=/|$)")


@dataclass(frozen=True, slots=True)
class Window:
    """Inclusive calendar dates in UTC: [since 00:00, until+1 00:00). `until` None means open-ended."""

    since: date
    until: date | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time(), tzinfo=timezone.utc)

    @property
    def end(self) -> datetime | None:
        return None if self.until is None else datetime.combine(self.until + timedelta(days=1), time(),
                                                                tzinfo=timezone.utc)

    def contains(self, moment: datetime) -> bool:
        m = _utc(moment)
        return m >= self.start and (self.end is None or m < self.end)

    def overlaps(self, lo: datetime, hi: datetime) -> bool:
        """Does the period [lo, hi) share a moment with the window?"""
        return _utc(hi) > self.start and (self.end is None or _utc(lo) < self.end)

    def describe(self) -> str:
        return f"{self.since.isoformat()}..{self.until.isoformat() if self.until else ''}"

    def why_not(self, moment: datetime) -> str:
        m = _utc(moment)
        return (f"before --since {self.since.isoformat()}" if m < self.start
                else f"after --until {self.until.isoformat() if self.until else ''}")


def parse_window(since: str | date, until: str | date | None = None) -> Window:
    """`since`/`until` as dates or ISO strings (YYYY-MM-DD); ValueError with a plain message otherwise."""
    s, u = _as_date(since, "--since"), (_as_date(until, "--until") if until else None)
    if u is not None and u < s:
        raise ValueError(f"--until {u.isoformat()} is before --since {s.isoformat()}")
    return Window(s, u)


def _as_date(value, flag: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{flag} {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-07-01") from None


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def extract_url_period(url: str) -> tuple[datetime, datetime] | None:
    """The day or month a URL's path names (/2026/07/09/slug, /2026-07-09-slug, /2026/07/slug), or None."""
    path = urlsplit(url).path
    m = _URL_DAY.search(path)
    if m:
        try:
            lo = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=timezone.utc)
        except ValueError:  # 2026/02/31
            return None
        return lo, lo + timedelta(days=1)
    m = _URL_MONTH.search(path)
    if m:
        y, mo = int(m[1]), int(m[2])
        lo = datetime(y, mo, 1, tzinfo=timezone.utc)
        hi = datetime(y + (mo == 12), mo % 12 + 1, 1, tzinfo=timezone.utc)
        return lo, hi
    return None


@dataclass(frozen=True, slots=True)
class Hint:
    """One cheap signal about one URL."""

    signal: str  # news_sitemap | feed | sitemap_lastmod | url
    value: datetime | None
    found_via: str  # Candidate.found_via: feed | sitemap | seed | link
    found_on: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of the plan: a URL, whether it is fetched, the signal that decided and its date."""

    url: str
    admitted: bool
    signal: str
    date: datetime | None
    reason: str


def decide(url: str, hints: Sequence[Hint], window: Window, *, include_undated: bool = False) -> Decision:
    """Admit or exclude one URL from its hints, strongest signal first (see the module docstring)."""
    for name in PRECISE_SIGNALS:
        dated = [h for h in hints if h.signal == name and h.value is not None]
        if dated:
            v = dated[0].value
            if window.contains(v):
                return Decision(url, True, name, v, f"{name} date {v.date().isoformat()} in range")
            return Decision(url, False, name, v, f"{name} date {v.date().isoformat()} {window.why_not(v)}")
    period = extract_url_period(url)
    if period:
        lo, hi = period
        label = lo.strftime("%Y-%m-%d" if hi - lo <= timedelta(days=1) else "%Y-%m")
        if window.overlaps(lo, hi):
            return Decision(url, True, "url", lo, f"URL date {label} in range")
        return Decision(url, False, "url", lo, f"URL date {label} {window.why_not(lo)}")
    lastmods = [h.value for h in hints if h.signal == "sitemap_lastmod" and h.value is not None]
    if lastmods:
        v = max(lastmods)
        if _utc(v) < window.start:
            return Decision(url, False, "sitemap_lastmod", v,
                            f"last modified {v.date().isoformat()}, before --since {window.since.isoformat()}")
        return Decision(url, True, "sitemap_lastmod", v,
                        f"last modified {v.date().isoformat()}: may have been published in range")
    if include_undated:
        return Decision(url, True, "undated", None, "no date signal; fetched because of --include-undated")
    return Decision(url, False, "undated", None, "no date signal before fetching (--include-undated fetches it)")


@dataclass(frozen=True)
class BackfillPlan:
    """What a backfill will fetch, what it will not and why, and the feed/sitemap requests it took."""

    source: str
    window: Window
    candidates: tuple[Candidate, ...] = ()  # admitted and not finished yet: to fetch
    skips: tuple[Skip, ...] = ()  # excluded by the plan (one `skips` row each)
    decisions: tuple[Decision, ...] = ()  # every URL considered, admitted or not
    already_finished: tuple[str, ...] = ()  # admitted but finished by an earlier run: not refetched
    fetches: tuple[FetchResult, ...] = ()  # feed/sitemap/archive requests (their attempts are fetches rows)
    shards_skipped: tuple[tuple[str, datetime], ...] = ()  # sitemap shards not read: (url, lastmod)
    signals: dict[str, int] = field(default_factory=dict)  # admitting signal -> URLs admitted

    def counts(self) -> dict[str, int]:
        return {"considered": len(self.decisions), "admitted": sum(d.admitted for d in self.decisions),
                "to_fetch": len(self.candidates), "already_finished": len(self.already_finished),
                "excluded": len(self.skips), "shards_skipped": len(self.shards_skipped),
                "plan_requests": len(self.fetches)}


@dataclass
class PlanReads:
    """What reading a plan's sitemaps, feeds and archive pages leaves besides the hints: the requests
    (their attempts are `fetches` rows), the sitemap shards not read, and the URLs stopped on the way."""

    fetches: list[FetchResult] = field(default_factory=list)
    shards_skipped: list[tuple[str, datetime]] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)


def build_plan(source: Source, window: Window, hints: dict[str, list[Hint]], *,
               include_undated: bool = False, finished: Iterable[str] = (), reads: PlanReads | None = None
               ) -> BackfillPlan:
    """Pure: turn the hints gathered per URL into the plan (decisions, candidates, skips)."""
    reads = reads or PlanReads()
    done = frozenset(finished)
    decisions, candidates, skips, already, signals = [], [], list(reads.skips), [], {}
    for url, url_hints in hints.items():
        if not is_allowed_host(url, source.domains):
            skips.append(Skip(url, source.name, "plan", "off_domain", "outside the source's allowed domains"))
            continue
        d = decide(url, url_hints, window, include_undated=include_undated)
        decisions.append(d)
        if not d.admitted:
            skips.append(Skip(url, source.name, "plan", OUT_OF_RANGE, f"plan: {d.reason}"))
            continue
        signals[d.signal] = signals.get(d.signal, 0) + 1
        if url in done:
            already.append(url)
            continue
        candidates.append(_candidate(source, d, url_hints))
    candidates.sort(key=lambda c: (c.date_hint or datetime.min.replace(tzinfo=timezone.utc), c.url))
    return BackfillPlan(source=source.name, window=window, candidates=tuple(candidates), skips=tuple(skips),
                        decisions=tuple(decisions), already_finished=tuple(already),
                        fetches=tuple(reads.fetches), shards_skipped=tuple(reads.shards_skipped),
                        signals=signals)


def _candidate(source: Source, d: Decision, url_hints: Sequence[Hint]) -> Candidate:
    """An admitted URL as the Candidate to fetch: found where its first hint says, dated by the decision."""
    first = url_hints[0] if url_hints else Hint("undated", None, "seed")
    return Candidate(url=d.url, source=source.name, found_via=first.found_via, found_on=first.found_on,
                     date_hint=d.date, date_hint_source=d.signal,
                     title_hint=next((h.title for h in url_hints if h.title), None))


def format_plan(plan: BackfillPlan) -> str:
    """The --dry-run listing: one line per URL with its signal and date, then the totals."""
    done = set(plan.already_finished)
    lines = [f"backfill plan for {plan.source}, published {plan.window.describe()}:"]
    for d in sorted(plan.decisions, key=lambda d: (not d.admitted, d.date or datetime.min.replace(
            tzinfo=timezone.utc), d.url)):
        mark = "done " if d.url in done else ("fetch" if d.admitted else "skip ")
        day = d.date.date().isoformat() if d.date else "-         "
        lines.append(f"  {mark}  {day}  {d.signal:<15}  {d.url}  ({d.reason})")
    for url, lastmod in plan.shards_skipped:
        lines.append(f"  shard  {lastmod.date().isoformat()}  sitemap_index    {url}  (not read: last modified "
                     f"before --since)")
    c = plan.counts()
    by_signal = ", ".join(f"{k} {v}" for k, v in sorted(plan.signals.items())) or "none"
    lines.append(f"{c['to_fetch']} to fetch, {c['already_finished']} already done, {c['excluded']} excluded; "
                 f"{c['shards_skipped']} sitemap shards skipped; {c['plan_requests']} feed/sitemap requests; "
                 f"admitted by: {by_signal}")
    return "\n".join(lines)


# --- gathering the signals (network through the Fetcher; parsing through discover's parsers) ----------


async def fetch_backfill_plan(source: Source, fetcher: "Fetcher", window: Window, *,
                              archives: Sequence[str] = (), include_undated: bool = False,
                              finished: Iterable[str] = ()) -> BackfillPlan:
    """Read the source's sitemaps (pruning shards by lastmod), feeds and archive pages; no article page."""
    g = _Gatherer(source, fetcher, window)
    for url in source.seeds:
        g.hint(url, None, Hint("seed", None, "seed"))
    await g.read_sitemaps(source.sitemaps)
    for url in source.feeds:
        await g.read_feed(url)
    for url in archives:
        await g.read_archive(url)
    return build_plan(source, window, g.hints, include_undated=include_undated, finished=finished,
                      reads=g.reads)


class _Gatherer:
    def __init__(self, source: Source, fetcher: "Fetcher", window: Window) -> None:
        self.source, self.fetcher, self.window = source, fetcher, window
        self.hints: dict[str, list[Hint]] = {}
        self.reads = PlanReads()

    def hint(self, url: str, base: str | None, h: Hint) -> None:
        try:
            norm = normalize_url(url, base)
        except UrlRejected as e:
            self._skip(url, e.outcome, str(e))
            return
        self.hints.setdefault(norm, []).append(h)

    async def read_sitemaps(self, roots: Sequence[str]) -> None:
        """Breadth-first over sitemap indexes; a child whose index <lastmod> is before the window is
        not downloaded at all."""
        level, seen = list(dict.fromkeys(roots)), set(roots)
        while level:
            room = max(MAX_SITEMAPS - len(self.reads.fetches), 0)
            for url in level[room:]:
                self._skip(url, "budget_exhausted", f"more than {MAX_SITEMAPS} sitemaps in one plan")
            results = {r.url: r async for r in self.fetcher.fetch_many([(u, None) for u in level[:room]],
                                                                       kind="sitemap")}
            children: list[str] = []
            for url in level[:room]:
                children += self._sitemap_read(results[url])
            level = [u for u in dict.fromkeys(children) if u not in seen]
            seen.update(level)

    def _sitemap_read(self, result: FetchResult) -> list[str]:
        if not self._keep(result, "sitemap"):
            return []
        try:
            doc = extract_sitemap(result.body, result.final_url)
        except ExtractionError as e:
            self._skip(result.url, "extract_failed", f"sitemap not parsed: {e}")
            return []
        for entry in doc.urls:
            signal = entry.date_hint_source or "sitemap_lastmod"
            self.hint(entry.url, result.final_url, Hint(signal, entry.date_hint, "sitemap", result.final_url,
                                                        entry.title_hint))
        return self._unpruned(doc)

    def _unpruned(self, doc: SitemapDoc) -> list[str]:
        """An index's children but the shards last modified before the window (recorded as skipped)."""
        lastmods = {u: d for u, d in zip(doc.sitemaps, doc.sitemap_lastmods) if d is not None}
        children = []
        for child in doc.sitemaps:
            lastmod = lastmods.get(child)
            if lastmod is not None and _utc(lastmod) < self.window.start:
                self.reads.shards_skipped.append((child, lastmod))
            else:
                children.append(child)
        return children

    def _skip(self, url: str, outcome: str, reason: str) -> None:
        self.reads.skips.append(Skip(url, self.source.name, "plan", outcome, reason))

    def _keep(self, result: FetchResult, kind: str) -> bool:
        self.reads.fetches.append(result)
        if result.ok:
            return True
        self._skip(result.url, result.outcome, f"{kind} not read: {result.error or result.outcome}")
        return False

    async def read_feed(self, url: str) -> None:
        result = await self.fetcher.fetch(url, kind="feed")
        if not self._keep(result, "feed"):
            return
        try:
            entries = extract_feed(result.body, result.final_url)
        except ExtractionError as e:
            self._skip(url, "extract_failed", f"feed not parsed: {e}")
            return
        for entry in entries:
            self.hint(entry.url, result.final_url, Hint("feed", entry.date_hint, "feed", result.final_url,
                                                        entry.title))

    async def read_archive(self, url: str) -> None:
        result = await self.fetcher.fetch(url, kind="article")
        if not self._keep(result, "archive page"):
            return
        for link in extract_page_links(result.body, result.final_url):
            self.hint(link, result.final_url, Hint("archive", None, "link", result.final_url))
