"""The page-type gate (pure): is this page an article, a listing or something else?

    extract_page_type(tree, url, *, text, jsonld, dated, bylined) -> PageType

Called by extract_article on the tree it already parsed (trafilatura works on its own copy, so this is
the page as served), with what extraction found: the clean text, the JSON-LD objects, whether the page
carries a publication date in its markup and a byline. Only pages of kind `article` become `articles`
rows (extractors/process.py); the others are recorded with their type and the reason.

Kinds and page types:
- `article`: article, live_blog
- `listing`: home, section, tag, author, archive, calendar, search, index (cards without a URL shape)
- `other`:   about, contact, login, error, thin

Signals (all in `PageType.signals`): og:type; JSON-LD @type (article types vs CollectionPage, ItemList,
SearchResultsPage, ProfilePage, Event...); prose paragraphs (a <p>, or a <div>'s own text, of at least
PROSE_MIN_WORDS words, mostly not link text, outside the site's nav/header/footer and outside cards);
cards (a heading holding a link, or a list item that is one title link: repeated teasers); links and
link text; headings; a password field; an error title; the URL's shape (/tag/, /category/, /author/,
/page/N, ?page=N, date-only paths, calendar paths and queries, the site root, /about...); a date and a
byline.

The decision is conservative: a page is an article unless the signals say otherwise together (a URL
shape alone, or cards alone, never outweigh prose). Enough prose outside cards (PROSE_OK_*) keeps a page
an article whatever its URL; article markup (JSON-LD *Article, og:type article) with some prose too.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from extractors.content._index import first_element, page_elements
from extractors.content._meta import extract_meta_tags
from extractors.models import PageType

PROSE_MIN_WORDS = 12  # a paragraph with fewer words is a label, a teaser line or a caption
PROSE_CJK_CHARS = 40  # ... or, written without spaces, fewer characters than this
PROSE_OK_PARAGRAPHS = 2  # at least this many prose paragraphs outside cards ...
PROSE_OK_WORDS = 80  # ... with at least this many words: the page has an article's body
RICH_PARAGRAPHS = 4  # this much prose outside cards is an article whatever the URL says
RICH_WORDS = 250
MIN_REPEAT = 3  # cards count when at least this many share their tag and class
TEASER_MAX_WORDS = 150  # a card with more prose than this is a whole post, not a teaser
MIN_CARDS = 6  # repeated teasers that make an index page without a listing URL shape
THIN_WORDS = 50  # an undated, unmarked page with less clean text than this is thin
WALL_WORDS = 150  # a login wall or an error page has less text than this
MAX_LISTING_LINKS = 300  # a listing's links handed to discovery

_CHROME_TAGS = ("nav", "header", "footer")  # site chrome: nothing inside counts
# a <header>/<footer> inside these is the article's own (its title and lead, its tags), not the site's
# (and <aside>, <form> are not chrome: pages put their article inside either)
_CONTENT_TAGS = {"article", "main"}
_WALKED = ("p", "h2", "h3", "h4", "li", "a")
# a <div> with its own text (pages built from <div>/<br>) outside navigation: found in C, few
_TEXT_DIVS = etree.XPath("//div[text()[string-length(normalize-space()) > 60]][not(ancestor::nav)]")

_LIVE_CLASS = re.compile(r"live-?blog|live-?ticker", re.I)
_ARTICLE_LD = re.compile(r"(?:Article|BlogPosting|Report|LiveBlogPosting)$")
_LISTING_LD = {"CollectionPage": "section", "ItemList": "index", "SearchResultsPage": "search",
               "ProfilePage": "author", "Event": "calendar", "EventSeries": "calendar"}
_OTHER_LD = {"AboutPage": "about", "ContactPage": "contact"}
_ERROR_TITLE = re.compile(r"\b(?:404|page not found|not found|seite nicht gefunden|page introuvable|"
                          r"página no encontrada|pagina non trovata|error \d{3})\b", re.I)
_NUM = re.compile(r"\d+")
_DATE_SEG = re.compile(r"^(?:\d{4}|\d{4}-\d{2}(?:-\d{2})?|\d{1,2})$")

# URL path segments naming a listing, -> its page type
_LISTING_SEGMENTS = {
    **dict.fromkeys(("tag", "tags", "topic", "topics", "label", "labels", "schlagwort", "thema", "themen",
                     "etiqueta", "mot-cle"), "tag"),
    **dict.fromkeys(("category", "categories", "section", "sections", "rubrik", "rubrique", "ressort",
                     "categoria", "kategorie"), "section"),
    **dict.fromkeys(("author", "authors", "autor", "autoren", "auteur", "contributor", "contributors",
                     "byline", "writers"), "author"),
    **dict.fromkeys(("archive", "archives", "archiv"), "archive"),
    **dict.fromkeys(("search", "suche", "recherche", "buscar"), "search"),
    **dict.fromkeys(("calendar", "calendars", "kalender", "agenda", "calendrier"), "calendar"),
}
# a last path segment naming a page that is not an article
_OTHER_SEGMENTS = {
    **dict.fromkeys(("about", "about-us", "ueber-uns", "uber-uns", "a-propos", "qui-sommes-nous", "team",
                     "impressum", "imprint", "masthead", "privacy", "privacy-policy", "datenschutz", "terms",
                     "terms-of-service", "terms-of-use", "cookies", "cookie-policy", "legal"), "about"),
    **dict.fromkeys(("contact", "contact-us", "kontakt", "contacto", "contatti"), "contact"),
    **dict.fromkeys(("login", "log-in", "signin", "sign-in", "register", "signup", "sign-up", "account",
                     "anmelden", "connexion", "subscribe"), "login"),
}
_CALENDAR_SEGMENTS = {"events", "event", "calendar", "veranstaltungen", "termine", "agenda", "evenements"}
_PAGE_KEYS = {"page", "paged", "pg", "seite"}  # not "p": WordPress post ids
_SEARCH_KEYS = {"s", "q", "query", "search", "keyword", "keywords"}
_CALENDAR_KEYS = {"month", "year", "date", "day", "week", "ym", "tribe-bar-date", "eventdate"}


def _words(text: str) -> int:
    n = len(text.split())
    if n <= 2 and len(text) >= PROSE_CJK_CHARS:  # scripts written without spaces
        return len(text) // 4
    return n


def _is_prose(words: int) -> bool:
    return words >= PROSE_MIN_WORDS


def _url_shape(url: str) -> tuple[str | None, str | None]:
    """(listing page type, other page type) the URL's shape says, each None when it says nothing."""
    parts = urlsplit(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    keys = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    if keys.keys() & _SEARCH_KEYS:
        return "search", None
    if keys.keys() & _CALENDAR_KEYS:
        return "calendar", None
    for i, seg in enumerate(segments):
        kind = _LISTING_SEGMENTS.get(seg)
        if kind == "calendar" or (kind and i + 1 >= len(segments) - 1):
            return kind, None  # /tag/x/, /author/jane/, /category/news/page/2/ (checked below too)
    if len(segments) >= 2 and segments[-2] == "page" and _NUM.fullmatch(segments[-1]):
        return "archive", None
    if any(k in _PAGE_KEYS and _NUM.fullmatch(v or "") for k, v in keys.items()):
        return "archive", None
    if not segments and not parts.query:
        return "home", None
    tail = 0  # trailing date segments: /2024/05/, /news/2024/05/01/, /events/2026/12/
    while tail < len(segments) and _DATE_SEG.match(segments[-1 - tail]):
        tail += 1
    if tail and any(len(s) >= 4 for s in segments[len(segments) - tail:]):
        head = segments[:len(segments) - tail]
        if not head:
            return "archive", None
        if head[-1] in _CALENDAR_SEGMENTS:
            return "calendar", None
        if len(head) == 1 and not _NUM.search(head[0]):
            return "archive", None  # /news/2024/05/
    return None, _OTHER_SEGMENTS.get(segments[-1]) if segments else None


def _ld_types(jsonld: list[dict]) -> list[str]:
    out = []
    for o in jsonld:
        t = o.get("@type")
        out += [x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]
    return out


def _card_of(heading: etree._Element) -> etree._Element | None:
    """The teaser element a title heading belongs to: its parent (above a wrapping <a>)."""
    parent = heading.getparent()
    if parent is not None and parent.tag == "a":
        parent = parent.getparent()
    return parent


def _text_len(el: etree._Element) -> int:
    return len(" ".join("".join(el.itertext()).split()))


def _card_holding(el: etree._Element, cards: set[etree._Element]) -> etree._Element | None:
    el = el.getparent()
    while el is not None:
        if el in cards:
            return el
        el = el.getparent()
    return None


def _repeated(found: list[etree._Element]) -> set[etree._Element]:
    """The cards that repeat: at least MIN_REPEAT of the same tag and class (a post's own title link
    makes one "card" of the whole post; teasers come in series)."""
    groups: dict[tuple[str, str], list[etree._Element]] = {}
    for el in found:
        groups.setdefault((el.tag, el.get("class") or ""), []).append(el)
    return {el for group in groups.values() if len(group) >= MIN_REPEAT for el in group}


def _own_text(el: etree._Element) -> str:
    """A <div>'s own text (its text and its children's tails), whitespace squashed."""
    parts = [el.text or ""] + [c.tail or "" for c in el]
    return " ".join(" ".join(parts).split())


def _walk(tree: etree._Element) -> tuple[list, list, list, list, set, int]:
    """One walk of the page outside its chrome: (anchors, paragraphs, text divs, list items with a
    link, cards from title headings, headings)."""
    chrome: set[etree._Element] = set()  # (element proxies are made once: each costs a class lookup)
    for c in tree.iter(*_CHROME_TAGS):
        if c.tag == "nav" or not any(a.tag in _CONTENT_TAGS for a in c.iterancestors()):
            chrome.update(c.iter(*_WALKED))
    no_prose: set[etree._Element] = set()
    anchors, paras, items = [], [], []
    cards: dict[etree._Element, None] = {}
    headings = 0
    for el in tree.iter(*_WALKED):
        if el in chrome:
            continue
        tag = el.tag
        if tag == "a":
            if el.get("href"):
                anchors.append(el)
            if len(el):
                no_prose.update(el.iter("p"))  # a teaser wrapped in its link
        elif tag == "p":
            if el not in no_prose:
                paras.append(el)
        elif tag == "li":
            if el.find("a") is not None:
                items.append(el)
        else:
            headings += 1
            if any((a.get("href") or "#").lstrip()[:1] != "#" for a in el.iter("a")):
                card = _card_of(el)
                if card is not None:
                    cards[card] = None
    chrome_links = sum(1 for el in chrome if el.tag == "a")
    return anchors, paras, _TEXT_DIVS(tree), items, _repeated(list(cards)), headings, chrome_links


def _structure(tree: etree._Element) -> dict:
    """Cards, prose paragraphs outside them, links and headings of the page, from one walk."""
    anchors, paras, divs, items, cards, headings, chrome_links = _walk(tree)
    link_items = []
    for li in items:  # a title link, alone or leading a teaser
        a = li.find("a")
        a_len = _text_len(a)
        if a_len >= 15 and ((li[0] is a and not (li.text or "").strip()) or a_len >= 0.6 * _text_len(li)):
            link_items.append(li)
    cards |= _repeated(link_items)
    prose: list[tuple[int, int]] = []  # (words, characters) of each prose paragraph outside cards
    in_cards: dict[etree._Element, list[tuple[int, int]]] = {}
    for el, text in [*((p, " ".join("".join(p.itertext()).split())) for p in paras),
                     *((d, _own_text(d)) for d in divs)]:
        words = _words(text)
        if not _is_prose(words):
            continue
        if el.tag == "p" and len(el) and sum(_text_len(a) for a in el.iter("a")) > 0.5 * len(text):
            continue
        card = _card_holding(el, cards) if cards else None
        (prose if card is None else in_cards.setdefault(card, [])).append((words, len(text)))
    teasers = teaser_words = 0
    for card, paragraphs in in_cards.items():
        if sum(w for w, _ in paragraphs) > TEASER_MAX_WORDS:  # a whole post in a series: its prose counts
            prose += paragraphs
        else:
            teasers, teaser_words = teasers + len(paragraphs), teaser_words + sum(w for w, _ in paragraphs)
    prose_n, prose_words, prose_chars = len(prose), sum(w for w, _ in prose), sum(c for _, c in prose)
    card_words = sum(len("".join(card.itertext()).split()) for card in cards)
    link_chars = sum(len("".join(a.itertext())) for a in anchors)
    return {"cards": len(cards), "link_items": len(link_items), "teaser_paragraphs": teasers,
            "teaser_words": teaser_words, "card_words": card_words, "prose_paragraphs": prose_n, "prose_words": prose_words,
            "links": len(anchors), "chrome_links": chrome_links, "link_chars": link_chars,
            "link_ratio": round(link_chars / max(1, link_chars + prose_chars), 3), "headings": headings}


def _listing_links(tree: etree._Element, url: str) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for a in _walk(tree)[0]:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
            continue
        out[urljoin(url, href).split("#", 1)[0]] = None
        if len(out) >= MAX_LISTING_LINKS:
            break
    out.pop(url, None)
    return tuple(out)


def _title(tree: etree._Element) -> str:
    for tag in ("title", "h1"):
        found = first_element(tree, tag)
        if found is not None:
            return " ".join("".join(found.itertext()).split())[:200]
    return ""


def _live_marked(tree: etree._Element) -> bool:
    for tag in ("body", "main", "article"):
        for el in page_elements(tree, tag):
            if _LIVE_CLASS.search(el.get("class") or ""):
                return True
    return False


def _text_prose_words(text: str) -> int:
    """Words in the clean text's prose lines (pages whose body is neither <p> nor <div> text)."""
    total = 0
    for line in text.splitlines():
        words = _words(line)
        if _is_prose(words):
            total += words
    return total


def extract_page_type(tree: etree._Element, url: str, *, text: str, jsonld: list[dict], dated: bool,
                      bylined: bool) -> PageType:
    """The page's kind, type and reason, with the signals that decided it (see the module docstring)."""
    s = _structure(tree)
    types = _ld_types(jsonld)
    og = (extract_meta_tags(tree).get("og:type") or "").strip().lower()
    listing_url, other_url = _url_shape(url)
    text_words = len(text.split())
    marked = og == "article" or any(_ARTICLE_LD.search(t) for t in types)
    title = _title(tree)
    # prose the clean text has beyond the teasers: a body written in <td>, <span>, <br>-lines...
    unexplained = max(0, _text_prose_words(text) - s["card_words"] - s["prose_words"])
    s.update({"og_type": og or None, "jsonld_types": sorted(set(types)) or None,
              "url_shape": listing_url or other_url, "text_words": text_words, "text_prose_words": unexplained,
              "dated": dated, "bylined": bylined,
              "password_field": any(i.get("type", "").lower() == "password" for i in tree.iter("input")),
              "error_title": bool(_ERROR_TITLE.search(title))})
    prose_n = s["prose_paragraphs"]
    prose_ok = ((prose_n >= PROSE_OK_PARAGRAPHS and s["prose_words"] >= PROSE_OK_WORDS)
                or unexplained >= PROSE_OK_WORDS)
    rich = prose_n >= RICH_PARAGRAPHS and s["prose_words"] >= RICH_WORDS
    cards = s["cards"]
    summary = (f"{s['links']} links in {cards} cards, {prose_n} prose paragraphs "
               f"({s['prose_words']} words)")

    def page(kind: str, page_type: str, why: str) -> PageType:
        links = _listing_links(tree, url) if kind == "listing" else ()
        return PageType(kind=kind, page_type=page_type, reason=why, signals=s, links=links)

    if "LiveBlogPosting" in types or _live_marked(tree):
        return page("article", "live_blog", "live blog: " + summary)
    if s["error_title"] and text_words < WALL_WORDS and not marked and not prose_ok:
        return page("other", "error", f"error page: title {title[:60]!r}, {text_words} words")
    if s["password_field"] and text_words < WALL_WORDS and not marked and not dated and not prose_ok:
        return page("other", "login", f"login wall: a password field, {text_words} words")
    if rich or (prose_ok and (marked or dated or bylined)):
        return page("article", "article", summary)
    ld_listing = next((_LISTING_LD[t] for t in types if t in _LISTING_LD), None)
    ld_other = next((_OTHER_LD[t] for t in types if t in _OTHER_LD), None)
    if (other_url or ld_other) and not marked and not dated and not listing_url:
        return page("other", ld_other or other_url, f"{ld_other or other_url} page: {summary}, no date, "
                    "no article markup")
    if ld_listing and not marked and not prose_ok:
        return page("listing", ld_listing, f"listing ({ld_listing}, JSON-LD): {summary}")
    if listing_url and not prose_ok and (prose_n == 0 or (cards >= MIN_REPEAT and not marked)):
        return page("listing", listing_url, f"listing ({listing_url}): {summary}")
    if cards >= MIN_CARDS and prose_n == 0 and not prose_ok and not (marked and dated):
        return page("listing", "index", f"listing (index): {summary}")
    if (text_words < THIN_WORDS and prose_n == 0 and not marked and not dated and not bylined
            and s["links"] + s["chrome_links"] >= MIN_REPEAT):  # a menu around a line; a bare line is left alone
        return page("other", "thin", f"thin page: {text_words} words, no prose paragraph, no date, no byline")
    return page("article", "article", summary)
