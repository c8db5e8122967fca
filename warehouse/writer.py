"""The Warehouse: the one writer of a themewire DuckDB warehouse.

Files, for a published path D = <dir>/<name> (the `--db PATH` analysts open read-only):
  <dir>/.<name>.writer.duckdb   the writer's own file (never opened by readers)
  <dir>/.<name>.lock            fcntl.flock'ed for the writer's whole life (one run at a time)
  <dir>/<name>                  the published snapshot, replaced atomically by publish()
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Collection, Iterator, Mapping, Sequence

import duckdb
import pyarrow as pa

from extractors.models import Candidate, FetchResult, ProcessedPage, Skip, Validators

from . import load as sql
from . import templates
from .batch import (Held, build_batch, claimed_article_ids, build_plan_fetches, build_skips, decompress, from_utc_naive,
                    to_utc_naive)
from ._tx import transaction
from .errors import RawPageMissing
from .lock import WriterLock
from .migrate import ensure_schema, ensure_views, version_table
from .publish import publish_file, remove_stale_temps
from .rawstore import RawStore, store_dir
from .records import CrawlState, EntryPoint, LoadCounts, RunInfo, StoredPage
from .search import ensure_search_index

DEFAULT_LOCK_TIMEOUT_S = 600.0
# The search queue (003) and the raw store's garbage list (005, 006) are maintained from the version
# their tables moved to the schema `internal` (013); a file held at an older version (tests) is not
# indexed or swept until it is upgraded.
SEARCH_QUEUE_VERSION = 13  # migrations/003_search_queue.sql, 013_analyst_schema.py
RAW_STORE_VERSION = 13  # migrations/005_raw_store.py, 006_raw_garbage.sql, 013_analyst_schema.py
TEMPLATES_VERSION = 10  # migrations/010_source_templates.sql
BATCH_THREADS = 1  # DuckDB threads for the small statements of one batch
# Data is checkpointed to the file every 64 MB of WAL: with 256 MB, a 10,000-page run kept ~150 MB of
# uncheckpointed pages in the flow process's memory.
WRITER_CHECKPOINT_THRESHOLD = "64MB"
# DuckDB keeps the file's blocks cached (~14 MB more per 1,000 pages loaded, without bound while memory
# is plentiful). A memory_limit is not the way to bound it: a transaction's new rows must fit in the
# limit, and with large strings an automatic checkpoint under the limit failed ("failed to pin block")
# and invalidated the database. Instead the writer reconnects (checkpoint, close, open: ~10-50 ms),
# which drops the cache, after every RECONNECT_EVERY loads or search-index chunks, or sooner once DuckDB
# caches more than WRITER_CACHE_BYTES of the database's blocks (its memory other than temporary tables:
# right after a reconnect DuckDB reports ~45 MB of those that stays flat, and counting it reconnected
# after every batch).
RECONNECT_EVERY = 10
# DuckDB's allocator keeps freed memory for reuse until it holds this much (its default: 128 MB, and
# 512 MB after bulk frees), all of it in the flow process's RSS between batches; 8 MB gives it back
# after each statement that freed more (bench/bench_ingest.py: peak RSS of the flow process).
WRITER_ALLOCATOR_FLUSH = "8MB"
WRITER_CACHE_BYTES = 32 * 2**20
# The transient memory of one transaction is bounded too: load_pages commits at most this much article
# text per transaction, and the search index builds bounded chunks (search.CHUNK_CHARS). Page bodies
# never enter DuckDB (rawstore.py).
MAX_TX_TEXT_CHARS = 16_000_000


# Stored raw pages with the hints they were found with, keyset-paged by URL. Parameters: after URL,
# source (twice; NULL: all), fetched on or after (twice; NULL: any), limit.
STORED_PAGES_SQL = """SELECT r.url, r.source, r.final_url, r.article_id, r.fetched_at, r.content_type,
       r.encoding, r.compression, r.raw_key, u.found_via, u.found_on, u.date_hint, u.date_hint_source
FROM internal.raw_pages r LEFT JOIN urls u ON u.url = r.url
WHERE r.url > ? AND (?::VARCHAR IS NULL OR r.source = ?) AND (?::TIMESTAMPTZ IS NULL OR r.fetched_at >= ?)
ORDER BY r.url LIMIT ?"""


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the project's settings (no extension downloads, no progress bars)."""
    con = duckdb.connect(str(path), read_only=read_only,
                         config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")  # naive datetimes written to TIMESTAMPTZ columns are UTC
    if not read_only:  # bounded memory for the writer (see WRITER_CHECKPOINT_THRESHOLD)
        con.execute(f"SET checkpoint_threshold = '{WRITER_CHECKPOINT_THRESHOLD}'")
        con.execute(f"SET allocator_flush_threshold = '{WRITER_ALLOCATOR_FLUSH}'")
        con.execute(f"SET allocator_bulk_deallocation_flush_threshold = '{WRITER_ALLOCATOR_FLUSH}'")
    return con


def writer_path(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(f".{p.name}.writer.duckdb")


def lock_path(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(f".{p.name}.lock")


class Warehouse:
    """Use as `with Warehouse.open(path) as wh: ...`; call publish() to make loads visible."""

    def __init__(self, db_path: Path, lock: WriterLock) -> None:
        self.db_path = db_path
        self.writer_path = writer_path(db_path)
        self.raw_store = RawStore(store_dir(db_path))
        self._lock = lock
        self._con: duckdb.DuckDBPyConnection | None = None
        self._indexes_search = True  # False only for a file held at an older schema (tests)
        self._threads: int | None = None  # what _set_threads last set (None: DuckDB's default)
        self._since_reconnect = 0  # loads and search chunks since the connection was opened
        self._store_marked = False  # this writer marked the raw store open (cleared by close)

    # ---- life cycle -------------------------------------------------------------------------
    @classmethod
    def open(cls, db_path: str | os.PathLike, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
             schema_upto: int | None = None) -> "Warehouse":
        """Take the writer lock (waiting up to lock_timeout_s, else WarehouseBusy), seed the writer
        file from the published one if needed, and apply migrations. `schema_upto` is for tests."""
        path = Path(db_path).absolute()
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = WriterLock(str(lock_path(path)))
        lock.acquire(lock_timeout_s)
        wh = cls(path, lock)
        try:
            wh._prepare_files()
            wh._con = connect(wh.writer_path)
            version = ensure_schema(wh._con, str(path), upto=schema_upto)
            wh._indexes_search = version >= SEARCH_QUEUE_VERSION
            if schema_upto is None:
                ensure_views(wh._con)
            if version >= RAW_STORE_VERSION:
                wh.ensure_raw_store_collected(full=wh.raw_store.mark_open())
                wh._store_marked = True  # only now: a failed sweep leaves the mark, so the next one is full
        except BaseException:
            wh.close()
            raise
        return wh

    def _prepare_files(self) -> None:
        remove_stale_temps(self.db_path)
        remove_stale_temps(self.writer_path)
        if not self.writer_path.exists() and self.db_path.exists():
            stale_wal = self.writer_path.with_name(self.writer_path.name + ".wal")
            stale_wal.unlink(missing_ok=True)  # a WAL without its file belongs to nothing
            publish_file(self.db_path, self.writer_path)  # copy + atomic rename: crash-safe seed

    def close(self) -> None:
        """Close the connection and release the lock. Does not publish."""
        if self._con is not None:
            self._con.close()
            self._con = None
        if self._store_marked:
            self.raw_store.mark_closed()
            self._store_marked = False
        self._lock.release()

    def __enter__(self) -> "Warehouse":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def publish(self) -> None:
        """Make everything loaded so far visible at db_path, atomically (readers never block it)."""
        self.ensure_search_index()  # usually a no-op: load_run_finished built it
        self._reconnect(between=lambda: publish_file(self.writer_path, self.db_path))

    def _reconnect(self, between=None) -> None:
        """CHECKPOINT, close, (run `between` on the closed file,) reopen."""
        con = self._need()
        con.execute("CHECKPOINT")
        con.close()
        self._con = None
        try:
            if between is not None:
                between()
        finally:  # reopened even when `between` failed (a failed publish), so the run can record it
            self._con = connect(self.writer_path)
            self._threads = None
            self._since_reconnect = 0

    def _ensure_cache_bounded(self) -> None:
        """Reconnect every RECONNECT_EVERY calls, or when DuckDB caches more than WRITER_CACHE_BYTES."""
        self._since_reconnect += 1
        if self._since_reconnect >= RECONNECT_EVERY or self._need().execute(
                "SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag <> 'IN_MEMORY_TABLE'"
        ).fetchone()[0] > WRITER_CACHE_BYTES:
            threads = self._threads
            self._reconnect()
            self._set_threads(threads)

    @property
    def schema_version(self) -> int:
        return self._need().execute(f"SELECT max(version) FROM {version_table(self._need())}").fetchone()[0]

    def _need(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise RuntimeError("the warehouse is closed")
        return self._con

    # ---- reads for the crawler --------------------------------------------------------------
    def read_crawl_state(self, source: str, *, now: datetime | None = None) -> CrawlState:
        con = self._need()
        now_utc = to_utc_naive(now or datetime.now(timezone.utc))
        rows = con.execute(
            "SELECT url, etag, last_modified, last_outcome, article_id, next_fetch_at "
            "FROM urls WHERE source = ?", [source]).fetchall()
        validators, known, finished, next_at = {}, set(), set(), {}
        for url, etag, lm, outcome, article_id, nxt in rows:
            known.add(url)
            if etag is not None or lm is not None:
                validators[url] = Validators(etag=etag, last_modified=lm)
            if outcome not in sql.RETRYABLE and (outcome is not None or article_id is not None):
                finished.add(url)
            if nxt is not None:
                next_at[url] = from_utc_naive(nxt)
        blocks = con.execute("SELECT host, blocked_until FROM internal.hosts WHERE blocked_until > ?",
                             [now_utc]).fetchall()
        return CrawlState(source=source, validators=validators,
                          host_blocks={h: from_utc_naive(t) for h, t in blocks},
                          known=frozenset(known), finished=frozenset(finished), next_fetch_at=next_at)

    def iter_stored_pages(self, source: str | None = None, since: datetime | None = None,
                          *, chunk: int = 200) -> Iterator[StoredPage]:
        """Stored raw pages (decompressed) with the hints they were found with, ordered by URL.
        Reads in keyset-paged chunks, so loads may run between iterations."""
        last = ""
        while True:
            rows = self._need().execute(
                STORED_PAGES_SQL,
                [last, source, source, to_utc_naive(since), to_utc_naive(since), chunk]).fetchall()
            for row in rows:
                yield _stored_page(row, self.raw_store)
            if len(rows) < chunk:
                return
            last = rows[-1][0]

    # ---- writes -------------------------------------------------------------------------------
    def load_run_started(self, run: RunInfo) -> None:
        """Insert the run row (status running). Loading the same run_id again resumes it (its
        started_at is kept). Other runs of the same flow and source still marked running are dead
        (we hold the lock) and become `interrupted`."""
        params = json.dumps(dict(run.params), sort_keys=True, default=str)
        self._transaction(lambda con: (
            con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running' "
                        "AND source = ? AND flow = ? AND run_id <> ?", [run.source, run.flow, run.run_id]),
            con.execute("UPDATE runs SET status = 'running', finished_at = NULL "
                        "WHERE run_id = ? AND source = ?", [run.run_id, run.source]),
            con.execute("INSERT INTO runs (run_id, flow, source, started_at, status, params) "
                        "SELECT ?, ?, ?, ?, 'running', ? WHERE NOT EXISTS "
                        "(SELECT 1 FROM runs WHERE run_id = ? AND source = ?)",
                        [run.run_id, run.flow, run.source, to_utc_naive(run.started_at), params,
                         run.run_id, run.source])))

    def load_pages(self, run_id: str, source: str, pages: Sequence[ProcessedPage]) -> LoadCounts:
        """Load one batch, idempotently (see warehouse/load.py for the keys): one transaction per
        MAX_TX_TEXT_CHARS of article text (a usual batch is one), in batch order, so a later page
        still wins over an earlier one with the same key."""
        total = LoadCounts()
        for part in _parts(pages, MAX_TX_TEXT_CHARS):
            total = total + self._load_part(run_id, source, part)
        if self.schema_version >= TEMPLATES_VERSION:
            templates.load_page_blocks(self._need(), run_id, source, pages)  # the pages' block fingerprints
        self._ensure_cache_bounded()
        return total

    def read_source_template(self, source: str) -> tuple[int, frozenset[str]]:
        """The source's latest learned template: (version, block hashes); (0, empty) before any."""
        if self.schema_version < TEMPLATES_VERSION:
            return 0, frozenset()
        return templates.read_source_template(self._need(), source)

    def ensure_source_template(self, source: str, run_id: str) -> int:
        """Learn the source's template from its pages' stored fingerprints (warehouse/templates.py);
        a new version only when it changed. Returns the current version."""
        if self.schema_version < TEMPLATES_VERSION:
            return 0
        return templates.ensure_source_template(self._need(), source, run_id)

    def _load_part(self, run_id: str, source: str, pages: Sequence[ProcessedPage]) -> LoadCounts:
        tables, bodies = build_batch(run_id, source, pages, self._held_articles(claimed_article_ids(pages)))
        written = self.raw_store.ensure_stored(bodies.items())  # first: the transaction only names them

        rows = {name: tbl.num_rows for name, tbl in tables.items()}
        rows["not_article"] = tables["pages"].column("outcome").to_pylist().count("not_article")
        subs = sql.batch_substitutions(rows)

        def work(con):
            for step in sql.STEPS:
                step = subs.get(step, step)
                if step is not None:
                    con.execute(step, {"run": run_id} if "$run" in step else None)
            row = con.execute(sql.COUNTS).fetchone()
            return LoadCounts(*row)

        try:
            return self._with_batch(tables, work, scanned_once=sql.SCANNED_ONCE, copy_as=sql.COPY_AS)
        except BaseException:  # the batch did not commit: the files it added are named by nothing
            self.raw_store.delete(self.raw_store.path_for(k) for k in written)
            raise

    def _held_articles(self, article_ids: Sequence[str]) -> dict[str, Held]:
        """The stored bodies of the articles a batch's canonicals claim (batch._pick compares them)."""
        if not article_ids:
            return {}
        rows = self._need().execute(
            "SELECT article_id, url, content_hash, simhash FROM articles WHERE article_id IN "
            "(SELECT unnest($ids))", {"ids": list(article_ids)}).fetchall()
        return {aid: Held(url, h, sim) for aid, url, h, sim in rows}

    def load_skips(self, run_id: str, skips: Sequence[Skip]) -> None:
        """Skips that never became a page (plan stage: off-domain, invalid, over budget ...)."""
        if not skips:
            return
        tables = {"skips": build_skips(run_id, skips)}

        def work(con):
            con.execute("""CREATE OR REPLACE TEMP TABLE _sk AS SELECT * EXCLUDE (ord) FROM b_skips
                           QUALIFY row_number() OVER (PARTITION BY url, stage ORDER BY ord DESC) = 1""")
            con.execute("DELETE FROM skips WHERE (run_id, url, stage) IN "
                        "(SELECT (run_id, url, stage) FROM _sk)")
            con.execute("INSERT INTO skips BY NAME SELECT * FROM _sk")
            con.execute("DROP TABLE _sk")

        self._with_batch(tables, work)

    def load_plan_fetches(self, run_id: str, source: str, fetches: Sequence[FetchResult]) -> None:
        """The requests discovery made (feeds, sitemaps, robots ...): `fetches` rows only,
        keyed like page fetches by (run_id, requested URL, seq)."""
        if not fetches:
            return
        tables = {"attempts": build_plan_fetches(run_id, source, fetches)}

        def work(con):
            con.execute("""CREATE OR REPLACE TEMP TABLE _pf AS SELECT * EXCLUDE (ord) FROM b_attempts
                           QUALIFY dense_rank() OVER (PARTITION BY candidate_url ORDER BY ord DESC) = 1""")
            con.execute("DELETE FROM fetches WHERE run_id = $run AND candidate_url IN "
                        "(SELECT DISTINCT candidate_url FROM b_attempts)", {"run": run_id})
            con.execute("INSERT INTO fetches BY NAME SELECT * FROM _pf")
            con.execute("DROP TABLE _pf")

        self._with_batch(tables, work)

    def load_entry_points(self, run_id: str, source: str, points: Sequence[EntryPoint]) -> None:
        """The source run's entry points and whether each was read (`entry_points`, key (run_id,
        source, kind, url)): replaced for the run and source, so a resumed run writes them again."""
        tbl = pa.table({"run_id": [run_id] * len(points), "source": [source] * len(points),
                        "kind": [p.kind for p in points], "url": [p.url for p in points],
                        "ok": [p.ok for p in points], "outcome": [p.outcome for p in points],
                        "reason": [p.reason for p in points]},
                       schema=pa.schema([("run_id", pa.string()), ("source", pa.string()), ("kind", pa.string()),
                                         ("url", pa.string()), ("ok", pa.bool_()), ("outcome", pa.string()),
                                         ("reason", pa.string())]))

        def work(con):
            con.execute("DELETE FROM entry_points WHERE run_id = ? AND source = ?", [run_id, source])
            con.execute("""INSERT INTO entry_points BY NAME SELECT * FROM b_entry
                           QUALIFY row_number() OVER (PARTITION BY kind, url ORDER BY ok) = 1""")

        self._with_batch({"entry": tbl}, work)

    def load_host_blocks(self, blocks: Mapping[str, datetime], *, run_id: str | None = None) -> None:
        """Remember per-host back-off (blocked until) across runs."""
        if not blocks:
            return
        tbl = pa.table({"host": list(blocks), "blocked_until": [to_utc_naive(v) for v in blocks.values()],
                        "run_id": [run_id] * len(blocks)},
                       schema=pa.schema([("host", pa.string()), ("blocked_until", pa.timestamp("us")),
                                         ("run_id", pa.string())]))

        def work(con):
            con.execute("DELETE FROM internal.hosts WHERE host IN (SELECT host FROM b_hosts)")
            con.execute("INSERT INTO internal.hosts BY NAME SELECT * FROM b_hosts")

        self._with_batch({"hosts": tbl}, work)

    def load_run_finished(self, run_id: str, source: str | None, status: str,
                          counts: Mapping[str, object] | None = None, *,
                          finished_at: datetime | None = None) -> None:
        """Close the run row of (run_id, source) (source None: every source of the run): status,
        finished_at, and counts derived from what was loaded in the run (idempotent under resumes).
        From `counts` only `discovered` (what discovery proposed; default: pages loaded + plan
        skips) and `error` (text, for a failed run) are taken."""
        con = self._need()
        done = to_utc_naive(finished_at or datetime.now(timezone.utc))
        counts = counts or {}
        sources = [r[0] for r in con.execute(
            "SELECT source FROM runs WHERE run_id = ? AND (?::VARCHAR IS NULL OR source = ?)",
            [run_id, source, source]).fetchall()]

        def work(con):
            for src in sources:
                derived = dict(zip(sql.RUN_COUNT_NAMES,
                                   con.execute(sql.RUN_COUNTS, {"run": run_id, "source": src}).fetchone()))
                if counts.get("discovered") is not None:
                    derived["discovered"] = int(counts["discovered"])
                error = counts.get("error")
                sets = ", ".join(f"{k} = ${k}" for k in sql.RUN_COUNT_NAMES)
                con.execute(f"UPDATE runs SET status = $status, finished_at = $done, error = $error, "
                            f"{sets} WHERE run_id = $run AND source = $source",
                            {**derived, "status": status, "done": done, "run": run_id, "source": src,
                             "error": None if error is None else str(error)})

        self._transaction(work)
        self.ensure_search_index()

    def ensure_search_index(self) -> int:
        """Build the search index of the articles loaded since the last build (also done by
        load_run_finished and publish); returns how many articles were indexed."""
        if not self._indexes_search:
            return 0
        self._set_threads(None)
        return ensure_search_index(self._need, after_chunk=self._ensure_cache_bounded)

    def ensure_raw_store_collected(self, *, full: bool = False) -> int:
        """Delete the raw store's files no raw_pages row names any more (see rawstore.py): the bodies
        loads replaced, or (full) every such file in the store, which lists it all (~0.1 s per 10,000
        files). Returns how many were deleted. Run on open, holding the lock, with nothing loading."""
        con = self._need()
        if full:
            paths = [p for (p,) in con.execute(sql.RAW_ORPHANS, {"glob": self.raw_store.glob()}).fetchall()]
        else:
            paths = [self.raw_store.path_for(k) for (k,) in con.execute(sql.RAW_GARBAGE).fetchall()]
        deleted = self.raw_store.delete(paths)
        con.execute("DELETE FROM internal.raw_garbage")  # after the files: a crash in between only repeats this
        return deleted

    def _set_threads(self, n: int | None) -> None:
        """DuckDB threads for the next statements (None: every core); SET costs ~2 ms, so only
        when it changes."""
        if n != self._threads:
            self._need().execute("RESET threads" if n is None else f"SET threads = {int(n)}")
            self._threads = n

    # ---- plumbing -----------------------------------------------------------------------------
    def _transaction(self, work):
        with transaction(self._need()) as con:
            return work(con)

    def _with_batch(self, tables: Mapping[str, pa.Table], work, *, scanned_once: Collection[str] = (),
                    copy_as: Mapping[str, str] | None = None):
        """Run `work` in one transaction over the batch's Arrow tables as b_<name>: copied once into
        temp tables (an Arrow scan costs ~1-2 ms per reference, a temp-table scan ~0.1 ms; the batch
        SQL references some of them 5+ times), except those in `scanned_once`, registered as they
        are. `copy_as` gives the SELECT a copy is made with (default all columns); the Arrow tables
        stay registered as _arrow_<name> for the whole transaction. Small statements run on one
        thread (less scheduling overhead; the extraction workers have the other cores)."""
        con = self._need()
        copied = [name for name in tables if name not in scanned_once]
        for name, tbl in tables.items():
            con.register(f"_arrow_{name}" if name in copied else f"b_{name}", tbl)

        def copy_then_work(con):
            for name in copied:
                select = (copy_as or {}).get(name, f"SELECT * FROM _arrow_{name}")
                con.execute(f"CREATE OR REPLACE TEMP TABLE b_{name} AS {select}")
            return work(con)

        self._set_threads(BATCH_THREADS)  # stays until a bulk statement wants them all
        try:
            return self._transaction(copy_then_work)
        finally:
            for name in tables:
                con.unregister(f"_arrow_{name}" if name in copied else f"b_{name}")
            for t in (*sql.TEMPS, *(f"b_{name}" for name in copied)):
                con.execute(f"DROP TABLE IF EXISTS {t}")


def _parts(pages: Sequence[ProcessedPage], max_chars: int) -> list[Sequence[ProcessedPage]]:
    """`pages` as one part, or, when their article text is over max_chars, the last page per URL in
    consecutive slices of at most max_chars each (at least one page): a URL is then in one part only,
    so it is counted once, as in one transaction."""
    if sum(len(p.article.text) for p in pages if p.article) <= max_chars:
        return [pages] if pages else []
    last = {p.candidate.url: i for i, p in enumerate(pages)}
    pages = [pages[i] for i in sorted(last.values())]
    parts, start, chars = [], 0, 0
    for i, page in enumerate(pages):
        n = len(page.article.text) if page.article else 0
        if i > start and chars + n > max_chars:
            parts.append(pages[start:i])
            start, chars = i, 0
        chars += n
    return [*parts, pages[start:]]


def _stored_page(row, store: RawStore) -> StoredPage:
    (url, source, final_url, article_id, fetched_at, content_type, encoding, compression, key,
     found_via, found_on, date_hint, date_hint_source) = row
    try:
        html, missing = decompress(store.read(key), compression), None
    except RawPageMissing as e:
        html, missing = None, str(e)
    cand = Candidate(url=url, source=source, found_via=found_via or "seed", found_on=found_on,
                     date_hint=from_utc_naive(date_hint), date_hint_source=date_hint_source)
    return StoredPage(candidate=cand, final_url=final_url or url, article_id=article_id,
                      fetched_at=from_utc_naive(fetched_at), content_type=content_type,
                      encoding=encoding, html=html, missing=missing)
