"""Publishing the writer's file as the read-only snapshot analysts open.

Measured pattern (shared/notes/duckdb-offline.md): the writer has CHECKPOINTed and closed its file;
copy it to a temp name in the target's directory, fsync, remove a stale `<target>.wal`, os.replace
onto the target, fsync the directory. Readers holding the old file keep reading the old inode; the
next open sees the new run. A crash leaves the old target intact and at most a temp file, which
`remove_stale_temps` deletes on the next open.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

TEMP_MARK = ".publish-tmp-"


def temp_prefix(target: Path) -> str:
    return f".{target.name}{TEMP_MARK}"


def publish_file(writer_file: Path, target: Path) -> None:
    tmp = target.with_name(f"{temp_prefix(target)}{os.getpid()}")
    shutil.copyfile(writer_file, tmp)
    _fsync_path(tmp)
    wal = target.with_name(target.name + ".wal")
    if wal.exists():
        wal.unlink()
    os.replace(tmp, target)
    _fsync_path(target.parent)


def remove_stale_temps(target: Path) -> None:
    for p in target.parent.glob(temp_prefix(target) + "*"):
        p.unlink(missing_ok=True)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
