"""An exclusive OS lock (fcntl.flock) held by the one writer of a warehouse for its whole run.

The kernel drops the lock when the process dies (kill -9 included), so a crashed run never leaves
the warehouse locked.
"""

from __future__ import annotations

import fcntl
import os
import time

from .errors import WarehouseBusy


class WriterLock:
    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout_s: float, poll_s: float = 0.1) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= timeout_s:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise WarehouseBusy(self.path, waited, holder) from None
                time.sleep(min(poll_s, max(timeout_s - waited, 0.01)))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_holder(fd: int) -> str | None:
    try:
        return os.pread(fd, 100, 0).decode(errors="replace").strip() or None
    except OSError:
        return None
