"""The SQL of one load_pages batch. Runs inside one transaction on the writer connection, over the
Arrow tables of batch.build_batch registered as b_<name>. `$run` is the run id parameter.

Keys (the last page of the batch wins for each):
  articles, duplicates, search_*          article_id
  article_themes / article_links / article_dates / article_authors   replaced per article_id from the winning page
  urls, raw_pages                          url
  fetches                                  (run_id, candidate_url): the attempts of its last load
  run_pages, skips                         (run_id, url[, stage])
  page_types                               url
  canonical_decisions                      url: replaced for the batch's pages that have an article
  (reprocess) an article no page yields any more: removed with its dependants (REMOVALS)
"""

from __future__ import annotations

from collections.abc import Mapping

from extractors.models import RETRY_NEXT_RUN

# Outcomes after which a URL is worth trying again (next_fetch_at = fetched_at + 1 hour): those
# whose retry_next_run says so in extractors/outcomes.py. Any other outcome finishes the URL.
RETRYABLE = RETRY_NEXT_RUN
_RETRYABLE_SQL = ", ".join(f"'{o}'" for o in RETRYABLE)  # constants, never data

ARTICLES_STAGE = """
CREATE OR REPLACE TEMP TABLE _arts AS
SELECT n.* EXCLUDE (fetched_at),
       coalesce(o.first_seen_at, n.fetched_at, o.last_fetched_at, now()) AS first_seen_at,
       coalesce(o.first_seen_run, n.run_id) AS first_seen_run,
       coalesce(greatest(n.fetched_at, o.last_fetched_at), now()) AS last_fetched_at,
       CASE WHEN o.article_id IS NULL THEN 'new'
            WHEN o.content_hash <> n.content_hash THEN 'updated' ELSE 'unchanged' END AS status,
       -- its near-duplicate neighbours can have changed: new, other content, other fingerprint
       (o.article_id IS NULL OR o.content_hash <> n.content_hash
        OR o.simhash IS DISTINCT FROM n.simhash) AS changed
FROM b_articles n LEFT JOIN articles o ON o.article_id = n.article_id
"""

# b_articles (a temp copy) has no text, only src_hash (see ARTICLES_COPY): the text (~5 KB per
# article) is copied once, from the batch's Arrow table straight into articles.
ARTICLES = [
    "DELETE FROM articles WHERE article_id IN (SELECT article_id FROM b_articles)",
    """INSERT INTO articles BY NAME
       SELECT a.* EXCLUDE (ord, status, page_url, changed, src_hash), t.text
       FROM _arts a JOIN _arrow_articles t USING (ord)""",
]

# b_themes / b_links / b_dates / b_authors hold only the rows of the batch's stored articles, one per key.
# The tables holding an article's rows: (table, its article key, the batch table that fills it).
# The load replaces them per article (CHILDREN); a reprocess removal deletes them (REMOVALS).
ARTICLE_CHILDREN = (("article_themes", "article_id", "b_themes"), ("article_links", "from_article_id", "b_links"),
                    ("article_dates", "article_id", "b_dates"), ("article_authors", "article_id", "b_authors"))
CHILDREN = [sql for table, key, batch in ARTICLE_CHILDREN for sql in (
    f"DELETE FROM {table} WHERE {key} IN (SELECT article_id FROM b_articles)",
    f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (ord) FROM {batch}")]

# The search index is rebuilt once per run (search.py, at load_run_finished and publish) for the
# articles queued here, in the batch's own transaction: those whose indexed text (title + text)
# differs from what search_docs was built from. A kill -9 leaves the queue with the articles.
SEARCH_QUEUE = """
INSERT INTO internal.search_pending
SELECT n.article_id FROM b_articles n
LEFT JOIN internal.search_docs d ON d.article_id = n.article_id
WHERE d.src_hash IS DISTINCT FROM n.src_hash
  AND n.article_id NOT IN (SELECT article_id FROM internal.search_pending)
"""

# The page bodies of b_raw are already in the raw store (rawstore.py, written before this
# transaction); raw_pages gets their keys. Only (url, article_id, fetched_at, raw_key) of the old
# rows are kept.
RAW = [
    """CREATE OR REPLACE TEMP TABLE _raw_old AS
       SELECT url, article_id, fetched_at, raw_key FROM internal.raw_pages WHERE url IN (SELECT url FROM b_raw)""",
    # a replaced body's file may now be named by no row: the writer checks, and deletes it, on open
    """INSERT INTO internal.raw_garbage SELECT DISTINCT o.raw_key, $run FROM _raw_old o JOIN b_raw r USING (url)
       WHERE o.raw_key <> r.raw_key""",
    "DELETE FROM internal.raw_pages WHERE url IN (SELECT url FROM _raw_old)",
    """INSERT INTO internal.raw_pages BY NAME
       SELECT r.run_id, r.source, r.url, r.final_url, coalesce(r.article_id, o.article_id) AS article_id,
              coalesce(r.fetched_at, o.fetched_at) AS fetched_at, r.content_type, r.encoding,
              r.compression, r.raw_key, r.stored_bytes
       FROM b_raw r LEFT JOIN _raw_old o USING (url)""",
]

# The page-type gate's decision per URL (the last page of the batch wins).
PAGE_TYPES = [
    "DELETE FROM page_types WHERE url IN (SELECT url FROM b_page_types)",
    "INSERT INTO page_types BY NAME SELECT * EXCLUDE (ord) FROM b_page_types",
]

# A page's canonical decision (batch.py _pick) is replaced whenever the page yields an article again;
# a page without a canonical claim any more loses its row.
CANONICALS = [
    "DELETE FROM canonical_decisions WHERE url IN (SELECT url FROM b_pages WHERE article_id IS NOT NULL)",
    "INSERT INTO canonical_decisions BY NAME SELECT * EXCLUDE (ord) FROM b_canonicals",
]

FETCHES = [
    "DELETE FROM fetches WHERE run_id = $run AND candidate_url IN (SELECT url FROM b_pages)",
    "INSERT INTO fetches BY NAME SELECT * EXCLUDE (ord) FROM b_attempts",
]

SKIPS = [
    # a page's own skips are replaced; plan-stage skips (load_skips) stay unless the batch has one
    """DELETE FROM skips WHERE run_id = $run
       AND ((stage <> 'plan' AND url IN (SELECT url FROM b_pages))
            OR (url, stage) IN (SELECT (url, stage) FROM b_skips))""",
    "INSERT INTO skips BY NAME SELECT * EXCLUDE (ord) FROM b_skips",
]

URLS = [
    f"""CREATE OR REPLACE TEMP TABLE _urls AS
    WITH n AS (
        SELECT 0 AS prio, ord, url, source, found_via, found_on, date_hint, date_hint_source,
               fetch_outcome, outcome, status_code, etag, last_modified, fetched_at, article_id, run_id
        FROM b_pages
        UNION ALL
        SELECT 1, a.ord, a.canonical_url, a.source, 'canonical', a.page_url, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, a.article_id, a.run_id
        FROM _arts a WHERE a.canonical_url <> a.page_url),
    d AS (SELECT * FROM n QUALIFY row_number() OVER (PARTITION BY url ORDER BY prio, ord DESC) = 1)
    SELECT d.url,
           coalesce(o.source, d.source) AS source,
           CASE WHEN o.url IS NULL THEN d.found_via ELSE o.found_via END AS found_via,
           CASE WHEN o.url IS NULL THEN d.found_on ELSE o.found_on END AS found_on,
           coalesce(o.first_seen_run, d.run_id) AS first_seen_run,
           coalesce(d.date_hint, o.date_hint) AS date_hint,
           CASE WHEN d.date_hint IS NOT NULL THEN d.date_hint_source ELSE o.date_hint_source END
               AS date_hint_source,
           CASE WHEN d.fetch_outcome = 'ok' AND d.fetched_at IS NOT NULL THEN d.etag
                WHEN d.fetch_outcome = 'not_modified' THEN coalesce(d.etag, o.etag)
                WHEN d.fetch_outcome = 'raw_missing' THEN NULL ELSE o.etag END AS etag,
           CASE WHEN d.fetch_outcome = 'ok' AND d.fetched_at IS NOT NULL THEN d.last_modified
                WHEN d.fetch_outcome = 'not_modified' THEN coalesce(d.last_modified, o.last_modified)
                WHEN d.fetch_outcome = 'raw_missing' THEN NULL ELSE o.last_modified END AS last_modified,
           CASE WHEN d.prio = 0 THEN d.outcome ELSE o.last_outcome END AS last_outcome,
           CASE WHEN d.fetched_at IS NOT NULL THEN d.status_code ELSE o.last_status_code END
               AS last_status_code,
           greatest(d.fetched_at, o.last_fetched_at) AS last_fetched_at,
           CASE WHEN d.prio = 1 THEN o.next_fetch_at
                WHEN d.outcome IN ({_RETRYABLE_SQL}) THEN d.fetched_at + INTERVAL 1 HOUR END
               AS next_fetch_at,
           coalesce(d.article_id, o.article_id) AS article_id,
           d.run_id
    FROM d LEFT JOIN urls o ON o.url = d.url""",
    "DELETE FROM urls WHERE url IN (SELECT url FROM _urls)",
    "INSERT INTO urls BY NAME SELECT * FROM _urls",
    """UPDATE articles SET last_fetched_at = greatest(articles.last_fetched_at, nm.fetched_at)
       FROM (SELECT u.article_id, max(p.fetched_at) AS fetched_at
             FROM b_pages p JOIN urls u ON u.url = p.url
             WHERE p.fetch_outcome = 'not_modified' AND p.fetched_at IS NOT NULL
               AND u.article_id IS NOT NULL
             GROUP BY u.article_id) nm
       WHERE articles.article_id = nm.article_id""",
]

# Near-duplicate candidates through 4 bands of 16 bits: two fingerprints within 3 bits agree on at
# least one band (pigeonhole), so equi-joins on bands find every pair a full comparison would.
_BANDS = (0, 16, 32, 48)


def _neighbour_pairs(x: str) -> str:
    """SQL: (xid, oid) for each article of relation `x` and every other stored article with the same
    content_hash or a simhash within 3 bits."""
    band = " UNION ".join(
        f"SELECT x.article_id AS xid, o.article_id AS oid FROM {x} x JOIN articles o "
        f"ON (x.simhash >> {b}) & 65535 = (o.simhash >> {b}) & 65535 "
        f"WHERE bit_count(xor(x.simhash, o.simhash)) <= 3 AND o.article_id <> x.article_id"
        for b in _BANDS)
    return (f"SELECT x.article_id AS xid, o.article_id AS oid FROM {x} x JOIN articles o "
            f"ON o.content_hash = x.content_hash AND o.article_id <> x.article_id UNION {band}")


# A batch's near-duplicate rows, recomputed for the articles _affected names (see DUPLICATES).
DUPS_STAGE = f"""CREATE OR REPLACE TEMP TABLE _dups AS
    WITH x AS (SELECT article_id, content_hash, simhash, first_seen_at FROM articles
               WHERE article_id IN (SELECT article_id FROM _affected)),
    nb AS (
        SELECT p.xid AS article_id, o.article_id AS other, o.first_seen_at AS other_seen,
               o.content_hash = x.content_hash AS exact,
               (o.first_seen_at < x.first_seen_at OR
                (o.first_seen_at = x.first_seen_at AND o.article_id < x.article_id)) AS earlier
        FROM ({_neighbour_pairs('x')}) p
        JOIN x ON x.article_id = p.xid JOIN articles o ON o.article_id = p.oid)
    SELECT x.article_id, any_value(x.content_hash) AS content_hash, any_value(x.simhash) AS simhash,
           least(x.article_id, min(nb.other)) AS cluster_id,
           coalesce(bool_or(nb.exact AND nb.earlier), false) AS is_exact_duplicate,
           coalesce(bool_or(NOT nb.exact AND nb.earlier), false) AS is_near_duplicate,
           first(nb.other ORDER BY nb.other_seen, nb.other) FILTER (WHERE nb.earlier) AS duplicate_of,
           $run AS run_id
    FROM x LEFT JOIN nb USING (article_id)
    GROUP BY x.article_id"""

DUPLICATES = [
    # only the batch's changed articles (new, other content or fingerprint, or no row yet) can move
    # a cluster: they, their neighbours, and the articles whose row names them are recomputed
    """CREATE OR REPLACE TEMP TABLE _chg AS
    SELECT article_id, content_hash, simhash FROM _arts
    WHERE changed OR article_id NOT IN (SELECT article_id FROM duplicates)""",
    f"""CREATE OR REPLACE TEMP TABLE _affected AS
    SELECT article_id FROM _chg
    UNION SELECT oid FROM ({_neighbour_pairs('_chg')})
    UNION SELECT article_id FROM duplicates
          WHERE cluster_id IN (SELECT article_id FROM _chg) OR duplicate_of IN (SELECT article_id FROM _chg)""",
    DUPS_STAGE,
    "DELETE FROM duplicates WHERE article_id IN (SELECT article_id FROM _dups)",
    "INSERT INTO duplicates BY NAME SELECT * FROM _dups",
]

# `themewire reprocess` only: a page the gate now calls not_article (outcome not_article) no longer yields
# the article it was stored as. Its urls / raw_pages rows stop naming it, and an article no stored page
# yields any more (none of the batch either) is removed with every row keyed by it: themes, links,
# dates, authors, labels, canonical decisions, block fingerprints, search index rows and duplicates
# (the rows of its cluster are recomputed). In the batch's transaction: a crash leaves the old state or
# the new; a re-run finds no article left to remove. run_pages records the page with the removed
# article_id and article_status 'removed' (runs.articles_removed counts them).
REMOVE_GATE = "EXISTS (SELECT 1 FROM runs WHERE run_id = $run AND flow = 'reprocess')"
REMOVED_STAGE = f"""CREATE OR REPLACE TEMP TABLE _gone AS
SELECT p.url, coalesce(u.article_id, r.article_id) AS article_id
FROM b_pages p LEFT JOIN urls u USING (url) LEFT JOIN internal.raw_pages r USING (url)
WHERE p.outcome = 'not_article' AND {REMOVE_GATE}"""
_REMOVED = "SELECT article_id FROM _removed"
REMOVALS = [
    REMOVED_STAGE,
    "UPDATE internal.raw_pages SET article_id = NULL WHERE url IN (SELECT url FROM _gone)",
    "UPDATE urls SET article_id = NULL WHERE url IN (SELECT url FROM _gone)",
    """CREATE OR REPLACE TEMP TABLE _removed AS
    SELECT DISTINCT g.url, g.article_id FROM _gone g JOIN articles a USING (article_id)
    WHERE g.article_id NOT IN (SELECT article_id FROM b_articles)
      AND g.article_id NOT IN (SELECT article_id FROM internal.raw_pages WHERE article_id IS NOT NULL)""",
    f"DELETE FROM articles WHERE article_id IN ({_REMOVED})",
    *(f"DELETE FROM {table} WHERE {key} IN ({_REMOVED})" for table, key, _ in ARTICLE_CHILDREN),
    f"DELETE FROM theme_labels WHERE article_id IN ({_REMOVED})",
    f"DELETE FROM canonical_decisions WHERE article_id IN ({_REMOVED}) OR url IN (SELECT url FROM _gone)",
    f"DELETE FROM page_blocks WHERE article_id IN ({_REMOVED}) OR url IN (SELECT url FROM _gone)",
    f"DELETE FROM internal.search_postings WHERE article_id IN ({_REMOVED})",
    f"DELETE FROM internal.search_docs WHERE article_id IN ({_REMOVED})",
    f"DELETE FROM internal.search_pending WHERE article_id IN ({_REMOVED})",
    f"UPDATE urls SET article_id = NULL WHERE article_id IN ({_REMOVED})",
    f"UPDATE page_types SET article_id = NULL WHERE article_id IN ({_REMOVED})",
    # the removed articles' duplicate rows go; their cluster's other rows are recomputed without them
    f"""CREATE OR REPLACE TEMP TABLE _rm_affected AS
    SELECT article_id FROM duplicates
    WHERE (cluster_id IN ({_REMOVED}) OR duplicate_of IN ({_REMOVED})) AND article_id NOT IN ({_REMOVED})""",
    DUPS_STAGE.replace("_affected", "_rm_affected").replace("TEMP TABLE _dups", "TEMP TABLE _rm_dups"),
    f"DELETE FROM duplicates WHERE article_id IN ({_REMOVED}) OR article_id IN (SELECT article_id FROM _rm_dups)",
    "INSERT INTO duplicates BY NAME SELECT * FROM _rm_dups",
]
# A batch without a not_article page removes nothing: only the (empty) _removed RUN_PAGES reads.
EMPTY_REMOVED = "CREATE OR REPLACE TEMP TABLE _removed AS SELECT NULL::VARCHAR AS url, NULL::VARCHAR AS article_id LIMIT 0"

RUN_PAGES = [
    """CREATE OR REPLACE TEMP TABLE _rp AS
    SELECT p.run_id, p.source, p.url, p.final_url, p.fetch_outcome, p.outcome,
           coalesce(p.article_id, u.article_id, rm.article_id) AS article_id,
           coalesce(prev.article_status,
                    CASE WHEN rm.article_id IS NOT NULL THEN 'removed'
                         WHEN a.status IN ('new', 'updated') AND d.is_exact_duplicate THEN 'duplicate'
                         ELSE a.status END) AS article_status,
           p.on_theme
    FROM b_pages p
    LEFT JOIN _arts a ON a.article_id = p.article_id
    LEFT JOIN _dups d ON d.article_id = p.article_id
    LEFT JOIN urls u ON u.url = p.url
    LEFT JOIN _removed rm ON rm.url = p.url
    LEFT JOIN (SELECT url, article_status FROM run_pages WHERE run_id = $run) prev ON prev.url = p.url""",
    "DELETE FROM run_pages WHERE run_id = $run AND url IN (SELECT url FROM b_pages)",
    "INSERT INTO run_pages BY NAME SELECT * FROM _rp",
]

COUNTS = """
SELECT count(*),
       count(*) FILTER (WHERE fetch_outcome = 'ok'),
       count(*) FILTER (WHERE fetch_outcome = 'not_modified'),
       count(*) FILTER (WHERE outcome NOT IN ('ok', 'not_modified')),
       count(DISTINCT article_id) FILTER (WHERE article_status = 'new'),
       count(DISTINCT article_id) FILTER (WHERE article_status = 'updated'),
       count(DISTINCT article_id) FILTER (WHERE article_status = 'unchanged'),
       count(DISTINCT article_id) FILTER (WHERE article_status = 'duplicate'),
       count(DISTINCT article_id) FILTER (WHERE on_theme),
       (SELECT count(*) FROM b_skips),
       (SELECT count(*) FILTER (WHERE decision = 'merged') FROM b_canonicals),
       (SELECT count(*) FILTER (WHERE decision = 'ignored') FROM b_canonicals),
       (SELECT count(*) FILTER (WHERE decision = 'kept_apart') FROM b_canonicals),
       count(DISTINCT article_id) FILTER (WHERE article_status = 'removed')
FROM _rp
"""

# Batch tables the SQL reads once, from Arrow (registered, not copied into temp tables first).
SCANNED_ONCE = ("attempts", "themes", "links", "dates", "authors", "canonicals")

# Files of the raw store (its glob, the parameter) that no raw_pages row names: bodies replaced by a
# newer fetch, and files written for a batch whose transaction never committed (the full sweep, after a
# writer that did not close).
RAW_ORPHANS = """
SELECT file FROM glob($glob)
WHERE NOT (ends_with(file, '.gz') AND parse_filename(file, true) IN (SELECT raw_key FROM internal.raw_pages))
"""

# The replaced keys no row names any more (the usual sweep: no listing of the store).
RAW_GARBAGE = """
SELECT DISTINCT raw_key FROM internal.raw_garbage WHERE raw_key NOT IN (SELECT raw_key FROM internal.raw_pages)
"""

# How a copied batch table is copied (default: SELECT *). Articles leave their text in Arrow.
COPY_AS = {"articles": "SELECT * EXCLUDE (text), hash(coalesce(title, '') || ' ' || text) AS src_hash "
                       "FROM _arrow_articles"}

TEMPS = ("_arts", "_raw_old", "_urls", "_chg", "_affected", "_dups", "_rp", "_gone", "_removed", "_rm_affected",
         "_rm_dups")

# REMOVALS after RAW (which keeps a page's old article_id) and before URLS (which would keep it too)
STEPS = [ARTICLES_STAGE, *ARTICLES, *CHILDREN, SEARCH_QUEUE, *CANONICALS, *RAW, *REMOVALS, *PAGE_TYPES, *FETCHES,
         *SKIPS, *URLS, *DUPLICATES, *RUN_PAGES]

# RUN_PAGES joins _dups: a batch without articles gets it empty, with the columns of `duplicates`.
EMPTY_DUPS = "CREATE OR REPLACE TEMP TABLE _dups AS SELECT * FROM duplicates LIMIT 0"


def batch_substitutions(rows: Mapping[str, int]) -> dict[str, str | None]:
    """The statements of STEPS a batch can do without, from its tables' row counts (`rows`: name ->
    rows), each mapped to what runs instead (None: nothing). Without articles (a batch of 304s, or of
    failures) the article, search-queue and duplicate statements would find nothing to do, and without
    page bodies the raw_pages ones: a warm batch runs 13 statements instead of 30. Every statement
    costs 1-3 ms even on an empty table."""
    subs: dict[str, str | None] = {}
    if not any(rows.get(name) for name in ("articles", "themes", "links", "dates", "authors")):
        subs.update(dict.fromkeys([*ARTICLES, *CHILDREN, SEARCH_QUEUE, *CANONICALS, *DUPLICATES]))
        subs[ARTICLES_STAGE] = ARTICLES_STAGE.rstrip() + " LIMIT 0"  # URLS and RUN_PAGES read _arts
        subs[DUPS_STAGE] = EMPTY_DUPS
        if not rows.get("page_types"):  # a page with an article always has its page type
            subs.update(dict.fromkeys(PAGE_TYPES))
    if not rows.get("raw"):
        subs.update(dict.fromkeys(RAW))
    if not rows.get("not_article"):  # pages whose outcome is not_article (the writer counts them)
        subs.update(dict.fromkeys(REMOVALS))
        subs[REMOVED_STAGE] = EMPTY_REMOVED
    return subs

# Run counts, derived from run_pages (idempotent however often a page was loaded in the run).
RUN_COUNTS = """
WITH p AS (SELECT * FROM run_pages WHERE run_id = $run AND source = $source),
fails AS (
    SELECT outcome FROM p WHERE outcome NOT IN ('ok', 'not_modified')
    UNION ALL
    SELECT s.outcome FROM skips s WHERE s.run_id = $run AND s.source = $source
       AND NOT EXISTS (SELECT 1 FROM p WHERE p.url = s.url))
SELECT (SELECT count(*) FROM p) + (SELECT count(*) FROM skips s WHERE s.run_id = $run
            AND s.source = $source AND s.stage = 'plan' AND NOT EXISTS (SELECT 1 FROM p WHERE p.url = s.url)),
       (SELECT count(*) FROM p WHERE fetch_outcome = 'ok'),
       (SELECT count(*) FROM p WHERE fetch_outcome = 'not_modified'),
       (SELECT count(*) FROM fails),
       (SELECT count(DISTINCT article_id) FROM p WHERE article_status = 'new'),
       (SELECT count(DISTINCT article_id) FROM p WHERE article_status = 'updated'),
       (SELECT count(DISTINCT article_id) FROM p WHERE article_status = 'duplicate'),
       (SELECT count(DISTINCT article_id) FROM p WHERE on_theme),
       (SELECT coalesce(histogram(outcome), MAP {})::MAP(VARCHAR, BIGINT) FROM fails),
       (SELECT count(*) FROM canonical_decisions c WHERE c.run_id = $run AND c.source = $source
            AND c.decision = 'merged'),
       (SELECT count(*) FROM canonical_decisions c WHERE c.run_id = $run AND c.source = $source
            AND c.decision = 'ignored'),
       (SELECT count(*) FROM canonical_decisions c WHERE c.run_id = $run AND c.source = $source
            AND c.decision = 'kept_apart'),
       (SELECT count(*) FROM entry_points e WHERE e.run_id = $run AND e.source = $source),
       (SELECT count(*) FROM entry_points e WHERE e.run_id = $run AND e.source = $source AND NOT e.ok),
       (SELECT count(DISTINCT article_id) FROM p WHERE article_status = 'removed')
"""
RUN_COUNT_NAMES = ("discovered", "fetched", "not_modified", "failed", "stored_new", "updated",
                   "duplicates", "on_theme", "failures", "canonical_merged", "canonical_ignored",
                   "canonical_kept_apart", "entry_points", "entry_points_failed", "articles_removed")
