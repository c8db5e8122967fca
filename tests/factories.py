"""Synthetic ProcessedPage factories (deterministic: the same arguments give equal records).

Reusable by any test: `make_page(i)` is an ok page with an article and 6 theme scores;
`make_failed_page(i, "timeout")` a failed fetch with a Skip; `make_pages(n)` a batch.
Hosts are *.example; nothing here touches the network.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from extractors.models import (Article, AuthorCandidate, Candidate, DateCandidate, FetchAttempt, FetchResult, Link,
                               ProcessedPage, Skip, ThemeScore, Validators)

BASE_TIME = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
SOURCE = "sample"
HOST = "news.example"
THEMES = ("AI companionship", "Loneliness", "Mental health", "Regulation", "Business", "Research")
_WORDS = ("chatbot companion lonely people relationship virtual partner therapy regulation market "
          "study survey teenager friendship app subscription emotional support privacy data "
          "researcher university startup investor policy law children parents memory voice").split()


def _h(*parts: object) -> bytes:
    return hashlib.sha256("|".join(map(str, parts)).encode()).digest()


def url_for(i: int, host: str = HOST) -> str:
    return f"https://{host}/articles/{i}/"


def text_for(i: int, words: int = 120) -> str:
    d = _h("text", i) * (words // 32 + 1)
    body = " ".join(_WORDS[b % len(_WORDS)] for b in d[:words])
    return f"Article {i}. {body}."


def simhash_for(text: str) -> int:
    """A 64-bit (unsigned) fingerprint: distinct texts are far apart."""
    return int.from_bytes(_h("simhash", text)[:8], "big")


def make_article(i: int, *, url: str | None = None, canonical_url: str | None = None,
                 title: str | None = None, text: str | None = None,
                 published_at: datetime | None = None, simhash: int | None = None,
                 content_hash: str | None = None, links: tuple[Link, ...] | None = None) -> Article:
    url = url or url_for(i)
    text = text if text is not None else text_for(i)
    published = published_at if published_at is not None else BASE_TIME - timedelta(days=i % 30)
    return Article(
        url=url, canonical_url=canonical_url or url, title=title if title is not None else f"Story {i}",
        author=f"Author {i % 7}", published_at=published, date_source="jsonld", language="en",
        site_name="News Example", text=text,
        content_hash=content_hash or hashlib.sha256(text.encode()).hexdigest(),
        simhash=simhash if simhash is not None else simhash_for(text),
        links=links if links is not None else (
            Link(url=url_for(i + 1000), text="Read more", kind="read_more"),
            Link(url=url_for(i + 2000), text="Related", kind="related")),
        date_candidates=(DateCandidate(published, "jsonld"),
                         DateCandidate(published + timedelta(hours=1), "meta")),
        author_candidates=(AuthorCandidate(f"Author {i % 7}", "jsonld"), AuthorCandidate(f"Author {i % 7}", "meta")),
        extractor="themewire", extractor_version="test-1")


def make_scores(i: int, themes: tuple[str, ...] = THEMES) -> tuple[ThemeScore, ...]:
    out = []
    for k, theme in enumerate(themes):
        score = (_h("score", i, theme)[0] / 255.0)
        out.append(ThemeScore(theme=theme, score=round(score, 4), is_match=score >= 0.6,
                              evidence={"keywords": [theme.split()[0].lower()], "passage": f"p{i}"},
                              classifier="test-classifier", classifier_version="1"))
    return tuple(out)


def make_page(i: int, *, source: str = SOURCE, url: str | None = None,
              fetched_at: datetime | None = None, found_via: str = "feed",
              themes: tuple[str, ...] = THEMES, html: bytes | None = None,
              etag: str | None = "auto", **article_kw) -> ProcessedPage:
    """An ok fetch of article i, extracted and scored against `themes`."""
    url = url or url_for(i)
    at = fetched_at or BASE_TIME + timedelta(minutes=i)
    article = make_article(i, url=url, **article_kw)
    body = html if html is not None else (
        f"<html><head><title>{i}</title></head><body><p>{article.text}</p></body></html>".encode())
    cand = Candidate(url=url, source=source, found_via=found_via, found_on=f"https://{HOST}/feed/",
                     date_hint=article.published_at, date_hint_source="feed", title_hint=article.title)
    fetch = FetchResult(
        url=url, final_url=url, outcome="ok", status_code=200, body=body,
        content_type="text/html", encoding="utf-8",
        validators=Validators(etag=f'"e{i}"' if etag == "auto" else etag,
                              last_modified="Mon, 05 Jan 2026 12:00:00 GMT"),
        attempts=(FetchAttempt(url=url, fetched_at=at, outcome="ok", status_code=200,
                               elapsed_ms=10 + i % 50, bytes=len(body)),))
    return ProcessedPage(candidate=cand, fetch=fetch, article=article, scores=make_scores(i, themes))


def make_failed_page(i: int, outcome: str = "timeout", *, source: str = SOURCE,
                     fetched_at: datetime | None = None, stage: str = "fetch") -> ProcessedPage:
    url = url_for(i)
    at = fetched_at or BASE_TIME + timedelta(minutes=i)
    error = f"{outcome} on attempt"
    attempts = tuple(FetchAttempt(url=url, fetched_at=at + timedelta(seconds=k), outcome=outcome,
                                  status_code=503 if outcome == "http_error" else None, error=error,
                                  attempt=k + 1) for k in range(2))
    cand = Candidate(url=url, source=source, found_via="sitemap")
    fetch = FetchResult(url=url, final_url=url, outcome=outcome, error=error, attempts=attempts)
    return ProcessedPage(candidate=cand, fetch=fetch,
                         skip=Skip(url=url, source=source, stage=stage, outcome=outcome, reason=error))


def make_not_modified_page(i: int, *, source: str = SOURCE, fetched_at: datetime | None = None
                           ) -> ProcessedPage:
    url = url_for(i)
    at = fetched_at or BASE_TIME + timedelta(days=1, minutes=i)
    cand = Candidate(url=url, source=source, found_via="feed")
    fetch = FetchResult(url=url, final_url=url, outcome="not_modified", status_code=304,
                        validators=Validators(etag=f'"e{i}"'),
                        attempts=(FetchAttempt(url=url, fetched_at=at, outcome="not_modified",
                                               status_code=304),))
    return ProcessedPage(candidate=cand, fetch=fetch)


def make_pages(n: int, start: int = 0, *, failed_every: int = 0, **kw) -> list[ProcessedPage]:
    """n pages i = start..start+n-1; every `failed_every`-th one a timeout (0: none)."""
    return [make_failed_page(i) if failed_every and i % failed_every == failed_every - 1
            else make_page(i, **kw) for i in range(start, start + n)]


def as_utc_naive(value):
    """Datetimes compared by instant: TIMESTAMPTZ (since migration 013) read as aware, TIMESTAMP as naive UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def snapshot_tables(db_path, *, drop_columns: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every base table of a warehouse file (schemas main and internal) as sorted rows (columns in
    `drop_columns` left out; datetimes as naive UTC, so a file before and after migration 013 compare)."""
    from warehouse import open_reader

    con = open_reader(db_path)
    try:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT temporary "
                            "ORDER BY table_name").fetchall()
        out = {}
        for schema, name in names:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                "ORDER BY column_index", [schema, name]).fetchall() if r[0] not in drop_columns]
            select = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'SELECT {select} FROM "{schema}"."{name}"').fetchall()
            out[name] = sorted((tuple(as_utc_naive(v) for v in r) for r in rows), key=repr)
        return out
    finally:
        con.close()
