-- 001: the contract tables and the crawl ledger.
-- All timestamps are TIMESTAMP holding UTC. Every row carries run_id: the run that last wrote it.
-- No foreign keys (DuckDB's are over-eager for delete+insert upserts); keys are documented instead.

-- One row per article, however many URLs led to it.
-- article_id = first 16 hex digits of sha256(canonical_url as UTF-8).
CREATE TABLE articles (
    article_id        VARCHAR PRIMARY KEY,
    source            VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,      -- the page URL it was extracted from (last load)
    canonical_url     VARCHAR NOT NULL,      -- identity: article_id derives from it
    title             VARCHAR,
    author            VARCHAR,
    published_at      TIMESTAMP,             -- UTC; see date_source and article_dates
    date_source       VARCHAR,               -- which candidate won: jsonld, meta, time, url, feed, ...
    language          VARCHAR,
    site_name         VARCHAR,
    text              VARCHAR NOT NULL,
    content_hash      VARCHAR NOT NULL,
    simhash           BIGINT,                -- 64-bit fingerprint as two's-complement signed
    extractor         VARCHAR,
    extractor_version VARCHAR,
    first_seen_at     TIMESTAMP NOT NULL,    -- first fetch that stored it
    first_seen_run    VARCHAR NOT NULL,
    last_fetched_at   TIMESTAMP NOT NULL,    -- last fetch (ok or not_modified)
    run_id            VARCHAR NOT NULL       -- run that last wrote the row
);

-- One row per article and theme.
CREATE TABLE article_themes (
    article_id         VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,
    theme              VARCHAR NOT NULL,
    score              DOUBLE NOT NULL,
    is_match           BOOLEAN NOT NULL,
    evidence           VARCHAR,              -- JSON text: {"keywords": [...], "passage": "..."}
    classifier         VARCHAR,
    classifier_version VARCHAR,
    run_id             VARCHAR NOT NULL,
    PRIMARY KEY (article_id, theme)
);

-- One row per HTTP request (or refused request). Key: (run_id, candidate_url, seq).
CREATE TABLE fetches (
    run_id        VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    candidate_url VARCHAR NOT NULL,          -- the URL the crawler set out to fetch
    seq           INTEGER NOT NULL,          -- position of this request for that candidate (redirects, retries)
    url           VARCHAR NOT NULL,          -- the URL of this request
    fetched_at    TIMESTAMP,
    status_code   INTEGER,
    outcome       VARCHAR NOT NULL,          -- a key of extractors.models.OUTCOMES (see table outcomes)
    error         VARCHAR,
    elapsed_ms    BIGINT,
    bytes         BIGINT,
    attempt       INTEGER,
    PRIMARY KEY (run_id, candidate_url, seq)
);

-- One row per flow run and source, with counts (derived from run_pages at load_run_finished).
CREATE TABLE runs (
    run_id       VARCHAR NOT NULL,
    flow         VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,           -- running | completed | failed | interrupted
    discovered   BIGINT,
    fetched      BIGINT,
    not_modified BIGINT,
    failed       BIGINT,
    stored_new   BIGINT,
    updated      BIGINT,
    duplicates   BIGINT,
    on_theme     BIGINT,
    failures     MAP(VARCHAR, BIGINT),       -- final outcome -> URLs, for every outcome other than ok/not_modified
    params       VARCHAR,                    -- JSON text
    error        VARCHAR,                    -- why a failed run failed
    PRIMARY KEY (run_id, source)
);

-- What happened to each candidate in each run. Key: (run_id, url).
CREATE TABLE run_pages (
    run_id         VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    final_url      VARCHAR,
    fetch_outcome  VARCHAR NOT NULL,         -- outcome of the fetch
    outcome        VARCHAR NOT NULL,         -- final outcome (the skip's outcome when there is one)
    article_id     VARCHAR,
    article_status VARCHAR,                  -- new | updated | unchanged | duplicate (first load in the run wins)
    on_theme       BOOLEAN,
    PRIMARY KEY (run_id, url)
);

-- The crawl ledger: every URL known, how it was found, and its fetch state.
CREATE TABLE urls (
    url              VARCHAR PRIMARY KEY,
    source           VARCHAR NOT NULL,
    found_via        VARCHAR,                -- seed | feed | sitemap | link | canonical (first discovery wins)
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

-- Hosts backing off (429/503 Retry-After): blocked until.
CREATE TABLE hosts (
    host          VARCHAR PRIMARY KEY,
    blocked_until TIMESTAMP,
    run_id        VARCHAR
);

-- The last body fetched per URL, gzip-compressed, for reprocessing without fetching.
CREATE TABLE raw_pages (
    url          VARCHAR PRIMARY KEY,
    source       VARCHAR NOT NULL,
    final_url    VARCHAR,
    article_id   VARCHAR,
    fetched_at   TIMESTAMP,
    content_type VARCHAR,
    encoding     VARCHAR,
    compression  VARCHAR NOT NULL,           -- gzip
    html         BLOB NOT NULL,
    run_id       VARCHAR NOT NULL
);

-- Links found inside article bodies.
CREATE TABLE article_links (
    from_article_id VARCHAR NOT NULL,
    to_url          VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,        -- read_more | related | inline
    text            VARCHAR,
    run_id          VARCHAR NOT NULL,
    PRIMARY KEY (from_article_id, to_url, kind)
);

-- Date provenance: every publication-date candidate seen for an article.
CREATE TABLE article_dates (
    article_id VARCHAR NOT NULL,
    value      TIMESTAMP NOT NULL,
    source     VARCHAR NOT NULL,
    run_id     VARCHAR NOT NULL
);

-- Duplicate clusters. cluster_id = smallest article_id among the article and every article within
-- 3 bits of simhash (or the same content_hash). duplicate_of = earliest such article seen before it.
CREATE TABLE duplicates (
    article_id         VARCHAR PRIMARY KEY,
    content_hash       VARCHAR NOT NULL,
    simhash            BIGINT,
    cluster_id         VARCHAR NOT NULL,
    is_exact_duplicate BOOLEAN NOT NULL,     -- same content_hash as an earlier article
    is_near_duplicate  BOOLEAN NOT NULL,     -- within 3 simhash bits of an earlier article
    duplicate_of       VARCHAR,
    run_id             VARCHAR NOT NULL
);

-- URLs that stopped before becoming an article, and why. Key: (run_id, url, stage).
CREATE TABLE skips (
    run_id  VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,
    url     VARCHAR NOT NULL,
    stage   VARCHAR NOT NULL,                -- plan | fetch | extract | classify
    outcome VARCHAR NOT NULL,
    reason  VARCHAR,
    PRIMARY KEY (run_id, url, stage)
);

-- The outcome vocabulary (refreshed from extractors.models.OUTCOMES on every open).
CREATE TABLE outcomes (
    outcome     VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL
);
