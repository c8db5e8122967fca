"""The BM25 search index (search_docs, search_postings), built once per run for the queued articles.

load_pages queues, inside each batch's transaction, the articles whose title + text differ from what
their index rows were built from (load.SEARCH_QUEUE). ensure_search_index() builds the queue in chunks,
each chunk one transaction that also dequeues it: a kill -9 at any point leaves either the old index
and the queue, or the new index; the next build (the re-run's load_run_finished, or any publish) ends
the job. Readers only see published files, and publish() builds first, so a published index is
always complete.

Tokens are those of the tw_tokens macro (lower-cased runs of \\p{L}\\p{N}, longer than 1 character;
the query side uses tw_tokens itself), computed faster: the lower-cased text is split on spaces (no
regex), and tw_tokens runs once per distinct word of the chunk instead of over every text (a space
never belongs to a token, so the tokens and their counts are the same; about 2x less CPU).
"""

from __future__ import annotations

from typing import Callable

from ._tx import transaction

CHUNK_ARTICLES = 1_000  # articles per build transaction: bounds its memory (peak RSS of the flow process
# +~67 MB at 1,000 ~5 KB articles, +~138 MB at 2,000, +~540 MB at 5,000; measured)
CHUNK_CHARS = 3_000_000  # and characters per build transaction (at least one article): a chunk's temporary
# tables hold every word of it (30 MB of text in one chunk took more than 128 MB; measured)
MAX_INDEXED_CHARS = 262_144  # an article's first 256 Ki characters are indexed (its src_hash is of all)

MAX_SHARED_WORD = 64  # longer white-space-free runs are tokenised in place (see _STEPS)

_NEXT = f"""CREATE OR REPLACE TEMP TABLE _sp AS
WITH p AS (SELECT DISTINCT article_id FROM internal.search_pending ORDER BY article_id LIMIT {CHUNK_ARTICLES}),
c AS (SELECT p.article_id,
             row_number() OVER w AS k,
             sum(least(coalesce(length(a.title), 0) + length(a.text) + 1, {MAX_INDEXED_CHARS})) OVER w AS chars
      FROM p LEFT JOIN articles a USING (article_id)
      WINDOW w AS (ORDER BY p.article_id ROWS UNBOUNDED PRECEDING))
SELECT article_id FROM c WHERE k = 1 OR chars <= {CHUNK_CHARS}"""

_STEPS = [
    f"""CREATE OR REPLACE TEMP TABLE _sdoc AS
    SELECT row_number() OVER () AS d, article_id, run_id, left(src, {MAX_INDEXED_CHARS}) AS s, hash(src) AS src_hash
    FROM (SELECT article_id, run_id, coalesce(title, '') || ' ' || text AS src FROM articles
          WHERE article_id IN (SELECT article_id FROM _sp))""",
    # words split on white space (cheap); each distinct short word is tokenised once with tw_tokens.
    # Long "words" (a page of links has 50 KB without a space) are tokenised where they stand: joining
    # them to their thousands of tokens would copy the word into every token row (0.5 GB for one page).
    # Separate temp tables, not one statement with a MATERIALIZED CTE: ~1.5x less CPU (measured).
    """CREATE OR REPLACE TEMP TABLE _sw AS
    SELECT d,  -- the document's number in the chunk: int keys join and group faster than article_id
           unnest(string_split(replace(replace(replace(lower(s), chr(10), ' '), chr(13), ' '), chr(9), ' '), ' ')) AS w
    FROM _sdoc""",
    f"""CREATE OR REPLACE TEMP TABLE _sv AS
    SELECT w, unnest(tw_tokens(w)) AS term FROM (SELECT DISTINCT w FROM _sw WHERE length(w) <= {MAX_SHARED_WORD})""",
    f"""CREATE OR REPLACE TEMP TABLE _stf AS
    WITH t AS (SELECT v.term, w.d FROM _sw w JOIN _sv v USING (w)
               UNION ALL
               SELECT unnest(tw_tokens(w)) AS term, d FROM _sw WHERE length(w) > {MAX_SHARED_WORD})
    SELECT term, d, count(*)::INTEGER AS tf FROM t GROUP BY term, d""",
    "DELETE FROM internal.search_postings WHERE article_id IN (SELECT article_id FROM _sp)",
    "DELETE FROM internal.search_docs WHERE article_id IN (SELECT article_id FROM _sp)",
    """INSERT INTO internal.search_docs BY NAME
    SELECT d.article_id, coalesce(l.doc_len, 0)::INTEGER AS doc_len, d.src_hash, d.run_id
    FROM _sdoc d LEFT JOIN (SELECT d, sum(tf) AS doc_len FROM _stf GROUP BY d) l USING (d)""",
    """INSERT INTO internal.search_postings BY NAME
    SELECT t.term, d.article_id, t.tf, d.run_id FROM _stf t JOIN _sdoc d USING (d)
    WHERE t.term NOT IN (SELECT term FROM internal.search_stopwords)
    ORDER BY t.term""",  # clustered by term: a query reads few row groups (~2x faster queries)
    "DELETE FROM internal.search_pending WHERE article_id IN (SELECT article_id FROM _sp)",
]

_TEMPS = ("_sp", "_sdoc", "_sw", "_sv", "_stf")


def ensure_search_index(connection: Callable[[], object], after_chunk: Callable[[], None] = lambda: None) -> int:
    """Index every queued article (one transaction per chunk); return how many were indexed.
    `connection()` gives the connection for each chunk; `after_chunk` runs after each commit (the
    writer may reconnect there, to drop DuckDB's cache: see writer.WRITER_CACHE_BYTES)."""
    done = 0
    try:
        while True:
            con = connection()
            with transaction(con):
                con.execute(_NEXT)
                n = con.execute("SELECT count(*) FROM _sp").fetchone()[0]
                if n:
                    for step in _STEPS:
                        con.execute(step)
            done += n
            if not n:
                return done
            after_chunk()
    finally:
        for t in _TEMPS:
            connection().execute(f"DROP TABLE IF EXISTS {t}")
