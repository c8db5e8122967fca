-- 014: reprocess removes the articles of pages the page-type gate no longer calls articles.
--
-- A page re-extracted by `themewire reprocess` whose outcome is now not_article stops naming its old
-- article (urls.article_id, raw_pages.article_id); an article no stored page yields any more is removed
-- in the batch's transaction, with every row keyed by it (article_themes, article_links, article_dates,
-- article_authors, theme_labels, canonical_decisions, page_blocks, the search index, duplicates).
-- The run_pages row of such a page keeps the removed article_id with article_status 'removed'; the
-- page_types row says why (kind, page_type, reason).
ALTER TABLE runs ADD COLUMN articles_removed BIGINT;   -- articles this run removed (reprocess)
COMMENT ON COLUMN runs.articles_removed IS
    'stored articles this run removed: their page is no longer an article (reprocess; see page_types)';
COMMENT ON COLUMN run_pages.article_status IS
    'new | updated | unchanged | duplicate | removed (reprocess: the page is no longer an article) (first load in the run wins)';
