"""Read-only access to the published file (what analysts, stats, export and report open)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import WarehouseNotFound


def open_reader(db_path: str | os.PathLike):
    """A read-only DuckDB connection to the published warehouse; WarehouseNotFound if missing."""
    from .writer import connect

    path = Path(db_path)
    if not path.exists():
        raise WarehouseNotFound(str(path))
    return connect(path, read_only=True)
