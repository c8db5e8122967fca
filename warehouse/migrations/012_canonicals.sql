-- 012: canonical decisions, entry points and degraded runs.
--
-- canonical_decisions: every page whose rel=canonical (or og:url) named another URL, and what was made
-- of it. A canonical is trusted only on the page's own site (same host up to a www./amp./m./mobile.
-- label, same port, any scheme); one on another origin is ignored and the page's own URL is its
-- identity. A trusted canonical merges the page into the canonical URL's article unless that article is
-- held by another URL with a substantially different body (warehouse/batch.py CANONICAL_SAME_BITS):
-- then the page keeps its own URL. Key: url (the latest decision for the page).
CREATE TABLE canonical_decisions (
    url           VARCHAR NOT NULL,   -- the page's URL as discovered (urls.url, run_pages.url)
    source        VARCHAR NOT NULL,
    page_url      VARCHAR NOT NULL,   -- the page's normalised final URL (after redirects)
    canonical_url VARCHAR NOT NULL,   -- what the page named as canonical
    article_id    VARCHAR NOT NULL,   -- the article the page is stored as (articles.article_id)
    decision      VARCHAR NOT NULL,   -- merged | ignored | kept_apart
    reason        VARCHAR NOT NULL,   -- why, in words
    run_id        VARCHAR NOT NULL    -- the run that decided it
);
COMMENT ON COLUMN canonical_decisions.decision IS
    'merged (stored as the canonical URL''s article) | ignored (canonical on another origin) | kept_apart (the canonical''s article has another body)';

-- entry_points: the configured seeds, feeds and sitemaps (and a backfill's archive pages) of each source
-- run, and whether each could be read. Key: (run_id, source, kind, url).
CREATE TABLE entry_points (
    run_id  VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,
    kind    VARCHAR NOT NULL,   -- seed | feed | sitemap | archive
    url     VARCHAR NOT NULL,   -- as configured (normalised)
    ok      BOOLEAN NOT NULL,   -- read (and parsed); false: see outcome and reason
    outcome VARCHAR NOT NULL,   -- ok, or a key of the outcomes table (http_error, blocked_address, ...)
    reason  VARCHAR             -- why it failed, in words (NULL when ok)
);

-- runs: status may now also be `degraded`: the run completed, but every entry point of the source
-- failed (nothing could be discovered). The counts below are derived at load_run_finished.
ALTER TABLE runs ADD COLUMN canonical_merged BIGINT;       -- pages stored as another URL's article (decision merged)
ALTER TABLE runs ADD COLUMN canonical_ignored BIGINT;      -- canonicals on another origin, ignored
ALTER TABLE runs ADD COLUMN canonical_kept_apart BIGINT;   -- canonicals whose article has another body
ALTER TABLE runs ADD COLUMN entry_points BIGINT;           -- configured seeds, feeds, sitemaps tried
ALTER TABLE runs ADD COLUMN entry_points_failed BIGINT;    -- of those, how many could not be read
COMMENT ON COLUMN runs.status IS 'running | completed | degraded (every entry point failed) | failed | interrupted';
