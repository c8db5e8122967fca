-- 009: what the page-type gate (extractors/content/_pagetype.py) decided for each extracted page. Only
-- pages of kind 'article' become articles rows; the others are skips with outcome not_article and the
-- same reason. Key: url (the latest decision replaces the earlier one; reprocess decides again).
CREATE TABLE page_types (
    url        VARCHAR NOT NULL,             -- the candidate URL (urls.url)
    source     VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,             -- article | listing | other
    page_type  VARCHAR NOT NULL,             -- article, live_blog | home, section, tag, author, archive,
                                             -- calendar, search, index | about, contact, login, error, thin
    reason     VARCHAR NOT NULL,             -- e.g. 'listing (tag): 48 links in 12 cards, 0 prose paragraphs (0 words)'
    signals    VARCHAR NOT NULL,             -- JSON text: the measured signals (cards, prose_paragraphs, og_type...)
    article_id VARCHAR,                      -- the article stored from the page (kind 'article'), else NULL
    decided_at TIMESTAMP NOT NULL,           -- when the page was fetched (reprocess: when it was decided)
    run_id     VARCHAR NOT NULL
);
