-- 004: no PRIMARY KEY (ART index) on the tables every load_pages batch upserts. Keeping an ART index
-- made each batch's inserts ~3x slower (article_themes) and its COMMIT ~30% slower, and the indexes
-- are written into the file at every checkpoint. The keys are unchanged and still hold: every batch is
-- de-duplicated before SQL sees it (warehouse/batch.py: one row per key) and upserts by DELETE of the
-- batch's keys + INSERT in one transaction (warehouse/load.py), so no key can appear twice; the tests
-- check it (tests/test_warehouse.py). Columns, their order, types and NOT NULL are the same as before.
-- Keys, as documented: articles, duplicates, search_docs (article_id); article_themes (article_id,
-- theme); article_links (from_article_id, to_url, kind); fetches (run_id, candidate_url, seq);
-- run_pages (run_id, url); urls, raw_pages (url); skips (run_id, url, stage).
-- Small tables keep theirs: runs, hosts, outcomes, search_stopwords, schema_version.

CREATE TABLE articles__v4 (
    article_id        VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    canonical_url     VARCHAR NOT NULL,
    title             VARCHAR,
    author            VARCHAR,
    published_at      TIMESTAMP,
    date_source       VARCHAR,
    language          VARCHAR,
    site_name         VARCHAR,
    text              VARCHAR NOT NULL,
    content_hash      VARCHAR NOT NULL,
    simhash           BIGINT,
    extractor         VARCHAR,
    extractor_version VARCHAR,
    first_seen_at     TIMESTAMP NOT NULL,
    first_seen_run    VARCHAR NOT NULL,
    last_fetched_at   TIMESTAMP NOT NULL,
    run_id            VARCHAR NOT NULL
);
INSERT INTO articles__v4 SELECT * FROM articles;
DROP TABLE articles;
ALTER TABLE articles__v4 RENAME TO articles;

CREATE TABLE article_themes__v4 (
    article_id         VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,
    theme              VARCHAR NOT NULL,
    score              DOUBLE NOT NULL,
    is_match           BOOLEAN NOT NULL,
    evidence           VARCHAR,
    classifier         VARCHAR,
    classifier_version VARCHAR,
    run_id             VARCHAR NOT NULL
);
INSERT INTO article_themes__v4 SELECT * FROM article_themes;
DROP TABLE article_themes;
ALTER TABLE article_themes__v4 RENAME TO article_themes;

CREATE TABLE article_links__v4 (
    from_article_id VARCHAR NOT NULL,
    to_url          VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    text            VARCHAR,
    run_id          VARCHAR NOT NULL
);
INSERT INTO article_links__v4 SELECT * FROM article_links;
DROP TABLE article_links;
ALTER TABLE article_links__v4 RENAME TO article_links;

CREATE TABLE fetches__v4 (
    run_id        VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    candidate_url VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,
    url           VARCHAR NOT NULL,
    fetched_at    TIMESTAMP,
    status_code   INTEGER,
    outcome       VARCHAR NOT NULL,
    error         VARCHAR,
    elapsed_ms    BIGINT,
    bytes         BIGINT,
    attempt       INTEGER
);
INSERT INTO fetches__v4 SELECT * FROM fetches;
DROP TABLE fetches;
ALTER TABLE fetches__v4 RENAME TO fetches;

CREATE TABLE run_pages__v4 (
    run_id         VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    final_url      VARCHAR,
    fetch_outcome  VARCHAR NOT NULL,
    outcome        VARCHAR NOT NULL,
    article_id     VARCHAR,
    article_status VARCHAR,
    on_theme       BOOLEAN
);
INSERT INTO run_pages__v4 SELECT * FROM run_pages;
DROP TABLE run_pages;
ALTER TABLE run_pages__v4 RENAME TO run_pages;

CREATE TABLE urls__v4 (
    url              VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    found_via        VARCHAR,
    found_on         VARCHAR,
    first_seen_run   VARCHAR NOT NULL,
    date_hint        TIMESTAMP,
    date_hint_source VARCHAR,
    etag             VARCHAR,
    last_modified    VARCHAR,
    last_outcome     VARCHAR,
    last_status_code INTEGER,
    last_fetched_at  TIMESTAMP,
    next_fetch_at    TIMESTAMP,
    article_id       VARCHAR,
    run_id           VARCHAR NOT NULL
);
INSERT INTO urls__v4 SELECT * FROM urls;
DROP TABLE urls;
ALTER TABLE urls__v4 RENAME TO urls;

CREATE TABLE raw_pages__v4 (
    url          VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    final_url    VARCHAR,
    article_id   VARCHAR,
    fetched_at   TIMESTAMP,
    content_type VARCHAR,
    encoding     VARCHAR,
    compression  VARCHAR NOT NULL,
    html         BLOB NOT NULL,
    run_id       VARCHAR NOT NULL
);
INSERT INTO raw_pages__v4 SELECT * FROM raw_pages;
DROP TABLE raw_pages;
ALTER TABLE raw_pages__v4 RENAME TO raw_pages;

CREATE TABLE duplicates__v4 (
    article_id         VARCHAR NOT NULL,
    content_hash       VARCHAR NOT NULL,
    simhash            BIGINT,
    cluster_id         VARCHAR NOT NULL,
    is_exact_duplicate BOOLEAN NOT NULL,
    is_near_duplicate  BOOLEAN NOT NULL,
    duplicate_of       VARCHAR,
    run_id             VARCHAR NOT NULL
);
INSERT INTO duplicates__v4 SELECT * FROM duplicates;
DROP TABLE duplicates;
ALTER TABLE duplicates__v4 RENAME TO duplicates;

CREATE TABLE skips__v4 (
    run_id  VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,
    url     VARCHAR NOT NULL,
    stage   VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    reason  VARCHAR
);
INSERT INTO skips__v4 SELECT * FROM skips;
DROP TABLE skips;
ALTER TABLE skips__v4 RENAME TO skips;

CREATE TABLE search_docs__v4 (
    article_id VARCHAR NOT NULL,
    doc_len    INTEGER NOT NULL,
    src_hash   UBIGINT,
    run_id     VARCHAR
);
INSERT INTO search_docs__v4 SELECT * FROM search_docs;
DROP TABLE search_docs;
ALTER TABLE search_docs__v4 RENAME TO search_docs;
