"""ProcessedPages -> Arrow tables (one per target table), ready to register in DuckDB.

Pure Python + pyarrow, built column by column (list comprehensions, no per-row dicts). The batch is
de-duplicated here, before SQL sees it: the last page per URL wins, then among those the last page
per article; an article's themes, links, dates and authors come from its winning page (one row per key).
Every row carries `ord`, the page's position in the batch (SQL keeps the latest per URL with it).
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
from datetime import datetime, timezone
from typing import Mapping, NamedTuple, Sequence

import pyarrow as pa

from extractors.models import CanonicalDecision, FetchResult, ProcessedPage, Skip

from .rawstore import raw_key

COMPRESSION = "gzip"
_TS = pa.timestamp("us")
_TSZ = pa.timestamp("us", tz="UTC")  # aware datetimes convert to UTC; naive ones are taken as UTC

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
        ("updated_at", _TS), ("date_source", pa.string()), ("language", pa.string()),
        ("site_name", pa.string()),
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
    "authors": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("article_id", pa.string()), ("name", pa.string()),
        ("source", pa.string()), ("position", pa.int32())]),
    "skips": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("stage", pa.string()), ("outcome", pa.string()), ("reason", pa.string())]),
    "page_types": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("kind", pa.string()), ("page_type", pa.string()), ("reason", pa.string()), ("signals", pa.string()),
        ("article_id", pa.string()), ("decided_at", _TS)]),
    "canonicals": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("page_url", pa.string()), ("canonical_url", pa.string()), ("article_id", pa.string()),
        ("decision", pa.string()), ("reason", pa.string())]),
    "raw": pa.schema([
        ("ord", pa.int64()), ("run_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("final_url", pa.string()), ("article_id", pa.string()), ("fetched_at", _TS),
        ("content_type", pa.string()), ("encoding", pa.string()), ("compression", pa.string()),
        ("raw_key", pa.string()), ("stored_bytes", pa.int64())]),
}

# json.dumps(..., sort_keys=True, ensure_ascii=False, default=str) builds a new encoder per call.
_encode_evidence = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def article_id_for(canonical_url: str) -> str:
    """The article identity: first 16 hex digits of sha256 of the canonical URL (UTF-8)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def to_utc_naive(dt: datetime | None) -> datetime | None:
    """Stored form of a datetime: naive UTC (naive input is taken as UTC already)."""
    if dt is None or dt.tzinfo is None:
        return dt
    return dt.astimezone(timezone.utc).replace(tzinfo=None)


def from_utc_naive(dt: datetime | None) -> datetime | None:
    """A stored datetime as aware UTC (TIMESTAMPTZ columns read as aware; older naive ones are UTC)."""
    if dt is None:
        return None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def signed64(value: int | None) -> int | None:
    """A 64-bit fingerprint (signed or unsigned) as a signed BIGINT with the same bits."""
    if value is None:
        return None
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def compress(body: bytes) -> bytes:
    """The stored form of a raw page (ProcessedPage.raw_gzip, when set, must be the same kind:
    gzip of fetch.body; level and mtime only change bytes, not what decompress() returns)."""
    return gzip.compress(body, compresslevel=6, mtime=0)  # mtime=0: same bytes every time


def decompress(blob: bytes, compression: str) -> bytes:
    if compression != COMPRESSION:
        raise ValueError(f"unknown compression {compression!r}")
    return gzip.decompress(blob)


def _table(name: str, n: int, cols: dict[str, object]) -> pa.Table:
    """An Arrow table of `n` rows from columns given as lists (or one value for every row)."""
    schema = SCHEMAS[name]
    arrays = []
    for f in schema:
        v = cols.get(f.name)
        if not isinstance(v, list):
            v = [v] * n
        arrays.append(pa.array(v, type=_TSZ).cast(_TS) if f.type == _TS else pa.array(v, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _fetched_at(f: FetchResult):
    """When the page was fetched: the last attempt's time (aware or naive-UTC), None without one."""
    at = f.attempts
    if len(at) == 1:
        return at[0].fetched_at
    times = [x.fetched_at for x in at if x.fetched_at is not None]
    return max(times, key=to_utc_naive) if times else None


# A same-site canonical merges a page into the canonical URL's article only when their bodies agree:
# the same content_hash, or simhashes at most this many bits apart (of 64; the near-duplicate test is 3).
# Further apart, the page keeps its own URL and the claim is recorded as `kept_apart`.
CANONICAL_SAME_BITS = 10


class Held(NamedTuple):
    """The body that holds an article id: a stored `articles` row, or a page of the batch."""

    url: str
    content_hash: str
    simhash: int | None


def claimed_article_ids(pages: Sequence[ProcessedPage]) -> list[str]:
    """The article ids the batch's same-site canonicals claim (whose stored rows _pick compares)."""
    return sorted({article_id_for(p.canonical.canonical_url) for p in pages
                   if p.article and p.canonical and p.canonical.decision == "merged"})


def _same_body(held: Held, a) -> bool:
    if held.content_hash == a.content_hash:
        return True
    if held.simhash is None or a.simhash is None:
        return False
    return bin((signed64(held.simhash) ^ signed64(a.simhash)) & ((1 << 64) - 1)).count("1") <= CANONICAL_SAME_BITS


def _pick(pages: Sequence[ProcessedPage], stored: Mapping[str, Held]
          ) -> tuple[list[int], dict[int, str], list[int], dict[int, CanonicalDecision]]:
    """(winning ords: last page per URL, article_id per winning ord with an article, ords whose
    article is stored: the last winning page per article_id, the canonical decision per winning ord
    that has one), all in batch order.

    Identity: a page's article id is that of its canonical URL. A same-site canonical (decision
    `merged` from extraction) is confirmed when no other body holds that id (`stored` rows, a page of
    the batch at the canonical URL itself, or an earlier page merged into it), or the one that does
    has the same body (_same_body); else the page keeps its own URL (`kept_apart`)."""
    last_by_url = {p.candidate.url: i for i, p in enumerate(pages)}
    keep = sorted(last_by_url.values())
    ids: dict[int, str] = {}
    decisions: dict[int, CanonicalDecision] = {}
    held = dict(stored)
    pending = []
    for i in keep:
        p = pages[i]
        if (a := p.article) is None:
            continue
        if p.canonical is not None:
            decisions[i] = p.canonical
        if p.canonical is not None and p.canonical.decision == "merged":
            pending.append(i)
        else:
            ids[i] = article_id_for(a.canonical_url or a.url)
            held[ids[i]] = Held(a.url, a.content_hash, a.simhash)  # the page at its own canonical URL
    for i in pending:
        a, c = pages[i].article, pages[i].canonical
        aid = article_id_for(c.canonical_url)
        h = held.get(aid)
        if h is None or h.url == a.url or _same_body(h, a):
            ids[i] = aid
            held.setdefault(aid, Held(a.url, a.content_hash, a.simhash))
        else:
            ids[i] = article_id_for(c.url)
            decisions[i] = CanonicalDecision(
                c.url, c.canonical_url, "kept_apart",
                f"canonical names article {aid}, stored from {h.url} with a different body: "
                "the page keeps its own URL")
    last_by_article = {aid: i for i, aid in ids.items()}
    return keep, ids, sorted(last_by_article.values()), decisions


class Batch(NamedTuple):
    tables: dict[str, pa.Table]  # one per target table
    bodies: dict[str, bytes]  # raw_key -> stored page body, for the raw store (never inserted in DuckDB)


def build_batch(run_id: str, source: str, pages: Sequence[ProcessedPage],
                stored: Mapping[str, Held] | None = None) -> Batch:
    """The batch's Arrow tables, and the page bodies they name. The cyclic garbage collector is paused while they are built: the
    column lists allocate ~100 objects per page (no cycles; freed by reference counting), which
    triggers full collections that walk every live object (~2x the build's CPU, measured)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_batch(run_id, source, pages, stored or {})
    finally:
        if was_enabled:
            gc.enable()


def _build_batch(run_id: str, source: str, pages: Sequence[ProcessedPage], stored: Mapping[str, Held]
                 ) -> Batch:
    keep, ids, art_ords, decisions = _pick(pages, stored)
    kept = [pages[i] for i in keep]
    fetched = {i: _fetched_at(pages[i].fetch) for i in keep}
    common = {"run_id": run_id, "source": source}
    raw, bodies = _raw_table(common, keep, kept, ids, fetched)
    out = {"pages": _pages_table(common, keep, kept, ids, fetched),
           "attempts": _attempts_table(common, keep, kept), "raw": raw,
           "skips": _skips_table(run_id, [(i, p.skip) for i, p in enumerate(pages) if p.skip]),
           "page_types": _page_types_table(common, keep, kept, ids, fetched)}
    own = {i: d.url for i, d in decisions.items() if d.decision == "kept_apart"}
    out.update(_article_tables(common, pages, art_ords, ids, fetched, own))
    out["canonicals"] = _canonicals_table(common, pages, decisions, ids)
    return Batch(out, bodies)


def _canonicals_table(common, pages, decisions, ids) -> pa.Table:
    """canonical_decisions rows: one per winning page whose canonical names another URL."""
    rows = sorted(decisions.items())
    return _table("canonicals", len(rows), {
        **common, "ord": [i for i, _ in rows], "url": [pages[i].candidate.url for i, _ in rows],
        "page_url": [d.url for _, d in rows], "canonical_url": [d.canonical_url for _, d in rows],
        "article_id": [ids[i] for i, _ in rows], "decision": [d.decision for _, d in rows],
        "reason": [d.reason for _, d in rows]})


def _pages_table(common, keep, kept, ids, fetched) -> pa.Table:
    cands = [p.candidate for p in kept]
    fs = [p.fetch for p in kept]
    return _table("pages", len(keep), {
        **common, "ord": keep, "url": [c.url for c in cands], "found_via": [c.found_via for c in cands],
        "found_on": [c.found_on for c in cands], "date_hint": [c.date_hint for c in cands],
        "date_hint_source": [c.date_hint_source for c in cands], "final_url": [f.final_url for f in fs],
        "fetch_outcome": [f.outcome for f in fs],
        "outcome": [p.skip.outcome if p.skip else p.fetch.outcome for p in kept],
        "status_code": [f.status_code for f in fs], "error": [f.error for f in fs],
        "etag": [f.validators.etag for f in fs], "last_modified": [f.validators.last_modified for f in fs],
        "fetched_at": [fetched[i] for i in keep], "article_id": [ids.get(i) for i in keep],
        "on_theme": [any(s.is_match for s in p.scores) if p.scores else None for p in kept]})


def _page_types_table(common, keep, kept, ids, fetched) -> pa.Table:
    """The gate's decision for each winning page that reached it (extractors/content/_pagetype.py)."""
    rows = [(i, p) for i, p in zip(keep, kept) if p.page_type is not None]
    pts = [p.page_type for _, p in rows]
    now = datetime.now(timezone.utc)
    return _table("page_types", len(rows), {
        **common, "ord": [i for i, _ in rows], "url": [p.candidate.url for _, p in rows],
        "kind": [t.kind for t in pts], "page_type": [t.page_type for t in pts], "reason": [t.reason for t in pts],
        "signals": [_encode_evidence(t.signals) for t in pts], "article_id": [ids.get(i) for i, _ in rows],
        "decided_at": [fetched[i] or now for i, _ in rows]})


def _attempts_table(common, keep, kept) -> pa.Table:
    rows = [(i, p.candidate.url, seq, x) for i, p in zip(keep, kept) for seq, x in enumerate(p.fetch.attempts)]
    return _attempts_from_rows(common, rows)


def _attempts_from_rows(common, rows) -> pa.Table:
    xs = [r[3] for r in rows]
    return _table("attempts", len(rows), {
        **common, "ord": [r[0] for r in rows], "candidate_url": [r[1] for r in rows],
        "seq": [r[2] for r in rows], "url": [x.url for x in xs], "fetched_at": [x.fetched_at for x in xs],
        "status_code": [x.status_code for x in xs], "outcome": [x.outcome for x in xs],
        "error": [x.error for x in xs], "elapsed_ms": [x.elapsed_ms for x in xs],
        "bytes": [x.bytes for x in xs], "attempt": [x.attempt for x in xs]})


def _raw_table(common, keep, kept, ids, fetched) -> tuple[pa.Table, dict[str, bytes]]:
    rows = [(i, p) for i, p in zip(keep, kept)
            if p.fetch.outcome == "ok" and (p.fetch.body is not None or p.raw_gzip is not None)]
    fs = [p.fetch for _, p in rows]
    blobs = [_raw_blob(p) for _, p in rows]
    keys = [raw_key(b) for b in blobs]
    return _table("raw", len(rows), {
        **common, "ord": [i for i, _ in rows], "url": [p.candidate.url for _, p in rows],
        "final_url": [f.final_url for f in fs], "article_id": [ids.get(i) for i, _ in rows],
        "fetched_at": [fetched[i] for i, _ in rows], "content_type": [f.content_type for f in fs],
        "encoding": [f.encoding for f in fs], "compression": COMPRESSION,
        "raw_key": keys, "stored_bytes": [len(b) for b in blobs]}), dict(zip(keys, blobs))


def _raw_blob(page: ProcessedPage) -> bytes:
    """The stored raw page: raw_gzip as given (compressed by the extraction worker), else fetch.body
    gzipped here (a real ~130 KB page costs ~1.6-2.5 ms of gzip -6: workers should compress)."""
    return page.raw_gzip if page.raw_gzip is not None else compress(page.fetch.body)


def _article_tables(common, pages, art_ords, ids, fetched, own) -> dict[str, pa.Table]:
    """The article tables of the stored pages; `own`: ord -> the page's own URL, its identity when its
    canonical was kept apart."""
    arts = [pages[i].article for i in art_ords]
    aids = [ids[i] for i in art_ords]
    n = len(arts)
    articles = _table("articles", n, {
        **common, "ord": art_ords, "article_id": aids, "url": [a.url for a in arts],
        "canonical_url": [own.get(i) or a.canonical_url or a.url for i, a in zip(art_ords, arts)], "title": [a.title for a in arts],
        "author": [a.author for a in arts], "published_at": [a.published_at for a in arts],
        "updated_at": [a.updated_at for a in arts],
        "date_source": [a.date_source for a in arts], "language": [a.language for a in arts],
        "site_name": [a.site_name for a in arts], "text": [a.text for a in arts],
        "content_hash": [a.content_hash for a in arts], "simhash": [signed64(a.simhash) for a in arts],
        "extractor": [a.extractor for a in arts], "extractor_version": [a.extractor_version for a in arts],
        "fetched_at": [fetched[i] for i in art_ords], "page_url": [pages[i].candidate.url for i in art_ords]})
    # one row per key from the winning page: themes by name (last wins), links by (to_url, kind)
    # (first wins), dates by (value, source)
    th = [(i, aid, s) for i, aid in zip(art_ords, aids)
          for s in {s.theme: s for s in pages[i].scores}.values()]
    ss = [r[2] for r in th]
    themes = _table("themes", len(th), {
        **common, "ord": [r[0] for r in th], "article_id": [r[1] for r in th],
        "theme": [s.theme for s in ss], "score": [float(s.score) for s in ss],
        "is_match": [bool(s.is_match) for s in ss], "evidence": [_encode_evidence(s.evidence) for s in ss],
        "classifier": [s.classifier for s in ss], "classifier_version": [s.classifier_version for s in ss]})
    lk = [(i, aid, link) for i, aid, a in zip(art_ords, aids, arts)
          for link in {(x.url, x.kind): x for x in reversed(a.links)}.values()]
    links = _table("links", len(lk), {
        "run_id": common["run_id"], "ord": [r[0] for r in lk], "from_article_id": [r[1] for r in lk],
        "to_url": [r[2].url for r in lk], "kind": [r[2].kind for r in lk], "text": [r[2].text for r in lk]})
    dt = [(i, aid, value, src) for i, aid, a in zip(art_ords, aids, arts)
          for value, src in dict.fromkeys((to_utc_naive(d.value), d.source) for d in a.date_candidates)]
    dates = _table("dates", len(dt), {
        "run_id": common["run_id"], "ord": [r[0] for r in dt], "article_id": [r[1] for r in dt],
        "value": [r[2] for r in dt], "source": [r[3] for r in dt]})
    return {"articles": articles, "themes": themes, "links": links, "dates": dates,
            "authors": _authors_table(common["run_id"], arts, art_ords, aids)}


def _authors_table(run_id, arts, art_ords, aids) -> pa.Table:
    """One row per (article, name, source) from the winning page, in the article's candidate order."""
    rows = [(i, aid, pos, name, src) for i, aid, a in zip(art_ords, aids, arts)
            for pos, (name, src) in enumerate(dict.fromkeys((c.name, c.source) for c in a.author_candidates))]
    return _table("authors", len(rows), {
        "run_id": run_id, "ord": [r[0] for r in rows], "article_id": [r[1] for r in rows],
        "position": [r[2] for r in rows], "name": [r[3] for r in rows], "source": [r[4] for r in rows]})


def _skips_table(run_id: str, items: list[tuple[int, Skip]]) -> pa.Table:
    """Skips, one per (url, stage): the last in the batch wins."""
    last = {(s.url, s.stage): (i, s) for i, s in items}
    rows = sorted(last.values(), key=lambda r: r[0])
    ss = [s for _, s in rows]
    return _table("skips", len(rows), {
        "run_id": run_id, "ord": [i for i, _ in rows], "source": [s.source for s in ss],
        "url": [s.url for s in ss], "stage": [s.stage for s in ss], "outcome": [s.outcome for s in ss],
        "reason": [s.reason for s in ss]})


def build_skips(run_id: str, skips: Sequence[Skip]) -> pa.Table:
    return _skips_table(run_id, list(enumerate(skips)))


def build_plan_fetches(run_id: str, source: str, fetches: Sequence[FetchResult]) -> pa.Table:
    """fetches rows for requests discovery made (feeds, sitemaps): keyed by the requested URL."""
    rows = [(i, f.url, seq, x) for i, f in enumerate(fetches) for seq, x in enumerate(f.attempts)]
    return _attempts_from_rows({"run_id": run_id, "source": source}, rows)
