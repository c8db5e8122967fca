"""Text helpers for the theme classifier: keyword matching and passages. Pure, stdlib only."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*\n|\n(?=\s*[-•*])")
MAX_CHARS = 100_000  # score at most this much of an article (~16k words)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """Sentence-ish spans: split after sentence ends, at blank lines and before list bullets. Spans may
    carry surrounding whitespace or be blank: callers drop spans without tokens and flatten whitespace."""
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(text):  # the end mark stays in its sentence
        spans.append(Span(pos, m.end()))
        pos = m.end()
    if pos < len(text):
        spans.append(Span(pos, len(text)))
    return spans


def passages(text: str, sents: list[Span], *, target_words: int = 120, max_words: int = 180
             ) -> list[tuple[int, int]]:
    """Consecutive sentences grouped into windows of ~target_words, as (first, last+1) sentence indexes.
    A long sentence stays whole; windows overlap by one short sentence so that no idea is split."""
    words = [len(text[s.start:s.end].split()) for s in sents]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        j, n = i, 0
        while j < len(sents) and (n == 0 or n + words[j] <= max_words) and n < target_words:
            n += words[j]
            j += 1
        out.append((i, j))
        if j >= len(sents):
            break
        i = j - 1 if j - 1 > i and words[j - 1] < target_words // 4 else j
    return out


_SUFFIXES = ("ations", "ation", "ings", "ing", "ness", "ments", "ment", "ities", "ity", "ies", "ied",
             "ed", "es", "s")


@dataclass(frozen=True, slots=True)
class Keyword:
    keyword: str
    needle: str  # lower-case substring that every match contains: a cheap pre-check
    pattern: re.Pattern[str]


def _stem(word: str) -> str | None:
    """A crude stem for words of 6+ letters ("manipulation" -> "manipul"), or None to match as is."""
    if len(word) < 6 or not word.isalpha():
        return None
    for suf in _SUFFIXES:
        if word.lower().endswith(suf) and len(word) - len(suf) >= 6:
            return word[:-len(suf)]
    return None


def compile_keyword(keyword: str) -> Keyword:
    """Case-insensitive (on lower-cased text) whole-word match; spaces match runs of spaces/hyphens; the last word also
    matches its inflections ("isolated" -> "isolation", "companion" -> "companions")."""
    words = [w for w in re.split(r"[\s\-]+", keyword.lower()) if w] or [keyword.lower()]
    parts = [re.escape(w) for w in words[:-1]]
    last = words[-1]
    stem = _stem(last)
    if stem:
        parts.append(re.escape(stem) + r"\w*")
    elif len(last) >= 3 and last[-1].isalpha():
        parts.append(re.escape(last) + r"(?:s|es|'s|’s)?")
    else:
        parts.append(re.escape(last))
    sep = r"[\s\-]*" if "-" in keyword else r"[\s\-]+"
    # starts with a literal (fast search); the word boundary before it is checked in keyword_counts
    pattern = re.compile(sep.join(parts) + r"(?!\w)")
    needle = (stem or last) if len(words) == 1 else words[0]
    return Keyword(keyword, needle, pattern)


def keyword_counts(lowered: str, keywords: tuple[Keyword, ...]) -> dict[str, int]:
    """{keyword: occurrences in `lowered` (a lower-cased text)} for keywords that occur at least once."""
    counts = {}
    for kw in keywords:
        if kw.needle not in lowered:
            continue
        n = 0
        for m in kw.pattern.finditer(lowered):
            i = m.start()
            if i == 0 or not (lowered[i - 1].isalnum() or lowered[i - 1] == "_"):
                n += 1
        if n:
            counts[kw.keyword] = n
    return counts


def keyword_score(counts: dict[str, int]) -> float:
    """0..1, saturating: distinct keywords count most, repeats of one keyword add little."""
    if not counts:
        return 0.0
    mass = sum(math.log1p(c) for c in counts.values())
    return 1.0 - math.exp(-mass / 2.0)


def trim(text: str, limit: int = 300) -> str:
    """One line of at most `limit` characters, cut at a word boundary with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
