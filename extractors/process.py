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
from .urls import UrlRejected, normalize_url, site_of
from .models import (Article, CanonicalDecision, Candidate, DateCandidate, FetchResult, PageType, ProcessedPage,
                     Skip)

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
        return _skipped(candidate, fetched, "not_article", e.page_type.reason[:500], page_type=e.page_type)
    except ExtractionError as e:
        return _skipped(candidate, fetched, e.outcome, str(e) or "no article text found")
    except Exception as e:  # a parser bug on a hostile page must not cost the batch
        return _skipped(candidate, fetched, "extract_failed", f"{type(e).__name__}: {e}"[:500])
    page_type = article.page_type
    if page_type is not None and page_type.kind != "article":  # the gate: only articles become articles
        return _skipped(candidate, fetched, "not_article", page_type.reason[:500], page_type=page_type)
    article, canonical = extract_trusted_canonical(article)
    try:
        scores = (classify_article(article.text, themes.themes, title=article.title, model=themes.model,
                                   threshold=themes.threshold, history=themes.history) if themes.themes else ())
    except Exception as e:  # as above: the page is recorded as failed, the batch goes on
        return _skipped(candidate, fetched, "extract_failed", f"{type(e).__name__}: {e}"[:500],
                        page_type=page_type, stage="classify")
    return ProcessedPage(candidate=candidate, fetch=fetched, article=article, scores=scores, page_type=page_type,
                         canonical=canonical)


def _skipped(candidate: Candidate, fetched: FetchResult, outcome: str, reason: str, *,
             page_type: PageType | None = None, stage: str = "extract") -> ProcessedPage:
    """The page as a Skip with its outcome and reason (the raw bytes stay on it, for reprocess)."""
    skip = Skip(url=candidate.url, source=candidate.source, stage=stage, outcome=outcome, reason=reason)
    return ProcessedPage(candidate=candidate, fetch=fetched, skip=skip, page_type=page_type)


def extract_processed_pages(items: Sequence[tuple[Candidate, FetchResult]], themes: ThemeSet
                            ) -> list[ProcessedPage]:
    """A batch of extract_processed_page: the unit of work sent to one worker."""
    return [extract_processed_page(c, f, themes) for c, f in items]

