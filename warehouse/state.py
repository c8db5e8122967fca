"""Reads of a warehouse's state made before a run opens the writer (or without one): what reprocess
compares against, and what a backfill's dry run leaves out. Nothing here writes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator, Mapping


@dataclass(frozen=True)
class ArticleState:
    """A source's articles as last published, for reprocess's diff."""

    articles: Mapping[str, tuple[str, frozenset[str]]]  # article_id -> (content_hash, matching themes)
    page_articles: Mapping[str, str | None]  # raw page URL -> its article_id
    kept_out: frozenset[str]  # URLs whose last outcome is out_of_range (a backfill dropped them)


def read_article_state(db_path: str | os.PathLike, source: str) -> ArticleState:
    """The source's articles, theme matches and raw pages in the published file (empty if none yet)."""
    from .errors import WarehouseNotFound
    from .reader import open_reader

    try:
        con = open_reader(db_path)
    except WarehouseNotFound:
        return ArticleState({}, {}, frozenset())
    try:
        rows = con.execute(
            "SELECT a.article_id, a.content_hash, list(t.theme ORDER BY t.theme) FILTER (WHERE t.is_match) "
            "FROM articles a LEFT JOIN article_themes t USING (article_id) WHERE a.source = ? "
            "GROUP BY a.article_id, a.content_hash", [source]).fetchall()
        pages = con.execute("SELECT url, article_id FROM internal.raw_pages WHERE source = ?", [source]).fetchall()
        out = con.execute("SELECT url FROM urls WHERE source = ? AND last_outcome = 'out_of_range'",
                          [source]).fetchall()
    finally:
        con.close()
    return ArticleState({aid: (h, frozenset(m or ())) for aid, h, m in rows}, dict(pages),
                        frozenset(u for (u,) in out))


def read_finished(db_path: str | os.PathLike, source: str) -> tuple[frozenset[str], dict[str, datetime]]:
    """Finished URLs and host blocks of an existing warehouse (through the writer, so its lock is
    taken for the read); nothing, and no file created, if there is no warehouse yet."""
    from .writer import Warehouse, writer_path

    if not (Path(db_path).exists() or writer_path(db_path).exists()):
        return frozenset(), {}
    with Warehouse.open(db_path) as wh:
        state = wh.read_crawl_state(source)
    return state.finished, dict(state.host_blocks)


def read_stored_pages(db_path: str | os.PathLike, source: str, since: datetime | None = None,
                      *, chunk: int = 200) -> Iterator:
    """The source's stored raw pages (StoredPage, decompressed), ordered by URL, from the published file
    on a read-only connection (no writer lock, nothing written): what a reprocess dry run re-extracts.
    Nothing if there is no warehouse yet."""
    from .batch import to_utc_naive
    from .errors import WarehouseNotFound
    from .rawstore import RawStore, store_dir
    from .reader import open_reader
    from .writer import STORED_PAGES_SQL, _stored_page

    try:
        con = open_reader(db_path)
    except WarehouseNotFound:
        return
    store, last, since_utc = RawStore(store_dir(Path(db_path).absolute())), "", to_utc_naive(since)
    try:
        while True:
            rows = con.execute(STORED_PAGES_SQL, [last, source, source, since_utc, since_utc, chunk]).fetchall()
            for row in rows:
                yield _stored_page(row, store)
            if len(rows) < chunk:
                return
            last = rows[-1][0]
    finally:
        con.close()
