"""Typed errors of the warehouse package.

WarehouseError
├── WarehouseBusy          another run holds the writer lock past the timeout
├── WarehouseNotFound      a reader asked for a published file that does not exist yet
├── SchemaTooNew           the file was written by a newer themewire (unknown migration versions)
└── RawPageMissing         a raw_pages row names a file the raw store no longer has intact

Callers catch WarehouseError. WarehouseBusy is also an extractors.errors.OutcomeError (outcome
warehouse_busy), so whether a task retries it is the outcome table's decision (is_transient).
"""

from __future__ import annotations

from extractors.errors import OutcomeError


class WarehouseError(Exception):
    """Base of every error the warehouse raises on purpose."""


class WarehouseBusy(WarehouseError, OutcomeError):
    outcome = "warehouse_busy"  # transient: flows/tasks.retry_if_transient retries the task

    def __init__(self, lock_path: str, waited_s: float, holder: str | None = None) -> None:
        who = f" (held by {holder})" if holder else ""
        super().__init__(f"another themewire run is writing this warehouse: lock {lock_path}{who} "
                         f"still held after waiting {waited_s:.0f}s; try again when it has finished")
        self.lock_path, self.waited_s, self.holder = lock_path, waited_s, holder


class WarehouseNotFound(WarehouseError):
    def __init__(self, db_path: str) -> None:
        super().__init__(f"no warehouse at {db_path}: run `themewire ingest` (or `themewire demo`) first, "
                         f"or pass --db PATH")
        self.db_path = db_path


class SchemaTooNew(WarehouseError):
    def __init__(self, db_path: str, found: int, known: int) -> None:
        super().__init__(f"{db_path} has schema version {found}, this themewire knows up to {known}: "
                         f"upgrade themewire")
        self.db_path, self.found, self.known = db_path, found, known


class RawPageMissing(WarehouseError):
    def __init__(self, path: str, what: str = "is missing") -> None:
        super().__init__(f"stored raw page {path} {what} (removed by hand, or lost in a power cut); "
                         f"the next ingest fetches the URL again")
        self.path = path
