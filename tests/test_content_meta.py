"""Metadata of a page: entities decoded, authors (bylines, Person lists, what is not a name) with their
sources, trafilatura's readers where ours find nothing, and pages that used to make extraction fail."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from extractors.config import ThemeSet
from extractors.content import extract_article
from extractors.content._authors import PRECEDENCE, choose_author
from extractors.content._entities import decode_entities
from extractors.models import AuthorCandidate, Candidate, FetchResult

PARAS = "".join(f"<p>{t}</p>" for t in (
    "The harbour authority approved a plan to dredge the eastern channel before the summer season begins.",
    "Fishermen had complained for years that silt made the channel dangerous at low tide for larger boats.",
    "The work will take about six weeks and will be paid for from the port's maintenance budget this year."))
URL = "https://www.portnews.example/news/dredging"
NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)


def page(head: str = "", top: str = "", title: str = "Harbour Dredging Approved") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><header>{top}</header>"
            f"<article><h1>Harbour Dredging Approved</h1>{PARAS}</article></body></html>")


def jsonld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{content}">'


def test_entities_are_decoded_in_title_author_and_site_name_also_double_escaped():
    head = (meta("og:title", "Swift&amp;#8217;s &amp;quot;Best&amp;quot; Work") + meta("author", "Zo&amp;euml; Ba&amp;#241;os")
            + '<meta property="og:site_name" content="Port &amp;amp; Harbour News">')
    art = extract_article(page(head), URL)
    assert art.title == 'Swift’s "Best" Work'
    assert art.author == "Zoë Baños"
    assert art.site_name == "Port & Harbour News"
    ld = jsonld({"@type": "NewsArticle", "headline": "Tom &amp; Jerry&#8217;s harbour", "author": {"name": "J&#233;r&#244;me Roe"}})
    art = extract_article(page(ld), URL)
    assert (art.title, art.author) == ("Tom & Jerry’s harbour", "Jérôme Roe")
    assert decode_entities("AT&amp;amp;T &#x2014; Q&A; fish & chips") == "AT&T — Q&A; fish & chips"
    assert decode_entities(None) is None


@pytest.mark.parametrize("byline,names", [
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("Von Max Beispiel und Erika Muster", ["Max Beispiel", "Erika Muster"]),
    ("Par Claire Dubois et Luc Martin", ["Claire Dubois", "Luc Martin"]),
    ("A. Smith, B. Jones &amp; C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
    ("Jane Doe; John Roe", ["Jane Doe", "John Roe"]),
    ("Jane Doe, Senior Correspondent", ["Jane Doe"]),
    ("Doe, Jane", ["Jane Doe"]),
    ("Associated Press in Valencia", ["Associated Press"]),
    ("Jane Doe (Hamburg)", ["Jane Doe"]),
    ("Von Max Beispiel, Berlin, und dpa", ["Max Beispiel", "dpa"]),
    ("Martin Untersinger (avec Damien Leloup et Morgane Tual)", ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]),
])
def test_byline_forms_become_names(byline, names):
    art = extract_article(page(meta("author", byline)), URL)
    assert [c.name for c in art.author_candidates if c.source == "meta"] == names
    assert art.author == ", ".join(names)


def test_schema_org_person_arrays_give_every_author_and_organizations_are_skipped():
    ld = jsonld({"@type": "NewsArticle", "headline": "Harbour Dredging Approved", "author": [
        {"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"},
        {"@type": "Organization", "name": "Port News Agency"}, "Mia Lund"]})
    art = extract_article(page(ld + meta("author", "Jane Doe")), URL)
    assert art.author == "Jane Doe, John Roe, Mia Lund"
    assert [(c.name, c.source) for c in art.author_candidates] == [
        ("Jane Doe", "jsonld"), ("John Roe", "jsonld"), ("Mia Lund", "jsonld"), ("Jane Doe", "meta")]


@pytest.mark.parametrize("value", [
    "Port News", "portnews.example", "www.portnews.example", "Port News Staff", "Staff", "Admin", "Redaktion",
    "NZZ-Redaktion", "https://social.example/janedoe", "jane.doe@portnews.example", "@janedoe", "jane-doe",
    "Deutsche Welle (www.dw.com)", "17:07 IST", "Port News Nachrichten",
])
def test_site_names_desks_urls_addresses_and_slugs_are_not_authors(value):
    head = '<meta property="og:site_name" content="Port News">' + meta("author", value)
    art = extract_article(page(head), URL)
    assert art.author is None and not [c for c in art.author_candidates if c.source == "meta"], value


def test_page_bylines_rel_author_and_precedence():
    top = ('<div class="article__byline">Von <span>Jane Doe</span>, Hamburg</div>'
           '<a rel="author" href="/authors/john-roe">John Roe</a>')
    art = extract_article(page(top=top), URL)
    assert art.author == "John Roe"  # rel=author comes before the byline elements, which are then not read
    assert art.author_candidates == (AuthorCandidate("John Roe", "rel_author"),)
    art = extract_article(page(top=top.split("<a ")[0]), URL)
    assert art.author_candidates == (AuthorCandidate("Jane Doe", "byline"),)  # "Von", ", Hamburg" are not names
    separate = '<div class="byline"><span>Birgit Baumann</span><span>Anna Giulia Fink</span></div>'
    assert extract_article(page(top=separate), URL).author == "Birgit Baumann, Anna Giulia Fink"
    related = ('<a rel="author" href="/a/1">Jane Doe</a><aside><ul><li><p><a rel="author" href="/a/2">Olu Ade</a>'
               '</p></li></ul></aside>')
    assert extract_article(page(top=related), URL).author == "Jane Doe"  # not the related stories' authors
    assert PRECEDENCE == ("jsonld", "meta", "rel_author", "byline", "text", "trafilatura")
    cands = (AuthorCandidate("B", "byline"), AuthorCandidate("A", "meta"), AuthorCandidate("C", "meta"))
    assert choose_author(cands) == "A, C" and choose_author(()) is None


def test_trafilatura_readers_fill_in_where_ours_find_nothing():
    art = extract_article(page(top='<div id="author">Jane Doe</div>'), URL, now=NOW)
    assert art.author == "Jane Doe"
    assert art.author_candidates == (AuthorCandidate("Jane Doe", "trafilatura"),)
    art = extract_article(page(top='<div class="post-date">2024/03/05</div>'), URL, now=NOW)
    assert (art.published_at, art.date_source) == (datetime(2024, 3, 5, tzinfo=timezone.utc), "trafilatura")
    # ours first: with a byline and a JSON-LD date, trafilatura's readers are not asked
    ld = jsonld({"@type": "NewsArticle", "datePublished": "2024-03-04T10:00:00Z", "author": {"name": "Mia Lund"}})
    art = extract_article(page(ld, top='<div id="author">Jane Doe</div><div class="post-date">2024/03/05</div>'),
                          URL, now=NOW)
    assert (art.author, art.date_source) == ("Mia Lund", "jsonld")
    assert {c.source for c in art.author_candidates} == {"jsonld"}
    assert "trafilatura" not in {c.source for c in art.date_candidates}


def test_json_ld_wrapped_in_cdata_is_read():
    ld = jsonld({"@type": "NewsArticle", "datePublished": "2024-03-04T10:00:00Z", "author": {"name": "Mia Lund"}})
    art = extract_article(page(ld.replace('json">', 'json"><![CDATA[').replace("</script>", "]]></script>")), URL)
    assert (art.author, art.date_source, art.published_at) == ("Mia Lund", "jsonld", datetime(2024, 3, 4, 10, tzinfo=timezone.utc))


DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_AUTHOR = '{"@type":"NewsArticle","author":' + "[" * 900 + '"Jane Doe"' + "]" * 900 + "}"


@pytest.mark.parametrize("head", [
    f'<script type="application/ld+json">{DEEP_JSON}</script>',
    '<script type="application/ld+json">' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "</script>",
    f'<script type="application/ld+json">{DEEP_AUTHOR}</script>',
])
def test_json_ld_nested_deeper_than_the_decoder_is_skipped_not_fatal(head):
    """These pages used to raise RecursionError out of extract_article (the article was lost)."""
    art = extract_article(page(head), URL)
    assert "dredge the eastern channel" in art.text


@pytest.mark.parametrize("body", [
    page(f'<script type="application/ld+json">{DEEP_JSON}</script>').encode(),
    ("<html><body>" + "<div>" * 50_000 + PARAS + "</div>" * 50_000 + "</body></html>").encode(),
    page().encode("utf-16-le"),
    b"<meta charset='x-no-such-charset'>" + page().encode("utf-8") + b"\xff\xfe\x00",
])
def test_no_page_makes_processing_raise(body):
    from extractors.process import extract_processed_page

    cand = Candidate(URL, "port", "link")
    fetched = FetchResult(url=URL, final_url=URL, outcome="ok", status_code=200, body=body)
    out = extract_processed_page(cand, fetched, ThemeSet(themes=()))
    assert out.article is not None or (out.skip.outcome == "extract_failed" and out.skip.reason)


def test_a_failing_classifier_is_a_recorded_skip(monkeypatch):
    from extractors import process, themes

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(themes, "classify_article", broken)
    cand = Candidate(URL, "port", "link")
    fetched = FetchResult(url=URL, final_url=URL, outcome="ok", status_code=200, body=page().encode())
    out = process.extract_processed_page(cand, fetched, ThemeSet(themes=("harbour",)))
    assert out.article is None and out.skip.stage == "classify" and "RecursionError" in out.skip.reason


def test_labelled_datelines_near_the_headline_give_the_instant_in_utc():
    top = '<p class="meta">Published: 3 March 2024, 14:35 CET</p>'
    art = extract_article(page(top=top), URL, now=NOW)
    assert (art.published_at, art.date_source) == (datetime(2024, 3, 3, 13, 35, tzinfo=timezone.utc), "dateline")
    # a label in one element and the date in the next; a time without a zone is in the page's own offset
    top = "<ul><li><strong>Datum</strong></li><li>28.04.2023 um 18:16 Uhr</li></ul>"
    head = meta("article:modified_time", "2023-04-29T10:00:00+02:00")
    art = extract_article(page(head, top), URL, now=NOW)
    assert art.published_at == datetime(2023, 4, 28, 16, 16, tzinfo=timezone.utc) and art.date_source == "dateline"
    # a date without a label near the headline is not taken for the publication's
    art = extract_article(page(top="<p>3 March 2024</p>"), URL, now=NOW)
    assert art.date_source != "dateline"


def test_updated_date_is_kept_apart_from_the_published_one():
    head = jsonld({"@type": "NewsArticle", "datePublished": "2024-03-02T10:00:00+01:00",
                   "dateModified": "2024-03-04T08:30:00+01:00"})
    art = extract_article(page(head), URL, now=NOW)
    assert art.published_at == datetime(2024, 3, 2, 9, tzinfo=timezone.utc)
    assert art.updated_at == datetime(2024, 3, 4, 7, 30, tzinfo=timezone.utc)
    # an "update" at the publication instant is no update
    same = jsonld({"@type": "NewsArticle", "datePublished": "2024-03-02T10:00:00Z", "dateModified": "2024-03-02T10:00:00Z"})
    assert extract_article(page(same), URL, now=NOW).updated_at is None
    # visible datelines in other languages, the published one and the updated one apart
    for top, want in (("<p>Veröffentlicht am 02.03.2024, 10:00 Uhr | Aktualisiert am 04.03.2024, 09:10 Uhr MEZ</p>",
                       datetime(2024, 3, 4, 8, 10, tzinfo=timezone.utc)),
                      ("<p>Publié le 2 mars 2024</p><p>Mis à jour le 5 mars 2024 à 14h05 UTC</p>",
                       datetime(2024, 3, 5, 14, 5, tzinfo=timezone.utc)),
                      ("<p>Updated: Mar. 6, 2024 at 2:05 p.m. EST</p>", datetime(2024, 3, 6, 19, 5, tzinfo=timezone.utc))):
        art = extract_article(page(top=top), URL, now=NOW)
        assert art.updated_at == want, top
        assert art.published_at != want, top
    assert extract_article(page(), URL, now=NOW).updated_at is None


def test_visible_bylines_near_the_headline_without_byline_markup():
    top = '<p class="reader__meta">von <a href="/autoren/name/max-kolter">Dr. Max Kolter</a></p><p>20.10.2025</p>'
    art = extract_article(page(top=top).replace("<header>", "<header><h1>Harbour Dredging Approved</h1>"), URL)
    assert art.author == "Dr. Max Kolter" and art.author_candidates == (AuthorCandidate("Dr. Max Kolter", "text"),)
    top = ('<h1>Harbour Dredging Approved</h1><ul><li>Von: <span><a href="/p/bm">Bill MCCARTHY</a>, </span>'
           '<span><a href="/p/mg">Marisha GOLDHAMER</a></span></li><li>Übersetzung:</li><li>Karl Maier</li></ul>')
    assert extract_article(page(top=top), URL).author == "Bill MCCARTHY, Marisha GOLDHAMER"
    # a word that only starts like a byline lead is not one; a sentence of the story is not a byline
    top = "<h1>Harbour Dredging Approved</h1><p>Bypass</p><p>Von Anfang an war klar, dass es teuer wird.</p>"
    assert extract_article(page(top=top), URL).author is None


def test_teaser_bylines_initials_in_parentheses_and_cjk_roles():
    teaser = ('<div class="teaser"><h3>Other story</h3><span class="teaser-footer__author">von Patrick Roe</span></div>')
    art = extract_article(page(top=teaser), URL)
    assert not [c for c in art.author_candidates if c.source in ("byline", "text")]  # another story's byline
    head = jsonld({"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Esther Blank (esb)"},
                                                      {"@type": "Person", "name": "Corina Gall (cog.)"}]})
    assert extract_article(page(head), URL).author == "Esther Blank, Corina Gall"
    assert extract_article(page(meta("author", "신현주 기자")), URL).author == "신현주"
