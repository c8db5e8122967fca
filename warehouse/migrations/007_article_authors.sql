-- 007: author provenance, as article_dates is for dates: every name extraction found for an article,
-- with the source that gave it (articles.author holds the chosen ones, ", "-joined). Key: (article_id,
-- name, source); rows are replaced per article_id from the winning page, like article_dates.
CREATE TABLE article_authors (
    article_id VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,             -- one person, cleaned ("Jane Doe")
    source     VARCHAR NOT NULL,             -- jsonld | meta | rel_author | byline | trafilatura
    position   INTEGER NOT NULL,             -- order among the article's candidates (best source first)
    run_id     VARCHAR NOT NULL
);
