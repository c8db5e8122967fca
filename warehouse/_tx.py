"""One DuckDB transaction as a context manager, shared by the writer, the migrations and the search index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT; on any error ROLLBACK and re-raise that error. A failed COMMIT has already
    rolled back in DuckDB, so the ROLLBACK's own "no transaction is active" must not replace it."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.TransactionException:
            pass
        raise
