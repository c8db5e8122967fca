"""Whole boilerplate boxes out of the parsed page, before trafilatura sees it (pure up to the undo).

A box is an element of the page (a <div>, <aside>, <section>, <form>, <figcaption>...) that is, on its
own evidence, not article: a newsletter sign-up, a donation or membership appeal, an affiliate or promo
offer, a disclaimer or reprint notice, a comments section, an author bio, a table of contents, a caption or
photo credit, a series note, a related/recommended list, a share bar. Evidence, always two-sided:
- what the box says it is: its class/id/role/aria-label tokens ("c-newsletter__signup" -> newsletter,
  signup), or its own heading ("Sign up for...", "Support our journalism", "Comments", "About the author",
  "Contents", "You might also like", in en/de/fr/es/pt/it/pl), or a sign-up form (an e-mail input);
- and what it holds: little prose for its kind (long sentences of 20+ words), or many links (a list), or a
  form. A box that holds the article's prose is never one: it must not contain the element that holds the
  page's most paragraph text, nor the <h1>.
A word inside a sentence is never evidence ("Subscribers to the service rose 12%" is a sentence in a
paragraph, not a box), so such sentences stay.

remove_boxes(tree) detaches the boxes in place and returns what restore_boxes(removed) puts back (the
metadata readers that run after trafilatura see the page as it was); a text node after a removed box stays
in the page while it is detached.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from . import _patterns as P

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_SENTENCE_WORDS = 20  # a paragraph with this many words is prose
_NEVER = frozenset({"html", "body", "main", "head", "h1", "title"})
_CONTAINER = frozenset({"div", "section", "aside", "form", "footer", "ul", "ol", "nav", "figure", "details",
                        "article", "header", "table", "dl", "span", "p", "figcaption", "small", "blockquote"})
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_FORM_FIELDS = ("input", "button", "select", "textarea")

# class/id tokens (lower-cased, split on non-alphanumerics and camelCase; adjacent pairs and triples are
# also tried joined: "author-box" -> authorbox, "table-of-contents" -> tableofcontents)
_TOKEN_KIND = {
    "newsletter": "newsletter", "newsletters": "newsletter", "signup": "newsletter", "subscribe": "newsletter",
    "subscription": "newsletter", "optin": "newsletter", "mailchimp": "newsletter", "mc4wp": "newsletter",
    "emailsignup": "newsletter", "mailinglist": "newsletter", "abonnement": "newsletter",
    "donate": "donation", "donation": "donation", "donations": "donation", "membership": "donation",
    "contribute": "donation", "contributions": "donation", "supportus": "donation", "patreon": "donation",
    "becomeamember": "donation", "spenden": "donation",
    "promo": "promo", "promotion": "promo", "promoted": "promo", "sponsor": "promo", "sponsored": "promo",
    "affiliate": "promo", "affiliates": "promo", "advert": "promo", "advertisement": "promo", "ad": "promo",
    "ads": "promo", "adslot": "promo", "adunit": "promo", "coupon": "promo", "dealbox": "promo",
    "disclaimer": "disclaimer", "disclosure": "disclaimer", "republish": "disclaimer", "reprint": "disclaimer",
    "reprints": "disclaimer", "syndication": "disclaimer", "copyright": "disclaimer",
    "comments": "comments", "comment": "comments", "commentlist": "comments", "disqus": "comments",
    "respond": "comments", "discussion": "comments", "replies": "comments", "kommentare": "comments",
    "bio": "bio", "authorbio": "bio", "authorbox": "bio", "aboutauthor": "bio", "abouttheauthor": "bio",
    "authorinfo": "bio", "authorcard": "bio", "authordetails": "bio", "authorprofile": "bio",
    "contributorbio": "bio", "biography": "bio",
    "toc": "toc", "tableofcontents": "toc", "eztoc": "toc", "inhaltsverzeichnis": "toc", "sommaire": "toc",
    "related": "related", "relatedposts": "related", "recommended": "related", "recommendations": "related",
    "recirc": "related", "readnext": "related", "latestnews": "related", "latestposts": "related",
    "latestarticles": "related", "topstories": "related", "morestories": "related", "alsolike": "related",
    "youmaylike": "related", "outbrain": "related", "taboola": "related", "yarpp": "related",
    "share": "share", "sharing": "share", "sharedaddy": "share", "socialshare": "share", "sharebar": "share",
    "caption": "caption", "figcaption": "caption", "credit": "caption", "credits": "caption",
    "photocredit": "caption", "imagecredit": "caption",
    "series": "series", "seriesnav": "series", "partof": "series",
}
# most prose (characters in 20+-word paragraphs) a box of each kind may hold, and whether a box of the
# kind found by class alone needs more evidence (a form, links, a heading of its kind, little text)
_PROSE_MAX = {"newsletter": 250, "donation": 1200, "promo": 400, "disclaimer": 700, "comments": 10**9,
              "bio": 1000, "toc": 200, "related": 400, "share": 120, "caption": 400, "series": 400}
_TEXT_MAX = {"newsletter": 700, "donation": 2000, "promo": 900, "disclaimer": 900, "comments": 10**9,
             "bio": 1400, "toc": 3000, "related": 5000, "share": 400, "caption": 500, "series": 500}

_I = re.I
_BOX_HEADING = {
    "newsletter": re.compile(
        r"^\W{0,3}(?:sign up\b|subscribe\b|get (?:our|the) [\w ]{0,30}newsletter|(?:our|the|free) [\w ]{0,30}"
        r"newsletter|newsletter\b|join (?:our|the) (?:newsletter|mailing list|list)|"
        r"get the [\w ]{0,30}(?:briefing|digest|newsletter)|(?:unser(?:en)?|notre|nuestr[oa]|la nostra|nossa|nasz) "
        r"(?:newsletter|boletín|infolettre)|stay (?:informed|in the loop|"
        r"updated|in touch)|(?:don'?t|never) miss|get the latest|enjoy(?:ed|ing)? (?:this|our) (?:article|story|post)|"
        r"like what you(?:'re| are) reading|want more (?:stories|like this)|in your inbox|"
        r"newsletter abonnieren|jetzt abonnieren|abonnieren sie|bleiben sie informiert|verpassen sie nichts|"
        r"abonnez-vous|inscrivez-vous|ne manquez rien|restez informés?|suscr[ií]bete|recibe (?:nuestro|nuestra|"
        r"las)|no te pierdas|iscriviti|resta aggiornat|assine|inscreva-se|receba (?:nossa|as)|fique por dentro|"
        r"zapisz się|bądź na bieżąco|zamów newsletter)", _I),
    "donation": re.compile(
        r"^\W{0,3}(?:support (?:us|our|independent|the|this|quality)|donate\b|make a donation|help us|"
        r"help (?:keep|fund|support)|become a (?:member|supporter|patron|subscriber)|join (?:us|our members|"
        r"the club)|membership\b|we need your (?:help|support)|(?:can|will) you (?:help|support)|contribute\b|"
        r"unterstützen sie|jetzt spenden|spenden sie|unterstütze|werden sie mitglied|soutenez|faites un don|"
        r"devenez membre|aidez-nous|apoya|haz una donaci|hazte (?:socio|miembro)|ay[uú]danos|dona ora|sostieni|"
        r"abbonati per sostenere|apoie|fa[cç]a uma doa|wesprzyj|wspieraj|przekaż darowiznę)", _I),
    "comments": re.compile(
        r"^\W{0,3}(?:\d+\s+)?(?:comments?|responses?|replies|leave a (?:comment|reply)|post a comment|"
        r"join the (?:conversation|discussion)|discussion|reader comments|what do you think|"
        r"kommentare?|kommentar schreiben|leserkommentare|commentaires?|laisser un commentaire|réactions|"
        r"comentarios?|deja (?:un|tu) comentario|commenti|lascia un commento|coment[aá]rios?|deixe (?:um|seu) "
        r"coment[aá]rio|komentarze|dodaj komentarz)(?:\W|$)", _I),
    "bio": re.compile(
        r"^\W{0,3}(?:about (?:the )?(?:author|writer|contributor|reporter)s?|about me|the author|meet the "
        r"(?:author|writer)|author bio|written by|über (?:den autor|die autorin|die autoren|mich)|zum autor|zur "
        r"autorin|der autor|die autorin|à propos de l['’]auteur|l['’]auteur|sobre (?:el|la|o|a) (?:autor|autora)|"
        r"el autor|la autora|l['’]autore|sull['’]autore|o autorze|o autorce|autor)\W{0,3}$", _I),
    "toc": re.compile(
        r"^\W{0,3}(?:table of contents|contents|in this (?:article|guide|post)|on this page|jump to|"
        r"inhalt(?:sverzeichnis)?|inhalte|auf dieser seite|sommaire|table des matières|dans cet article|"
        r"[ií]ndice|contenidos?|tabla de contenidos?|en este art[ií]culo|indice|sommario|in questo articolo|"
        r"conte[uú]do|neste artigo|spis treści|w tym artykule)\W{0,3}$", _I),
    "related": re.compile(
        r"^\W{0,3}(?:you(?:'ll| will| may| might) (?:also )?(?:love|like|enjoy)|you may also be interested|"
        r"related\b|recommended\b|more (?:from|stories|articles|like this|to read|on this|in)\b|keep reading|"
        r"(?:our )?latest (?:stories|news|articles|posts)|top stories|"
        r"read next|further reading|popular (?:now|posts|stories)|trending|most (?:read|popular)|"
        r"das könnte (?:sie|dich) auch interessieren|mehr zum thema|weitere (?:artikel|beiträge|themen)|"
        r"auch interessant|lesen sie auch|empfehlungen|à lire aussi|sur le même sujet|vous aimerez aussi|"
        r"vous aimerez peut-être|articles similaires|te puede interesar|tambi[eé]n te puede gustar|"
        r"noticias relacionadas|art[ií]culos relacionados|lee también|potrebbe interessarti|ti potrebbe piacere|"
        r"articoli correlati|leggi anche|voc[eê] também pode gostar|leia também|artigos relacionados|"
        r"veja também|zobacz (?:też|także)|czytaj (?:też|także)|polecane|może cię zainteresować)", _I),
    "disclaimer": re.compile(
        r"^\W{0,3}(?:disclaimer|disclosure|affiliate disclosure|haftungsausschluss|hinweis|avertissement|"
        r"aviso legal|descargo de responsabilidad|avvertenza|aviso|zastrzeżenie)\W{0,3}$", _I),
    "promo": re.compile(
        r"^\W{0,3}(?:sponsored|advertisement|partner content|(?:today'?s|best|top) deals?|our (?:top )?picks?|"
        r"shop (?:the|now)|anzeige|werbung|angebot des tages|publicité|publicidad|oferta|pubblicità|offerta|"
        r"reklama|promocja)\b", _I),
    "series": re.compile(r"^\W{0,3}(?:this (?:article|story|post) is part of|part of (?:a|our|the) [\w ]{0,30}"
                         r"series|(?:the |our )?s[ée]ries?\b|teil (?:der|unserer) serie|cet article fait partie|"
                         r"esta serie|questa serie|esta série|seria\b)", _I),
}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", _I)
_EMAIL_FIELD = re.compile(r"e-?mail|newsletter|subscribe", _I)


def _raw_tokens(el: etree._Element) -> str:
    return " ".join(v for v in (el.get("class"), el.get("id"), el.get("role"), el.get("aria-label"),
                                el.get("data-component"), el.get("data-module")) if v)


@functools.lru_cache(maxsize=8192)
def _split_tokens(raw: str) -> tuple[str, ...]:
    """The tokens of an element's class/id/role/aria/data attributes, also joined in twos and threes
    (`author-box` -> `authorbox`). Memoised: a page repeats the same class strings many times."""
    if not raw:
        return ()
    toks = [t for t in _SPLIT.split(_CAMEL.sub(" ", raw).lower()) if t]
    joined = [a + b for a, b in zip(toks, toks[1:])] + [a + b + c for a, b, c in zip(toks, toks[1:], toks[2:])]
    return tuple(toks + joined)


def _class_kind(el: etree._Element) -> str | None:
    raw = _raw_tokens(el)
    return _raw_kind(raw) if raw else None


@functools.lru_cache(maxsize=8192)
def _raw_kind(raw: str) -> str | None:
    for tok in _split_tokens(raw):
        kind = _TOKEN_KIND.get(tok)
        if kind:
            return kind
    return None


@dataclass
class _Stats:
    text: str
    link_chars: int
    prose: int
    has_form: bool
    n_links: int
    long_paras: int  # paragraphs of 20+ words, linked or not

    @property
    def density(self) -> float:
        return self.link_chars / max(1, len(self.text))


def _visible_text(el: etree._Element) -> str:
    """The element's text without what scripts and styles hold (an ad slot's JavaScript is not text)."""
    return P.squash_ws("".join(el.itertext(None, with_tail=True)) if not _has_script(el) else
                       "".join(t for t in _iter_visible(el)))


def _has_script(el: etree._Element) -> bool:
    return any(True for _ in el.iter("script", "style", "noscript"))


def _iter_visible(el: etree._Element):
    for node in el.iter():
        if node.tag in ("script", "style", "noscript") or not isinstance(node.tag, str):
            if node is not el and node.tail:
                yield node.tail
            continue
        if node.text:
            yield node.text
        if node is not el and node.tail:
            yield node.tail


def _stats(el: etree._Element) -> _Stats:
    text = _visible_text(el)
    links = [P.squash_ws("".join(a.itertext())) for a in el.iter("a")]
    prose = long_paras = 0
    paras = [p for p in el.iter("p", "li", "dd", "blockquote")] or [el]
    for p in paras:
        t = P.squash_ws("".join(p.itertext()))
        if len(t.split()) >= _SENTENCE_WORDS:
            long_paras += 1
            ltext = sum(len(P.squash_ws("".join(a.itertext()))) for a in p.iter("a"))
            if ltext < 0.3 * len(t):
                prose += len(t)
    has_form = el.tag == "form" or any(True for _ in el.iter(*_FORM_FIELDS))
    return _Stats(text, sum(len(t) for t in links), prose, has_form, len(links), long_paras)


_CAPTION_PROSE_WORDS = 15


def _caption_fits(text: str) -> bool:
    """A caption or credit line, not a descriptive paragraph: a caption of 15+ words besides its credit is
    text some readers of the article want (slideshow captions, a photo's story), and stays."""
    if not text or len(text) > _TEXT_MAX["caption"]:
        return False
    m = P.CREDIT_TAIL.search(text)
    return len((text[:m.start()] if m else text).split()) < _CAPTION_PROSE_WORDS


def _main_element(tree: etree._Element) -> etree._Element | None:
    """The element whose direct <p> children hold the most text: the article body."""
    score: dict[etree._Element, int] = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        if parent is not None:
            score[parent] = score.get(parent, 0) + len("".join(p.itertext()))
    return max(score, key=score.__getitem__) if score else None


def _protected(tree: etree._Element) -> set[etree._Element]:
    """The article body and its ancestors, and the <h1>'s ancestors: never a box."""
    out: set[etree._Element] = set()
    main = _main_element(tree)
    for start in [main] + list(tree.iter("h1"))[:1]:
        el = start
        while el is not None:
            out.add(el)
            el = el.getparent()
    return out


def _heading_kind(el: etree._Element) -> str | None:
    return heading_kind(P.squash_ws("".join(el.itertext())))


def heading_kind(text: str) -> str | None:
    """The kind of box a heading's text announces ("Sign up for ..." -> newsletter), or None."""
    if not text or len(text) > 80:
        return None
    for kind, rx in _BOX_HEADING.items():
        if rx.match(text):
            return kind
    return None


def _own_heading(el: etree._Element) -> str | None:
    """The kind named by the box's first heading (one of its first three descendants' headings)."""
    for i, h in enumerate(el.iter(*_HEADINGS, "strong", "b", "legend", "header")):
        if i >= 3:
            break
        kind = _heading_kind(h)
        if kind:
            return kind
    return None


def _fits(kind: str, s: _Stats, *, by_heading: bool) -> bool:
    """The box's contents agree with its kind: little prose, or a list of links, or a form."""
    if len(s.text) > _TEXT_MAX[kind] or s.prose > _PROSE_MAX[kind]:
        return False
    if kind in ("related", "toc"):  # a list of links, no paragraph of text
        return s.long_paras == 0 and (s.density >= 0.4 or (kind == "related" and s.n_links >= 2))
    if kind == "share":
        return s.prose == 0
    if kind == "comments":  # a comments section names itself twice (class and heading) or has its form
        return by_heading or s.has_form
    if kind == "caption":
        return _caption_fits(s.text)
    if kind == "newsletter":
        return s.has_form or by_heading or len(s.text) <= 300
    if kind in ("series", "disclaimer", "promo", "donation", "bio"):
        return True
    return False


_REPLY = re.compile(r"^\W{0,2}(?:reply|antworten|répondre|responder|rispondi|odpowiedz)\W{0,2}$", _I)


def _reply_list(el: etree._Element) -> bool:
    """A list of comments: 2+ items, each with its own "Reply" link."""
    items = [li for li in el if li.tag == "li"]
    if len(items) < 2:
        return False
    return all(any(_REPLY.match("".join(a.itertext())) for a in li.iter("a")) for li in items)


def _image_caption(el: etree._Element) -> bool:
    """An image followed by a short line of emphasised text, and nothing else: a caption."""
    if len(el) < 2:
        return False
    kids = [k for k in el if isinstance(k.tag, str) and k.tag != "br"]
    if len(kids) != 2 or kids[0].tag not in ("img", "picture", "a") or kids[1].tag not in ("em", "i", "small", "cite",
                                                                                        "span"):
        return False
    if kids[0].tag == "a" and kids[0].find(".//img") is None:
        return False
    if (el.text or "").strip() or (kids[0].tail or "").strip() or (kids[1].tail or "").strip():
        return False
    return _caption_fits(P.squash_ws("".join(kids[1].itertext())))


def _signup_form(el: etree._Element) -> bool:
    """A form asking for an e-mail address, and not a log-in form (no password field)."""
    if any(f.get("type", "").lower() == "password" for f in el.iter("input")):
        return False
    if len(_visible_text(el)) > 500:
        return False
    for f in el.iter("input"):
        if f.get("type", "").lower() == "email" or _EMAIL_FIELD.search(
                " ".join(filter(None, (f.get("name"), f.get("placeholder"), f.get("id"))))):
            return True
    return False


_SKIPPED = ("script", "style", "noscript", "template")  # never searched, nor anything inside them
# the tags _box_at can call a box (or the opening heading of one); lxml's iter() filters on them in C, so
# no Python proxy is made for the other elements of the page (most of them)
_CANDIDATE_TAGS = (*_HEADINGS, "strong", "b", "legend", *sorted(_CONTAINER))
# what lies inside an element never searched (script and style hold no elements in a parsed HTML page)
_INSIDE_SKIPPED = etree.XPath("|".join(f"descendant::{t}//*" for t in _SKIPPED))


def _candidates(tree: etree._Element, protected: set[etree._Element]) -> list[tuple[etree._Element, str]]:
    """Boxes in document order; the inside of a box found is not searched (its candidates, which follow it
    in document order, are skipped)."""
    found: list[tuple[etree._Element, str]] = []
    skip = 0
    hidden = set(_INSIDE_SKIPPED(tree))
    for el in tree.iter(_CANDIDATE_TAGS):
        if skip:
            skip -= 1
            continue
        if hidden and el in hidden:
            continue
        box, kind = _box_at(el, el.tag, protected)
        if box is not None:
            found.append((box, kind))
            if box is el:
                skip = sum(1 for _ in el.iter(_CANDIDATE_TAGS)) - 1
    return found


def _box_at(el: etree._Element, tag: str, protected: set[etree._Element]) -> tuple[etree._Element | None, str]:
    if tag in _NEVER or el in protected:
        return None, ""
    if tag == "figcaption":  # left to trafilatura and the credit rules after it: taking a lead picture's
        return None, ""      # caption out of the page can make trafilatura miss the article beside it
    if tag in _HEADINGS or tag in ("strong", "b", "legend"):
        hk = _heading_kind(el)
        if hk:
            return _heading_box(el, hk, protected), hk
        return None, ""
    if tag not in _CONTAINER:
        return None, ""
    if el.get("itemscope") is not None and _HIDDEN.search(el.get("style") or ""):
        return el, "hidden"  # a schema.org block for machines, display:none (names, dates, keywords as text)
    if tag in ("ol", "ul") and _reply_list(el):
        return el, "comments"
    if tag in ("p", "div") and _image_caption(el):
        return el, "caption"
    kind = _class_kind(el)
    if kind:
        s = _stats(el)
        if s.text and _fits(kind, s, by_heading=_own_heading(el) == kind):  # an empty ad slot: nothing to gain
            return el, kind
    if tag == "form" and _signup_form(el):
        box = el
        parent = el.getparent()
        while parent is not None and parent not in protected and parent.tag in _CONTAINER \
                and len(P.squash_ws("".join(parent.itertext()))) <= 500 and _stats(parent).prose <= 250:
            box, parent = parent, parent.getparent()
        return box, "newsletter"
    return None, ""


def _heading_box(h: etree._Element, kind: str, protected: set[etree._Element]) -> etree._Element | None:
    """The box a heading opens: its nearest container that holds little besides what the kind allows."""
    el = h
    for _ in range(4):
        parent = el.getparent()
        if parent is None or parent in protected or parent.tag not in _CONTAINER:
            return None
        if parent.tag in ("p", "span", "small", "figcaption"):
            el = parent
            continue
        s = _stats(parent)
        if _fits(kind, s, by_heading=True) and _first_heading(parent, h):
            return parent
        el = parent
    return None


def _first_heading(box: etree._Element, h: etree._Element) -> bool:
    """`h` opens `box`: at most a short label of the box's text comes before it."""
    before = 0
    for el in box.iter():
        if el is h:
            return True
        before += len((el.text or "").strip()) + (len((el.tail or "").strip()) if el is not box else 0)
        if before > 40:
            return False
    return False


@dataclass
class Removed:
    parent: etree._Element
    index: int
    el: etree._Element
    prev: etree._Element | None
    old_text: str | None  # the parent's text or the previous sibling's tail before el's tail was moved


def remove_boxes(tree: etree._Element) -> list[Removed]:
    """Detach every boilerplate box (outermost first) from `tree`; returns the undo list."""
    protected = _protected(tree)
    order = [el for el, _kind in _candidates(tree, protected)]
    found = set(order)
    chosen = []
    for el in dict.fromkeys(order):
        anc = el.getparent()
        while anc is not None and anc not in found:
            anc = anc.getparent()
        if anc is None:
            chosen.append(el)
    removed: list[Removed] = []
    for el in chosen:
        parent = el.getparent()
        if parent is None:
            continue
        prev = el.getprevious()
        tail = el.tail
        old = (prev.tail if prev is not None else parent.text)
        if tail and tail.strip():
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        removed.append(Removed(parent, parent.index(el), el, prev, old))
        parent.remove(el)
        el.tail = tail
    return removed


def restore_boxes(removed: list[Removed]) -> None:
    """Put the boxes back where remove_boxes took them from."""
    for r in reversed(removed):
        if r.prev is not None:
            r.prev.tail = r.old_text
        else:
            r.parent.text = r.old_text
        r.parent.insert(r.index, r.el)


def box_kinds(tree: etree._Element) -> list[tuple[str, str]]:
    """(kind, first 80 characters) of every box remove_boxes would take out (for debugging a page)."""
    protected = _protected(tree)
    return [(kind, P.squash_ws("".join(el.itertext()))[:80]) for el, kind in _candidates(tree, protected)]
