"""A source's template: blocks of its pages' HTML that repeat across many pages (pure).

A *block* is a leaf block element of the page (a <p>, <li>, <div>, <aside>... with no block element
inside) holding TEMPLATE_MIN_CHARS to TEMPLATE_MAX_CHARS characters of text. Its fingerprint is a hash of
its DOM path (tags and class names from <body> down, no positions) and its normalised text, so the same
"Subscribe to our weekly letter" box is the same block on every page of a site, while the same sentence
quoted inside two articles' prose sits at the prose's path.

Learning is the warehouse's (warehouse/templates.py counts, per source, on how many distinct pages each
fingerprint survived trafilatura); here a page's kept blocks are fingerprinted (extract_page_blocks) and a
learned template is applied (extract_template_texts), with the guards that keep an article's own prose:
- a template block inside the article's prose container (the DOM path holding most of the page's text)
  is removed only when short (PROSE_SHORT_CHARS), a box outside it up to TEMPLATE_MAX_CHARS;
- what is removed is never more than MAX_REMOVED_SHARE of the article's text (outside-prose boxes and
  shorter blocks first).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lxml import etree

from extractors.content._clean import norm_line
from extractors.models import BlockPrint

TEMPLATE_MIN_CHARS = 12  # shorter blocks ("Share", "Menu") are not fingerprinted
TEMPLATE_MAX_CHARS = 1000  # longer blocks are prose, never template
PROSE_SHORT_CHARS = 200  # a template block inside the prose container is removed only up to this length
MAX_REMOVED_SHARE = 0.3  # at most this share of the article's text is removed as template
SAMPLE_CHARS = 200
MAX_PATH_STEPS = 24  # a DOM path names at most the 24 nearest ancestors (hostile nesting stays cheap)

BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "section",
                        "aside", "header", "footer", "nav", "td", "th", "dd", "dt", "figcaption", "pre",
                        "address", "form", "article", "main", "ul", "ol", "dl", "table", "figure"})
_STOP_TAGS = frozenset({"body", "html"})
_NUMBERED = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class PageBlock:
    block_hash: str
    dom_path: str
    parent_path: str
    text: str  # normalised (norm_line)


def _step(el: etree._Element) -> str:
    """One DOM path step: the tag and its class names without digits (post-123 differs per page)."""
    classes = sorted(c for c in (el.get("class") or "").split() if not _NUMBERED.search(c))[:3]
    return ".".join([el.tag, *classes]) if classes else el.tag


def _path(el: etree._Element) -> str:
    steps = [_step(el)]
    p = el.getparent()
    while p is not None and len(steps) < MAX_PATH_STEPS and p.tag not in _STOP_TAGS:
        if isinstance(p.tag, str):
            steps.append(_step(p))
        p = p.getparent()
    return ">".join(reversed(steps))


def block_hash(dom_path: str, text: str) -> str:
    return hashlib.blake2b(f"{dom_path}\n{text}".encode(), digest_size=8).hexdigest()


def extract_page_blocks(tree: etree._Element, body_text: str) -> list[PageBlock]:
    """The page's leaf blocks with TEMPLATE_MIN_CHARS..TEMPLATE_MAX_CHARS of text whose text trafilatura
    kept (`body_text`: its body's text, normalised), in document order, one per fingerprint: the only
    blocks a template could have to remove, so the only ones counted for learning. The DOM path and hash
    are made only for those (most of a page's blocks are menus and boxes trafilatura already dropped)."""
    blocks = [el for el in tree.iter(*BLOCK_TAGS)]
    inner: set[etree._Element] = set()  # block elements with a block element inside
    for el in blocks:
        p = el.getparent()
        while p is not None and p.tag not in BLOCK_TAGS:
            p = p.getparent()
        if p is not None:
            inner.add(p)
    out: list[PageBlock] = []
    seen: set[str] = set()
    for el in blocks:
        if el in inner:
            continue
        raw = "".join(t for t in el.itertext() if isinstance(t, str))
        if len(raw) < TEMPLATE_MIN_CHARS:
            continue
        text = norm_line(raw)
        if not TEMPLATE_MIN_CHARS <= len(text) <= TEMPLATE_MAX_CHARS or text not in body_text:
            continue
        path = _path(el)
        h = block_hash(path, text)
        if h in seen:
            continue
        seen.add(h)
        out.append(PageBlock(h, path, path.rpartition(">")[0], text))
    return out


def block_prints(blocks: list[PageBlock]) -> tuple[BlockPrint, ...]:
    return tuple(BlockPrint(b.block_hash, b.dom_path, b.text[:SAMPLE_CHARS], len(b.text)) for b in blocks)


def _prose_container(blocks: list[PageBlock], template: frozenset[str]) -> str:
    """The parent path holding the most text among the page's blocks that are not template."""
    chars: dict[str, int] = {}
    for b in blocks:
        if b.block_hash not in template:
            chars[b.parent_path] = chars.get(b.parent_path, 0) + len(b.text)
    return max(chars, key=chars.__getitem__) if chars else ""


def extract_template_texts(kept: list[PageBlock], template: frozenset[str], article_chars: int) -> frozenset[str]:
    """The normalised texts of the page's template blocks to remove (passed to the clean-up as lines
    known to repeat), within the guards of the module docstring."""
    matched = [b for b in kept if b.block_hash in template]
    if not matched:
        return frozenset()
    prose = _prose_container(kept, template)

    def inside(b: PageBlock) -> bool:
        return bool(prose) and (b.parent_path == prose or b.parent_path.startswith(prose + ">"))

    removable = [b for b in matched if not (inside(b) and len(b.text) > PROSE_SHORT_CHARS)]
    removable.sort(key=lambda b: (inside(b), len(b.text)))
    budget, out = MAX_REMOVED_SHARE * article_chars, set()
    for b in removable:
        if len(b.text) > budget:
            break
        budget -= len(b.text)
        out.add(b.text)
    return frozenset(out)
