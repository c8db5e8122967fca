"""Whole boilerplate boxes (extractors/content/_boxes.py and the box rules of _clean.py).

A fixed subset of bench/eval_boxes.py's generated pages (24 templates, seed 7, 2 pages each) must stay at or
under the floors in tests/boxes_floor.json; the unit tests below pin single behaviours on real pages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from extractors.content import extract_article
from extractors.content._boxes import box_kinds, remove_boxes, restore_boxes
from extractors.content.article import parse_html

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import eval_boxes  # noqa: E402

FLOOR = json.loads((Path(__file__).parent / "boxes_floor.json").read_text("utf-8"))

PROSE = ("The city council said on Tuesday that the new rail line would open eight months late, and that the "
         "cost of the works had risen by a fifth since the plan was approved. Critics said the figures did not "
         "include the cost of maintenance or the new depot.")
PROSE2 = ("Regional officials estimated that water levels in the reservoir were the lowest in twelve years. "
          "Farmers have been told to expect restrictions from June, and a final vote on the rationing plan is "
          "expected before the end of the month.")


def _page(body: str) -> str:
    return (f"<html><head><title>Rail plan delayed</title></head><body><header><a href='/'>Home</a></header>"
            f"<article><h1>Rail plan delayed</h1><div class='entry-content'><p>{PROSE}</p>{body}<p>{PROSE2}</p>"
            f"</div></article><footer>Example 2024</footer></body></html>")


def _text(html: str) -> str:
    return extract_article(html, "https://example.org/news/rail").text


def test_generated_pages_stay_within_floors():
    pages = eval_boxes.make_pages("test", per_template=2)
    assert len({p.template for p in pages}) >= 20
    sc = eval_boxes.score_pages(pages)
    assert sc.survival <= FLOOR["max_surviving_share"], sc.left
    assert sc.recall >= FLOOR["min_text_recall"], sc.prose_lost
    assert len(sc.look_lost) <= FLOOR["max_lookalikes_lost"], sc.look_lost
    for kind in eval_boxes.KINDS:  # every kind of box is in the subset
        assert sc.strings[kind] > 0, kind


@pytest.mark.parametrize("box", [
    "<div class='c-newsletter'><h3>Sign up for our newsletter</h3><p>Every Friday in your inbox.</p>"
    "<form><input type='email' name='email'><button>Go</button></form></div>",
    "<aside><h4>Support independent reporting</h4><p>We rely on readers like you to keep going.</p>"
    "<a class='btn' href='/donate'>Donate now</a></aside>",
    "<div class='author-box'><img src='/a.jpg'><p>Jane Holloway covers energy for the desk. She lives in Leeds "
    "with two cats.</p></div>",
    "<div id='ez-toc-container'><p>Contents</p><ul><li><a href='#a'>What changed</a></li>"
    "<li><a href='#b'>Who pays</a></li></ul></div>",
    "<section><h2>You'll also love</h2><ul><li><a href='/x'>Ten things about trains</a></li>"
    "<li><a href='/y'>How buses work now</a></li></ul></section>",
    "<figure><img src='/p.jpg'><figcaption>Workers on the line. Photo: Sam Lee / AP</figcaption></figure>",
    "<div class='module'><h3>12 Comments</h3><ol><li><b>Mike</b><p>Great piece, thanks a lot.</p>"
    "<a href='#r'>Reply</a></li></ol></div>",
    "<div class='promo-box'><p>Our pick: a power bank that is cheap today.</p><a href='/buy'>Check price</a></div>",
])
def test_a_box_goes_whole_and_the_article_stays(box):
    text = _text(_page(box))
    assert PROSE in text and PROSE2 in text
    inner = " ".join(lxml.html.fragment_fromstring(box).text_content().split())
    for word in inner.split():
        if len(word) > 6:  # no longer word of the box is left anywhere in the text
            assert word not in text.replace(PROSE, "").replace(PROSE2, ""), (word, text)


def test_look_alike_sentences_stay():
    looks = ["Subscribers to the service rose 12% in the last quarter, the company said.",
             "The comments section of the report lists 14 objections from neighbouring towns.",
             "Donations to the charity fell by 8% after the tax change, according to its accounts."]
    body = "".join(f"<p>{s}</p>" for s in looks)
    text = _text(_page(body))
    for s in looks:
        assert s in text


def _boxes_found(body: str) -> list[tuple[str, str]]:
    return box_kinds(parse_html(_page(body)))


def test_a_semantic_class_around_prose_is_not_evidence():
    """A 'newsletter' section of a story about newsletters, a comment-classed forum post, a 'related' box of
    paragraphs: prose, so not boxes (trafilatura may still drop some of them on its own class rules)."""
    long_para = ("The newsletter business has changed a great deal since the first paid lists appeared, and "
                 "several of the writers interviewed for this piece now earn more from readers than they did in "
                 "their old newsroom jobs, though most of them admit the work never really stops.")
    assert _boxes_found(f"<div class='newsletter-economy'><p>{long_para}</p></div>") == []
    assert _boxes_found(f"<div class='comment-body'><p>{long_para}</p></div>") == []
    assert _boxes_found(f"<div class='related'><h3>Related</h3><p>{long_para} <a href='/a'>a</a> "
                        "<a href='/b'>b</a></p></div>") == []
    assert _boxes_found("<div class='comments-intro'><p>Short note here.</p></div>") == []  # no heading/form
    # the same boxes with their evidence are found
    assert [k for k, _ in _boxes_found("<div class='newsletter-economy'><p>Weekly, free.</p>"
                                       "<form><input type='email'></form></div>")] == ["newsletter"]
    assert [k for k, _ in _boxes_found("<div class='comments-intro'><h3>3 Comments</h3><p>Short note here.</p>"
                                       "</div>")] == ["comments"]


def test_a_descriptive_caption_stays_a_credit_goes():
    caption = ("Northward prison is considered a Category C facility, yet more than half the inmates held there "
               "are classed as Category B, the inspectors found.")
    assert _boxes_found(f"<figure><img src='/p.jpg'><figcaption>{caption} Photo: Alvaro Serey</figcaption>"
                        "</figure>") == []
    found = _boxes_found("<p><img src='/r.jpg'><br><em>Workers on the line. Photo: Sam Lee / AP</em></p>")
    assert [k for k, _ in found] == ["caption"]
    # a <figcaption> stays in the page for trafilatura; a credit it keeps goes with the text rules
    text = _text(_page(f"<figure><img src='/p.jpg'><figcaption>{caption} Photo: Alvaro Serey</figcaption></figure>"
                        "<figure><img src='/q.jpg'><figcaption>Image credit: NASA/JPL</figcaption></figure>"))
    assert "NASA/JPL" not in text


def test_text_only_boxes_are_caught_by_their_wording():
    body = ("<p>This article is part of our series on the future of public transport.</p>"
            "<p>Disclaimer: This content is for informational purposes only and is not financial advice.</p>"
            "<p>Use code SAVE20 for 20% off your first order.</p>"
            "<p>Commuters wait on the platform. Photo: Jane Doe / Reuters</p>"
            "<p>CLICK HERE TO GET THE EXAMPLE NEWS APP</p>"
            "<p>Follow Example Opinion on Facebook, Twitter (@ExOpinion) and Instagram.</p>"
            "<p>Get the latest updates right in your inbox. Subscribe to Example's newsletters.</p>")
    text = _text(_page(body))
    for s in ("part of our series", "not financial advice", "SAVE20", "Jane Doe", "NEWS APP", "@ExOpinion",
              "right in your inbox"):
        assert s not in text, s


def test_sentences_that_only_share_words_with_those_lines_stay():
    body = ("<p>Click here to get the full report, the ministry said in a statement on Monday morning.</p>"
            "<p>Follow the money, the auditors said, and the trail leads to three shell companies.</p>"
            "<p>The series of protests began in March and spread to four other cities within weeks.</p>")
    text = _text(_page(body))
    for s in ("Click here to get the full report", "Follow the money", "The series of protests"):
        assert s in text, s


def test_the_tree_is_restored_for_the_readers_after_trafilatura():
    html = _page("<div class='newsletter'><h3>Sign up</h3><form><input type='email'></form></div>tail text "
                 "<aside class='related'><a href='/a'>A</a> <a href='/b'>B</a></aside>")
    tree = parse_html(html)
    before = etree.tostring(tree)
    removed = remove_boxes(tree)
    assert len(removed) == 2
    during = etree.tostring(tree)
    assert b"newsletter" not in during and b"tail text" in during
    restore_boxes(removed)
    assert etree.tostring(tree) == before


def test_links_of_a_list_item_dropped_by_the_clean_up_are_not_inline_links():
    """A kept list that loses a junk item (a newsletter sign-up) no longer holds that item's link: the
    inline links are those of the list as left, the other items' links all kept in order."""
    from lxml import etree

    from extractors.content._clean import extract_clean_body

    items = "".join(f'<item>Point {i}: the <ref target="https://a.example/p{i}">plan part {i}</ref> was read out '
                    f'to the council members at length, and questions followed from the floor.</item>' for i in range(4))
    body = etree.fromstring(
        '<body><p>The council approved the budget for the new harbour works on Tuesday evening after a long '
        f'debate.</p><list>{items}<item>Sign up for our <ref target="https://a.example/newsletter">newsletter</ref>'
        '</item></list><p>Work will begin in the spring and last about six weeks, the port authority said.</p></body>')
    body, links, counts = extract_clean_body(body, "https://a.example/news/x")
    assert counts == {"newsletter": 1}
    assert [(link.url, link.kind) for link in links] == [(f"https://a.example/p{i}", "inline") for i in range(4)]
    assert b"newsletter" not in etree.tostring(body)
