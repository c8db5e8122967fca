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
EXTRACTED publication date is in the window (flows/backfill.py).

No prefect here: `themewire backfill --dry-run` plans without the engine. Network I/O goes through the
Fetcher (kind "sitemap" / "feed"); parsing through extractors.discover's pure parsers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlsplit

from extractors.config import Source
from extractors.models import Candidate, FetchResult, Skip

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


def build_plan(source: Source, window: Window, hints: dict[str, list[Hint]], *,
               include_undated: bool = False, finished: Iterable[str] = (),
               fetches: Sequence[FetchResult] = (), shards_skipped=(), plan_skips: Sequence[Skip] = ()
               ) -> BackfillPlan:
    """Pure: turn the hints gathered per URL into the plan (decisions, candidates, skips)."""
    from extractors.urls import is_allowed_host

    done = frozenset(finished)
    decisions, candidates, skips, already, signals = [], [], list(plan_skips), [], {}
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
        first = url_hints[0] if url_hints else Hint("undated", None, "seed")
        candidates.append(Candidate(url=url, source=source.name, found_via=first.found_via,
                                    found_on=first.found_on, date_hint=d.date,
                                    date_hint_source=d.signal,
                                    title_hint=next((h.title for h in url_hints if h.title), None)))
    candidates.sort(key=lambda c: (c.date_hint or datetime.min.replace(tzinfo=timezone.utc), c.url))
    return BackfillPlan(source=source.name, window=window, candidates=tuple(candidates), skips=tuple(skips),
                        decisions=tuple(decisions), already_finished=tuple(already), fetches=tuple(fetches),
                        shards_skipped=tuple(shards_skipped), signals=signals)


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


# --- gathering the signals (network through the Fetcher; parsing through extractors.discover) ----------


async def fetch_backfill_plan(source: Source, fetcher, window: Window, *, archives: Sequence[str] = (),
                              include_undated: bool = False, finished: Iterable[str] = ()) -> BackfillPlan:
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
                      fetches=g.fetches, shards_skipped=g.shards_skipped, plan_skips=g.skips)


class _Gatherer:
    def __init__(self, source: Source, fetcher, window: Window) -> None:
        self.source, self.fetcher, self.window = source, fetcher, window
        self.hints: dict[str, list[Hint]] = {}
        self.fetches: list[FetchResult] = []
        self.skips: list[Skip] = []
        self.shards_skipped: list[tuple[str, datetime]] = []

    def hint(self, url: str, base: str | None, h: Hint) -> None:
        from extractors.urls import UrlRejected, normalize_url

        try:
            norm = normalize_url(url, base)
        except UrlRejected as e:
            self.skips.append(Skip(url, self.source.name, "plan", e.outcome, str(e)))
            return
        self.hints.setdefault(norm, []).append(h)

    async def read_sitemaps(self, roots: Sequence[str]) -> None:
        """Breadth-first over sitemap indexes; a child whose index <lastmod> is before the window is
        not downloaded at all."""
        level, seen = list(dict.fromkeys(roots)), set(roots)
        while level:
            room = max(MAX_SITEMAPS - len(self.fetches), 0)
            for url in level[room:]:
                self.skips.append(Skip(url, self.source.name, "plan", "budget_exhausted",
                                       f"more than {MAX_SITEMAPS} sitemaps in one plan"))
            results = {r.url: r async for r in self.fetcher.fetch_many([(u, None) for u in level[:room]],
                                                                       kind="sitemap")}
            children: list[str] = []
            for url in level[:room]:
                children += self._sitemap_read(results[url])
            level = [u for u in dict.fromkeys(children) if u not in seen]
            seen.update(level)

    def _sitemap_read(self, result: FetchResult) -> list[str]:
        from extractors.discover import extract_sitemap
        from extractors.errors import ExtractionError

        if not self._keep(result, "sitemap"):
            return []
        try:
            doc = extract_sitemap(result.body, result.final_url)
        except ExtractionError as e:
            self.skips.append(Skip(result.url, self.source.name, "plan", "extract_failed",
                                   f"sitemap not parsed: {e}"))
            return []
        for entry in doc.urls:
            signal = entry.date_hint_source or "sitemap_lastmod"
            self.hint(entry.url, result.final_url, Hint(signal, entry.date_hint, "sitemap", result.final_url,
                                                        entry.title_hint))
        lastmods = sitemap_index_lastmods(doc, result.body)
        children = []
        for child in doc.sitemaps:
            lastmod = lastmods.get(child)
            if lastmod is not None and _utc(lastmod) < self.window.start:
                self.shards_skipped.append((child, lastmod))
            else:
                children.append(child)
        return children

    def _keep(self, result: FetchResult, kind: str) -> bool:
        self.fetches.append(result)
        if result.ok:
            return True
        self.skips.append(Skip(result.url, self.source.name, "plan", result.outcome,
                               f"{kind} not read: {result.error or result.outcome}"))
        return False

    async def read_feed(self, url: str) -> None:
        from extractors.discover import extract_feed
        from extractors.errors import ExtractionError

        result = await self.fetcher.fetch(url, kind="feed")
        if not self._keep(result, "feed"):
            return
        try:
            entries = extract_feed(result.body, result.final_url)
        except ExtractionError as e:
            self.skips.append(Skip(url, self.source.name, "plan", "extract_failed", f"feed not parsed: {e}"))
            return
        for entry in entries:
            self.hint(entry.url, result.final_url, Hint("feed", entry.date_hint, "feed", result.final_url,
                                                        entry.title))

    async def read_archive(self, url: str) -> None:
        from extractors.discover import extract_page_links

        result = await self.fetcher.fetch(url, kind="article")
        if not self._keep(result, "archive page"):
            return
        for link in extract_page_links(result.body, result.final_url):
            self.hint(link, result.final_url, Hint("archive", None, "link", result.final_url))


def sitemap_index_lastmods(doc, body: bytes) -> dict[str, datetime]:
    """child sitemap URL -> its <lastmod> in a sitemap index.

    Uses the SitemapDoc's own field when discovery provides one (`sitemap_lastmods`, parallel to
    `sitemaps`); otherwise a local fallback parse of the index (SitemapDoc has no such field yet)."""
    own = getattr(doc, "sitemap_lastmods", None)
    if own is not None:
        return {u: d for u, d in zip(doc.sitemaps, own) if d is not None}
    if not doc.sitemaps:
        return {}
    return _parse_index_lastmods(body)


def _parse_index_lastmods(body: bytes) -> dict[str, datetime]:
    import gzip

    from lxml import etree

    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except OSError:
            return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return {}
    out: dict[str, datetime] = {}
    for node in ([] if root is None else root.iter("{*}sitemap")):
        loc, lastmod = node.findtext("{*}loc"), node.findtext("{*}lastmod")
        when = _parse_w3c(lastmod)
        if loc and when:
            out[loc.strip()] = when
    return out


def _parse_w3c(text: str | None) -> datetime | None:
    from extractors.discover import parse_date

    when = parse_date(text)
    return _utc(when) if when else None


async def fetch_dry_plan(settings, source: Source, window: Window, db: str, *, archives: Sequence[str] = (),
                         include_undated: bool = False) -> BackfillPlan:
    """The plan only (`--dry-run`): feeds/sitemaps/archives are read, nothing is written, no article is
    fetched. URLs an existing warehouse counts as finished are marked done."""
    from extractors.fetch import Fetcher

    finished, blocks = read_finished(db, source.name)
    async with Fetcher(settings.fetch, allowed_domains=source.domains, host_blocks=blocks) as fetcher:
        return await fetch_backfill_plan(source, fetcher, window, archives=tuple(archives),
                                         include_undated=include_undated, finished=finished)


def read_finished(db: str, source: str) -> tuple[frozenset[str], dict]:
    """Finished URLs and host blocks of an existing warehouse; nothing if there is none yet."""
    from pathlib import Path

    from warehouse.writer import writer_path

    if not (Path(db).exists() or writer_path(db).exists()):
        return frozenset(), {}
    from warehouse import Warehouse

    with Warehouse.open(db) as wh:
        state = wh.read_crawl_state(source)
    return state.finished, dict(state.host_blocks)
