"""Authors: every name a page gives, each with where it came from, and a measured precedence (pure).

Sources (AuthorCandidate.source), in PRECEDENCE order:
- jsonld:      schema.org author of the page's Article objects (a Person, a list of them, or a string);
               Organization authors are left out (they name the publisher)
- meta:        <meta> author, article:author, parsely-author, dc.creator, sailthru.author, cXenseParse:author,
               twitter "Written by" ... (every value of the first key that names someone)
- rel_author:  <a rel="author"> texts (the first link and those beside it)
- byline:      elements with itemprop=author or a byline class ("byline", "post-author", "article__author" ...),
               not those of teasers and related stories
- text:        a visible byline near the headline that no markup names: a text piece "By Jane Doe", or a lead
               ("von", "Von:", "Par", "Autorin/Autor") with the names in the next pieces (the text pieces
               around the <h1> of extractors/content/_datelines.py)
- trafilatura: trafilatura's reading of the page (extractors/content/_trafilatura_meta.py), dropped when the
               page writes one of its names only inside a sentence (its byline XPaths read an author bio)
Names are split and cleaned by extractors/content/_names.py. Article.author is the names of the first
source that has any, ", "-joined. jsonld, meta and rel_author are read on every page (CHEAP); byline, text and
trafilatura (its byline XPaths cost ~5 ms a page) only when no source before them named anyone.

The order was measured with bench/eval_metadata.py on real publishers' pages (the "tune" half of the fundus
fixtures, 161 expected names): per source, names given / right were jsonld 112/110, meta 64/59,
rel_author 22/21, byline 71/59, trafilatura 132/123. Every order of the five was scored: this one finds
132 of the 161 names, the best ones 133 (trafilatura before the byline elements: a one-word third author
on one page), at the cost of trafilatura's XPaths on every page whose byline our reader finds; kept.
The text reader (all 256 fundus pages): with it 263 of the 291 expected person names are found instead of
259, and 11 pages expecting a person have no author instead of 14; after trafilatura it scores the same, and
before it spares trafilatura's XPaths (~5 ms) on the pages where it finds the byline.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from extractors.content._index import page_elements
from extractors.content._meta import jsonld_articles
from extractors.content._names import _PARTICLES, MAX_NAMES, PageNames, names_from
from extractors.models import AuthorCandidate

PRECEDENCE = ("jsonld", "meta", "rel_author", "byline", "text", "trafilatura")
CHEAP = ("jsonld", "meta", "rel_author")  # always read; the others only while nothing was found

_META_KEYS = ("author", "article:author", "parsely-author", "dc.creator", "sailthru.author", "cxenseparse:author",
              "twitter:misc:written by", "byl", "article:author_name", "og:article:author")
_META_KEY_SET = frozenset(_META_KEYS)
def _jsonld_values(value, depth: int = 0) -> list[str]:
    """Names in a schema.org author value; Organizations are skipped."""
    if depth > 4:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        kind = value.get("@type")
        if kind == "Organization" or (isinstance(kind, list) and "Organization" in kind):
            return []
        return _jsonld_values(value.get("name"), depth + 1)
    if isinstance(value, list):
        return [n for v in value[:MAX_NAMES * 2] for n in _jsonld_values(v, depth + 1)]
    return []


def _from_jsonld(tree, jsonld, page) -> list[str]:
    for obj in jsonld_articles(jsonld):
        names = names_from(_jsonld_values(obj.get("author")), page)
        if names:
            return names
    return []


def _from_meta(tree, jsonld, page) -> list[str]:
    """Every value of the first author key (in _META_KEYS order) that names someone: a page may repeat
    a key, one <meta name="dc.creator"> per author."""
    values: dict[str, list[str]] = {}
    for m in page_elements(tree, "meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key in _META_KEY_SET and m.get("content"):
            values.setdefault(key, []).append(m.get("content"))
    for key in _META_KEYS:
        names = names_from(values[key], page) if key in values else []
        if names:
            return names
    return []


def _from_rel_author(tree, jsonld, page) -> list[str]:
    """The first rel=author link's name, and those of the links beside it (a list of related stories'
    authors further down is not this article's byline)."""
    links = tree.xpath(".//a[@rel='author']")
    if not links:
        return []
    near = {links[0].getparent(), links[0].getparent().getparent()} - {None}
    return names_from(["".join(a.itertext()) for a in links[:MAX_NAMES]
                   if a.getparent() in near or a.getparent().getparent() in near], page, True)


# the elements with itemprop=author or an author/byline class, in document order; selecting the attributes
# first is twice as fast in libxml2 as testing every element (".//*[@itemprop='author' or contains(...)]")
_BYLINE_XPATH = etree.XPath("(descendant::*/@itemprop[. = 'author'] | descendant::*/@class[contains(., 'author') "
                            "or contains(., 'byline')])/..")
# a class token naming the byline: "author", "byline", "post-author", "article__author", "author-name",
# "authorName", "byline__name", "c-byline"; not "author-bio", "author-image", "about-author" ...
_BYLINE_CLASS = re.compile(r"(?:^|\s)(?:[\w-]*[_-])?(?:author|authors|byline)(?:[_-]{0,2}(?:name|names|link|line))?"
                           r"(?:\s|$)", re.I)
_BYLINE_MAX = 200  # characters: a longer element is a box or a teaser, not a byline
_NOT_BYLINE = re.compile(r"about|bio|avatar|image|img|photo|picture|box|card|list|more|social|follow|description|"
                         r"teaser|related", re.I)


_TEXTS = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")


def _element_text(el: etree._Element) -> str:
    """The element's text; pieces that each hold a full name ("Jane Doe" in one <span>, "John Roe" in the
    next) are kept apart by commas, others joined by a space ("By <a>Jane Doe</a>")."""
    pieces = [t.strip() for t in _TEXTS(el) if t.strip()]
    out = pieces[:1]
    for prev, cur in zip(pieces, pieces[1:]):
        both_names = len(prev.split()) >= 2 and len(cur.split()) >= 2 and cur[:1].isupper() and prev[-1:].isalpha()
        out.append((", " if both_names else " ") + cur)
    return "".join(out)


def _byline_values(tree: etree._Element) -> list[str]:
    values = []
    for el in _BYLINE_XPATH(tree):
        cls = el.get("class") or ""
        if el.get("itemprop") != "author" and (not _BYLINE_CLASS.search(cls) or _NOT_BYLINE.search(cls)):
            continue
        name_els = el.findall(".//*[@itemprop='name']")
        if name_els:
            values.append(", ".join(n.get("content") or _element_text(n) for n in name_els))
        else:
            values.append(_element_text(el))
        if len(values) >= 3:
            break
    return values


def _from_byline(tree, jsonld, page) -> list[str]:
    for value in _byline_values(tree):  # the first element that names someone
        names = names_from([value], page, True) if len(value) <= _BYLINE_MAX else []
        if names:
            return names
    return []


# a byline's lead near the headline: "By", "Von:", "Par", "Por", "Di", "Door", "Autor", "Autorin/Autor",
# "Written by", alone in its text piece (the names follow in the next pieces) or before the names
_LEAD = re.compile(r"^(?:(?:written|posted|reporting|story|words|text|ein beitrag|texte?)\s+)?"
                   r"(?:by|von|par|por|di|door|af|av)\s*:?(?:\s+(?P<rest>.+))?$|^(?:autor(?:in)?(?:/autor(?:in)?)?|authors?|texte?|reporter)\s*:?"
                   r"(?:\s+(?P<rest2>.+))?$", re.I)
_HEAD_PIECES = 60  # text pieces after the headline searched for a byline
_LEAD_MAX = 120  # characters: a longer piece is a sentence of the story, not a byline


def _from_text(tree, jsonld, page) -> list[str]:
    """A visible byline near the headline that no element marks as one: "By Jane Doe and John Roe" in
    one text piece, or "Von" / "Autorin/Autor" followed by the names ("<p>von <a>Dr. Max Kolter</a></p>");
    names as strictly checked as the byline elements'. The first such byline that names someone."""
    from extractors.content._datelines import headline_texts

    pieces, start = headline_texts(tree)
    after = pieces[start:start + _HEAD_PIECES]
    for i, piece in enumerate(after):
        m = _LEAD.match(piece) if len(piece) <= _LEAD_MAX else None
        if not m:
            continue
        value = m["rest"] or m["rest2"]
        if not value:
            following = []
            for nxt in after[i + 1:i + 6]:  # up to a label ("Übersetzung:") or a date, each piece apart
                if nxt.endswith(":") or any(c.isdigit() for c in nxt) \
                        or len(", ".join(following + [nxt])) > _LEAD_MAX:
                    break
                following.append(nxt)
            value = ", ".join(following)
        names = names_from([value], page, True) if value and len(value) <= _LEAD_MAX else []
        if names:
            return names
    return []


def _from_trafilatura(tree, jsonld, page) -> list[str]:
    """trafilatura's names, but those that are its normalised copy of a value our readers found to be no
    person ("Deutsche Welle (www.dw.com)" -> "Deutsche Welle", "www.site.example" -> "Www Site Example")."""
    from extractors.content._trafilatura_meta import trafilatura_author

    value = trafilatura_author(tree)
    names = names_from(value.split("; "), page, True) if value else []
    names = [n for n in names if not page.was_rejected(n)]
    if names and any(_lowercase_on_page(n, tree) for n in names):
        return []  # its byline XPaths read a sentence (an author bio: "... transport. His first book, ...")
    return names


_NAME_GAP = r"[\s\W]{1,3}"  # between the words of a name as the page writes it: spaces, ". ", ", "


def _lowercase_on_page(name: str, tree: etree._Element) -> bool:
    """Whether the page writes `name` (which trafilatura title-cases: "Came Out") only with a lower-case word
    ("... came out in 2021"): then it is a piece of a sentence, not a name. A name the page's text does not
    hold (one from its meta tags) or holds capitalised somewhere is not."""
    words = name.split()
    if len(words) < 2 or not all(w[:1].isalpha() for w in words):
        return False
    text = " ".join(_TEXTS(tree))
    found = [m.group(0) for m in re.finditer(r"(?<!\w)" + _NAME_GAP.join(map(re.escape, words)) + r"(?!\w)",
                                              text, re.I)]
    return bool(found) and not any(all(w[:1].isupper() or w.lower() in _PARTICLES for w in re.findall(r"\w+", f))
                                   for f in found)


SOURCES: dict[str, Callable[[etree._Element, list[dict], PageNames], list[str]]] = {
    "jsonld": _from_jsonld, "meta": _from_meta, "rel_author": _from_rel_author, "byline": _from_byline,
    "text": _from_text, "trafilatura": _from_trafilatura}


def extract_author_candidates(tree: etree._Element, jsonld: list[dict], site: str | None, url: str | None = None,
                              *, every_source: bool = False) -> tuple[AuthorCandidate, ...]:
    """The names each source gives, in PRECEDENCE order. A source outside CHEAP is read only while no
    source before it named anyone (`every_source`: always, for measuring)."""
    page = PageNames(site, url)
    out: list[AuthorCandidate] = []
    for source in PRECEDENCE:
        if source not in CHEAP and out and not every_source:
            break
        out += [AuthorCandidate(name, source) for name in SOURCES[source](tree, jsonld, page)]
    return tuple(out)


def choose_author(candidates: tuple[AuthorCandidate, ...]) -> str | None:
    """The names of the first source in PRECEDENCE that has any, ", "-joined; None without candidates."""
    rank = {s: i for i, s in enumerate(PRECEDENCE)}
    if not candidates:
        return None
    best = min(candidates, key=lambda c: rank.get(c.source, len(rank))).source
    return ", ".join(dict.fromkeys(c.name for c in candidates if c.source == best))
