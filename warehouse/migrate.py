"""Versioned schema: warehouse/migrations/NNN_name.sql (or .py) applied in order, once each, on open.

A .py migration is a module with `upgrade(con, db_path)`, for what SQL alone cannot do (005 moves page
bodies into files beside the database).

`schema_version(version, name, applied_at)` (in the schema `internal` since 013) records what was applied. Each migration runs in its own
transaction together with its schema_version row, so a crash leaves either the old or the new version.
Views and macros (views.sql) hold no data and are re-created on every writer open.
"""

from __future__ import annotations

import importlib
import re
from importlib import resources
from typing import Callable

from extractors.models import OUTCOMES

from ._tx import transaction
from .errors import SchemaTooNew

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.(sql|py)$")
Step = Callable[[object, str], None]  # (connection, published db path)


def migrations() -> list[tuple[int, str, Step]]:
    """(version, name, step) for every bundled migration, in order."""
    found = []
    for entry in resources.files("warehouse").joinpath("migrations").iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), _step(entry, m.group(3))))
    return sorted(found, key=lambda f: f[0])


def _step(entry, kind: str) -> Step:
    if kind == "py":
        return importlib.import_module(f"warehouse.migrations.{entry.name[:-3]}").upgrade
    sql = entry.read_text(encoding="utf-8")
    return lambda con, db_path: con.execute(sql)


def latest_version() -> int:
    return migrations()[-1][0]


def version_table(con) -> str:
    """Where schema_version is: internal.schema_version since migration 013, main before."""
    moved = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                        "AND schema_name = 'internal' AND table_name = 'schema_version'").fetchone()[0]
    return "internal.schema_version" if moved else "main.schema_version"


def current_version(con) -> int:
    table = version_table(con)
    if table.startswith("main."):
        con.execute("CREATE TABLE IF NOT EXISTS main.schema_version ("
                    "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)")
    return con.execute(f"SELECT coalesce(max(version), 0) FROM {table}").fetchone()[0]


def ensure_schema(con, db_path: str = "", *, upto: int | None = None) -> int:
    """Apply missing migrations (up to `upto`, default all); return the resulting version."""
    known = latest_version()
    version, applied = current_version(con), False
    if version > known:
        raise SchemaTooNew(db_path, version, known)
    for number, name, step in migrations():
        if number <= version or (upto is not None and number > upto):
            continue
        with transaction(con):
            step(con, db_path)
            con.execute(f"INSERT INTO {version_table(con)} VALUES (?, ?, now())", [number, name])
        version = number
        applied = True
    if applied:  # migrations leave the WAL: a kill before the next checkpoint replays no DDL
        con.execute("CHECKPOINT")
    return version


def ensure_views(con) -> None:
    """(Re)create the analyst views and macros, and refresh the outcomes vocabulary."""
    sql = resources.files("warehouse").joinpath("views.sql").read_text(encoding="utf-8")
    with transaction(con):
        con.execute(sql)
        con.execute("DELETE FROM outcomes")
        _insert_outcomes(con)


def _insert_outcomes(con) -> None:
    import pyarrow as pa

    tbl = pa.table({"outcome": list(OUTCOMES), "description": list(OUTCOMES.values())})
    con.register("_outcomes_batch", tbl)
    try:
        con.execute("INSERT INTO outcomes BY NAME SELECT * FROM _outcomes_batch")
    finally:
        con.unregister("_outcomes_batch")
