"""extractors.process: one fetched page -> article + scores, or a recorded skip; [classify] settings apply."""

from __future__ import annotations

from extractors.config import ThemeSet, load_settings_text
from extractors.models import Candidate, FetchResult
from flows.sample import SAMPLE_SOURCE, load_expected, load_site_files, sample_config_text

BASE = "http://127.0.0.1:8765"


def _page(path: str) -> tuple[Candidate, FetchResult]:
    body = load_site_files()[path + "index.html"].replace(b"{{BASE}}", BASE.encode())
    url = BASE + path
    return (Candidate(url, SAMPLE_SOURCE, "link"),
            FetchResult(url=url, final_url=url, outcome="ok", status_code=200, body=body, encoding="utf-8"))


def _themes(extra: str = "") -> ThemeSet:
    settings = load_settings_text(extra + sample_config_text(BASE), "sample.toml")
    return settings.theme_set(settings.source(SAMPLE_SOURCE))


def _on_theme_path() -> str:
    return next(p for p, e in load_expected()["articles"].items() if e["on_theme"])


def test_article_scored_on_every_theme():
    from extractors.process import extract_processed_page

    page = extract_processed_page(*_page(_on_theme_path()), _themes())
    assert page.article is not None and page.skip is None
    assert len(page.scores) == 6 and any(s.is_match for s in page.scores)


def test_classify_threshold_from_config_reaches_the_workers():
    from extractors.process import extract_processed_page

    strict = _themes("[classify]\nthreshold = 99.0\n\n")
    assert strict.threshold == 99.0
    page = extract_processed_page(*_page(_on_theme_path()), strict)
    assert page.scores and not any(s.is_match for s in page.scores)


def test_failed_fetch_and_unextractable_page_are_recorded_not_raised():
    from extractors.process import extract_processed_page

    cand = Candidate(BASE + "/x", SAMPLE_SOURCE, "link")
    failed = FetchResult(url=cand.url, final_url=cand.url, outcome="timeout", error="deadline")
    assert extract_processed_page(cand, failed, _themes()).article is None
    empty = FetchResult(url=cand.url, final_url=cand.url, outcome="ok", status_code=200,
                        body=b"<html><body><nav>menu</nav></body></html>")
    page = extract_processed_page(cand, empty, _themes())
    assert page.article is None and page.skip.outcome == "extract_failed" and page.skip.reason
    assert page.fetch.body  # the raw bytes stay for a later reprocess


def test_extraction_backends_share_one_split_that_puts_the_bodies_back():
    """flows.extraction.extract_split: pages without a body are extracted in-process, the others by the
    backend's workers (which return them without bodies); the batch comes back in order, bodies restored."""
    import asyncio
    from dataclasses import replace

    from extractors.process import extract_processed_pages
    from flows.extraction import extract_split

    ok = _page(_on_theme_path())
    failed = (Candidate(BASE + "/gone", SAMPLE_SOURCE, "link"),
              FetchResult(url=BASE + "/gone", final_url=BASE + "/gone", outcome="http_error", status_code=404))
    sent: list = []

    async def workers(items):
        sent.extend(items)
        return [replace(p, fetch=replace(p.fetch, body=None)) for p in extract_processed_pages(items, _themes())]

    pages = asyncio.run(extract_split([failed, ok, failed], _themes(), workers))
    assert sent == [ok]  # only the page with a body went to the workers
    assert [p.candidate for p in pages] == [failed[0], ok[0], failed[0]]
    assert pages[1].fetch is ok[1] and pages[1].article is not None  # the parent's body is back
    assert pages[0].article is None and pages[0].fetch is failed[1]
