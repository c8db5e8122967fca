"""A source's own background (its stored articles, embedded in every extraction worker on a warm run)
is built one text at a time: its peak memory does not grow with the token vectors of all the texts."""

from __future__ import annotations

import tracemalloc

import numpy as np


def test_a_source_background_of_many_texts_is_built_without_holding_every_texts_token_vectors():
    from extractors.themes._background import compute_background
    from extractors.themes._model import load_embedder

    emb = load_embedder()
    words = ("loneliness community isolation companion therapy carers village library volunteers "
             "evening neighbours").split()
    texts = tuple(". ".join(" ".join(words[(i + j) % len(words)] for j in range(12)) for _ in range(40))
                  + f" text {i}." for i in range(120))
    compute_background(emb, texts[:2])  # first-call caches out of the measurement
    tracemalloc.start()
    try:
        bg = compute_background(emb, texts)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert bg.docs.shape == (len(texts), emb.dim) and len(bg.passage_doc) == len(bg.passages)
    assert set(np.unique(bg.passage_doc)) == set(range(len(texts)))
    # every text's token vectors held until the end: a ~69 MB peak here; one text at a time: ~3 MB
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.0f} MB"
