"""Analysts' theme labels (table theme_labels) and the source texts that classification adapts to.

`load_theme_labels` writes labels (each checked: the article must be stored for that source);
`read_label_examples` gives, per theme, the texts of the articles labelled on-theme (they join the
theme's centroid as examples); `read_source_history` gives the texts of a source's most recent stored
articles (the classifier z-scores against them once there are enough, see extractors.themes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Sequence

from ._tx import transaction

HISTORY_LIMIT = 300  # most recent stored articles of a source used as its own background
HISTORY_CHARS = 5_000  # of each, at most this much text
EXAMPLES_PER_THEME = 20  # most recent on-theme labels used as examples per theme


@dataclass(frozen=True, slots=True)
class ThemeLabel:
    source: str
    article_id: str
    theme: str
    on_theme: bool
    labelled_by: str | None = None


@dataclass(frozen=True, slots=True)
class LabelResult:
    written: int
    rejected: tuple[tuple[ThemeLabel, str], ...]  # (label, reason)


def _con(wh):
    return wh._need()


def load_theme_labels(wh, labels: Sequence[ThemeLabel], themes_by_source: dict[str, set[str]]) -> LabelResult:
    """Write the labels whose source has that theme and whose article is stored for the source; the
    others come back with a reason. One transaction; an existing label for the same key is replaced."""
    con = _con(wh)
    ok, rejected = [], []
    for lab in labels:
        themes = themes_by_source.get(lab.source)
        if themes is None:
            rejected.append((lab, f"unknown source {lab.source!r}"))
        elif lab.theme not in themes:
            rejected.append((lab, f"source {lab.source!r} has no theme {lab.theme!r}; known: "
                                  + ", ".join(sorted(themes))))
        elif not con.execute("SELECT 1 FROM articles WHERE article_id = ? AND source = ?",
                             [lab.article_id, lab.source]).fetchone():
            rejected.append((lab, f"no stored article {lab.article_id!r} in source {lab.source!r}"))
        else:
            ok.append(lab)
    if ok:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with transaction(con):
            con.executemany(
                "INSERT OR REPLACE INTO theme_labels (source, article_id, theme, on_theme, labelled_by, labelled_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [[x.source, x.article_id, x.theme, x.on_theme, x.labelled_by, now] for x in ok])
    return LabelResult(len(ok), tuple(rejected))


def read_label_examples(wh, source: str, limit: int = EXAMPLES_PER_THEME) -> dict[str, tuple[str, ...]]:
    """{theme: texts of the articles labelled on-theme, most recent label first}."""
    rows = _con(wh).execute(
        "SELECT l.theme, coalesce(a.title || '.\n\n', '') || substr(a.text, 1, ?) FROM theme_labels l "
        "JOIN articles a ON a.article_id = l.article_id "
        "WHERE l.source = ? AND l.on_theme ORDER BY l.theme, l.labelled_at DESC, l.article_id",
        [HISTORY_CHARS, source]).fetchall()
    out: dict[str, list[str]] = defaultdict(list)
    for theme, text in rows:
        if len(out[theme]) < limit:
            out[theme].append(text)
    return {t: tuple(v) for t, v in out.items()}


def read_source_history(wh, source: str, limit: int = HISTORY_LIMIT) -> tuple[str, ...]:
    """Texts of the source's most recently fetched stored articles (title + text, capped)."""
    rows = _con(wh).execute(
        "SELECT coalesce(title || '.\n\n', '') || substr(text, 1, ?) FROM articles WHERE source = ? "
        "ORDER BY last_fetched_at DESC, article_id LIMIT ?", [HISTORY_CHARS, source, limit]).fetchall()
    return tuple(t for (t,) in rows)
