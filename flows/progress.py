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


# --- a run's progress, as the CLI shows it -----------------------------------------------------------------
#
# The flows report each source's counts after every loaded batch (flows.run: report_progress); the CLI
# installs a sink for the duration of a run (cli_progress). Without a sink (a deployment's run) reporting
# is a no-op: the run's log and its artifact say what happened.

PLAIN_INTERVAL_SECONDS = 10.0  # plain lines (not a terminal): at most one per source this often, plus the last

_SINK = None


def report_progress(source: str, tally) -> None:
    """The source's counts so far (a flows.report.Tally) to the CLI's display, if one is installed."""
    sink = _SINK
    if sink is not None:
        sink.update(source, progress_counts(tally))


def progress_active() -> bool:
    return _SINK is not None


def progress_counts(tally) -> dict[str, int]:
    """pages discovered, fetched (200 or 304), stored (new or updated) and failed, from a Tally."""
    return {"discovered": tally.discovered, "fetched": tally.fetched + tally.not_modified,
            "stored": tally.stored_new + tally.updated, "failed": sum(tally.failed.values())}


class cli_progress:  # noqa: N801 - used as a context manager, like contextlib's
    """Install a progress display for one run: a rich bar per source when `stream` is a terminal
    (`bars`), else plain lines at a bounded rate (`lines`), else nothing."""

    def __init__(self, label: str, *, bars: bool = True, lines: bool = True, stream=None,
                 interval: float = PLAIN_INTERVAL_SECONDS, clock=None) -> None:
        import time

        stream = stream or sys.stderr
        tty = getattr(stream, "isatty", lambda: False)()
        self._impl = (_RunBars(label, stream) if tty and bars else
                      _RunLines(label, stream, interval, clock or time.monotonic) if not tty and lines else None)

    def __enter__(self):
        global _SINK
        if self._impl is not None:
            self._impl.start()
            _SINK = self._impl
        return self._impl

    def __exit__(self, *exc) -> None:
        global _SINK
        if self._impl is not None:
            _SINK = None
            self._impl.stop()


def _describe(c: dict[str, int]) -> str:
    return f"discovered {c['discovered']}, fetched {c['fetched']}, stored {c['stored']}, failed {c['failed']}"


class _RunLines:
    """One plain line per source at most every `interval` seconds, and its last counts at the end."""

    def __init__(self, label: str, stream, interval: float, clock) -> None:
        self.label, self.stream, self.interval, self.clock = label, stream, interval, clock
        self._last: dict[str, float] = {}
        self._pending: dict[str, dict] = {}
        self.lines = 0

    def start(self) -> None:
        pass

    def update(self, source: str, counts: dict[str, int]) -> None:
        now = self.clock()
        if source in self._last and now - self._last[source] < self.interval:
            self._pending[source] = counts
            return
        self._last[source] = now
        self._pending.pop(source, None)
        self._print(source, counts)

    def stop(self) -> None:
        for source, counts in self._pending.items():
            self._print(source, counts)
        self._pending.clear()

    def _print(self, source: str, counts: dict[str, int]) -> None:
        self.lines += 1
        # write(), not print(): inside a flow with log_prints, print() becomes a Prefect INFO log line
        self.stream.write(f"{self.label} {source}: {_describe(counts)}\n")
        self.stream.flush()


class _RunBars:
    """A rich bar per source: done (fetched + failed) of discovered, with the counts beside it."""

    def __init__(self, label: str, stream) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.label = label
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[note]}"), TimeElapsedColumn(),
                             console=Console(file=stream), transient=False)
        self._tasks: dict[str, object] = {}

    def start(self) -> None:
        self._bar.start()

    def update(self, source: str, counts: dict[str, int]) -> None:
        task = self._tasks.get(source)
        if task is None:
            task = self._tasks[source] = self._bar.add_task(f"{self.label} {source}", total=None, note="")
        done = counts["fetched"] + counts["failed"]
        self._bar.update(task, total=max(counts["discovered"], done) or None, completed=done,
                         note=f"stored {counts['stored']}, failed {counts['failed']}")

    def stop(self) -> None:
        self._bar.stop()
