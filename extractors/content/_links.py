"""Read-More and related links straight from the page's HTML (pure).

trafilatura often drops link-dense blocks (a "Mehr zum Thema" list, a related-articles box) before our
clean-up sees them, and their links are exactly what discovery wants to follow from a seed article. This
pass looks inside the article container (the <article>, itemprop=articleBody, <main>, else <body>) for:
- blocks whose text starts with a Read-More prefix and that hold a link        -> kind "read_more"
- a related-articles heading ("Related", "Mehr zum Thema", "À lire aussi"...) and the links in the
  next sibling list/box                                                         -> kind "related"
- boxes whose class/id says related/read-more/more-stories/also-read            -> kind "related"
Navigation, header, footer and comment areas are skipped.
"""

from __future__ import annotations

import re

from lxml import etree

from . import _patterns as P
from extractors.content._index import first_element

_RELATED_CLASS = re.compile(r"(?:^|[\s_-])(?:related|read-?more|more-stories|also-read|recommended|"
                            r"further-reading|see-also|weitere-artikel|a-lire-aussi)(?:$|[\s_-])", re.I)
_SKIP = {"nav", "header", "footer", "form", "script", "style"}
_BLOCKS = ("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "strong", "span", "section", "aside")
_MAX_LINKS = 40


def _text(el: etree._Element) -> str:
    return P.squash_ws("".join(el.itertext()))


# the first element with itemprop=articleBody (selecting the attribute is faster in libxml2 than testing elements)
_ARTICLE_BODY = etree.XPath("(descendant::*/@itemprop[. = 'articleBody'])[1]/..")


def _container(tree: etree._Element) -> etree._Element:
    marked = _ARTICLE_BODY(tree)
    if marked:
        return marked[0]
    for tag in ("article", "main", "body"):
        found = first_element(tree, tag)
        if found is not None:
            return found
    return tree


def _is_skipped(el: etree._Element) -> bool:
    marks = f"{el.get('id') or ''} {el.get('class') or ''}".lower()
    return el.tag in _SKIP or "comment" in marks


def _in_skipped(el: etree._Element, root: etree._Element) -> bool:
    while el is not None and el is not root:
        if _is_skipped(el):
            return True
        el = el.getparent()
    return False


def _head(el: etree._Element) -> str:
    """The start of the element's text, cheaply (its own text, else its first child's)."""
    text = (el.text or "").strip()
    if not text and len(el):
        first = el[0]
        text = ((first.text or "") + (first.tail or "")).strip()
    return P.squash_ws(text)


def _anchors(el: etree._Element) -> list[tuple[str, str]]:
    return [(a.get("href") or "", _text(a)) for a in el.iter("a") if a.get("href")]


def extract_tree_links(tree: etree._Element) -> list[tuple[str, str, str]]:
    """(href, text, kind) for read-more and related links in the article container, in document order."""
    root = _container(tree)
    out: list[tuple[str, str, str]] = []
    for el in root.iter(*_BLOCKS, "ul"):
        if len(out) >= _MAX_LINKS:
            break
        tag = el.tag
        found: list[tuple[str, str, str]] = []
        if tag in ("div", "section", "aside", "ul"):
            if _RELATED_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
                found = [(h, t, "related") for h, t in _anchors(el)]
        else:
            head = _head(el)
            if not head:
                continue
            if tag in ("p", "li") and P.READ_MORE_PREFIX.match(head) and el.find(".//a") is not None:
                if len(_text(el)) <= 300:
                    found = [(h, t, "read_more") for h, t in _anchors(el)]
            elif len(head) < 60 and P.RELATED_HEADING.match(head) and el.find(".//a") is None:
                holder = el if tag not in ("strong", "span") else el.getparent()
                nxt = holder.getnext() if holder is not None else None
                if nxt is not None and nxt.tag in ("ul", "ol", "div", "section", "p"):
                    found = [(h, t, "related") for h, t in _anchors(nxt)]
        if found and not _in_skipped(el, root):
            out += found
    return out
