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


PageKind = Literal["article", "listing", "other"]


@dataclass(frozen=True, slots=True)
class PageType:
    """What kind of page extraction saw (extractors/content/_pagetype.py): only `article` pages become
    articles; the others are recorded (`page_types`, a `not_article` skip) and a listing's links feed
    discovery."""

    kind: PageKind
    page_type: str  # article, live_blog | home, section, tag, author, archive, calendar, search | about, ...
    reason: str  # e.g. "listing (tag): 48 links in 12 cards, 0 prose paragraphs"
    signals: dict = field(default_factory=dict)  # the measured signals, JSON-able
    links: tuple[str, ...] = ()  # a listing's in-page links (absolute, page order): discovery follows them


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
    page_type: PageType | None = None  # the page-type gate's decision (kind "article" unless it says otherwise)
    updated_at: datetime | None = None  # last update the page states (UTC), when later than published_at
    # the page's block fingerprints, when the SiteProfile asked for them (learning a source's template)
    block_prints: tuple["BlockPrint", ...] = ()
    template_removed: int = 0  # blocks of the source's template removed from this page's text


@dataclass(frozen=True, slots=True)
class BlockPrint:
    """One block of a page's HTML (a leaf <p>, <li>, <div>... with 12 to 1,000 characters of text) as the
    template learner counts it: `block_hash` of its DOM path and normalised text."""

    block_hash: str
    dom_path: str  # e.g. "body>div.page>aside.x7>p": tags and class names, no positions
    text: str  # the normalised text, at most 200 characters (a sample for analysts)
    chars: int  # the length of the whole normalised text


@dataclass(frozen=True, slots=True)
class SiteRules:
    """A source's CSS selectors ([sources.rules] in the configuration), checked when the file is read."""

    drop: tuple[str, ...] = ()  # elements removed before extraction
    body: str | None = None  # the element(s) holding the article; the rest of <body> is dropped
    title: str | None = None  # the title's element (its text)
    author: str | None = None  # the author's element(s) (their texts, one name each)
    date: str | None = None  # the date's element (its datetime/content attribute, else its text)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """What extraction knows about a page's source, built at the edge and passed in as a value:
    its site rules, its learned template (block hashes) and whether to fingerprint the page's blocks."""

    rules: SiteRules | None = None
    template: frozenset[str] = frozenset()  # block hashes of the source's template
    template_version: int = 0  # 0: nothing learned yet
    fingerprint: bool = False  # fill Article.block_prints (ingest and reprocess do, to learn)
    repeated_lines: frozenset[str] = frozenset()  # lines known to repeat on the source's pages (normalised
    # as extractors.content._clean.norm_line), removed wherever they are a whole block or line


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
    page_type: PageType | None = None  # the gate's decision, for every page that reached it
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
