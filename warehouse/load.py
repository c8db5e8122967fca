"""The SQL of one load_pages batch. Runs inside one transaction on the writer connection, over the
Arrow tables of batch.build_batch registered as b_<name>. `$run` is the run id parameter.

Keys (the last page of the batch wins for each):
  articles, duplicates, search_*          article_id
  article_themes / article_links / article_dates   replaced per article_id from the winning page
  urls, raw_pages                          url
  fetches                                  (run_id, candidate_url): the attempts of its last load
  run_pages, skips                         (run_id, url[, stage])
"""

from __future__ import annotations

# Outcomes after which a URL is worth trying again (next_fetch_at = fetched_at + 1 hour).
RETRYABLE = ("timeout", "connection_error", "rate_limited", "host_backoff", "robots_unavailable",
             "http_error", "budget_exhausted")
_RETRYABLE_SQL = ", ".join(f"'{o}'" for o in RETRYABLE)  # constants, never data

PAGES = """
CREATE OR REPLACE TEMP TABLE _pages AS
SELECT * FROM b_pages QUALIFY row_number() OVER (PARTITION BY url ORDER BY ord DESC) = 1
"""

ARTICLES_STAGE = """
CREATE OR REPLACE TEMP TABLE _arts AS
WITH n AS (
    SELECT * FROM b_articles WHERE ord IN (SELECT ord FROM _pages)
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY ord DESC) = 1)
SELECT n.ord, n.run_id, n.source, n.article_id, n.url, n.canonical_url, n.title, n.author,
       n.published_at, n.date_source, n.language, n.site_name, n.text, n.content_hash, n.simhash,
       n.extractor, n.extractor_version, n.page_url,
       coalesce(o.first_seen_at, n.fetched_at, o.last_fetched_at, now()::TIMESTAMP) AS first_seen_at,
       coalesce(o.first_seen_run, n.run_id) AS first_seen_run,
       coalesce(greatest(n.fetched_at, o.last_fetched_at), now()::TIMESTAMP) AS last_fetched_at,
       CASE WHEN o.article_id IS NULL THEN 'new'
            WHEN o.content_hash <> n.content_hash THEN 'updated' ELSE 'unchanged' END AS status
FROM n LEFT JOIN articles o ON o.article_id = n.article_id
"""

ARTICLES = [
    "DELETE FROM articles WHERE article_id IN (SELECT article_id FROM _arts)",
    "INSERT INTO articles BY NAME SELECT * EXCLUDE (ord, status, page_url) FROM _arts",
]

CHILDREN = [
    """DELETE FROM article_themes WHERE article_id IN
       (SELECT DISTINCT t.article_id FROM b_themes t JOIN _arts a ON t.ord = a.ord)""",
    """INSERT INTO article_themes BY NAME
       SELECT t.* EXCLUDE (ord) FROM b_themes t JOIN _arts a ON t.ord = a.ord
       QUALIFY row_number() OVER (PARTITION BY t.article_id, t.theme ORDER BY t.ord DESC) = 1""",
    "DELETE FROM article_links WHERE from_article_id IN (SELECT article_id FROM _arts)",
    """INSERT INTO article_links BY NAME
       SELECT l.* EXCLUDE (ord) FROM b_links l JOIN _arts a ON l.ord = a.ord
       QUALIFY row_number() OVER (PARTITION BY l.from_article_id, l.to_url, l.kind) = 1""",
    "DELETE FROM article_dates WHERE article_id IN (SELECT article_id FROM _arts)",
    """INSERT INTO article_dates BY NAME
       SELECT DISTINCT d.article_id, d.value, d.source, d.run_id FROM b_dates d JOIN _arts a ON d.ord = a.ord""",
]

SEARCH = [
    "DELETE FROM search_postings WHERE article_id IN (SELECT article_id FROM _arts)",
    "DELETE FROM search_docs WHERE article_id IN (SELECT article_id FROM _arts)",
    """CREATE OR REPLACE TEMP TABLE _tokens AS
       SELECT article_id, unnest(tw_tokens(coalesce(title, '') || ' ' || text)) AS term FROM _arts""",
    """INSERT INTO search_docs SELECT a.article_id, count(t.term)::INTEGER
       FROM _arts a LEFT JOIN _tokens t USING (article_id) GROUP BY a.article_id""",
    """INSERT INTO search_postings SELECT term, article_id, count(*)::INTEGER FROM _tokens
       WHERE term NOT IN (SELECT term FROM search_stopwords) GROUP BY term, article_id ORDER BY term""",
    "DROP TABLE _tokens",
]

RAW = [
    """CREATE OR REPLACE TEMP TABLE _raw AS
       SELECT r.run_id, r.source, r.url, r.final_url, coalesce(r.article_id, o.article_id) AS article_id,
              coalesce(r.fetched_at, o.fetched_at) AS fetched_at, r.content_type, r.encoding,
              r.compression, r.html
       FROM (SELECT * FROM b_raw WHERE ord IN (SELECT ord FROM _pages)) r
       LEFT JOIN raw_pages o ON o.url = r.url""",
    "DELETE FROM raw_pages WHERE url IN (SELECT url FROM _raw)",
    "INSERT INTO raw_pages BY NAME SELECT * FROM _raw",
]

FETCHES = [
    "DELETE FROM fetches WHERE run_id = $run AND candidate_url IN (SELECT url FROM _pages)",
    """INSERT INTO fetches BY NAME
       SELECT * EXCLUDE (ord) FROM b_attempts WHERE ord IN (SELECT ord FROM _pages)""",
]

SKIPS = [
    # a page's own skips are replaced; plan-stage skips (load_skips) stay unless the batch has one
    """DELETE FROM skips WHERE run_id = $run
       AND ((stage <> 'plan' AND url IN (SELECT url FROM _pages))
            OR (url, stage) IN (SELECT (url, stage) FROM b_skips))""",
    """INSERT INTO skips BY NAME
       SELECT * EXCLUDE (ord) FROM b_skips
       QUALIFY row_number() OVER (PARTITION BY url, stage ORDER BY ord DESC) = 1""",
]

URLS = [
    f"""CREATE OR REPLACE TEMP TABLE _urls AS
    WITH n AS (
        SELECT 0 AS prio, ord, url, source, found_via, found_on, date_hint, date_hint_source,
               fetch_outcome, outcome, status_code, etag, last_modified, fetched_at, article_id, run_id
        FROM _pages
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
                WHEN d.fetch_outcome = 'not_modified' THEN coalesce(d.etag, o.etag) ELSE o.etag END AS etag,
           CASE WHEN d.fetch_outcome = 'ok' AND d.fetched_at IS NOT NULL THEN d.last_modified
                WHEN d.fetch_outcome = 'not_modified' THEN coalesce(d.last_modified, o.last_modified)
                ELSE o.last_modified END AS last_modified,
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
             FROM _pages p JOIN urls u ON u.url = p.url
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


DUPLICATES = [
    f"""CREATE OR REPLACE TEMP TABLE _affected AS
    SELECT article_id FROM _arts
    UNION SELECT oid FROM ({_neighbour_pairs('_arts')})
    UNION SELECT article_id FROM duplicates
          WHERE cluster_id IN (SELECT article_id FROM _arts) OR duplicate_of IN (SELECT article_id FROM _arts)""",
    f"""CREATE OR REPLACE TEMP TABLE _dups AS
    WITH x AS (SELECT * FROM articles WHERE article_id IN (SELECT article_id FROM _affected)),
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
    GROUP BY x.article_id""",
    "DELETE FROM duplicates WHERE article_id IN (SELECT article_id FROM _dups)",
    "INSERT INTO duplicates BY NAME SELECT * FROM _dups",
]

RUN_PAGES = [
    """CREATE OR REPLACE TEMP TABLE _rp AS
    SELECT p.run_id, p.source, p.url, p.final_url, p.fetch_outcome, p.outcome,
           coalesce(p.article_id, u.article_id) AS article_id,
           coalesce(prev.article_status,
                    CASE WHEN a.status IN ('new', 'updated') AND d.is_exact_duplicate THEN 'duplicate'
                         ELSE a.status END) AS article_status,
           p.on_theme
    FROM _pages p
    LEFT JOIN _arts a ON a.article_id = p.article_id
    LEFT JOIN duplicates d ON d.article_id = p.article_id
    LEFT JOIN urls u ON u.url = p.url
    LEFT JOIN run_pages prev ON prev.run_id = p.run_id AND prev.url = p.url""",
    "DELETE FROM run_pages WHERE run_id = $run AND url IN (SELECT url FROM _rp)",
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
       (SELECT count(*) FROM b_skips)
FROM _rp
"""

TEMPS = ("_pages", "_arts", "_raw", "_urls", "_affected", "_dups", "_rp")

STEPS = [PAGES, ARTICLES_STAGE, *ARTICLES, *CHILDREN, *SEARCH, *RAW, *FETCHES, *SKIPS, *URLS,
         *DUPLICATES, *RUN_PAGES]

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
       (SELECT coalesce(histogram(outcome), MAP {})::MAP(VARCHAR, BIGINT) FROM fails)
"""
RUN_COUNT_NAMES = ("discovered", "fetched", "not_modified", "failed", "stored_new", "updated",
                   "duplicates", "on_theme", "failures")
