"""Teasers, repeated headlines and contact lines in trafilatura's body (pure): structural evidence only.

Called by the block clean-up (extractors/content/_clean.py, `_mark`) before its walk back from the end,
on the same top-level blocks. Nothing here matches a word list: every rule reads the block's shape.

- `headline`: the body's first block is a heading whose text is the page's own headline: the title the
  metadata reader chose, or an <h1> that shares most of its words with it. The article keeps it as
  `Article.title`; in the text it is a copy.
- `related` (linked teaser): a paragraph that is (almost) all links to other pages of the same
  site and is a title, not a sentence: "SEAN SPICER ELIMINATED FROM 'DANCING WITH THE STARS'" between two
  paragraphs, or "<label> <linked title> [VIDEO]" lines. A short all-capitals label right above such a
  block goes with it. A linked sentence ("The full report is on the ministry's website.") stays, and so do
  a link inside prose, a quote linked to a share service (another site) and a bare URL (a source list).
- `related` (teaser list): near the end, a list whose items each open with a linked title of the same
  site, most of them followed by a short dek ("<h3><a>Title</a></h3><h4>Dek</h4>" cards), and that is
  not the body's bulk (a round-up of linked summaries is the article). A list of linked names alone (a
  product list) stays.
- `contact`: the last blocks of the body when they are short and give an e-mail address, a social handle
  or a written-out URL ("Write to A at a@b.com", "Follow him @x", "Full coverage at https://..."): the
  reporter's contact line or the site's pointer, not the story.
- `promo` (dangling lead-in): the body's last block is a short linked line ending in a colon: what it
  introduced (a video, a sign-up form) is gone, and the line is the box's call to action.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import urlsplit

from . import _patterns as P

LINKED_MIN_DENSITY = 0.8  # share of the block's characters inside links
LINKED_MAX_WORDS = 60  # a teaser block: one to three linked titles with their labels
TEASER_DEK_MAX_WORDS = 20  # a teaser list item: a linked title and at most this many more words
TEASER_LIST_MAX_SHARE = 0.4  # of the body's characters
CONTACT_MAX_CHARS = 300
CONTACT_MAX_WORDS = 30
CONTACT_MIN_OTHER_WORDS = 3  # words besides the addresses
DANGLING_MIN_DENSITY = 0.5  # the call to action is a link
CONTACT_LAST_BLOCKS = 3  # only among the body's last blocks
DANGLING_MAX_WORDS = 25
HEADLINE_OVERLAP = 0.5  # an <h1> is the page's headline when it shares this share of words with the title

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?:^|[\s(])@[^\W\d]\w+|\b(?:twitter|x|instagram|facebook)\.com/\w")
_URL_TEXT = re.compile(r"\bhttps?://\S+|\bwww\.[\w-]+\.\w")
_TITLE_END_OK = re.compile(r"(?:[^.]|\.\.\.|…)$")  # a title may end in "?", "!", "]" or "...", never a full stop


def _norm(text: str) -> str:
    return P.squash_ws(unicodedata.normalize("NFKC", text)).strip(" .:|-–—").casefold()


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.")


def _same_site(target: str, site: str | None) -> bool:
    """A link to another page of the page's own site (a relative link, or the same host up to www.);
    never an anchor of this page, a mailto: or a script."""
    if not target or target.startswith("#"):
        return False
    scheme = target.split(":", 1)[0].lower() if ":" in target.split("/", 1)[0] else ""
    if scheme not in ("", "http", "https"):
        return False
    host = _host(target)
    return host == "" or (site is not None and host == site)


def _site_links(block, site: str | None) -> bool:
    return bool(block.refs) and all(_same_site(t, site) for t, _ in block.refs)


def _is_linked_title(block, site: str | None) -> bool:
    if block.el.tag != "p" or not _site_links(block, site):
        return False
    if block.text.lstrip().lower().startswith(("http:", "https:", "www.")):
        return False
    if block.density < LINKED_MIN_DENSITY or not 3 <= block.words <= LINKED_MAX_WORDS:
        return False
    return bool(_TITLE_END_OK.search(block.text.rstrip()))


def _is_label(block) -> bool:
    """A short heading-like label with no link, written in capitals ("DON'T MISS", "SEE ALSO")."""
    letters = [c for c in block.text if c.isalpha()]
    return (not block.refs and 0 < block.words <= 4 and len(letters) >= 3 and all(c.isupper() for c in letters)
            and not P.SENTENCE_END.search(block.text.rstrip(" :")))


def _teaser_item(item_block, site: str | None) -> int:
    """0: not a teaser item; 1: a linked title alone; 2: a linked title and a short dek."""
    if not item_block.refs:
        return 0
    target, first = item_block.refs[0]
    first = P.squash_ws(first)
    if not (_same_site(target, site) and len(P.WORD.findall(first)) >= 3 and item_block.text.startswith(first)
            and not P.SENTENCE_END.search(first.rstrip(" ?!"))):
        return 0
    dek = len(P.WORD.findall(item_block.text[len(first):]))
    return 0 if dek > TEASER_DEK_MAX_WORDS else 2 if dek >= 3 else 1


def _is_contact(block) -> bool:
    """A short line that ends with an address AND says something about it ("Write to A at a@b.com"): a
    bare address on its own line (an article's own contact point, a source) stays, and so does a sentence
    that gives an address on its way ("... unter Tel. 0238 (a@b.de).", "Find us on Instagram as @x and ...")."""
    if len(block.text) > CONTACT_MAX_CHARS or block.words > CONTACT_MAX_WORDS or block.el.tag not in ("p", "head"):
        return False
    found = [m for rx in (_EMAIL, _HANDLE, _URL_TEXT) for m in rx.finditer(block.text)]
    text = block.text.rstrip(" .!")
    if not found or not any(m.end() >= len(text) for m in found):
        return False  # the line ends with the address it gives
    rest = block.text
    for m in found:
        rest = rest.replace(m.group(0), " ")
    return len(P.WORD.findall(rest)) >= CONTACT_MIN_OTHER_WORDS


def mark_promo(blocks: Sequence, removed: dict[int, str], *, tail_start: int, headlines: Sequence[str] = (),
               base_url: str = "", block_of=None) -> None:
    """Add the headline, linked teasers, teaser lists and contact lines of `blocks` to `removed` (index ->
    kind). `base_url`: the page's URL (its site); `block_of(element)` builds a block for a list item (the
    clean-up's own _block)."""
    site = _host(base_url) or None
    _mark_headline(blocks, removed, headlines)
    _mark_linked_titles(blocks, removed, site)
    if block_of is not None:
        _mark_teaser_lists(blocks, removed, tail_start, block_of, site)
    _mark_contact(blocks, removed)
    _mark_dangling(blocks, removed)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in P.WORD.findall(text)}


def _own_headlines(headlines: Sequence[str]) -> set[str]:
    """The title (first), and each <h1> that shares at least HEADLINE_OVERLAP of its words with it: an
    <h1> alone may be a section's or a sidebar's heading."""
    if not headlines or not headlines[0] or not headlines[0].strip():
        return set()
    title = _words(headlines[0])
    own = {_norm(headlines[0])}
    for h in headlines[1:]:
        w = _words(h)
        if w and title and len(w & title) >= HEADLINE_OVERLAP * len(w | title):
            own.add(_norm(h))
    return own


def _mark_headline(blocks: Sequence, removed: dict[int, str], headlines: Sequence[str]) -> None:
    own = _own_headlines(headlines)
    for i, b in enumerate(blocks[:2]):
        if i in removed:
            continue
        if b.el.tag == "head" and _norm(b.text) in own:
            removed[i] = "headline"
        return


def _mark_linked_titles(blocks: Sequence, removed: dict[int, str], site: str | None) -> None:
    for i, b in enumerate(blocks):
        if i in removed or not _is_linked_title(b, site):
            continue
        removed[i] = "related"
        j = i - 1
        while j >= 0 and j in removed and removed[j] == "related":
            j -= 1
        if j >= 0 and j not in removed and _is_label(blocks[j]):
            removed[j] = "related"


def _mark_teaser_lists(blocks: Sequence, removed: dict[int, str], tail_start: int, block_of,
                       site: str | None) -> None:
    total = sum(len(b.text) for b in blocks) or 1
    for i in range(max(0, tail_start), len(blocks)):
        b = blocks[i]
        if i in removed or b.el.tag != "list" or len(b.text) > TEASER_LIST_MAX_SHARE * total:
            continue
        kinds = [_teaser_item(block_of(it), site) for it in b.el.iter("item")]
        if len(kinds) >= 2 and sum(k > 0 for k in kinds) >= 0.7 * len(kinds) and sum(k == 2 for k in kinds) >= 0.5 * len(kinds):
            removed[i] = "related"


def _mark_contact(blocks: Sequence, removed: dict[int, str]) -> None:
    n = len(blocks)
    i = n - 1
    while i >= max(1, n - CONTACT_LAST_BLOCKS):
        if i in removed:
            i -= 1
            continue
        if not _is_contact(blocks[i]):
            return
        removed[i] = "contact"
        i -= 1


def _last_kept(blocks: Sequence, removed: dict[int, str]) -> int | None:
    for i in range(len(blocks) - 1, -1, -1):
        if i not in removed and blocks[i].text:
            return i
    return None


def _mark_dangling(blocks: Sequence, removed: dict[int, str]) -> None:
    i = _last_kept(blocks, removed)
    if i is None or i == 0:
        return
    b = blocks[i]
    if (b.el.tag in ("p", "head") and b.words <= DANGLING_MAX_WORDS and b.density >= DANGLING_MIN_DENSITY
            and b.text.rstrip().endswith((":", "："))):
        removed[i] = "promo"


