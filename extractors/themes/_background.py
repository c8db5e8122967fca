"""The background sample: generic articles that calibrate each theme's scores (z-scoring).

Texts: extractors/themes/data/background/texts.jsonl (written for this project; see PROVENANCE.md there).
Their embeddings for the shipped model are precomputed in features.npz by bench/build_background.py;
for any other model (or if the file is stale) they are computed from the texts on first use, once per
process.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._features import doc_features
from ._model import StaticEmbedder

BACKGROUND_DIR = Path(__file__).resolve().parent / "data" / "background"
TEXTS_FILE = BACKGROUND_DIR / "texts.jsonl"
FEATURES_FILE = BACKGROUND_DIR / "features.npz"

_CACHE: dict[str, "Background"] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True, eq=False)
class Background:
    texts: tuple[str, ...]
    docs: np.ndarray  # (n, dim) float32, normalised
    passages: np.ndarray  # (p, dim) float32, normalised
    passage_doc: np.ndarray  # (p,) int64: which text each passage belongs to (sorted)


def load_texts() -> tuple[str, ...]:
    with TEXTS_FILE.open(encoding="utf-8") as f:
        return tuple(json.loads(line)["text"] for line in f if line.strip())


def compute_background(emb: StaticEmbedder, texts: tuple[str, ...]) -> Background:
    docs, passages = [], []
    for t in texts:  # one text's features at a time: their token vectors (~1 KB per token) are dropped
        f = doc_features(emb, t)
        docs.append(f.doc)
        passages.append(f.passage_vecs if len(f.passage_vecs) else f.doc[None, :])
    owner = np.concatenate([np.full(len(p), i, dtype=np.int64) for i, p in enumerate(passages)])
    return Background(texts, np.stack(docs).astype(np.float32), np.concatenate(passages).astype(np.float32), owner)


_SOURCE_CACHE: "OrderedDict[tuple[str, int], Background]" = OrderedDict()
SOURCE_TEXT_CHARS = 20_000  # a stored article counts with at most this much of its text


def source_background(emb: StaticEmbedder, texts: tuple[str, ...]) -> Background:
    """A background made of a source's own stored articles (cached per process, LRU 16)."""
    key = (emb.digest, hash(texts))
    with _LOCK:
        if key in _SOURCE_CACHE:
            _SOURCE_CACHE.move_to_end(key)
            return _SOURCE_CACHE[key]
    bg = compute_background(emb, tuple(t[:SOURCE_TEXT_CHARS] for t in texts))
    with _LOCK:
        _SOURCE_CACHE[key] = bg
        while len(_SOURCE_CACHE) > 16:
            _SOURCE_CACHE.popitem(last=False)
    return bg


def load_background(emb: StaticEmbedder) -> Background:
    """The background for this embedder: precomputed if the shipped file matches its digest."""
    with _LOCK:
        if emb.digest not in _CACHE:
            _CACHE[emb.digest] = _load(emb)
        return _CACHE[emb.digest]


def _load(emb: StaticEmbedder) -> Background:
    texts = load_texts()
    if FEATURES_FILE.exists():
        with np.load(FEATURES_FILE) as z:
            if str(z["digest"]) == emb.digest and int(z["n_texts"]) == len(texts):
                return Background(texts, z["docs"].astype(np.float32), z["passages"].astype(np.float32),
                                  z["passage_doc"].astype(np.int64))
    return compute_background(emb, texts)


def save_features(bg: Background, digest: str, path: Path = FEATURES_FILE) -> None:
    np.savez_compressed(path, digest=np.array(digest), n_texts=np.array(len(bg.texts)),
                        docs=bg.docs.astype(np.float16), passages=bg.passages.astype(np.float16),
                        passage_doc=bg.passage_doc.astype(np.int32))
