"""005: page bodies leave DuckDB for the raw store (warehouse/rawstore.py).

raw_pages.html (the gzip bytes) becomes raw_key (sha256 of those bytes, naming the file) and
stored_bytes. The files are written (durably) before this migration's transaction commits; a crash
leaves the v4 table intact and files no row names, which the next open deletes.
"""

from __future__ import annotations

from warehouse.rawstore import RawStore, store_dir

CHUNK = 500  # bodies read per query while writing the files

CREATE = """
CREATE TABLE raw_pages__v5 (
    url          VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    final_url    VARCHAR,
    article_id   VARCHAR,
    fetched_at   TIMESTAMP,
    content_type VARCHAR,
    encoding     VARCHAR,
    compression  VARCHAR NOT NULL,           -- of the stored file: gzip
    raw_key      VARCHAR NOT NULL,           -- sha256 of the stored bytes: <db>.raw/<key[:2]>/<key>.gz
    stored_bytes BIGINT NOT NULL,
    run_id       VARCHAR NOT NULL
);
INSERT INTO raw_pages__v5
SELECT url, source, final_url, article_id, fetched_at, content_type, encoding, compression,
       sha256(html), octet_length(html), run_id
FROM raw_pages;
"""


def upgrade(con, db_path: str) -> None:
    con.execute(CREATE)
    store, last = RawStore(store_dir(db_path)), ""
    while True:
        rows = con.execute("SELECT url, sha256(html), html FROM raw_pages WHERE url > ? ORDER BY url LIMIT ?",
                           [last, CHUNK]).fetchall()
        store.ensure_stored((key, html) for _, key, html in rows)
        if len(rows) < CHUNK:
            break
        last = rows[-1][0]
    con.execute("DROP TABLE raw_pages")
    con.execute("ALTER TABLE raw_pages__v5 RENAME TO raw_pages")
