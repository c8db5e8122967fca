"""Before a run: can this warehouse be written at all? Checked before anything is fetched, so a
read-only database, folder, raw store or lock file is one clear error instead of a failure after the work.

What a run writes, for a published path D (writer.py): D itself (replaced by publish), the folder of D
(the writer's file, the lock, publish's temp file, the raw store `<D>.raw/`), and those files when they
exist. A path counts as read-only when the operating system refuses a write (os.access, and a probe file
in the folder, which also catches a read-only mount), or when its permission bits allow nobody to write
it: `chmod a-w` is honoured even for root, who could write anyway.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import WarehouseError
from .rawstore import store_dir


class WarehouseNotWritable(WarehouseError):
    """A path the run must write is read-only; the message names it and what to do."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(f"cannot write {what} {path}: it is read-only (make it writable, or pass "
                         f"--db PATH to a writable location); nothing was fetched")
        self.path, self.what = path, what


def _read_only(path: Path) -> bool:
    st = path.stat()
    return not os.access(path, os.W_OK) or not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _probe(folder: Path) -> bool:
    """True when a file can be created (and removed) in `folder`."""
    try:
        fd, name = tempfile.mkstemp(prefix=".themewire-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(name)
    return True


def ensure_writable(db_path: str | os.PathLike) -> None:
    """Raise WarehouseNotWritable naming the first path a run at `db_path` could not write."""
    from .writer import lock_path, writer_path

    db = Path(db_path).absolute()
    folder = db.parent
    existing = folder
    while not existing.exists():  # Warehouse.open creates missing folders: their parent must be writable
        existing = existing.parent
    if not existing.is_dir():
        raise WarehouseNotWritable(existing, "the database folder (not a folder)")
    if _read_only(existing) or not _probe(existing):
        raise WarehouseNotWritable(existing, "the database folder")
    for path, what in ((db, "the database"), (writer_path(db), "the writer's file"),
                       (lock_path(db), "the lock file"), (store_dir(db), "the raw store")):
        if path.exists() and _read_only(path):
            raise WarehouseNotWritable(path, what)
        if path.is_dir() and not _probe(path):
            raise WarehouseNotWritable(path, what)
