-- 011: analysts' labels: an article is (or is not) on one of its source's themes. Written by
-- `themewire themes label`; the yes-labels join the theme's centroid as examples when articles are
-- classified (ingest, backfill, reprocess). Key: (source, article_id, theme); a new label replaces the old.
CREATE TABLE theme_labels (
    source      VARCHAR NOT NULL,            -- the source the theme belongs to (sources.name)
    article_id  VARCHAR NOT NULL,            -- articles.article_id of the labelled article
    theme       VARCHAR NOT NULL,            -- a theme name of that source, as in article_themes.theme
    on_theme    BOOLEAN NOT NULL,            -- true: the article is on the theme (--yes); false: it is not (--no)
    labelled_by VARCHAR,                     -- who labelled it (--by; default the login name), free text
    labelled_at TIMESTAMP NOT NULL,          -- when (UTC)
    PRIMARY KEY (source, article_id, theme)
);
