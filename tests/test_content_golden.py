"""Golden corpus (tests/golden/, built by tests/golden/build_golden.py): for every page, all must-keep
sentences and look-alikes are in Article.text, no junk string is, metadata and links are as expected."""

from __future__ import annotations

from datetime import datetime

import pytest

from content_eval import load_golden
from extractors.content import extract_article
from extractors.models import DateCandidate, SiteProfile  # noqa: F401 (DateCandidate: what date_hints are)

CASES = load_golden()


def _extract(spec: dict, raw: bytes):
    now = datetime.fromisoformat(spec["now"]) if spec.get("now") else None
    return extract_article(raw, spec["url"], encoding=spec.get("encoding"),
                           profile=SiteProfile(repeated_lines=frozenset(spec.get("repeated") or ())), now=now)


def test_corpus_is_big_and_varied():
    assert len(CASES) >= 20
    langs = {spec["meta"].get("language") for _, spec, _ in CASES}
    assert {"en", "de", "fr", "es"} <= langs


@pytest.mark.parametrize("name,spec,raw", CASES, ids=[c[0] for c in CASES])
def test_golden_text(name, spec, raw):
    text = _extract(spec, raw).text
    missing = [s for s in spec["keep"] + spec["lookalikes"] if s not in text]
    survived = [s for s in spec["junk"] if s in text]
    assert not missing, f"{name}: lost {missing}\n---\n{text}"
    assert not survived, f"{name}: junk kept {survived}\n---\n{text}"


@pytest.mark.parametrize("name,spec,raw", CASES, ids=[c[0] for c in CASES])
def test_golden_metadata(name, spec, raw):
    article = _extract(spec, raw)
    meta = spec["meta"]
    for field in ("title", "author", "language", "site_name", "canonical_url", "date_source"):
        if field in meta:
            assert getattr(article, field) == meta[field], f"{name}: {field}"
    if "published_at" in meta:
        assert article.published_at is not None, f"{name}: no date; candidates {article.date_candidates}"
        assert article.published_at.date().isoformat() == meta["published_at"], name
        assert article.published_at.tzinfo is not None and article.published_at.utcoffset().total_seconds() == 0
    got = {(link.url, link.kind) for link in article.links}
    for url, kind in spec["links"]:
        assert (url, kind) in got, f"{name}: link {url} {kind} not in {sorted(got)}"
