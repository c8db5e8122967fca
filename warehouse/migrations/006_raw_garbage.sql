-- 006: raw-store keys a load replaced (the URL's body changed), for the writer to delete on its next
-- open if no raw_pages row names them any more (warehouse/rawstore.py). A full sweep of the store is
-- only needed after a writer that did not close (its marker file is left behind).
CREATE TABLE raw_garbage (
    raw_key VARCHAR NOT NULL,
    run_id  VARCHAR NOT NULL
);
