"""013: an analyst-grade schema.

- Every TIMESTAMP column becomes TIMESTAMPTZ (the stored values were UTC; every themewire connection
  runs with TimeZone = 'UTC', see writer.connect, so a naive value written later is UTC too).
  Columns are found in duckdb_columns(), so tables added by earlier migrations are converted as well.
- JSON text columns (article_themes.evidence, runs.params) become JSON; a value that is not valid JSON
  is kept as a JSON string.
- The pipeline's own tables (INTERNAL) move to the schema `internal`: the main schema holds only what
  analysts query. DuckDB has no ALTER TABLE ... SET SCHEMA, so each is re-created there from its own
  CREATE statement (columns, NOT NULL and keys unchanged), its rows copied, the old one dropped; the
  tables whose types change are rebuilt the same way (see _rebuild).
- COMMENT ON every analyst table and column (COMMENTS, below); the views get theirs in views.sql,
  re-created on every writer open.
"""

from __future__ import annotations

import re

SCHEMA = "internal"

# The pipeline's bookkeeping: what analysts never need to query.
INTERNAL = ("schema_version", "search_stopwords", "search_docs", "search_postings", "search_pending",
            "raw_garbage", "raw_pages", "hosts")

JSON_COLUMNS = (("article_themes", "evidence"), ("runs", "params"), ("page_types", "signals"))

# table -> (what a row is, {column: meaning}). All timestamps are UTC; run_id is the run that last
# wrote the row unless said otherwise.
COMMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "articles": ("One row per article, however many URLs led to it. Key: article_id.", {
        "article_id": "first 16 hex digits of sha256(canonical_url as UTF-8)",
        "source": "the [[sources]] name that stored it",
        "url": "the page URL it was extracted from (last load)",
        "canonical_url": "identity: article_id derives from it",
        "title": "the article's title",
        "author": "the chosen author names, joined with ', ' (all candidates: article_authors)",
        "published_at": "publication date and time (see date_source and article_dates)",
        "updated_at": "the last update the page states, when later than published_at (NULL: none given)",
        "date_source": "which date candidate won: jsonld, meta, time, url, feed, ...",
        "language": "a language code such as en (und: undetermined)",
        "site_name": "the publication's name",
        "text": "the clean article text",
        "content_hash": "sha256 of the normalised text (exact-duplicate detection)",
        "simhash": "64-bit text fingerprint as two's-complement signed (near-duplicate detection)",
        "extractor": "the extractor that produced the text",
        "extractor_version": "its version",
        "first_seen_at": "the first fetch that stored it",
        "first_seen_run": "the run of that fetch",
        "last_fetched_at": "the last fetch (ok or not_modified)",
        "run_id": "the run that last wrote the row",
    }),
    "article_themes": ("One row per article and theme of its source. Key: (article_id, theme).", {
        "article_id": "the article (articles.article_id)",
        "source": "the article's source",
        "theme": "the theme's name in the source's configuration",
        "score": "z units: standard deviations above a generic article (higher is closer to the theme)",
        "is_match": "score reached the theme's threshold: the article is on the theme",
        "evidence": 'why (JSON): keywords [{keyword, count}], keyword_score, passage, similarity, threshold',
        "classifier": "the classifier that scored it",
        "classifier_version": "its version (model and configuration)",
        "run_id": "the run that last wrote the row",
    }),
    "fetches": ("One row per HTTP request, or refused request. Key: (run_id, candidate_url, seq).", {
        "run_id": "the run that made the request",
        "source": "the source it was made for",
        "candidate_url": "the URL the crawler set out to fetch",
        "seq": "position of this request for that candidate (redirects, retries)",
        "url": "the URL of this request",
        "fetched_at": "when the response (or the failure) came",
        "status_code": "HTTP status (NULL when no response)",
        "outcome": "what happened: a key of table outcomes (ok, not_modified, timeout, ...)",
        "error": "the failure's reason, when there is one",
        "elapsed_ms": "time the request took, in milliseconds",
        "bytes": "body bytes read (after decompression)",
        "attempt": "retry number of this request (1 = first try)",
    }),
    "runs": ("One row per flow run and source, with its counts. Key: (run_id, source).", {
        "run_id": "the flow run",
        "flow": "ingest | backfill | reprocess",
        "source": "the source",
        "started_at": "when the source's run started",
        "finished_at": "when it finished (NULL while running)",
        "status": "running | completed | degraded (every entry point failed) | failed | interrupted",
        "discovered": "candidate URLs discovery proposed",
        "fetched": "pages fetched with outcome ok",
        "not_modified": "pages answered 304 Not Modified",
        "failed": "URLs whose final outcome is neither ok nor not_modified",
        "stored_new": "new articles stored",
        "updated": "stored articles whose text changed",
        "duplicates": "exact duplicates of an earlier article",
        "on_theme": "articles matching at least one theme",
        "failures": "final outcome -> URLs, for every outcome other than ok / not_modified",
        "params": "the run's parameters (JSON)",
        "error": "why a failed run failed",
        "canonical_merged": "pages stored as another URL's article (canonical_decisions.decision merged)",
        "canonical_ignored": "canonicals on another origin, ignored",
        "canonical_kept_apart": "canonicals whose article has another body, kept apart",
        "entry_points": "configured seeds, feeds, sitemaps tried",
        "entry_points_failed": "of those, how many could not be read",
    }),
    "run_pages": ("What happened to each candidate URL in each run. Key: (run_id, url).", {
        "run_id": "the run",
        "source": "the source",
        "url": "the candidate URL",
        "final_url": "the URL after redirects",
        "fetch_outcome": "outcome of the fetch (table outcomes)",
        "outcome": "final outcome: the skip's outcome when there is one, else the fetch's",
        "article_id": "the article it became, if any",
        "article_status": "new | updated | unchanged | duplicate (first load in the run wins)",
        "on_theme": "the article matched at least one theme",
    }),
    "urls": ("The crawl ledger: every URL known, how it was found, and its fetch state. Key: url.", {
        "url": "the URL",
        "source": "the source that found it first",
        "found_via": "seed | feed | sitemap | link | canonical (first discovery wins)",
        "found_on": "the page (feed, sitemap, article) it was found on",
        "first_seen_run": "the run that found it",
        "date_hint": "a cheap date signal seen before fetching (feed, sitemap, URL)",
        "date_hint_source": "where date_hint came from",
        "etag": "the last ETag (for conditional requests)",
        "last_modified": "the last Last-Modified header (for conditional requests)",
        "last_outcome": "final outcome of its last attempt (table outcomes)",
        "last_status_code": "HTTP status of its last fetch",
        "last_fetched_at": "its last fetch",
        "next_fetch_at": "not fetched again before this (a retryable failure waits an hour)",
        "article_id": "the article it led to, if any",
        "run_id": "the run that last wrote the row",
    }),
    "article_links": ("Links found inside article bodies. Key: (from_article_id, to_url, kind).", {
        "from_article_id": "the article the link is in",
        "to_url": "the link's target, normalised",
        "kind": "read_more | related | inline",
        "text": "the link's text",
        "run_id": "the run that last wrote the row",
    }),
    "article_dates": ("Date provenance: every publication-date candidate seen for an article.", {
        "article_id": "the article",
        "value": "the candidate date and time",
        "source": "where it was found: jsonld, meta, time, url, feed, trafilatura, ...",
        "run_id": "the run that last wrote the row",
    }),
    "article_authors": ("Author provenance: every name extraction found for an article. "
                        "Key: (article_id, name, source).", {
        "article_id": "the article",
        "name": 'one person, cleaned ("Jane Doe")',
        "source": "jsonld | meta | rel_author | byline | trafilatura",
        "position": "order among the article's candidates (best source first)",
        "run_id": "the run that last wrote the row",
    }),
    "theme_labels": ("Analysts' labels: an article is (or is not) on one of its source's themes; yes-labels "
                     "join the theme's centroid as examples. Key: (source, article_id, theme).", {
        "source": "the source the theme belongs to (sources.name)",
        "article_id": "articles.article_id of the labelled article",
        "theme": "a theme name of that source, as in article_themes.theme",
        "on_theme": "true: the article is on the theme (--yes); false: it is not (--no)",
        "labelled_by": "who labelled it (--by; default the login name), free text",
        "labelled_at": "when it was labelled",
    }),
    "page_types": ("What the page-type gate decided for each extracted page; only kind 'article' pages "
                   "become articles rows, the others are not_article skips. Key: url.", {
        "url": "the candidate URL (urls.url)",
        "source": "the source (sources.name)",
        "kind": "article | listing | other",
        "page_type": "article, live_blog | home, section, tag, author, archive, calendar, search, index | "
                     "about, contact, login, error, thin",
        "reason": "why, e.g. 'listing (tag): 48 links in 12 cards, 0 prose paragraphs (0 words)'",
        "signals": "JSON: the measured signals (cards, prose_paragraphs, og_type, ...)",
        "article_id": "the article stored from the page (kind 'article'), else NULL",
        "decided_at": "when the page was fetched (reprocess: when it was decided again)",
        "run_id": "the run that last wrote the row",
    }),
    "page_blocks": ("Per page, the leaf blocks of its HTML that trafilatura kept (DOM path + normalised text, "
                    "hashed): what the source's template is learned from. Key: (source, url, block_hash).", {
        "source": "the source (sources.name)",
        "url": "the page (urls.url)",
        "article_id": "the article extracted from the page (one article at several URLs counts once)",
        "block_hash": "hash of the block's DOM path and normalised text",
        "dom_path": "e.g. div.page>aside.box>p (tags and class names, no positions)",
        "sample_text": "the normalised text, at most 200 characters",
        "chars": "length of the whole normalised text",
        "run_id": "the run that last wrote the row",
    }),
    "source_template_versions": ("One row per learned template version of a source (also versions with no "
                                 "block). Key: (source, template_version).", {
        "source": "the source (sources.name)",
        "template_version": "1, 2, ... per source; a new one when the blocks or the learning rule change",
        "rule": "the learning rule, e.g. min_pages=3;min_share=0.2",
        "pages": "distinct articles learned from",
        "blocks": "template blocks in this version",
        "learned_at": "when it was learned",
        "run_id": "the run that learned it",
    }),
    "source_templates": ("The blocks of each template version: boilerplate of that source, removed from its "
                         "articles' text. Key: (source, template_version, block_hash).", {
        "source": "the source (sources.name)",
        "template_version": "source_template_versions.template_version",
        "block_hash": "page_blocks.block_hash",
        "dom_path": "the block's DOM path",
        "sample_text": "the block's normalised text, at most 200 characters",
        "pages_seen": "distinct articles the block was kept on",
        "learned_at": "when it was learned",
        "run_id": "the run that learned it",
    }),
    "canonical_decisions": ("Every page whose rel=canonical (or og:url) named another URL, and what was made "
                            "of it. Key: url.", {
        "url": "the page's URL as discovered (urls.url, run_pages.url)",
        "source": "the source",
        "page_url": "the page's normalised final URL (after redirects)",
        "canonical_url": "what the page named as canonical",
        "article_id": "the article the page is stored as (articles.article_id)",
        "decision": "merged (stored as the canonical URL's article) | ignored (canonical on another origin) | "
                    "kept_apart (the canonical's article has another body)",
        "reason": "why, in words",
        "run_id": "the run that decided it",
    }),
    "entry_points": ("The configured seeds, feeds and sitemaps (and a backfill's archive pages) of each source "
                     "run, and whether each could be read. Key: (run_id, source, kind, url).", {
        "run_id": "the run",
        "source": "the source",
        "kind": "seed | feed | sitemap | archive",
        "url": "as configured (normalised)",
        "ok": "read (and parsed); false: see outcome and reason",
        "outcome": "ok, or a key of the outcomes table (http_error, blocked_address, ...)",
        "reason": "why it failed, in words (NULL when ok)",
    }),
    "duplicates": ("Duplicate clusters, one row per article. Key: article_id.", {
        "article_id": "the article",
        "content_hash": "its content_hash",
        "simhash": "its simhash",
        "cluster_id": "smallest article_id among it and every article within 3 simhash bits "
                      "(or with the same content_hash)",
        "is_exact_duplicate": "same content_hash as an earlier article",
        "is_near_duplicate": "within 3 simhash bits of an earlier article",
        "duplicate_of": "the earliest such article seen before it",
        "run_id": "the run that last wrote the row",
    }),
    "skips": ("URLs that stopped before becoming an article, and why. Key: (run_id, url, stage).", {
        "run_id": "the run",
        "source": "the source",
        "url": "the URL",
        "stage": "plan | fetch | extract | classify",
        "outcome": "why (table outcomes)",
        "reason": "details of the reason",
    }),
    "outcomes": ("The outcome vocabulary of fetches, run_pages, urls and skips (refreshed on every "
                 "writer open). Key: outcome.", {
        "outcome": "the outcome's name",
        "description": "what it means",
    }),
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tables(con, schema: str) -> set[str]:
    return {t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = ? AND NOT temporary", [schema]).fetchall()}


def _retype(ddl: str, column: str, old: str, new: str) -> str:
    """`ddl` with the type of `column` changed from `old` to `new`."""
    pattern = rf'((?:\(|,)\s*"?{re.escape(column)}"?\s+){old}\b(?!\s+WITH)'
    out, n = re.subn(pattern, rf"\g<1>{new}", ddl)
    if n != 1:
        raise RuntimeError(f"migration 013: cannot find column {column} {old} in: {ddl[:120]}")
    return out


def _rebuild(con, table: str, schema: str, retype: dict[str, str]) -> None:
    """Re-create main.<table> as <schema>.<table> with the columns in `retype` of their new types
    (TIMESTAMPTZ, JSON), copying the rows. A rebuild, not ALTER TABLE: DuckDB 1.5 cannot replay an
    ALTER COLUMN TYPE ... USING from its WAL (a kill before the next checkpoint left a file that no
    longer opened), while CREATE / INSERT / DROP / RENAME replay as plain data."""
    (ddl,), = con.execute("SELECT sql FROM duckdb_tables() WHERE database_name = current_database() "
                          "AND schema_name = 'main' AND table_name = ?", [table]).fetchall()
    temp = table if schema != "main" else f"{table}__v13"
    ddl, n = re.subn(rf'^CREATE TABLE (main\.)?"?{re.escape(table)}"?\s*\(', f'CREATE TABLE {schema}."{temp}"(', ddl)
    if n != 1:
        raise RuntimeError(f"migration 013: unexpected definition of {table}: {ddl[:80]}")
    columns = [c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name = ? ORDER BY column_index", [table]).fetchall()]
    select = []
    for c in columns:
        kind = retype.get(c)
        if kind is not None:
            ddl = _retype(ddl, c, "TIMESTAMP" if kind == "TIMESTAMPTZ" else "VARCHAR", kind)
        if kind == "JSON":  # invalid JSON text is kept, as a JSON string
            select.append(f'CASE WHEN json_valid("{c}") THEN "{c}"::JSON ELSE to_json("{c}") END')
        elif kind == "TIMESTAMPTZ":  # the stored values are UTC
            select.append(f"timezone('UTC', \"{c}\")")
        else:
            select.append(f'"{c}"')
    con.execute(ddl)
    con.execute(f'INSERT INTO {schema}."{temp}" SELECT {", ".join(select)} FROM main."{table}"')
    con.execute(f'DROP TABLE main."{table}"')
    if temp != table:
        con.execute(f'ALTER TABLE {schema}."{temp}" RENAME TO "{table}"')


def upgrade(con, db_path: str) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    retype: dict[str, dict[str, str]] = {}
    for table, column in con.execute(
            "SELECT c.table_name, c.column_name FROM duckdb_columns() c "
            "JOIN duckdb_tables() t USING (database_name, schema_name, table_name) "
            "WHERE c.database_name = current_database() AND c.schema_name = 'main' AND NOT t.temporary "
            "AND c.data_type = 'TIMESTAMP' ORDER BY ALL").fetchall():
        retype.setdefault(table, {})[column] = "TIMESTAMPTZ"
    main = _tables(con, "main")
    for table, column in JSON_COLUMNS:
        if table in main:
            retype.setdefault(table, {})[column] = "JSON"
    for table in sorted(main):
        moves = table in INTERNAL
        if moves or table in retype:
            _rebuild(con, table, SCHEMA if moves else "main", retype.get(table, {}))
    main = _tables(con, "main")
    for table, (about, columns) in COMMENTS.items():
        if table not in main:
            continue
        con.execute(f"COMMENT ON TABLE main.{table} IS {_quote(about)}")
        for column, meaning in columns.items():
            con.execute(f"COMMENT ON COLUMN main.{table}.{column} IS {_quote(meaning)}")
