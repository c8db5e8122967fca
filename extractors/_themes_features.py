"""One document's embedding features: whole-document vector, sentence vectors, passage vectors.

The document is tokenised once; token vectors are summed per sentence (np.add.reduceat), and passages
(windows of ~120 words, see _themes_text.passages) are sums of consecutive sentence sums, so a long
article costs one gather and a few small matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._themes_model import StaticEmbedder, normalise
from ._themes_text import MAX_CHARS, Span, passages, sentences


@dataclass(frozen=True, eq=False)
class DocFeatures:
    text: str  # what was scored (title + text, capped at MAX_CHARS)
    doc: np.ndarray  # (dim,) normalised; zeros for a text without tokens
    sents: tuple[Span, ...]  # sentences that hold at least one token
    sent_vecs: np.ndarray  # (n_sents, dim) normalised
    spans: tuple[tuple[int, int], ...]  # passages as (first, last+1) sentence indexes
    passage_vecs: np.ndarray  # (n_passages, dim) normalised


def doc_text(text: str, title: str | None) -> str:
    text = text or ""
    if title and title.strip() and not text.lstrip().startswith(title.strip()):
        text = f"{title.strip()}.\n\n{text}"
    return text[:MAX_CHARS]


def doc_features(emb: StaticEmbedder, text: str) -> DocFeatures:
    dim = emb.dim
    all_sents = sentences(text)
    ids, counts = emb.token_ids([text[s.start:s.end] for s in all_sents])
    if not len(ids):
        z = np.zeros((0, dim), dtype=np.float32)
        return DocFeatures(text, np.zeros(dim, dtype=np.float32), (), z, (), z)
    keep = counts > 0
    sents = tuple(s for s, k in zip(all_sents, keep) if k)
    bounds = np.cumsum(counts[keep]) - counts[keep]
    sums = np.add.reduceat(emb.vectors[ids], bounds, axis=0)
    doc = normalise(sums.sum(axis=0))
    spans = tuple(passages(text, list(sents)))
    cum = np.vstack([np.zeros((1, dim), dtype=np.float32), np.cumsum(sums, axis=0)])
    starts = np.fromiter((a for a, _ in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((b for _, b in spans), dtype=np.int64, count=len(spans))
    return DocFeatures(text, doc, sents, normalise(sums), spans, normalise(cum[ends] - cum[starts]))
