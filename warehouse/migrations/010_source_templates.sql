-- 010: templates learned per source. A block is a leaf block of a page's HTML (DOM path + normalised
-- text, hashed); page_blocks holds, per page, the blocks trafilatura kept (what a template may have to
-- remove), replaced per (source, url) when the page is extracted again. At the end of each run the
-- blocks kept on at least N distinct articles of a source (and a share of them) become its template:
-- a new template_version whenever the set of blocks or the learning rule changes.
CREATE TABLE page_blocks (
    source       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,           -- the page (urls.url)
    article_id   VARCHAR NOT NULL,           -- one article at several URLs counts once
    block_hash   VARCHAR NOT NULL,
    dom_path     VARCHAR NOT NULL,           -- e.g. div.page>aside.box>p (tags and class names)
    sample_text  VARCHAR NOT NULL,           -- the normalised text, at most 200 characters
    chars        INTEGER NOT NULL,           -- length of the whole normalised text
    run_id       VARCHAR NOT NULL
);
CREATE TABLE source_template_versions (
    source           VARCHAR NOT NULL,
    template_version INTEGER NOT NULL,       -- 1, 2, ... per source
    rule             VARCHAR NOT NULL,       -- the learning rule, e.g. min_pages=3;min_share=0.2
    pages            INTEGER NOT NULL,       -- distinct articles learned from
    blocks           INTEGER NOT NULL,       -- template blocks in this version
    learned_at       TIMESTAMP NOT NULL,
    run_id           VARCHAR NOT NULL
);
CREATE TABLE source_templates (
    source           VARCHAR NOT NULL,
    template_version INTEGER NOT NULL,
    block_hash       VARCHAR NOT NULL,
    dom_path         VARCHAR NOT NULL,
    sample_text      VARCHAR NOT NULL,
    pages_seen       INTEGER NOT NULL,       -- distinct articles the block was kept on
    learned_at       TIMESTAMP NOT NULL,
    run_id           VARCHAR NOT NULL
);
