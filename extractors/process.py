"""extract + classify for one fetched page: pure, never raises per page.

This is what the extraction workers (a process pool, or Dask) run; keeping it in one pure function
means a scheduled run, a backfill, `reprocess` and the benchmark all share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from .config import ThemeSet
from .errors import ExtractionError, NotArticleError
from .urls import UrlRejected, normalize_url
from .models import Article, CanonicalDecision, Candidate, DateCandidate, FetchResult, ProcessedPage, Skip

# Host labels that name the same site as the bare host: a canonical from amp.news.example or
# www.news.example to news.example (or back) stays within the page's origin.
SAME_SITE_PREFIXES = ("www.", "amp.", "m.", "mobile.")


def site_of(url: str) -> tuple[str, int | None]:
    """(host without a SAME_SITE_PREFIXES label, explicit non-default port): what a canonical must
    share with its page to be trusted. The scheme is not part of it (http vs https is one site)."""
    p = urlsplit(url)
    host = (p.hostname or "").lower().rstrip(".")
    for prefix in SAME_SITE_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    try:
        port = p.port
    except ValueError:
        port = None
    return host, (None if port in (80, 443) else port)


def extract_trusted_canonical(article: Article) -> tuple[Article, CanonicalDecision | None]:
    """The article with its canonical URL trusted only within the page's own site (SAME_SITE_PREFIXES,
    the port; any scheme), and the decision to record when the canonical names another URL: on another
    origin it is `ignored` (the page's own URL becomes its identity); on the same site a provisional
    `merged`, which the load confirms or turns into `kept_apart` (warehouse/batch.py)."""
    claimed = article.canonical_url
    try:
        own = normalize_url(article.url)
    except UrlRejected:
        own = article.url
    if not claimed or claimed in (article.url, own):
        return article, None
    if site_of(claimed) == site_of(own):  # trusted; the load may still keep it apart (warehouse/batch.py)
        return article, CanonicalDecision(url=own, canonical_url=claimed, decision="merged",
                                          reason="canonical on the page's own site")
    host = urlsplit(own).hostname or own
    decision = CanonicalDecision(
        url=own, canonical_url=claimed, decision="ignored",
        reason=f"canonical on another origin ({urlsplit(claimed).hostname}) than the page ({host}): "
               "the page's own URL is its identity")
    return replace(article, canonical_url=own), decision


def extract_processed_page(candidate: Candidate, fetched: FetchResult, themes: ThemeSet) -> ProcessedPage:
    """Turn one FetchResult into a ProcessedPage (article + scores, or a Skip with the reason).
    `themes.profile` (the source's rules and learned template) goes to the extraction as it is.

    The raw bytes stay on the page even when extraction fails: `reprocess` may succeed later."""
    if not fetched.ok:
        return ProcessedPage(candidate=candidate, fetch=fetched)
    from .content import extract_article
    from .themes import classify_article

    hints = ()
    if candidate.date_hint is not None:
        hints = (DateCandidate(candidate.date_hint, candidate.date_hint_source or candidate.found_via),)
    try:
        article = extract_article(fetched.body, fetched.final_url, encoding=fetched.encoding,
                                  date_hints=hints, profile=themes.profile)
    except NotArticleError as e:  # too little text, and the page-type gate says what the page is
        skip = Skip(url=candidate.url, source=candidate.source, stage="extract", outcome="not_article",
                    reason=e.page_type.reason[:500])
        return ProcessedPage(candidate=candidate, fetch=fetched, skip=skip, page_type=e.page_type)
    except ExtractionError as e:
        skip = Skip(url=candidate.url, source=candidate.source, stage="extract",
                    outcome=e.outcome, reason=str(e) or "no article text found")
        return ProcessedPage(candidate=candidate, fetch=fetched, skip=skip)
    except Exception as e:  # a parser bug on a hostile page must not cost the batch
        skip = Skip(url=candidate.url, source=candidate.source, stage="extract",
                    outcome="extract_failed", reason=f"{type(e).__name__}: {e}"[:500])
        return ProcessedPage(candidate=candidate, fetch=fetched, skip=skip)
    page_type = article.page_type
    if page_type is not None and page_type.kind != "article":  # the gate: only articles become articles
        skip = Skip(url=candidate.url, source=candidate.source, stage="extract", outcome="not_article",
                    reason=page_type.reason[:500])
        return ProcessedPage(candidate=candidate, fetch=fetched, skip=skip, page_type=page_type)
    article, canonical = extract_trusted_canonical(article)
    try:
        scores = (classify_article(article.text, themes.themes, title=article.title, model=themes.model,
                                   threshold=themes.threshold, history=themes.history) if themes.themes else ())
    except Exception as e:  # as above: the page is recorded as failed, the batch goes on
        skip = Skip(url=candidate.url, source=candidate.source, stage="classify",
                    outcome="extract_failed", reason=f"{type(e).__name__}: {e}"[:500])
        return ProcessedPage(candidate=candidate, fetch=fetched, skip=skip, page_type=page_type)
    return ProcessedPage(candidate=candidate, fetch=fetched, article=article, scores=scores, page_type=page_type,
                         canonical=canonical)


def extract_processed_pages(items: Sequence[tuple[Candidate, FetchResult]], themes: ThemeSet
                            ) -> list[ProcessedPage]:
    """A batch of extract_processed_page: the unit of work sent to one worker."""
    return [extract_processed_page(c, f, themes) for c, f in items]

