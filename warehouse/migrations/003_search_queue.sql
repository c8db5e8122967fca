-- 003: the search index is (re)built once per run, for the articles the run changed, instead of in
-- every load batch. search_pending is the queue (filled in each load_pages transaction, emptied by
-- the build at load_run_finished / publish); search_docs.src_hash is the hash of the title + text the
-- index was built from (what decides whether a re-loaded article needs re-indexing); run_id lineage:
-- the run that last wrote the article when its index rows were built (NULL: built before 003).

CREATE TABLE search_pending (
    article_id VARCHAR NOT NULL               -- an article whose search_docs / search_postings are stale
);

ALTER TABLE search_docs ADD COLUMN src_hash UBIGINT;   -- hash(coalesce(title, '') || ' ' || text)
ALTER TABLE search_docs ADD COLUMN run_id VARCHAR;
ALTER TABLE search_postings ADD COLUMN run_id VARCHAR;

UPDATE search_docs SET src_hash = hash(coalesce(a.title, '') || ' ' || a.text), run_id = a.run_id
FROM articles a WHERE a.article_id = search_docs.article_id;
