"""Dates: every candidate with its source, fixed precedence, implausible dates rejected."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from extractors.content._dates import PRECEDENCE, choose_date, parse_date
from extractors.content import extract_article
from extractors.models import DateCandidate

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
BODY = "<p>" + "A long enough paragraph about the harbour and its ferries, written for the test. " * 4 + "</p>"


def _page(head: str = "", body_extra: str = "") -> str:
    return f'<html lang="en"><head><title>T</title>{head}</head><body><article>{BODY}{body_extra}</article></body></html>'


def test_parse_date_normalises_to_utc():
    assert parse_date("2024-03-05T09:30:00+01:00") == datetime(2024, 3, 5, 8, 30, tzinfo=timezone.utc)
    assert parse_date("2024-03-05").tzinfo == timezone.utc
    assert parse_date("yesterday") is None
    assert parse_date("2024-02-30") is None


def test_precedence_and_every_candidate_kept():
    head = ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-02T10:00:00Z"}</script>'
            '<meta property="article:published_time" content="2024-03-03T10:00:00Z">')
    art = extract_article(_page(head, '<time datetime="2024-03-04">4 March</time>'),
                          "https://h.example/2024/03/05/story", now=NOW,
                          date_hints=(DateCandidate(datetime(2024, 3, 1, 12, tzinfo=timezone.utc), "feed"),))
    sources = [c.source for c in art.date_candidates]
    assert {"feed", "jsonld", "meta", "time", "url"} <= set(sources)
    assert art.date_source == "jsonld" and art.published_at == datetime(2024, 3, 2, 10, tzinfo=timezone.utc)


def test_feed_hint_beats_url_and_text():
    art = extract_article(_page(body_extra="<p>Published 7 May 2024.</p>"), "https://h.example/2024/05/09/x",
                          now=NOW, date_hints=(DateCandidate(datetime(2024, 5, 8), "feed"),))
    assert art.date_source == "feed" and art.published_at == datetime(2024, 5, 8, tzinfo=timezone.utc)


def test_future_and_prehistoric_dates_are_rejected_but_kept_as_candidates():
    head = ('<meta property="article:published_time" content="2030-01-01T00:00:00Z">'
            '<meta name="dc.date" content="1990-05-05">')
    art = extract_article(_page(head), "https://h.example/news/x", now=NOW)
    assert art.published_at is None and art.date_source is None
    assert len(art.date_candidates) == 2
    art = extract_article(_page(head), "https://h.example/2024/05/20/x", now=NOW)
    assert art.date_source == "url"


def test_text_date_in_several_languages():
    for text, expected in (("3. März 2024", datetime(2024, 3, 3)), ("3 mars 2024", datetime(2024, 3, 3)),
                           ("3 de marzo de 2024", datetime(2024, 3, 3)), ("March 3, 2024", datetime(2024, 3, 3))):
        art = extract_article(_page(body_extra=f"<p>{text}</p>"), "https://h.example/a", now=NOW)
        assert (art.date_source, art.published_at) == ("text", expected.replace(tzinfo=timezone.utc)), text


def test_choose_date_order_is_the_documented_one():
    d = datetime(2020, 1, 1, tzinfo=timezone.utc)
    cands = tuple(DateCandidate(d + timedelta(days=i), s) for i, s in enumerate(reversed(PRECEDENCE)))
    assert choose_date(cands, NOW)[1] == PRECEDENCE[0]
    assert choose_date((DateCandidate(d, "whatever"),), NOW) == (d, "whatever")
