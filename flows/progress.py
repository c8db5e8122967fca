"""Progress of a run's batches: a rich bar on a terminal, plain lines otherwise (backfill)."""

from __future__ import annotations

import sys

from extractors.discover import OUT_OF_RANGE
from extractors.models import ProcessedPage


def make_progress(source: str, total: int, *, stream=None):
    """A context manager whose batch_done(k, n, pages) reports batch k of n of `source`'s `total` URLs."""
    stream = stream or sys.stderr
    if total and getattr(stream, "isatty", lambda: False)():
        return _RichProgress(source, total, stream)
    return _LineProgress(source, total)


class _LineProgress:
    def __init__(self, source: str, total: int) -> None:
        self.source, self.total, self.done, self.stored, self.out = source, total, 0, 0, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def _count(self, pages: list[ProcessedPage]) -> None:
        self.done += len(pages)
        self.stored += sum(p.article is not None for p in pages)
        self.out += sum(1 for p in pages if p.skip and p.skip.outcome == OUT_OF_RANGE)

    def batch_done(self, k: int, n: int, pages: list[ProcessedPage]) -> None:
        self._count(pages)
        print(f"backfill {self.source}: batch {k}/{n} loaded; {self.done}/{self.total} URLs, "
              f"{self.stored} articles in range, {self.out} out of range", flush=True)


class _RichProgress(_LineProgress):
    def __init__(self, source: str, total: int, stream) -> None:
        super().__init__(source, total)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(TextColumn(f"backfill {source}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[note]}"), TimeElapsedColumn(),
                             console=Console(file=stream))
        self._task = self._bar.add_task("urls", total=total, note="")

    def __enter__(self):
        self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bar.stop()

    def batch_done(self, k: int, n: int, pages: list[ProcessedPage]) -> None:
        self._count(pages)
        self._bar.update(self._task, completed=self.done,
                         note=f"{self.stored} in range, {self.out} out of range")
