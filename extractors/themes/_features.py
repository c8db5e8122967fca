"""One document's embedding features: whole-document vector, sentence vectors, passage vectors.

The document is tokenised once; token vectors are summed per sentence (np.add.reduceat), and passages
(windows of ~120 words, see _text.passages) are sums of consecutive sentence sums, so a long
article costs one gather and a few small matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._model import StaticEmbedder, normalise
from ._text import MAX_CHARS, Span, passages, sentences


@dataclass(frozen=True, eq=False)
class DocFeatures:
    text: str  # what was scored (title + text, capped at MAX_CHARS)
    doc: np.ndarray  # (dim,) normalised; zeros for a text without tokens
    sents: tuple[Span, ...]  # sentences that hold at least one token
    spans: tuple[tuple[int, int], ...]  # passages as (first, last+1) sentence indexes
    passage_vecs: np.ndarray  # (n_passages, dim) normalised
    token_vecs: np.ndarray  # (n_tokens, dim): kept to embed single sentences for evidence
    sent_bounds: np.ndarray  # (n_sents + 1,) token offsets of the sentences
    _sent_cache: dict = field(default_factory=dict, repr=False)

    def sentence_vecs(self, first: int, last: int) -> np.ndarray:
        """Normalised embeddings of sentences first..last-1 (cached: themes often share a passage)."""
        key = (first, last)
        if key not in self._sent_cache:
            b = self.sent_bounds
            self._sent_cache[key] = normalise(np.stack([self.token_vecs[b[i]:b[i + 1]].sum(axis=0)
                                                        for i in range(first, last)]))
        return self._sent_cache[key]


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
        return DocFeatures(text, np.zeros(dim, dtype=np.float32), (), (), z, z, np.zeros(1, dtype=np.int64))
    keep = counts > 0
    sents = tuple(s for s, k in zip(all_sents, keep) if k)
    bounds = np.concatenate([[0], np.cumsum(counts[keep])])
    vecs = emb.rows(ids)
    spans = tuple(passages(text, list(sents)))
    # slices + sum(axis=0) are much faster here than np.add.reduceat or cumsum over (tokens, dim)
    pas = np.stack([vecs[bounds[a]:bounds[b]].sum(axis=0) for a, b in spans])
    return DocFeatures(text, normalise(vecs.sum(axis=0)), sents, spans, normalise(pas), vecs, bounds)
