"""Templates learned per source (migration 010): the blocks repeated across a source's pages.

    load_page_blocks(con, run_id, source, pages)     each page's kept blocks -> page_blocks
    ensure_source_template(con, source, run_id)      page_blocks -> a new template version if it changed
    read_source_template(con, source)                the latest version: (version, block hashes)

Learning is cheap: it counts the fingerprints already stored per page (Article.block_prints, made
during extraction), never re-reads bodies. A block kept on at least TEMPLATE_MIN_PAGES distinct articles
of the source, and on at least TEMPLATE_MIN_SHARE of them, is template. A new `template_version` is
written when the set of blocks or TEMPLATE_RULE changes; the extraction's guards
(extractors/content/_template.py) decide what of it is removed from a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

import pyarrow as pa

from extractors.models import ProcessedPage

from ._tx import transaction
from .batch import article_id_for, to_utc_naive

TEMPLATE_MIN_PAGES = 3  # distinct articles a block must be kept on (a quote in two articles stays)
TEMPLATE_MIN_SHARE = 0.2  # ... and this share of the source's fingerprinted articles
TEMPLATE_RULE = f"min_pages={TEMPLATE_MIN_PAGES};min_share={TEMPLATE_MIN_SHARE}"

_SCHEMA = pa.schema([("source", pa.string()), ("url", pa.string()), ("article_id", pa.string()),
                     ("block_hash", pa.string()), ("dom_path", pa.string()), ("sample_text", pa.string()),
                     ("chars", pa.int32()), ("run_id", pa.string())])


def load_page_blocks(con, run_id: str, source: str, pages: Sequence[ProcessedPage]) -> int:
    """Replace the blocks of the batch's fingerprinted pages (those whose article carries block_prints;
    a batch extracted without fingerprints changes nothing). Returns the rows written."""
    last: dict[str, ProcessedPage] = {}
    for p in pages:
        if p.article is not None and p.article.block_prints:
            last[p.candidate.url] = p  # a later page wins, as in the batch load
    if not last:
        return 0
    cols: dict[str, list] = {f.name: [] for f in _SCHEMA}
    for url, p in last.items():
        aid = article_id_for(p.article.canonical_url or p.article.url)
        for b in p.article.block_prints:
            for name, value in (("source", source), ("url", url), ("article_id", aid),
                                ("block_hash", b.block_hash), ("dom_path", b.dom_path),
                                ("sample_text", b.text), ("chars", b.chars), ("run_id", run_id)):
                cols[name].append(value)
    tbl = pa.table(cols, schema=_SCHEMA)
    urls = pa.table({"url": list(last)}, schema=pa.schema([("url", pa.string())]))
    con.register("_b_page_blocks", tbl)
    con.register("_b_block_urls", urls)
    try:
        with transaction(con):
            con.execute("DELETE FROM page_blocks WHERE source = ? AND url IN (SELECT url FROM _b_block_urls)",
                        [source])
            con.execute("INSERT INTO page_blocks BY NAME SELECT * FROM _b_page_blocks")
    finally:
        con.unregister("_b_page_blocks")
        con.unregister("_b_block_urls")
    return tbl.num_rows


def read_source_template(con, source: str) -> tuple[int, frozenset[str]]:
    """(the latest template_version, its block hashes); (0, empty) before anything was learned."""
    row = con.execute("SELECT max(template_version) FROM source_template_versions WHERE source = ?",
                      [source]).fetchone()
    version = row[0] or 0
    if not version:
        return 0, frozenset()
    hashes = con.execute("SELECT block_hash FROM source_templates WHERE source = ? AND template_version = ?",
                         [source, version]).fetchall()
    return version, frozenset(h for (h,) in hashes)


def ensure_source_template(con, source: str, run_id: str, *, now: datetime | None = None) -> int:
    """Learn the source's template from page_blocks; write a new version when it differs from the
    latest (blocks or rule). Returns the current version (0: nothing learned, nothing to learn)."""
    (pages,) = con.execute("SELECT count(DISTINCT article_id) FROM page_blocks WHERE source = ?",
                           [source]).fetchone()
    rows = []
    if pages >= TEMPLATE_MIN_PAGES:
        rows = con.execute(
            """SELECT block_hash, min(dom_path), min(sample_text), count(DISTINCT article_id) AS n
               FROM page_blocks WHERE source = ? GROUP BY block_hash
               HAVING count(DISTINCT article_id) >= ? AND count(DISTINCT article_id) >= ?
               ORDER BY block_hash""",
            [source, TEMPLATE_MIN_PAGES, TEMPLATE_MIN_SHARE * pages]).fetchall()
    version, current = read_source_template(con, source)
    rule = con.execute("SELECT rule FROM source_template_versions WHERE source = ? AND template_version = ?",
                       [source, version]).fetchone() if version else None
    learned = frozenset(r[0] for r in rows)
    if (version == 0 and not learned) or (learned == current and rule is not None and rule[0] == TEMPLATE_RULE):
        return version
    at = to_utc_naive(now or datetime.now(timezone.utc))
    new = version + 1
    with transaction(con):
        con.execute("INSERT INTO source_template_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [source, new, TEMPLATE_RULE, pages, len(rows), at, run_id])
        if rows:
            con.executemany("INSERT INTO source_templates VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [[source, new, h, path, text, n, at, run_id] for h, path, text, n in rows])
    return new
