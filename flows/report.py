"""Run bookkeeping: counts per source run, the Prefect artifact, and the CLI's plain summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from extractors.models import ProcessedPage, Skip

if TYPE_CHECKING:
    from warehouse import LoadCounts


@dataclass
class Tally:
    """Counts for one source in one run: the `runs` row and the summary share them."""

    discovered: int = 0
    fetched: int = 0
    not_modified: int = 0
    stored_new: int = 0
    updated: int = 0
    duplicates: int = 0
    on_theme: int = 0
    failed: Counter = field(default_factory=Counter)  # outcome -> URLs
    skipped: Counter = field(default_factory=Counter)  # outcome -> URLs
    themes: Counter = field(default_factory=Counter)  # theme -> matching articles this run
    canonical_merged: int = 0  # pages stored as the article of the other URL their canonical names
    canonical_ignored: int = 0  # canonicals on another origin, ignored
    canonical_kept_apart: int = 0  # same-site canonicals whose article has another body
    articles_removed: int = 0  # (reprocess) stored articles whose page is no longer an article
    entry_points: int = 0  # configured seeds, feeds, sitemaps (archive pages) tried
    entry_failures: list = field(default_factory=list)  # (kind, url, outcome, reason) of those that failed
    error: str | None = None

    @property
    def degraded(self) -> bool:
        """Every entry point failed: the run could discover nothing."""
        return self.entry_points > 0 and len(self.entry_failures) == self.entry_points

    def add(self, pages: list[ProcessedPage], loaded: "LoadCounts") -> None:
        for p in pages:
            outcome = p.fetch.outcome
            if outcome == "ok":
                self.fetched += 1
            elif outcome == "not_modified":
                self.not_modified += 1
            else:
                self.failed[outcome] += 1
            if p.skip:
                self.skipped[p.skip.outcome] += 1
            if p.article and p.scores:
                matches = [s.theme for s in p.scores if s.is_match]
                self.on_theme += bool(matches)
                self.themes.update(matches)
        self.stored_new += loaded.stored_new
        self.updated += loaded.updated
        self.duplicates += loaded.duplicates
        self.canonical_merged += loaded.canonical_merged
        self.canonical_ignored += loaded.canonical_ignored
        self.canonical_kept_apart += loaded.canonical_kept_apart
        self.articles_removed += loaded.articles_removed

    def add_skips(self, skips: list[Skip]) -> None:
        self.skipped.update(s.outcome for s in skips)

    def counts(self) -> dict:
        return {
            "discovered": self.discovered, "fetched": self.fetched, "not_modified": self.not_modified,
            "failed": sum(self.failed.values()), "stored_new": self.stored_new, "updated": self.updated,
            "duplicates": self.duplicates, "on_theme": self.on_theme,
            "failures_by_outcome": dict(self.failed), "skipped_by_outcome": dict(self.skipped),
            "canonical_merged": self.canonical_merged, "canonical_ignored": self.canonical_ignored,
            "canonical_kept_apart": self.canonical_kept_apart, "articles_removed": self.articles_removed,
            "entry_points": self.entry_points,
            "entry_failures": [list(f) for f in self.entry_failures],
            "error": self.error,
        }

    def summary(self, status: str) -> dict:
        return {"status": status, **self.counts(), "themes": dict(self.themes)}


def format_markdown(run_id: str, summaries: dict[str, dict]) -> str:
    lines = [f"# themewire run `{run_id}`", "",
             "| source | status | discovered | fetched | not modified | failed | new | updated | duplicates | on-theme |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, s in summaries.items():
        lines.append(f"| {name} | {s['status']} | {s['discovered']} | {s['fetched']} | {s['not_modified']} | "
                     f"{s['failed']} | {s['stored_new']} | {s['updated']} | {s['duplicates']} | {s['on_theme']} |")
    for name, s in summaries.items():
        reasons = {**s["failures_by_outcome"], **s["skipped_by_outcome"]}
        if reasons:
            lines += ["", f"**{name}**, not stored, by reason: "
                      + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))]
        if s.get("error"):
            lines += ["", f"**{name} failed:** {s['error']}"]
        lines += [f"- {line}" for line in _notes(s)]
    return "\n".join(lines)


async def publish_artifact(key: str, markdown: str, description: str) -> bool:
    """The run's markdown summary as a Prefect artifact of the flow run; False (nothing created) when called
    outside a flow or task run (a flow function called directly, as tests and benchmarks do): such an artifact
    would belong to no run, and Prefect deprecates creating one."""
    from prefect.artifacts import acreate_markdown_artifact
    from prefect.context import FlowRunContext, TaskRunContext

    if FlowRunContext.get() is None and TaskRunContext.get() is None:
        return False
    await acreate_markdown_artifact(markdown=markdown, key=key, description=description)
    return True


async def publish_run_artifact(run_id: str, summaries: dict[str, dict]) -> None:
    await publish_artifact("themewire-run-summary", format_markdown(run_id, summaries),
                           "What this run discovered, fetched, stored and skipped")


def format_text(result: dict) -> str:
    """The plain summary the CLI prints after a run."""
    out = [f"run {result['run_id']} -> {result['db']}"]
    for name, s in result["sources"].items():
        out.append(f"  {name}: {s['status']}; discovered {s['discovered']}, fetched {s['fetched']}, "
                   f"not modified {s['not_modified']}, failed {s['failed']}; stored new {s['stored_new']}, "
                   f"updated {s['updated']}, duplicates {s['duplicates']}, on-theme {s['on_theme']}")
        reasons = {**s["failures_by_outcome"], **s["skipped_by_outcome"]}
        for outcome, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
            out.append(f"    not stored: {n:4d} x {outcome}")
        out += [f"    {line}" for line in _notes(s)]
        if s.get("error"):
            out.append(f"    error: {s['error']}")
    return "\n".join(out)


def _notes(s: dict) -> list[str]:
    """The summary's lines on canonicals and failed entry points (shared by the text and markdown)."""
    out = []
    merged, ignored, apart = (s.get("canonical_merged", 0), s.get("canonical_ignored", 0),
                              s.get("canonical_kept_apart", 0))
    if merged or ignored or apart:
        out.append(f"canonicals: {merged} merged into another URL's article, {ignored} ignored "
                   f"(on another origin), {apart} kept apart (different body); see canonical_decisions")
    if s.get("articles_removed"):
        out.append(f"articles removed: {s['articles_removed']} (their page is no longer an article; see page_types)")
    failures = s.get("entry_failures") or []
    if s.get("status") == "degraded":
        out.append(f"DEGRADED: all {s.get('entry_points', len(failures))} entry points failed; "
                   "nothing could be discovered")
    for kind, url, outcome, reason in failures:
        out.append(f"{kind} failed: {url} ({outcome}: {reason})" if reason and reason != outcome
                   else f"{kind} failed: {url} ({outcome})")
    return out
