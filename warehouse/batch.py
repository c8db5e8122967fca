"""ProcessedPages -> Arrow tables (one per target table), ready to register in DuckDB.

Pure Python + pyarrow. Every row carries `ord`, the page's position in the batch, so that SQL can keep
the last page per URL / per article and take its children (themes, links, dates) from that same page.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime, timezone
from typing import Sequence

import pyarrow as pa

from extractors.models import FetchResult, ProcessedPage, Skip

COMPRESSION = "gzip"
_TS = pa.timestamp("us")

SCHEMAS: dict[str, pa.Schema] = {
    "pages": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("found_via", pa.string()), ("found_on", pa.string()), ("date_hint", _TS),
        ("date_hint_source", pa.string()), ("final_url", pa.string()), ("fetch_outcome", pa.string()),
        ("outcome", pa.string()), ("status_code", pa.int32()), ("error", pa.string()),
        ("etag", pa.string()), ("last_modified", pa.string()), ("fetched_at", _TS),
        ("article_id", pa.string()), ("on_theme", pa.bool_())]),
    "attempts": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()),
        ("candidate_url", pa.string()), ("seq", pa.int32()), ("url", pa.string()), ("fetched_at", _TS),
        ("status_code", pa.int32()), ("outcome", pa.string()), ("error", pa.string()),
        ("elapsed_ms", pa.int64()), ("bytes", pa.int64()), ("attempt", pa.int32())]),
    "articles": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()),
        ("article_id", pa.string()), ("url", pa.string()), ("canonical_url", pa.string()),
        ("title", pa.string()), ("author", pa.string()), ("published_at", _TS),
        ("date_source", pa.string()), ("language", pa.string()), ("site_name", pa.string()),
        ("text", pa.string()), ("content_hash", pa.string()), ("simhash", pa.int64()),
        ("extractor", pa.string()), ("extractor_version", pa.string()), ("fetched_at", _TS),
        ("page_url", pa.string())]),
    "themes": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()),
        ("article_id", pa.string()), ("theme", pa.string()), ("score", pa.float64()),
        ("is_match", pa.bool_()), ("evidence", pa.string()), ("classifier", pa.string()),
        ("classifier_version", pa.string())]),
    "links": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("from_article_id", pa.string()),
        ("to_url", pa.string()), ("kind", pa.string()), ("text", pa.string())]),
    "dates": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("article_id", pa.string()), ("value", _TS),
        ("source", pa.string())]),
    "skips": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("stage", pa.string()), ("outcome", pa.string()), ("reason", pa.string())]),
    "raw": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("final_url", pa.string()), ("article_id", pa.string()), ("fetched_at", _TS),
        ("content_type", pa.string()), ("encoding", pa.string()), ("compression", pa.string()),
        ("html", pa.binary())]),
}


def article_id_for(canonical_url: str) -> str:
    """The article identity: first 16 hex digits of sha256 of the canonical URL (UTF-8)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def to_utc_naive(dt: datetime | None) -> datetime | None:
    """Stored form of a datetime: naive UTC (naive input is taken as UTC already)."""
    if dt is None or dt.tzinfo is None:
        return dt
    return dt.astimezone(timezone.utc).replace(tzinfo=None)


def from_utc_naive(dt: datetime | None) -> datetime | None:
    return None if dt is None else dt.replace(tzinfo=timezone.utc)


def signed64(value: int | None) -> int | None:
    """A 64-bit fingerprint (signed or unsigned) as a signed BIGINT with the same bits."""
    if value is None:
        return None
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def compress(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)  # mtime=0: same bytes every time


def decompress(blob: bytes, compression: str) -> bytes:
    if compression != COMPRESSION:
        raise ValueError(f"unknown compression {compression!r}")
    return gzip.decompress(blob)


class _Cols:
    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.cols: dict[str, list] = {name: [] for name in schema.names}

    def add(self, **row) -> None:
        for name, col in self.cols.items():
            col.append(row.get(name))

    def table(self) -> pa.Table:
        return pa.table(self.cols, schema=self.schema)


def build_batch(run_id: str, source: str, pages: Sequence[ProcessedPage]) -> dict[str, pa.Table]:
    out = {name: _Cols(schema) for name, schema in SCHEMAS.items()}
    for ord_, page in enumerate(pages):
        _add_page(out, ord_, run_id, source, page)
    return {name: cols.table() for name, cols in out.items()}


def _add_page(out: dict[str, _Cols], ord_: int, run_id: str, source: str, page: ProcessedPage) -> None:
    c, f, a = page.candidate, page.fetch, page.article
    fetched_at = to_utc_naive(max((x.fetched_at for x in f.attempts), default=None,
                                  key=lambda d: to_utc_naive(d)))
    article_id = article_id_for(a.canonical_url or a.url) if a else None
    on_theme = any(s.is_match for s in page.scores) if page.scores else None
    common = {"ord": ord_, "run_id": run_id, "source": source}
    out["pages"].add(**common, url=c.url, found_via=c.found_via, found_on=c.found_on,
                     date_hint=to_utc_naive(c.date_hint), date_hint_source=c.date_hint_source,
                     final_url=f.final_url, fetch_outcome=f.outcome,
                     outcome=page.skip.outcome if page.skip else f.outcome,
                     status_code=f.status_code, error=f.error, etag=f.validators.etag,
                     last_modified=f.validators.last_modified, fetched_at=fetched_at,
                     article_id=article_id, on_theme=on_theme)
    _add_attempts(out["attempts"], common, c.url, f.attempts)
    if f.body is not None and f.outcome == "ok":
        out["raw"].add(**common, url=c.url, final_url=f.final_url, article_id=article_id,
                       fetched_at=fetched_at, content_type=f.content_type, encoding=f.encoding,
                       compression=COMPRESSION, html=compress(f.body))
    if page.skip:
        _add_skip(out["skips"], ord_, run_id, page.skip)
    if a is None:
        return
    out["articles"].add(**common, article_id=article_id, url=a.url,
                        canonical_url=a.canonical_url or a.url, title=a.title, author=a.author,
                        published_at=to_utc_naive(a.published_at), date_source=a.date_source,
                        language=a.language, site_name=a.site_name, text=a.text,
                        content_hash=a.content_hash, simhash=signed64(a.simhash),
                        extractor=a.extractor, extractor_version=a.extractor_version,
                        fetched_at=fetched_at, page_url=c.url)
    for s in page.scores:
        out["themes"].add(**common, article_id=article_id, theme=s.theme, score=float(s.score),
                          is_match=bool(s.is_match),
                          evidence=json.dumps(s.evidence, sort_keys=True, ensure_ascii=False,
                                              default=str),
                          classifier=s.classifier, classifier_version=s.classifier_version)
    for link in a.links:
        out["links"].add(ord=ord_, run_id=run_id, from_article_id=article_id, to_url=link.url, kind=link.kind,
                         text=link.text)
    for d in a.date_candidates:
        out["dates"].add(ord=ord_, run_id=run_id, article_id=article_id, value=to_utc_naive(d.value),
                         source=d.source)


def _add_attempts(cols: _Cols, common: dict, candidate_url: str, attempts) -> None:
    for seq, x in enumerate(attempts):
        cols.add(**common, candidate_url=candidate_url, seq=seq, url=x.url,
                 fetched_at=to_utc_naive(x.fetched_at), status_code=x.status_code, outcome=x.outcome,
                 error=x.error, elapsed_ms=x.elapsed_ms, bytes=x.bytes, attempt=x.attempt)


def _add_skip(cols: _Cols, ord_: int, run_id: str, s: Skip) -> None:
    cols.add(ord=ord_, run_id=run_id, source=s.source, url=s.url, stage=s.stage, outcome=s.outcome,
             reason=s.reason)


def build_skips(run_id: str, skips: Sequence[Skip]) -> pa.Table:
    cols = _Cols(SCHEMAS["skips"])
    for i, s in enumerate(skips):
        _add_skip(cols, i, run_id, s)
    return cols.table()


def build_plan_fetches(run_id: str, source: str, fetches: Sequence[FetchResult]) -> pa.Table:
    """fetches rows for requests discovery made (feeds, sitemaps): keyed by the requested URL."""
    cols = _Cols(SCHEMAS["attempts"])
    for i, f in enumerate(fetches):
        _add_attempts(cols, {"ord": i, "run_id": run_id, "source": source}, f.url, f.attempts)
    return cols.table()
