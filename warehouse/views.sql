-- Analyst views and the search macro. Re-created (CREATE OR REPLACE) on every writer open:
-- they hold no data, so changing them needs no migration.
-- Dates: effective_date = coalesce(published_at, first_seen_at); all timestamps UTC.

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
SELECT a.source, t.theme, CAST(coalesce(a.published_at, a.first_seen_at) AS DATE) AS day,
       count(*) AS articles, avg(t.score) AS avg_score
FROM article_themes t JOIN articles a USING (article_id) LEFT JOIN duplicates d USING (article_id)
WHERE t.is_match AND NOT coalesce(d.is_exact_duplicate, false)
GROUP BY ALL;

-- v_theme_weekly: the same per ISO week (week = the Monday).  source, theme, week, articles, avg_score
CREATE OR REPLACE VIEW v_theme_weekly AS
SELECT a.source, t.theme,
       CAST(date_trunc('week', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS week,
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

-- search_articles(query, k := 20): BM25 (k1 = 1.2, b = 0.75) over title and text.
--   article_id, title, source, url, published_at, score (higher is better), best first.
CREATE OR REPLACE MACRO search_articles(q, k := 20) AS TABLE
WITH qt AS (SELECT DISTINCT unnest(tw_tokens(q)) AS term),
st AS (SELECT count(*)::DOUBLE AS n, coalesce(avg(doc_len), 1)::DOUBLE AS avgdl FROM search_docs),
df AS (SELECT p.term, count(*)::DOUBLE AS df FROM search_postings p
       WHERE p.term IN (SELECT term FROM qt) GROUP BY p.term),
sc AS (
    SELECT p.article_id,
           sum(ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5))
               * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * d.doc_len / st.avgdl))) AS score
    FROM search_postings p JOIN df ON p.term = df.term
    JOIN search_docs d ON d.article_id = p.article_id CROSS JOIN st
    GROUP BY p.article_id
    ORDER BY score DESC, p.article_id
    LIMIT k)
SELECT a.article_id, a.title, a.source, a.url, a.published_at, sc.score
FROM sc JOIN articles a USING (article_id)
ORDER BY sc.score DESC, sc.article_id;
