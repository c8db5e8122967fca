"""Our clean-up layer over trafilatura's body tree (pure): drop injected junk, keep its links.

trafilatura hands back a small XML tree (<p>, <head>, <list>/<item>, <quote>, <code>, <table>, <ref target>).
We look at its top-level blocks (and the items of lists) with what a text-only filter cannot see:
- link density (share of a block's characters inside links),
- position (the tail of the body, where related lists, bios, tags and share boxes live),
- the block's role after a heading ("Related", "About the author"),
- repetition (the same title twice in a row; lines the caller knows repeat across the source's pages),
- known promo/label patterns in several languages (extractors/content/_patterns.py), mostly only for SHORT
  blocks, so that sentences that merely look like junk survive.
Links of Read-More lines and related lists are returned (kinds "read_more", "related"); other links in kept
blocks are "inline".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from . import _patterns as P
from ._boxes import heading_kind
from ._promo import mark_promo
from extractors.models import Link
from extractors.urls import UrlRejected, normalize_url

_BOX_MAX = 400  # newsletter/donation/paywall/cookie boxes are short
_LINE_MAX = 200  # tag/share/comment/byline lines are shorter still
_BIO_MAX = 700  # an author bio is a short paragraph
TAIL_SHARE = 0.35  # "near the end": the last 35% of blocks (and at least the last 3)


def norm_line(text: str) -> str:
    """The form used to compare lines across pages (`repeated`: a source's template texts)."""
    return P.squash_ws(unicodedata.normalize("NFKC", text)).lower()


def _text(el: etree._Element) -> str:
    return P.squash_ws("".join(el.itertext()))


@dataclass
class _Block:
    el: etree._Element
    text: str
    link_chars: int
    refs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def density(self) -> float:
        return self.link_chars / max(1, len(self.text))

    @cached_property
    def words(self) -> int:
        return len(P.WORD.findall(self.text))


_CONTAINERS = frozenset({"div", "section", "article", "main", "body", "span"})


def _leaf_blocks(el: etree._Element) -> list[etree._Element]:
    """Children of `el`, descending into wrapper <div>s (trafilatura's fallback output keeps them).
    Iterative: hostile pages nest thousands of levels deep."""
    out: list[etree._Element] = []
    stack = [iter(el)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if not isinstance(child.tag, str):
            continue
        if child.tag in _CONTAINERS and len(child) and not (child.text or "").strip():
            stack.append(iter(child))
        else:
            out.append(child)
    return out


def _block(el: etree._Element) -> _Block:
    refs = [(r.get("target") or "", _text(r)) for r in el.iter("ref")]
    return _Block(el, _text(el), sum(len(t) for _, t in refs), refs)


def _is_read_more(b: _Block) -> bool:
    if len(b.text) > 300:
        return False
    m = P.READ_MORE_PREFIX.match(b.text)
    if not m:
        return False
    prefix, rest = m.group(0), b.text[m.end():]
    if P.READ_MORE_SEPARATOR.match(rest):
        return True
    if len(prefix.split()) == 1 and prefix.strip().lower() in ("more", "mehr", "plus"):
        return False
    letters = [c for c in prefix if c.isalpha()]
    if len(prefix.split()) > 1 and letters and all(c.isupper() for c in letters):
        return True  # "ALSO READ Nvidia launches ..."
    rest_len = len(rest.strip())
    return rest_len > 0 and b.link_chars >= 0.5 * rest_len


def _is_promo_line(b: _Block) -> bool:
    if len(b.text) > 90 or b.words > 10:
        return False
    low = b.text.lower()
    if not P.PROMO_TRIGGER.search(low):
        return False
    if P.PROMO_LINE.search(b.text) is None:
        return False
    # a real sentence (ends with a full stop and has a verb-ish length) is not a promo line
    return not (b.text.rstrip().endswith(".") and b.words > 6)


def _is_byline(b: _Block) -> bool:
    if len(b.text) > 140:
        return False
    m = P.BYLINE_PREFIX.match(b.text)
    if not m:
        return False
    tokens = re.split(r"[\s,|·•/]+", b.text[m.end():].strip())
    names = 0
    for i, tok in enumerate(t for t in tokens if t):
        bare = tok.strip("()[]:;\"'")
        if not bare or bare.lower() in P.NAME_JOINERS:
            continue
        if P.NAME_TOKEN.match(bare) and names < 6 and (i == names or names == 0 or i <= 6):
            names += 1
            continue
        if bare.lower() in P.BYLINE_ALLOWED_WORDS or any(c.isdigit() for c in bare) or not bare.isalpha():
            continue
        if bare[0].isupper():  # a month or a capitalised role word
            continue
        return False  # a lower-case word: this is a sentence ("By contrast, prices ...")
    return names > 0 and not (b.text.endswith(".") and b.words > 8)


def _is_author_bio(b: _Block, author: str | None) -> bool:
    if not author or len(b.text) > 700:
        return False
    for name in (author, author.split()[0] if " " in author else None):
        if name and b.text.startswith(name) and len(name) > 2:
            rest = b.text[len(name):]
            if name != author:  # first name only: the surname must not follow either
                rest = re.sub(r"^\s+[A-ZÀ-Ý][\w'’\-]+", "", rest)
            if P.BIO_VERBS.match(rest):
                return True
    return False


_BOX_RULES = (("paywall", P.PAYWALL), ("newsletter", P.NEWSLETTER), ("donation", P.DONATION),
              ("affiliate", P.AFFILIATE), ("cookie", P.COOKIE))


_SHORT_RULES = (("ad", P.AD_LINE), ("credit", P.CREDIT_LINE), ("reading_time", P.READING_TIME),
                ("dateline", P.DATE_ONLY))


def _short_box_kind(b: _Block, tail: bool) -> str | None:
    """A short block that is a box's whole text: a caption ending in its credit, a series note, a
    disclaimer or reprint notice, a voucher-code promo, a one-paragraph author bio near the end."""
    n = len(b.text)
    if n <= 200 and P.CREDIT_TAIL.search(b.text):
        return "credit"
    if n <= 250 and P.SERIES_LINE.match(b.text):
        return "series"
    if P.DISCLAIMER_LINE.search(b.text):
        return "disclaimer"
    if n <= 250 and P.PROMO_CODE.search(b.text):
        return "promo"
    if n <= 120 and P.APP_PROMO.match(b.text):
        return "promo"
    if n <= 160 and P.FOLLOW_LINE.match(b.text):
        return "share"
    if tail and P.BIO_LINE.match(b.text):
        return "bio"
    return None


def _junk_kind(b: _Block, *, tail: bool, author: str | None, repeated: frozenset[str]) -> str | None:
    """Which kind of junk this block is, or None to keep it. The rules read only the block's text, tag
    and link characters, so the answer is memoised on those: the line pass asks again about most of the
    block pass's texts, and a source's pages repeat their junk lines."""
    return _kind_of(b.text, b.el.tag, b.link_chars, tail, author, repeated)


_STAND_INS: dict[str, etree._Element] = {}  # one bare element per tag: what the rules read of a block's element


@functools.lru_cache(maxsize=16384)
def _kind_of(text: str, tag: str, link_chars: int, tail: bool, author: str | None,
             repeated: frozenset[str]) -> str | None:
    el = _STAND_INS.get(tag)
    if el is None:
        el = _STAND_INS.setdefault(tag, etree.Element(tag))
    return _decide_kind(_Block(el, text, link_chars), tail=tail, author=author, repeated=repeated)


def _decide_kind(b: _Block, *, tail: bool, author: str | None, repeated: frozenset[str]) -> str | None:
    """_junk_kind's rules, in order."""
    if not b.text:
        return "empty"
    if repeated and norm_line(b.text) in repeated:
        return "repeated"
    if len(b.text) > _BIO_MAX or (len(b.text) > _BOX_MAX and not tail):
        return None  # long prose: no rule below applies (fast path)
    if len(b.text) > _BOX_MAX:
        return "bio" if _is_author_bio(b, author) else None
    low = b.text.lower().strip(" :.!|»›>-–—")
    if low in P.LABELS and b.el.tag not in ("quote", "code", "table"):
        return "label"
    if _is_read_more(b):
        return "read_more"
    if len(b.text) <= 120:
        for kind, rx in _SHORT_RULES:
            if rx.match(b.text):
                return kind
    if _is_promo_line(b):
        return "promo"
    if len(b.text) <= 300:
        kind = _short_box_kind(b, tail)
        if kind:
            return kind
    short, box = len(b.text) <= _LINE_MAX, len(b.text) <= _BOX_MAX
    if box and P.BOX_TRIGGER.search(low):
        for kind, rx in _BOX_RULES:
            if P.BOX_TRIGGER_OF[kind].search(low) and rx.search(b.text):
                return kind
    if short and P.TAGS_LINE.match(b.text):
        return "tags"
    if short and b.words <= 8 and P.SHARE.match(b.text) and not b.text.rstrip().endswith((".", "?", "!")):
        return "share"
    if short and b.words <= 12 and P.COMMENTS.match(b.text):
        return "comments"
    if _is_byline(b):
        return "byline"
    if P.AUTHOR_BIO_HEADING.match(b.text):
        return "bio_heading"
    if tail and _is_author_bio(b, author):
        return "bio"
    if P.RELATED_HEADING.match(b.text) and b.words <= 8:
        return "related_heading"
    return None


def _is_orphan_heading(b: _Block, tail: bool) -> bool:
    """A related-articles heading whose list trafilatura already dropped: in the tail, or written as a label."""
    letters = [c for c in b.text if c.isalpha()]
    return tail or b.text.rstrip().endswith((":", "?")) or (bool(letters) and all(c.isupper() for c in letters))


def _is_title_like(b: _Block) -> bool:
    return 0 < len(b.text) <= 160 and not P.SENTENCE_END.search(b.text)


def _link_list(b: _Block) -> bool:
    """A block that is (almost) only links: a list of titles, or one linked title."""
    if b.el.tag == "list":
        items = [_block(i) for i in b.el.iter("item")]
        return bool(items) and sum(i.density >= 0.6 for i in items) >= max(1, 0.7 * len(items))
    return b.density >= 0.6 and len(b.text) <= 300


def _mark(blocks: list[_Block], author: str | None, repeated: frozenset[str],
          headlines: tuple[str, ...] = (), base_url: str = "") -> dict[int, str]:
    n = len(blocks)
    tail_start = min(n - 3, int(n * (1 - TAIL_SHARE)))
    removed: dict[int, str] = {}
    i = 0
    while i < n:
        b = blocks[i]
        kind = _junk_kind(b, tail=i >= tail_start, author=author, repeated=repeated)
        if kind:
            removed[i] = kind
        if kind == "related_heading":  # the link list(s) right after it are related articles
            j = i + 1
            while j < n and _link_list(blocks[j]):
                removed[j] = "related"
                j += 1
            if j == i + 1 and not _is_orphan_heading(b, i >= tail_start):
                del removed[i]  # a heading with no link list after it may be a real section heading
            i = max(j, i + 1)
            continue
        if kind in ("read_more", "label") and i + 1 < n and P.READ_MORE_PREFIX.match(b.text) \
                and not b.link_chars and _link_list(blocks[i + 1]) and len(blocks[i + 1].text) <= 200:
            removed[i] = removed[i + 1] = "read_more"  # "Read more:" then the linked title as its own block
            i += 2
            continue
        if kind == "bio_heading" and i + 1 < n and len(blocks[i + 1].text) <= 700:
            removed[i + 1] = "bio"
            i += 2
            continue
        i += 1
    _mark_box_headings(blocks, removed)
    _mark_duplicates(blocks, removed)
    mark_promo(blocks, removed, tail_start=tail_start, headlines=headlines, base_url=base_url, block_of=_block)
    _mark_tail(blocks, removed, author, repeated)
    return removed


_BOX_KINDS = frozenset({"newsletter", "donation", "paywall", "affiliate", "promo", "disclaimer", "series", "bio",
                        "credit", "comments", "related", "read_more", "share"})


def _orphan_box_heading(text: str) -> bool:
    return _is_title_like(_Block(_LINE_EL, text, 0)) and len(text) <= 80 and heading_kind(text) is not None


def _mark_box_headings(blocks: list[_Block], removed: dict[int, str]) -> None:
    """A heading right before a removed box's text ("Unser Newsletter" over its sign-up line) goes with it."""
    for i in sorted(removed):
        j = i - 1
        if removed[i] in _BOX_KINDS and j >= 0 and j not in removed and _orphan_box_heading(blocks[j].text):
            removed[j] = removed[i]


def _mark_duplicates(blocks: list[_Block], removed: dict[int, str]) -> None:
    """The same short title twice in a row (image alt + headline of a related teaser) is never prose."""
    for i in range(1, len(blocks)):
        a, b = blocks[i - 1], blocks[i]
        if a.text == b.text and _is_title_like(b) and b.el.tag not in ("code", "table"):
            removed.setdefault(i - 1, "related")
            removed.setdefault(i, "related")


def _mark_tail(blocks: list[_Block], removed: dict[int, str], author: str | None,
               repeated: frozenset[str]) -> None:
    """Walk back from the end: drop link lists, repeated titles and junk until real text is met."""
    i = len(blocks) - 1
    run: list[int] = []
    while i >= 0:
        b = blocks[i]
        if i in removed:
            i -= 1
            continue
        if _link_list(b) and (b.el.tag == "list" or _is_title_like(b)):
            run.append(i)
            i -= 1
            continue
        break
    # one linked line at the very end may be the article's own source credit: need a run of 2+
    if len(run) >= 2 or any(blocks[k].el.tag == "list" and len(list(blocks[k].el.iter("item"))) >= 2 for k in run):
        for k in run:
            removed[k] = "related"


def _clean_items(blocks: list[_Block], removed: dict[int, str], author: str | None, repeated: frozenset[str],
                 edited: set[int] | None = None) -> list[tuple[str, _Block]]:
    """Inside kept lists, drop junk items (a "Read more:" bullet); returns (kind, item) removed. The index
    of each list that lost an item goes into `edited` (its refs, read before, are no longer all in it)."""
    out = []
    for idx, b in enumerate(blocks):
        if idx in removed or b.el.tag != "list":
            continue
        for item in list(b.el.iter("item")):
            ib = _block(item)
            kind = _junk_kind(ib, tail=False, author=author, repeated=repeated)
            if kind in ("read_more", "promo", "label", "repeated", "paywall", "newsletter", "donation",
                        "affiliate", "cookie", "series", "disclaimer"):
                out.append((kind, ib))
                if edited is not None:
                    edited.add(idx)
                parent = item.getparent()
                if parent is not None:
                    parent.remove(item)
    return out


def _links(refs: list[tuple[str, str]], kind: str, base: str, seen: set[str], out: list[Link]) -> None:
    for href, text in refs:
        if not href or href.startswith("#"):
            continue
        try:
            url = normalize_url(href, base)
        except UrlRejected:
            continue
        if url in seen:
            continue
        seen.add(url)
        out.append(Link(url=url, text=text[:300], kind=kind))


_LINK_KIND = {"read_more": "read_more", "related": "related", "related_heading": "related", "repeated": "related"}


def extract_clean_body(body: etree._Element, base_url: str, *, author: str | None = None,
                       repeated: frozenset[str] = frozenset(), page_links: list[tuple[str, str, str]] = (),
                       headlines: tuple[str, ...] = ()) -> tuple[etree._Element, tuple[Link, ...], dict[str, int]]:
    """Remove junk blocks from trafilatura's body IN PLACE. Returns (body, links, removed kinds count).

    `page_links`: (href, text, kind) read-more/related links found in the page's HTML (_links),
    added after those of the removed blocks when trafilatura already dropped their block. `headlines`: the
    page's own headline(s) (its <h1>, its title): a first heading repeating one is dropped (_promo.py)."""
    blocks = [_block(el) for el in _leaf_blocks(body)]
    removed = _mark(blocks, author, repeated, headlines, base_url)
    edited: set[int] = set()
    items = _clean_items(blocks, removed, author, repeated, edited)
    links: list[Link] = []
    try:
        seen: set[str] = {normalize_url(base_url)}  # a link to the page itself is not a link to follow
    except UrlRejected:
        seen = set()
    # read-more first, then related, then inline: a URL gets the most specific kind
    for idx in sorted(removed):
        if removed[idx] == "read_more":
            _links(blocks[idx].refs, "read_more", base_url, seen, links)
    for kind, ib in items:
        if kind == "read_more":
            _links(ib.refs, "read_more", base_url, seen, links)
    for idx in sorted(removed):
        if _LINK_KIND.get(removed[idx]) == "related":
            _links(blocks[idx].refs, "related", base_url, seen, links)
    for kind in ("read_more", "related"):
        _links([(h, t) for h, t, k in page_links if k == kind], kind, base_url, seen, links)
    for idx, b in enumerate(blocks):  # a kept block's refs as _block read them, unless a list lost items since
        if idx not in removed:
            refs = [(r.get("target") or "", _text(r)) for r in b.el.iter("ref")] if idx in edited else b.refs
            _links(refs, "inline", base_url, seen, links)
    counts: dict[str, int] = {}
    for idx, kind in removed.items():
        counts[kind] = counts.get(kind, 0) + 1
        parent = blocks[idx].el.getparent()
        if parent is not None:
            parent.remove(blocks[idx].el)
    for kind, _ in items:
        counts[kind] = counts.get(kind, 0) + 1
    return body, tuple(links), counts


_LINE_EL = etree.Element("p")  # stands for "a line of text" (only its tag is read)
_LINE_KINDS_REMOVED = frozenset({
    "repeated", "label", "read_more", "promo", "paywall", "newsletter", "donation", "affiliate", "cookie",
    "tags", "share", "comments", "byline", "bio_heading", "ad", "credit", "reading_time", "dateline",
    "series", "disclaimer",
})


def extract_clean_lines(text: str, *, author: str | None = None, repeated: frozenset[str] = frozenset()) -> str:
    """Second pass over the text's lines: catches junk inside <br>-separated blocks that the block pass saw
    as one long paragraph. Same rules, without link information; bios only in the tail."""
    lines = text.splitlines()
    n = len(lines)
    tail_start = min(n - 3, int(n * (1 - TAIL_SHARE)))
    kept = []
    for i, line in enumerate(lines):
        b = _Block(_LINE_EL, P.squash_ws(line), 0)
        kind = _junk_kind(b, tail=i >= tail_start, author=author, repeated=repeated) if b.text else None
        if kind in _LINE_KINDS_REMOVED or (kind == "bio" and i >= tail_start) or (
                kind == "related_heading" and _is_orphan_heading(b, i >= tail_start)):
            if kept and kind in _BOX_KINDS and _orphan_box_heading(P.squash_ws(kept[-1])):
                kept.pop()  # the box's heading, on the line before its text
            continue
        kept.append(line)
    return "\n".join(kept).strip()
