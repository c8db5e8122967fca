"""Raw pages as files beside the database: content-addressed, immutable, gzip.

The warehouse keeps only a pointer per page (`raw_pages.raw_key`, the sha256 of the stored gzip
bytes); the bytes live at

    <dir>/<name>.raw/<key[:2]>/<key>.gz        for the database <dir>/<name>

so a page body never passes through DuckDB's write-ahead log, buffer pool or published-snapshot copy
(page bodies were ~80% of the bytes a load wrote). Equal bodies share one file.

Crash safety, in the order the writer does it:
1. ensure_stored writes each missing file to a temporary name and renames it into place, so a file under
   its key is never partly written by a crashed process;
2. then the transaction naming the keys commits (DuckDB fsyncs its WAL).
The files are not fsynced: on this project's machine fsync added ~0.1-0.2 ms of CPU and ~0.35 ms of
wall time per page to the load, on top of ~0.4-0.75 ms to create the file, and each fsync also flushed
DuckDB's dirty pages. A process crash (kill -9, OOM) loses nothing, since written files are in the page
cache; a power cut right after a commit can lose or truncate bodies whose rows survived. read() checks
every body against its key, so a lost or damaged body is reported, never returned (`themewire
reprocess` records raw_missing and the next ingest fetches the URL again), and ensure_stored re-writes
a file whose size is not the blob's, so the refetch repairs a truncated one.

A page whose body changed leaves its old file unnamed: the load records the old key (raw_garbage) and
the writer deletes the file on its next open if no row names it any more. A crash between 1 and 2
leaves files nothing records: a writer marks the store open (OPEN_MARK) and clears the mark when it
closes, so the next writer finds the mark of one that died and sweeps the whole store for files no
`raw_pages` row names (Warehouse.ensure_raw_store_collected; it holds the writer lock, with no load in
flight). A key never names different bytes, so an intact file is never re-written, and two runs cannot
disagree about a file's content.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

from .errors import RawPageMissing

SUFFIX = ".gz"
TMP_SUFFIX = ".part"  # <key>.gz.<pid>.part while being written
OPEN_MARK = ".writer-open"  # present while a writer has the store open


def store_dir(db_path: str | os.PathLike) -> Path:
    """The raw store of a database: `<name>.raw` beside the published file."""
    p = Path(db_path)
    return p.with_name(p.name + ".raw")


def raw_key(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


class RawStore:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        return self.root / key[:2] / (key + SUFFIX)

    def ensure_stored(self, items: Iterable[tuple[str, bytes]]) -> list[str]:
        """Write every (key, blob) whose file is missing or not the blob's size (see the module
        docstring); returns the keys written."""
        written, shards = [], set()
        for key, blob in items:
            path = self.path_for(key)
            if _size(path) == len(blob):
                continue
            if path.parent not in shards:
                path.parent.mkdir(parents=True, exist_ok=True)
                shards.add(path.parent)
            tmp = path.with_name(f"{path.name}.{os.getpid()}{TMP_SUFFIX}")
            tmp.write_bytes(blob)
            os.replace(tmp, path)
            written.append(key)
        return written

    def read(self, key: str) -> bytes:
        """The stored bytes of `key`; RawPageMissing when the file is gone or its bytes are not the
        ones the key names (a power cut after the commit, a hand edit)."""
        path = self.path_for(key)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise RawPageMissing(str(path), "is missing") from None
        if raw_key(blob) != key:
            raise RawPageMissing(str(path), f"is damaged ({len(blob)} bytes that do not hash to its name)")
        return blob

    def mark_open(self) -> bool:
        """Mark the store open; True when a previous writer's mark was still there (it did not close)."""
        self.root.mkdir(parents=True, exist_ok=True)
        mark = self.root / OPEN_MARK
        left = mark.exists()
        mark.write_text(str(os.getpid()))
        return left

    def mark_closed(self) -> None:
        (self.root / OPEN_MARK).unlink(missing_ok=True)

    def glob(self) -> str:
        """Every file of the store (stored pages and leftover temporaries), as a DuckDB glob."""
        return str(self.root / "*" / "*")

    def delete(self, paths: Iterable[str | os.PathLike]) -> int:
        n = 0
        for path in paths:
            Path(path).unlink(missing_ok=True)
            n += 1
        return n


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None
