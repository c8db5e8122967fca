"""The elements of a parsed page that our metadata readers look up, found in one walk (pure).

Each `tree.iter("meta")` or `tree.find(".//time")` walks the whole page in C (~0.1 ms on a 130 KB page).
The readers of one page (meta tags, JSON-LD, canonical link, <time>, <h1>/<title>, the article container)
share one walk instead: page_elements(tree, tag) lists the `tag` descendants of `tree` in document order,
as tree.iterfind(".//" + tag) would. The index of the last tree asked about is kept (like extract_meta_tags),
so the readers called one after the other on a page share it (a tree must not be edited in between:
our readers only read, and trafilatura works on its own copy).
"""

from __future__ import annotations

from lxml import etree

INDEXED_TAGS = ("meta", "script", "link", "time", "h1", "title", "article", "main", "body")

_LAST: tuple[object, dict[str, list[etree._Element]]] = (None, {})


def page_elements(tree: etree._Element, tag: str) -> list[etree._Element]:
    """The `tag` elements under `tree` (not `tree` itself), in document order; `tag` is one of INDEXED_TAGS."""
    global _LAST
    last_tree, index = _LAST
    if last_tree is not tree:
        index = {t: [] for t in INDEXED_TAGS}
        for el in tree.iterdescendants(*INDEXED_TAGS):
            index[el.tag].append(el)
        _LAST = (tree, index)
    return index[tag]


def first_element(tree: etree._Element, tag: str) -> etree._Element | None:
    """tree.find(".//" + tag), from the shared walk."""
    found = page_elements(tree, tag)
    return found[0] if found else None
