-- Analyst views and the search macro. Re-created (CREATE OR REPLACE) on every writer open:
-- they hold no data, so changing them needs no migration.
-- Dates: effective_date = coalesce(published_at, first_seen_at); timestamps are TIMESTAMPTZ (stored
-- UTC); days and weeks are UTC days and weeks, whatever the reader's TimeZone setting.
-- Every view and column is commented (COMMENT ON, at the end): duckdb_views(), duckdb_columns().

-- v_articles: one row per article with its top theme.
--   article_id, source, title, url, canonical_url, author, published_at, date_source, language,
--   effective_date (published_at, else first_seen_at), top_theme (highest score, ties by name),
--   top_score, on_theme (any theme matched), matched_themes (list, best first),
--   is_duplicate (exact duplicate of an earlier article), cluster_id (near-duplicate cluster),
--   first_seen_at, last_fetched_at, text_chars, run_id (run that last wrote it)
CREATE OR REPLACE VIEW v_articles AS
WITH t AS (
    SELECT article_id,
           first(theme ORDER BY score DESC, theme) AS top_theme,
           max(score) AS top_score,
           bool_or(is_match) AS on_theme,
           list(theme ORDER BY score DESC, theme) FILTER (WHERE is_match) AS matched_themes
    FROM article_themes GROUP BY article_id)
SELECT a.article_id, a.source, a.title, a.url, a.canonical_url, a.author, a.published_at,
       a.date_source, a.language, coalesce(a.published_at, a.first_seen_at) AS effective_date,
       t.top_theme, t.top_score, coalesce(t.on_theme, false) AS on_theme,
       coalesce(t.matched_themes, []) AS matched_themes,
       coalesce(d.is_exact_duplicate, false) AS is_duplicate, d.cluster_id,
       a.first_seen_at, a.last_fetched_at, length(a.text) AS text_chars, a.run_id
FROM articles a LEFT JOIN t USING (article_id) LEFT JOIN duplicates d USING (article_id);

-- v_theme_daily: matched (is_match) articles per source, theme and day of effective_date,
-- exact duplicates excluded.  source, theme, day, articles, avg_score
CREATE OR REPLACE VIEW v_theme_daily AS
SELECT a.source, t.theme, CAST(timezone('UTC', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day,
       count(*) AS articles, avg(t.score) AS avg_score
FROM article_themes t JOIN articles a USING (article_id) LEFT JOIN duplicates d USING (article_id)
WHERE t.is_match AND NOT coalesce(d.is_exact_duplicate, false)
GROUP BY ALL;

-- v_theme_weekly: the same per ISO week (week = the Monday).  source, theme, week, articles, avg_score
CREATE OR REPLACE VIEW v_theme_weekly AS
SELECT a.source, t.theme,
       CAST(date_trunc('week', timezone('UTC', coalesce(a.published_at, a.first_seen_at))) AS DATE) AS week,
       count(*) AS articles, avg(t.score) AS avg_score
FROM article_themes t JOIN articles a USING (article_id) LEFT JOIN duplicates d USING (article_id)
WHERE t.is_match AND NOT coalesce(d.is_exact_duplicate, false)
GROUP BY ALL;

-- v_source_health: one row per source.
--   source, last_run_id, last_run_flow, last_run_status, last_run_started_at, last_run_finished_at,
--   runs, articles, on_theme_articles, on_theme_share (0..1, NULL without articles),
--   last_run_requests, last_run_errors, last_run_error_rate (requests whose outcome is not ok,
--   not_modified or redirect), last_run_outcomes (MAP outcome -> requests),
--   last_run_stored_new, last_run_failures (MAP final outcome -> URLs),
--   requests_total, error_rate_total (all runs)
CREATE OR REPLACE VIEW v_source_health AS
WITH last_run AS (
    SELECT source, first(run_id ORDER BY started_at DESC, run_id DESC) AS run_id, count(*) AS runs
    FROM runs GROUP BY source),
lr AS (SELECT r.*, l.runs FROM runs r JOIN last_run l USING (source, run_id)),
f_last AS (
    SELECT f.source, count(*) AS requests,
           count(*) FILTER (WHERE outcome NOT IN ('ok', 'not_modified', 'redirect')) AS errors,
           histogram(outcome) AS outcomes
    FROM fetches f JOIN last_run l USING (source, run_id) GROUP BY f.source),
f_all AS (
    SELECT source, count(*) AS requests,
           count(*) FILTER (WHERE outcome NOT IN ('ok', 'not_modified', 'redirect')) AS errors
    FROM fetches GROUP BY source),
arts AS (
    SELECT source, count(*) AS articles, count(*) FILTER (WHERE on_theme) AS on_theme_articles
    FROM v_articles WHERE NOT is_duplicate GROUP BY source),
src AS (SELECT source FROM runs UNION SELECT source FROM articles)
SELECT src.source, lr.run_id AS last_run_id, lr.flow AS last_run_flow, lr.status AS last_run_status,
       lr.started_at AS last_run_started_at, lr.finished_at AS last_run_finished_at,
       coalesce(lr.runs, 0) AS runs,
       coalesce(arts.articles, 0) AS articles, coalesce(arts.on_theme_articles, 0) AS on_theme_articles,
       arts.on_theme_articles / nullif(arts.articles, 0) AS on_theme_share,
       coalesce(f_last.requests, 0) AS last_run_requests, coalesce(f_last.errors, 0) AS last_run_errors,
       f_last.errors / nullif(f_last.requests, 0) AS last_run_error_rate,
       f_last.outcomes AS last_run_outcomes,
       lr.stored_new AS last_run_stored_new, lr.failures AS last_run_failures,
       coalesce(f_all.requests, 0) AS requests_total,
       f_all.errors / nullif(f_all.requests, 0) AS error_rate_total
FROM src LEFT JOIN lr USING (source) LEFT JOIN f_last USING (source) LEFT JOIN f_all USING (source)
LEFT JOIN arts USING (source);

-- v_skipped: every URL that stopped before becoming an article, and why: the skips rows, plus
-- failed candidates that no stage wrote a skip for (stage 'fetch', reason = the last request's error).
--   run_id, source, run_started_at, url, stage, outcome, outcome_description, reason
CREATE OR REPLACE VIEW v_skipped AS
WITH s AS (
    SELECT run_id, source, url, stage, outcome, reason FROM skips
    UNION ALL
    SELECT p.run_id, p.source, p.url, 'fetch' AS stage, p.outcome,
           (SELECT first(f.error ORDER BY f.seq DESC) FROM fetches f
             WHERE f.run_id = p.run_id AND f.candidate_url = p.url) AS reason
    FROM run_pages p
    WHERE p.outcome NOT IN ('ok', 'not_modified')
      AND NOT EXISTS (SELECT 1 FROM skips k WHERE k.run_id = p.run_id AND k.url = p.url))
SELECT s.run_id, s.source, r.started_at AS run_started_at, s.url, s.stage, s.outcome,
       o.description AS outcome_description, s.reason
FROM s LEFT JOIN runs r USING (run_id, source) LEFT JOIN outcomes o USING (outcome);

-- search_articles(query, k := 20, in_source := NULL): BM25 (k1 = 1.2, b = 0.75) over title and text,
-- of every article or of one source's (in_source; the statistics stay those of all articles).
--   article_id, title, source, url, published_at, score (higher is better), best first.
CREATE OR REPLACE MACRO search_articles(q, k := 20, in_source := NULL) AS TABLE
WITH qt AS (SELECT DISTINCT unnest(tw_tokens(q)) AS term),
st AS (SELECT count(*)::DOUBLE AS n, coalesce(avg(doc_len), 1)::DOUBLE AS avgdl FROM internal.search_docs),
df AS (SELECT p.term, count(*)::DOUBLE AS df FROM internal.search_postings p
       WHERE p.term IN (SELECT term FROM qt) GROUP BY p.term),
sc AS (
    SELECT p.article_id,
           sum(ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5))
               * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * d.doc_len / st.avgdl))) AS score
    FROM internal.search_postings p JOIN df ON p.term = df.term
    JOIN internal.search_docs d ON d.article_id = p.article_id CROSS JOIN st
    WHERE in_source IS NULL OR p.article_id IN (SELECT article_id FROM articles WHERE source = in_source)
    GROUP BY p.article_id
    ORDER BY score DESC, p.article_id
    LIMIT k)
SELECT a.article_id, a.title, a.source, a.url, a.published_at, sc.score
FROM sc JOIN articles a USING (article_id)
ORDER BY sc.score DESC, sc.article_id;

-- The comments analysts see in duckdb_views() / duckdb_columns() (CREATE OR REPLACE drops them).
COMMENT ON VIEW v_articles IS 'One row per article with its top theme, duplicate flags and effective date.';
COMMENT ON COLUMN v_articles.article_id IS 'the article (articles.article_id)';
COMMENT ON COLUMN v_articles.source IS 'the [[sources]] name that stored it';
COMMENT ON COLUMN v_articles.title IS 'the article''s title';
COMMENT ON COLUMN v_articles.url IS 'the page URL it was extracted from (last load)';
COMMENT ON COLUMN v_articles.canonical_url IS 'identity: article_id derives from it';
COMMENT ON COLUMN v_articles.author IS 'the chosen author names, joined with '', ''';
COMMENT ON COLUMN v_articles.published_at IS 'publication date and time';
COMMENT ON COLUMN v_articles.date_source IS 'which date candidate won: jsonld, meta, time, url, feed, ...';
COMMENT ON COLUMN v_articles.language IS 'a language code such as en (und: undetermined)';
COMMENT ON COLUMN v_articles.effective_date IS 'published_at, else first_seen_at';
COMMENT ON COLUMN v_articles.top_theme IS 'the highest-scoring theme (ties by name)';
COMMENT ON COLUMN v_articles.top_score IS 'its score';
COMMENT ON COLUMN v_articles.on_theme IS 'any theme matched';
COMMENT ON COLUMN v_articles.matched_themes IS 'the matched themes, best first';
COMMENT ON COLUMN v_articles.is_duplicate IS 'exact duplicate of an earlier article';
COMMENT ON COLUMN v_articles.cluster_id IS 'its near-duplicate cluster (duplicates.cluster_id)';
COMMENT ON COLUMN v_articles.first_seen_at IS 'the first fetch that stored it';
COMMENT ON COLUMN v_articles.last_fetched_at IS 'the last fetch (ok or not_modified)';
COMMENT ON COLUMN v_articles.text_chars IS 'length of the clean text, in characters';
COMMENT ON COLUMN v_articles.run_id IS 'the run that last wrote the article';

COMMENT ON VIEW v_theme_daily IS 'Matched articles per source, theme and UTC day of effective_date, exact duplicates excluded.';
COMMENT ON COLUMN v_theme_daily.source IS 'the source';
COMMENT ON COLUMN v_theme_daily.theme IS 'the theme';
COMMENT ON COLUMN v_theme_daily.day IS 'UTC day of effective_date';
COMMENT ON COLUMN v_theme_daily.articles IS 'matched articles that day';
COMMENT ON COLUMN v_theme_daily.avg_score IS 'their mean score';

COMMENT ON VIEW v_theme_weekly IS 'Matched articles per source, theme and ISO week (the Monday, UTC), exact duplicates excluded.';
COMMENT ON COLUMN v_theme_weekly.source IS 'the source';
COMMENT ON COLUMN v_theme_weekly.theme IS 'the theme';
COMMENT ON COLUMN v_theme_weekly.week IS 'the Monday of the ISO week (UTC) of effective_date';
COMMENT ON COLUMN v_theme_weekly.articles IS 'matched articles that week';
COMMENT ON COLUMN v_theme_weekly.avg_score IS 'their mean score';

COMMENT ON VIEW v_source_health IS 'One row per source: its last run, articles, on-theme share and error rates.';
COMMENT ON COLUMN v_source_health.source IS 'the source';
COMMENT ON COLUMN v_source_health.last_run_id IS 'its most recent run';
COMMENT ON COLUMN v_source_health.last_run_flow IS 'ingest | backfill | reprocess';
COMMENT ON COLUMN v_source_health.last_run_status IS 'running | completed | failed | interrupted';
COMMENT ON COLUMN v_source_health.last_run_started_at IS 'when the last run started';
COMMENT ON COLUMN v_source_health.last_run_finished_at IS 'when it finished';
COMMENT ON COLUMN v_source_health.runs IS 'runs of the source in total';
COMMENT ON COLUMN v_source_health.articles IS 'articles stored, exact duplicates excluded';
COMMENT ON COLUMN v_source_health.on_theme_articles IS 'of those, articles matching a theme';
COMMENT ON COLUMN v_source_health.on_theme_share IS 'on_theme_articles / articles (0..1, NULL without articles)';
COMMENT ON COLUMN v_source_health.last_run_requests IS 'requests the last run made';
COMMENT ON COLUMN v_source_health.last_run_errors IS 'of those, requests whose outcome is not ok, not_modified or redirect';
COMMENT ON COLUMN v_source_health.last_run_error_rate IS 'last_run_errors / last_run_requests';
COMMENT ON COLUMN v_source_health.last_run_outcomes IS 'outcome -> requests, last run';
COMMENT ON COLUMN v_source_health.last_run_stored_new IS 'new articles the last run stored';
COMMENT ON COLUMN v_source_health.last_run_failures IS 'final outcome -> URLs not stored, last run';
COMMENT ON COLUMN v_source_health.requests_total IS 'requests over all runs';
COMMENT ON COLUMN v_source_health.error_rate_total IS 'error rate over all runs';

COMMENT ON VIEW v_skipped IS 'Every URL that stopped before becoming an article, and why, by run.';
COMMENT ON COLUMN v_skipped.run_id IS 'the run';
COMMENT ON COLUMN v_skipped.source IS 'the source';
COMMENT ON COLUMN v_skipped.run_started_at IS 'when the run started';
COMMENT ON COLUMN v_skipped.url IS 'the URL';
COMMENT ON COLUMN v_skipped.stage IS 'plan | fetch | extract | classify';
COMMENT ON COLUMN v_skipped.outcome IS 'why (table outcomes)';
COMMENT ON COLUMN v_skipped.outcome_description IS 'what the outcome means';
COMMENT ON COLUMN v_skipped.reason IS 'details: the skip''s reason, or the last request''s error';
