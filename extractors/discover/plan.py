"""Discovery: which URLs a source run should fetch, and how each was found.

Pure parsers (`extract_feed`, `extract_sitemap`, `extract_feed_links`, `extract_page_links`), one pure
selector (`select_candidates`) and one orchestrator that takes a Fetcher (`fetch_plan`).

Rules:
- Dedupe: one Candidate per normalised URL (extractors.urls.normalize_url). The first way a URL was
  found wins `found_via`/`found_on` (fetch_plan offers feeds before sitemaps, the flow offers seeds
  before in-article links); the date hint is the best one seen, ranked feed > news sitemap
  (news:publication_date) > sitemap lastmod, first seen within a rank; the first title hint is kept.
- Budget: candidates are ordered newest date hint first, then undated ones in discovery order; the
  first `max_pages_per_run` (minus `already_selected`) are selected, the rest become Skips with
  outcome `budget_exhausted`.
- Runaway link structures (infinite calendars, faceted search): for URLs found on pages (found_via
  "seed" or "link"), at most MAX_LINKS_PER_PATTERN per URL shape, the shape being the path and query
  keys with every digit run replaced by N (/calendar/2024/05/01 -> /calendar/N/N/N); more -> Skip
  `budget_exhausted`. Paths deeper than MAX_PATH_SEGMENTS, or repeating one segment more than
  MAX_SEGMENT_REPEATS times (/a/b/a/b/a/b...), and URLs longer than MAX_CANDIDATE_URL_LENGTH -> Skip
  `invalid_url`. Feed and sitemap URLs are published lists, so only the budget caps them.
- Runaway URL families (calendars, ?page=N, /page/N/, faceted filters, date archives), whoever found them
  (feeds and sitemaps too): `url_family` groups URLs that differ only by a date, a page number or
  filter values (the template keeps every other segment, so articles, whose slugs differ, are families of
  one); each family gets at most MAX_PAGES_PER_FAMILY URLs per run, the rest -> Skip `family_capped`.
- Sitemaps: indexes are followed breadth-first to MAX_SITEMAP_DEPTH levels and at most
  MAX_SITEMAPS_PER_RUN documents; a sitemap already seen this run (an index listing itself, a cycle)
  is not fetched again. At most MAX_SITEMAP_URLS URLs are read per sitemap.
- Feed and sitemap requests are returned in Plan.fetches (their attempts are `fetches` rows); one that
  fails, or cannot be parsed, also becomes a Skip (stage "plan") with the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from ._parse import (
    MAX_SITEMAP_URLS, extract_feed, extract_feed_links, extract_page_links, extract_sitemap, parse_date,
)
from ..config import Source
from ..errors import ExtractionError
from ..models import Candidate, FetchResult, Plan, Skip
from ..urls import UrlRejected, is_allowed_host, normalize_url

if TYPE_CHECKING:
    from ..fetch.fetcher import Fetcher

__all__ = [
    "MAX_SITEMAP_URLS", "MAX_SITEMAP_DEPTH", "MAX_SITEMAPS_PER_RUN", "MAX_LINKS_PER_PATTERN",
    "MAX_CANDIDATE_URL_LENGTH", "MAX_PATH_SEGMENTS", "extract_feed", "extract_sitemap", "extract_feed_links",
    "extract_page_links", "parse_date", "fetch_plan", "select_candidates", "url_pattern",
    "MAX_PAGES_PER_FAMILY", "url_family",
]

MAX_SITEMAP_DEPTH = 3  # index -> index -> index -> urlset
MAX_SITEMAPS_PER_RUN = 50
MAX_LINKS_PER_PATTERN = 100
MAX_CANDIDATE_URL_LENGTH = 1024
MAX_PATH_SEGMENTS = 12
MAX_SEGMENT_REPEATS = 3
MAX_PAGES_PER_FAMILY = 20  # URLs of one runaway family (a calendar, a paginated archive...) per run
_HINT_RANK = {"feed": 0, "news_sitemap": 1, "sitemap_lastmod": 2}
_DIGITS = re.compile(r"\d+")


def url_pattern(url: str) -> str:
    """The shape of a URL for runaway caps: digit runs -> N, query values dropped (keys kept)."""
    p = urlsplit(url)
    keys = ",".join(sorted({k for k, _ in parse_qsl(p.query, keep_blank_values=True)}))
    return f"{p.hostname}{_DIGITS.sub('N', p.path)}?{keys}"


# a path segment that is (part of) a date: 2024, 2024-05, 2024-05-01, 20240501, or a month/day after a year
_YEAR = re.compile(r"(?:19|20)\d\d")
_DATE = re.compile(r"(?:19|20)\d\d(?:[-_]?(?:0[1-9]|1[0-2])(?:[-_]?(?:0[1-9]|[12]\d|3[01]))?)?")
_MONTH_DAY = re.compile(r"0?[1-9]|[12]\d|3[01]")
_PAGE_SEGMENTS = {"page", "seite", "pagina", "pagină", "strona"}
_PAGE_KEYS = {"page", "paged", "pg", "seite", "start", "offset"}  # not "p": WordPress post ids
_CALENDAR_KEYS = {"month", "year", "date", "day", "week", "ym", "tribe-bar-date", "eventdate", "calendar"}
# query keys whose values name one article: such URLs are never a family
_ID_KEYS = {"id", "p", "story", "article", "articleid", "item", "itemid", "post", "postid", "node", "nid",
            "aid", "docid", "doc", "v", "slug"}


def _is_value_like(value: str) -> bool:
    """A query value a filter or a calendar varies (short; not a long number or a slug naming a page)."""
    return len(value) <= 24 and not (value.isdigit() and len(value) >= 5)


def url_family(url: str) -> tuple[str, str] | None:
    """(template, kind) of the runaway family `url` belongs to, or None: the template keeps the host and
    every segment except a date (kind "date"), a page number after /page/ or in ?page= ("page") and
    filter values ("filter"); /calendar/2024/05 -> ("host/calendar/{date}/{date}?", "date")."""
    p = urlsplit(url)
    segments = [s for s in p.path.split("/") if s]
    kinds: list[str] = []
    out: list[str] = []
    for i, seg in enumerate(segments):
        prev = segments[i - 1].lower() if i else ""
        if _DATE.fullmatch(seg) or (_MONTH_DAY.fullmatch(seg) and i and
                                     (_YEAR.fullmatch(prev) or (_MONTH_DAY.fullmatch(prev) and i > 1
                                                                and _YEAR.fullmatch(segments[i - 2])))):
            out.append("{date}")
            kinds.append("date")
        elif seg.isdigit() and prev in _PAGE_SEGMENTS:
            out.append("{n}")
            kinds.append("page")
        else:
            out.append(seg)
    query: list[str] = []
    pairs = parse_qsl(p.query, keep_blank_values=True)
    if any(k.lower() in _ID_KEYS for k, _ in pairs):
        return None
    for k, v in pairs:
        key = k.lower()
        if key in _PAGE_KEYS and v.isdigit():
            query.append(f"{k}={{n}}")
            kinds.append("page")
        elif key in _CALENDAR_KEYS:
            query.append(f"{k}={{date}}")
            kinds.append("date")
        elif _is_value_like(v):
            query.append(f"{k}=*")
            kinds.append("filter")
        else:
            query.append(f"{k}={v}")
    if not kinds:
        return None
    kind = "date" if "date" in kinds else "page" if "page" in kinds else "filter"
    return f"{p.hostname}/{'/'.join(out)}?{'&'.join(sorted(query))}", kind


def select_candidates(candidates: Iterable[Candidate], source: Source, *,
                      already_selected: Collection[str] = (), finished: Collection[str] = (),
                      cap_families: bool = True) -> tuple[tuple[Candidate, ...], tuple[Skip, ...]]:
    """Normalise, keep the source's domains, dedupe, cap runaway patterns and apply the page budget.

    `already_selected`: normalised URLs chosen earlier in this run (they count against the budget and
    the pattern caps, and are not selected again). `finished`: URLs earlier runs already dealt with
    (stored, unchanged or failed for good). `cap_families=False` leaves the family caps to a later
    selection over these candidates and others (fetch_plan's: the flow selects again with the seeds'
    links, so that a URL is never both capped and selected). Within the budget, links of the source articles come first
    (they are the source's own neighbourhood, re-checked every run), then URLs not yet finished, newest
    first, so a backlog larger than max_pages_per_run is worked down over the following runs.
    Returns (selected, skips).
    """
    skips: list[Skip] = []
    merged: dict[str, Candidate] = {}
    taken = set(already_selected)
    domains = source.domains  # a property that parses URLs: once, not per candidate
    for c in candidates:
        url, skip = _admit(c, source.name, domains)
        if skip is not None:
            skips.append(skip)
        elif url not in taken:
            if url in merged:
                merged[url] = _merge(merged[url], c)
            else:
                merged[url] = c if (c.url, c.source) == (url, source.name) else replace(c, url=url, source=source.name)
    done = finished if isinstance(finished, (set, frozenset)) else frozenset(finished)
    families = {u: url_family(u) for u in merged} if cap_families else {}
    # members of a family keep their discovery order run after run (not the backlog's unfinished-first):
    # the same capped few are re-checked, rather than a calendar crawled 20 new months per run
    ordered = sorted(merged.values(), key=lambda c: (c.found_via not in ("seed", "link"),
                                                     c.url in done and families.get(c.url) is None,
                                                     c.date_hint is None,
                                                     -c.date_hint.timestamp() if c.date_hint else 0.0))
    patterns = Counter(url_pattern(u) for u in taken)
    family_counts = Counter(f[0] for u in taken if (f := url_family(u)))
    budget = source.max_pages_per_run - len(taken)
    selected: list[Candidate] = []
    for c in ordered:
        family = families.get(c.url)
        reason = _runaway(c, patterns) if c.found_via in ("seed", "link") else None
        if reason is None and family is not None and family_counts[family[0]] >= MAX_PAGES_PER_FAMILY:
            reason = ("family_capped", f"more than {MAX_PAGES_PER_FAMILY} URLs of the {family[1]} family "
                                       f"{family[0]} this run")
        if reason is not None:
            skips.append(Skip(c.url, source.name, "plan", *reason))
        elif len(selected) >= budget:
            skips.append(Skip(c.url, source.name, "plan", "budget_exhausted",
                              f"over the source's max_pages_per_run ({source.max_pages_per_run})"))
        else:
            selected.append(c)
            patterns[url_pattern(c.url)] += 1
            if family is not None:
                family_counts[family[0]] += 1
    return tuple(selected), tuple(skips)


def _admit(c: Candidate, source: str, domains: tuple[str, ...]) -> tuple[str, Skip | None]:
    try:
        url = normalize_url(c.url)
    except UrlRejected as e:
        return c.url, Skip(c.url[:MAX_CANDIDATE_URL_LENGTH], source, "plan", e.outcome, str(e))
    if len(url) > MAX_CANDIDATE_URL_LENGTH:
        return url, Skip(url[:MAX_CANDIDATE_URL_LENGTH], source, "plan", "invalid_url",
                         f"URL longer than {MAX_CANDIDATE_URL_LENGTH} characters ({len(url)})")
    if not is_allowed_host(url, domains):
        return url, Skip(url, source, "plan", "off_domain",
                         f"host {urlsplit(url).hostname} is not within {', '.join(domains)}")
    return url, None


def _merge(kept: Candidate, other: Candidate) -> Candidate:
    better_date = other.date_hint is not None and (
        kept.date_hint is None
        or _HINT_RANK.get(other.date_hint_source or "", 9) < _HINT_RANK.get(kept.date_hint_source or "", 9))
    if better_date:
        kept = replace(kept, date_hint=other.date_hint, date_hint_source=other.date_hint_source)
    if kept.title_hint is None and other.title_hint:
        kept = replace(kept, title_hint=other.title_hint)
    return kept


def _runaway(c: Candidate, patterns: Counter) -> tuple[str, str] | None:
    segments = [s for s in urlsplit(c.url).path.split("/") if s]
    if len(segments) > MAX_PATH_SEGMENTS:
        return "invalid_url", f"path deeper than {MAX_PATH_SEGMENTS} segments (a generated link?)"
    if segments and Counter(segments).most_common(1)[0][1] > MAX_SEGMENT_REPEATS:
        return "invalid_url", f"a path segment repeats more than {MAX_SEGMENT_REPEATS} times (a link loop?)"
    pattern = url_pattern(c.url)
    if patterns[pattern] >= MAX_LINKS_PER_PATTERN:
        return "budget_exhausted", f"more than {MAX_LINKS_PER_PATTERN} links shaped {pattern} this run"
    return None


# --- the orchestrator -------------------------------------------------------------------------------------


async def fetch_plan(source: Source, fetcher: "Fetcher", *, seed_pages: Mapping[str, bytes] = {}) -> Plan:
    """Fetch the source's feeds (configured + autodiscovered on `seed_pages`) and sitemaps (recursing
    into indexes), and select the candidates they list. See the module docstring for the rules."""
    found: list[Candidate] = []
    skips: list[Skip] = []
    fetches: list[FetchResult] = []
    feeds = _feed_urls(source, seed_pages, skips)
    results = {r.url: r async for r in fetcher.fetch_many([(u, None) for u in feeds], kind="feed")}
    for url in feeds:  # in the configured order, so that "first found wins" is deterministic
        fetches.append(results[url])
        found.extend(_feed_candidates(results[url], source, skips))
    await _walk_sitemaps(source, fetcher, found, skips, fetches)
    selected, more = select_candidates(found, source, cap_families=False)
    return Plan(candidates=selected, skips=tuple(skips) + more, fetches=tuple(fetches))


def _feed_urls(source: Source, seed_pages: Mapping[str, bytes], skips: list[Skip]) -> list[str]:
    discovered = [u for page, body in seed_pages.items() for u in extract_feed_links(body, page)]
    return _scoped(list(source.feeds) + discovered, source, skips, "feed")


def _scoped(urls: Iterable[str], source: Source, skips: list[Skip], what: str) -> list[str]:
    """Normalised, unique, in-domain URLs in order; the rest become Skips."""
    out: list[str] = []
    domains = source.domains
    for u in urls:
        n, skip = _admit(Candidate(u, source.name, "feed"), source.name, domains)
        if skip is not None:
            skips.append(replace(skip, reason=f"{what}: {skip.reason}"))
        elif n not in out:
            out.append(n)
    return out


def _failed(result: FetchResult, source: Source, what: str) -> Skip | None:
    if result.ok:
        return None
    return Skip(result.url, source.name, "plan", result.outcome,
                f"{what} not read: {result.error or result.outcome}")


def _feed_candidates(result: FetchResult, source: Source, skips: list[Skip]) -> list[Candidate]:
    skip = _failed(result, source, "feed")
    if skip is not None:
        skips.append(skip)
        return []
    try:
        entries = extract_feed(result.body or b"", result.final_url)
    except ExtractionError as e:
        skips.append(Skip(result.url, source.name, "plan", "extract_failed", f"feed not parsed: {e}"))
        return []
    return [Candidate(url=e.url, source=source.name, found_via="feed", found_on=result.url, date_hint=e.date_hint,
                      date_hint_source="feed" if e.date_hint else None, title_hint=e.title) for e in entries]


async def _walk_sitemaps(source: Source, fetcher: "Fetcher", found: list[Candidate], skips: list[Skip],
                         fetches: list[FetchResult]) -> None:
    level = _scoped(source.sitemaps, source, skips, "sitemap")
    seen, read = set(level), 0
    for _depth in range(MAX_SITEMAP_DEPTH + 1):
        room = max(MAX_SITEMAPS_PER_RUN - read, 0)
        for u in level[room:]:
            skips.append(Skip(u, source.name, "plan", "budget_exhausted",
                              f"more than {MAX_SITEMAPS_PER_RUN} sitemaps this run"))
        children: list[str] = []
        results = {r.url: r async for r in fetcher.fetch_many([(u, None) for u in level[:room]], kind="sitemap")}
        for url in level[:room]:
            fetches.append(results[url])
            read += 1
            children.extend(_sitemap_read(results[url], source, found, skips))
        level = [u for u in _scoped(children, source, skips, "child sitemap") if u not in seen]
        seen.update(level)
        if not level:
            return
    for u in level:
        skips.append(Skip(u, source.name, "plan", "budget_exhausted",
                          f"sitemap index nested deeper than {MAX_SITEMAP_DEPTH} levels"))


def _sitemap_read(result: FetchResult, source: Source, found: list[Candidate], skips: list[Skip]) -> list[str]:
    skip = _failed(result, source, "sitemap")
    if skip is not None:
        skips.append(skip)
        return []
    try:
        doc = extract_sitemap(result.body or b"", result.final_url)
    except ExtractionError as e:
        skips.append(Skip(result.url, source.name, "plan", "extract_failed", f"sitemap not parsed: {e}"))
        return []
    if doc.truncated:
        skips.append(Skip(result.url, source.name, "plan", "budget_exhausted",
                          f"sitemap lists more than {MAX_SITEMAP_URLS} URLs; only the first {MAX_SITEMAP_URLS} "
                          "were read"))
    found.extend(Candidate(url=e.url, source=source.name, found_via="sitemap", found_on=result.url,
                           date_hint=e.date_hint, date_hint_source=e.date_hint_source, title_hint=e.title_hint)
                 for e in doc.urls)
    return list(doc.sitemaps)
