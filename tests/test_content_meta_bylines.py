"""Bylines and datelines the way templates write them, and author bio boxes that are no byline."""

from __future__ import annotations

from datetime import date, datetime, timezone

from extractors.content import extract_article

PARAS = "".join(f"<p>{t}</p>" for t in (
    "The harbour authority approved a plan to dredge the eastern channel before the summer season begins.",
    "Fishermen had complained for years that silt made the channel dangerous at low tide for larger boats.",
    "The work will take about six weeks and will be paid for from the port's maintenance budget this year.",
    "Critics said the figures did not include the cost of maintenance in the years after the dredging."))
URL = "https://www.portnews.example/news/dredging"
NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)


def page(head: str, after: str = "") -> str:
    return (f"<html><head><title>Harbour dredging approved | Port News</title></head><body>"
            f"<div class='main'>{head}<div class='entry-content'>{PARAS}</div>{after}</div></body></html>")


BIO = ('<section id="author-box"><div><strong>About the author</strong></div><p>Marc Dupree writes about '
       'cities and transport. His first book, Slow Roads, came out in 2021.</p><a href="/bio">Follow</a></section>')


def test_an_author_bio_sentence_is_not_the_byline():
    art = extract_article(page("<h1>Harbour dredging approved</h1>", BIO), URL, now=NOW)
    assert art.author is None
    assert art.author_candidates == ()


def test_byline_with_the_date_after_a_middle_dot():
    head = '<h1>Harbour dredging approved</h1><div class="entry-meta">By Jane Holloway · 12 March 2024</div>'
    art = extract_article(page(head, BIO), URL, now=NOW)
    assert art.author == "Jane Holloway"
    assert art.published_at.date() == date(2024, 3, 12)


def test_a_date_alone_right_under_the_headline_is_its_dateline():
    head = ('<div class="hero"><h1 class="headline">Harbour dredging approved</h1><p class="dek">12 March 2024</p>'
            '</div>')
    comments = '<div class="comments"><ol><li><b>sarah_k</b> <span>16 March 2024 at 09:12</span><p>Finally.</p></li></ol></div>'
    art = extract_article(page(head, comments), URL, now=NOW)
    assert art.published_at.date() == date(2024, 3, 12)
    assert art.date_source == "dateline"


def test_a_bare_date_further_down_is_not_the_dateline():
    head = "<h1>Harbour dredging approved</h1><p>A look at the numbers behind the plan</p><p>Port desk</p>"
    related = "<div><h3>Older story</h3><p>12 March 2023</p></div>"
    art = extract_article(page(head + related), URL, now=NOW)
    assert art.date_source != "dateline"


def test_byline_hint_is_trafilaturas_attribute_test():
    """The pre-check for trafilatura's byline XPaths answers as the single XPath it replaces would: a word
    inside a class or id value, 'byl' only as a whole class value (not across two values, not with a
    trailing newline), the other attributes, an <author> element, never the root element's attributes."""
    from lxml import etree, html

    from extractors.content._trafilatura_meta import _byline_hint

    xpath = etree.XPath(
        "boolean(descendant::*/@class[contains(., 'uthor') or contains(., 'yline') or contains(., 'writer') "
        "or contains(., 'screenname') or contains(., 'username') or contains(., 'posted-by') "
        "or contains(., 'submitted-by') or contains(., 'zuozhe') or contains(., 'bianji') or contains(., 'BBL') "
        "or . = 'byl'] | descendant::*/@id[contains(., 'uthor') or contains(., 'zuozhe') or contains(., 'bianji') "
        "or contains(., 'xiaobian')] | descendant::*/@itemprop[contains(., 'author')] "
        "| descendant::*/@data-component[contains(., 'Byline')] | descendant::*/@data-testid[contains(., 'Author')] "
        "| descendant::author)")
    cases = {
        '<div class="post-author">x</div>': True, '<div class="Byline">x</div>': True,
        '<div class="byl">x</div>': True, '<div class="byl x">x</div>': False,
        '<div class="by"></div><div class="l">x</div>': False, '<div class="a"></div><div class="byl">x</div>': True,
        '<div class="byl\n">x</div>': False, '<div id="xiaobian">x</div>': True, '<div class="xiaobian">x</div>': False,
        '<span itemprop="author">x</span>': True, '<div data-component="Byline">x</div>': True,
        '<div data-testid="AuthorName">x</div>': True, '<author>x</author>': True,
        '<div class="aut"></div><div id="hor">x</div>': False, '<p class="story">x</p>': False}
    for body, expected in cases.items():
        tree = html.fromstring(f"<html><body>{body}</body></html>")
        assert xpath(tree) is expected, body
        assert _byline_hint(tree) is expected, body
    root_only = html.fromstring('<html class="author"><body><p>x</p></body></html>')
    assert xpath(root_only) is False and _byline_hint(root_only) is False
