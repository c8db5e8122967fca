"""Records passed between the stages: small, frozen, and free of behaviour.

plan     -> Candidate
fetch    -> FetchAttempt (one per HTTP request) and FetchResult (one per candidate)
extract  -> Article (+ Link, DateCandidate, AuthorCandidate)
classify -> ThemeScore
Any stage may instead produce a Skip: a URL that stopped there, with an outcome and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

# What happened to one request (the `fetches.outcome` column): OUTCOMES, name -> description, and
# with what each retries, OUTCOME_TABLE. Kept in one place (extractors/outcomes.py) so that the
# fetcher, the warehouse, the CLI summary and the docs agree.
from .outcomes import OUTCOME_TABLE, OUTCOMES, RETRY_NEXT_RUN, Outcome  # noqa: F401  (re-exported)

# How a URL was found. Stored in the crawl ledger and shown to analysts.
FoundVia = Literal["seed", "feed", "sitemap", "link", "canonical"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A URL that discovery proposes to fetch."""

    url: str  # normalised
    source: str
    found_via: FoundVia
    found_on: str | None = None  # the page/feed/sitemap it was found on
    date_hint: datetime | None = None  # from a feed, sitemap lastmod or news:publication_date
    date_hint_source: str | None = None  # e.g. "feed", "sitemap_lastmod", "news_sitemap"
    title_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Validators:
    """Conditional-GET state remembered per URL between runs."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchAttempt:
    """One HTTP request (or one refused request): one `fetches` row."""

    url: str
    fetched_at: datetime
    outcome: str  # a key of OUTCOMES
    status_code: int | None = None
    error: str | None = None
    elapsed_ms: int = 0
    bytes: int = 0
    attempt: int = 1


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The end of fetching one candidate: the body when there is one, and every request made."""

    url: str  # as requested
    final_url: str  # after redirects
    outcome: str
    status_code: int | None = None
    error: str | None = None
    body: bytes | None = None
    content_type: str | None = None
    encoding: str | None = None  # from header/BOM/meta/detection, if known
    validators: Validators = Validators()
    attempts: tuple[FetchAttempt, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome == "ok" and self.body is not None


@dataclass(frozen=True, slots=True)
class Link:
    """A link found inside an article body."""

    url: str
    text: str
    kind: Literal["read_more", "related", "inline"]


@dataclass(frozen=True, slots=True)
class DateCandidate:
    value: datetime
    source: str  # "feed", "sitemap", "jsonld", "meta", "time", "url", "text", ...


@dataclass(frozen=True, slots=True)
class AuthorCandidate:
    name: str  # one person, cleaned ("Jane Doe")
    source: str  # "jsonld", "meta", "rel_author", "byline", "trafilatura"


@dataclass(frozen=True, slots=True)
class Article:
    """What extraction makes of one page."""

    url: str
    canonical_url: str
    title: str | None
    author: str | None
    published_at: datetime | None
    date_source: str | None
    language: str
    site_name: str | None
    text: str
    content_hash: str
    simhash: int
    links: tuple[Link, ...] = ()
    date_candidates: tuple[DateCandidate, ...] = ()
    extractor: str = "themewire"
    extractor_version: str = "0"
    author_candidates: tuple[AuthorCandidate, ...] = ()  # every name found; `author` joins the chosen ones


@dataclass(frozen=True, slots=True)
class ThemeScore:
    theme: str
    score: float
    is_match: bool
    evidence: dict = field(default_factory=dict)  # {"keywords": [...], "passage": "..."}
    classifier: str = ""
    classifier_version: str = ""


@dataclass(frozen=True, slots=True)
class Skip:
    """A URL that stopped before becoming an article, and why."""

    url: str
    source: str
    stage: Literal["plan", "fetch", "extract", "classify"]
    outcome: str
    reason: str


@dataclass(frozen=True, slots=True)
class CanonicalDecision:
    """What became of a page's rel=canonical claim that names another URL (`canonical_decisions`).

    decision: `merged` (the page is stored as the canonical URL's article), `ignored` (the canonical
    is on another origin: the page's own URL is its identity) or `kept_apart` (the canonical names an
    article stored from another URL with a substantially different body: the page keeps its own URL)."""

    url: str  # the page (its normalised final URL)
    canonical_url: str  # what the page claimed
    decision: Literal["merged", "ignored", "kept_apart"]
    reason: str


@dataclass(frozen=True, slots=True)
class ProcessedPage:
    """What one fetched candidate became: the unit the warehouse loads in batches."""

    candidate: Candidate
    fetch: FetchResult
    article: Article | None = None
    scores: tuple[ThemeScore, ...] = ()
    skip: Skip | None = None
    # gzip (RFC 1952) of fetch.body, when the extraction worker already compressed it: the warehouse
    # stores it as the raw page as is; None: the warehouse compresses fetch.body itself at load.
    raw_gzip: bytes | None = None
    # a canonical claim extraction did not trust (decision "ignored"; article.canonical_url is then
    # the page's own URL); merges and kept-apart pages are decided at load (warehouse/batch.py)
    canonical: CanonicalDecision | None = None


# --- discovery records (extractors.discover) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of an RSS 2.0 / Atom / JSON Feed document (URL as written, resolved to absolute)."""

    url: str
    title: str | None = None
    date_hint: datetime | None = None  # published, else updated; UTC-aware


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One <url> of a sitemap urlset."""

    url: str
    date_hint: datetime | None = None
    date_hint_source: str | None = None  # "news_sitemap" (news:publication_date) or "sitemap_lastmod"
    title_hint: str | None = None  # news:title


@dataclass(frozen=True, slots=True)
class SitemapDoc:
    """A parsed sitemap: page URLs (urlset) and/or child sitemaps (sitemapindex)."""

    urls: tuple[SitemapEntry, ...] = ()
    sitemaps: tuple[str, ...] = ()
    truncated: bool = False  # more entries than discover.MAX_SITEMAP_URLS; the rest were not read
    sitemap_lastmods: tuple[datetime | None, ...] = ()  # parallel to `sitemaps`: each child's <lastmod>


@dataclass(frozen=True, slots=True)
class Plan:
    """What discovery proposes for one source run: candidates to fetch, URLs it stopped, and the
    feed/sitemap requests it made (each FetchResult's attempts are `fetches` rows)."""

    candidates: tuple[Candidate, ...] = ()
    skips: tuple[Skip, ...] = ()
    fetches: tuple[FetchResult, ...] = ()
