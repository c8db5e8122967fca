"""extractors.dedupe: content hash, signed 64-bit SimHash, deterministic near-duplicate clusters."""

from __future__ import annotations

import random

from extractors.dedupe import (content_hash, extract_near_duplicate_clusters, hamming_distance, simhash,
                               to_signed64, to_unsigned64)

TEXT = " ".join(f"Sentence {i} talks about lonely people and their chatbots in city number {i % 7}." for i in range(60))


def test_content_hash_ignores_case_spacing_and_unicode_form():
    assert content_hash("Café  au\nlait") == content_hash("CAFÉ au lait")
    assert content_hash("Cafe\u0301 au lait") == content_hash("café au lait")  # NFKC composes
    assert content_hash("a b") != content_hash("a c")
    assert len(content_hash("x")) == 64


def test_simhash_fits_signed_bigint_and_is_stable():
    values = [simhash(TEXT), simhash("another text entirely " * 20), simhash("")]
    for v in values:
        assert -(2 ** 63) <= v < 2 ** 63
    assert simhash(TEXT) == simhash(TEXT.upper())
    assert simhash("") == 0
    assert to_signed64(to_unsigned64(-5)) == -5


def test_near_duplicates_are_close_and_different_texts_far():
    edited = TEXT.replace("Sentence 3 ", "Phrase 3 ", 1)
    assert hamming_distance(simhash(TEXT), simhash(edited)) <= 3
    other = " ".join(f"Recipe step {i}: fold the dough and rest it for {i} minutes." for i in range(60))
    assert hamming_distance(simhash(TEXT), simhash(other)) > 10


def test_clusters_are_transitive_deterministic_and_keep_singletons():
    base = 0b1011 << 40
    items = [("c", base), ("a", base ^ 0b1), ("b", base ^ 0b111), ("z", to_signed64(~base)), ("d", base ^ 0b1111000)]
    out = extract_near_duplicate_clusters(items, max_distance=3)
    assert out["a"] == out["b"] == out["c"] == "a"  # b is 3 bits from c, 2 from a
    assert out["z"] == "z"
    assert out["d"] == "d"  # 4 bits from c
    shuffled = items[:]
    random.Random(1).shuffle(shuffled)
    assert extract_near_duplicate_clusters(shuffled, max_distance=3) == out


def test_clusters_accept_negative_signed_fingerprints():
    fp = to_signed64(1 << 63 | 5)
    assert fp < 0
    out = extract_near_duplicate_clusters([(2, fp), (1, fp ^ 1)], max_distance=1)
    assert out == {1: 1, 2: 1}
