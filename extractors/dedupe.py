"""Exact and near-duplicate detection over article text (pure).

- content_hash: sha256 (hex) of the normalised text (NFKC, lower-case, whitespace collapsed), so that
  re-encodings and spacing changes do not make a "new" article.
- simhash: 64-bit SimHash over word 3-shingles (per-word CRC hashes mixed per shingle). Returned as a SIGNED int64
  (two's complement of the unsigned 64-bit fingerprint) so it fits DuckDB BIGINT as is;
  hamming_distance() works on either form.
- extract_near_duplicate_clusters: groups items whose SimHashes are within max_distance bits
  (transitively), cluster id = the smallest article_id in the group; deterministic whatever the input order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Hashable, Sequence
from functools import lru_cache

_WORD = re.compile(r"\w+", re.U)
_MASK64 = (1 << 64) - 1
SHINGLE = 3


@lru_cache(maxsize=4)  # content_hash and simhash of one article share the work
def normalize_text(text: str) -> str:
    text = text or ""
    if not unicodedata.is_normalized("NFKC", text):  # the check is ~10x cheaper than normalize() on NFKC text
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.lower().split())


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def to_signed64(value: int) -> int:
    value &= _MASK64
    return value - (1 << 64) if value >= (1 << 63) else value


def to_unsigned64(value: int) -> int:
    return value & _MASK64


def _word_hash(word: str) -> int:
    """64 bits from two CRC-32s (C speed, stable across processes and platforms; mixed again below)."""
    data = word.encode("utf-8")
    return zlib.crc32(data) | (zlib.crc32(data, 0x9E3779B9) << 32)


def simhash(text: str, shingle: int = SHINGLE) -> int:
    """64-bit SimHash of the text's word shingles, as a signed int64 (0 for empty text).

    Each distinct word is hashed once (two CRC-32s); a shingle's hash is a multiply-xorshift mix of its
    words' hashes (vectorised with numpy, uint64 arithmetic wraps), so long texts cost little.
    """
    import numpy as np

    words = _WORD.findall(normalize_text(text))
    if not words:
        return 0
    hashes = {w: _word_hash(w) for w in set(words)}
    wh = np.fromiter(map(hashes.__getitem__, words), dtype=np.uint64, count=len(words))
    n = max(1, len(words) - shingle + 1)
    h = np.zeros(n, dtype=np.uint64)
    for k in range(min(shingle, len(words))):
        h = (h ^ wh[k:k + n]) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
    bits = np.unpackbits(h.astype("<u8").view(np.uint8).reshape(n, 8), axis=1, bitorder="little")
    ones = bits.sum(axis=0, dtype=np.int64)  # ones[i] = how many shingles have bit i set
    value = sum(1 << bit for bit in np.flatnonzero(2 * ones > n).tolist())
    return to_signed64(value)


def hamming_distance(a: int, b: int) -> int:
    return bin(to_unsigned64(a) ^ to_unsigned64(b)).count("1")


def extract_near_duplicate_clusters(items: Sequence[tuple[Hashable, int]], max_distance: int = 3
                                    ) -> dict[Hashable, Hashable]:
    """{article_id: cluster_id} for EVERY item; singletons are their own cluster.

    Candidate pairs come from bands: with max_distance d, splitting the 64 bits into d+1 bands guarantees
    two fingerprints within d bits agree exactly on at least one band (pigeonhole), so no pair is missed.
    """
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: Hashable, b: Hashable) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra <= rb else (rb, ra)
            parent[hi] = lo

    fps = {}
    for article_id, fp in items:
        parent.setdefault(article_id, article_id)
        fps[article_id] = to_unsigned64(fp)
    bands = max_distance + 1
    width = -(-64 // bands)
    for band in range(bands):
        buckets: dict[int, list[Hashable]] = defaultdict(list)
        for article_id, fp in fps.items():
            buckets[(fp >> (band * width)) & ((1 << width) - 1)].append(article_id)
        for ids in buckets.values():
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    if find(a) != find(b) and hamming_distance(fps[a], fps[b]) <= max_distance:
                        union(a, b)
    return {article_id: find(article_id) for article_id in sorted(parent)}
