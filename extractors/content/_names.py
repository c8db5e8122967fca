"""Author names out of byline strings (pure): split "By A and B" into names, clean each, reject what is no person.

    split_names("By Jane Doe and John Roe, Staff Writers") -> ["Jane Doe", "John Roe"]
    clean_name("Jane Doe | Example News", PageNames("Example News", url)) -> "Jane Doe"

Cleaning strips prefixes ("By", "Von", "Par", "Written by"), roles (", Staff Writer"), a trailing "(AP)" or
" in Valencia", and the site's name; it rejects the site's name or host (also "ZEIT ONLINE" on zeit.de),
desks ("Staff", "Redaktion", "Newsroom"), URLs, e-mail addresses, @handles, domains, slugs ("chuck-ross"),
and strings with digits or markup (dates, times, CSS). Names read from the page's text (`strict`) must also
look like names: each word capitalised but particles ("de", "van", "von"), in scripts with letter case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from extractors.content._entities import decode_entities

MAX_NAMES = 10

_WS = re.compile(r"\s+")
_PREFIX = re.compile(r"^\s*(?:(?:written|posted|words|story|text|reporting|report|beitrag|ein beitrag|"
                     r"texte?|écrit|escrito) )?(?:by|von|par|por|door|di|de|af|av|avec|with|mit)\s*:?\s+|"
                     r"^\s*(?:autor(?:in)?|author|authors|text|texte|reporter)\s*:\s*", re.I)
_ROLE = re.compile(r"\s*(?:[,|·–—-]|\bfor\b)\s*(?:(?:senior|chief|contributing|staff|political|tech|technology|"
                   r"science|business|news|associate|deputy|managing|special|sports?|freelance)\s+)*"
                   r"(?:staff writer|writer|reporter|correspondent|editor|contributor|columnist|"
                   r"redakteur(?:in)?|journalist(?:in|e)?|rédact(?:eur|rice)|periodista|korrespondent(?:in)?)\b.*$",
                   re.I)
_SPLIT = re.compile(r"\s*(?:;|\||\s[·•]\s|\s&\s|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\ben\b|\boch\b|、)\s*", re.I)
_ROLE_ONLY = re.compile(r"^(?:(?:senior|chief|contributing|staff|political|deputy|managing|special|freelance)\s+)*"
                        r"(?:staff writer|writer|reporter|correspondent|editor|contributor|columnist|photographer|"
                        r"redakteur(?:in)?|journalist(?:in|e)?|rédact(?:eur|rice)|periodista)s?$", re.I)
# "신현주 기자", "张三 记者": the reporter's title after the name
_CJK_ROLE = re.compile(r"\s*(?:기자|특파원|선임기자|객원기자|记者|記者|特派员|特派員)$")
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*$")
_INNER_PAREN = re.compile(r"\(([^()]*)\)")
_TITLE_WORD = re.compile(r"^[^\W\d_][^\W\d_A-Z]+$")  # "Hamburg", not "AFP" or "dpa"
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)?$")  # "Associated Press in Valencia"
_GENERIC = frozenset({
    "staff", "staff writer", "staff writers", "staff reporter", "editorial", "editorial team", "editors",
    "the editors", "admin", "administrator", "redaktion", "die redaktion", "newsroom", "news desk", "web desk",
    "anonymous", "unknown", "guest", "la rédaction", "rédaction", "redacción", "team", "webmaster", "editor",
    "nachrichten", "news", "desk", "online", "online-redaktion", "onlineredaktion", "digital", "web", "de", "com",
    "red", "red.", "agenturen", "agencies", "agency", "wires", "wire services"})
_DESK = re.compile(r"(?:^|[\s-])(?:redaktion|rédaction|redacción|redazione|newsroom|desk|staff)$", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
_HANDLE = re.compile(r"^@\w+$")
_NOT_NAME_CHARS = re.compile(r"[\d{}\[\]<>=#*@/\\]")  # dates, times, CSS, templates, paths: not names
_PARTICLES = frozenset("de la le du des del della di da das do dos van von der den ter ten zu y e bin al el ibn "
                       "st. mc mac".split())
_DOTTED = re.compile(r"\w\.\w")  # "(www.dw.com)", "(dw.com)": a site in parentheses; "(cog.)" is initials
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.I)  # "mdr.de", "news.example.com": a site


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _host_labels(url: str | None) -> set[str]:
    """'https://www.mdr.de/x' -> {'mdr', 'mdrde'}: the host's labels (but its TLD) and the whole host."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [lab for lab in host.split(".") if lab not in ("www", "m", "amp")]
    return {_squash(lab) for lab in labels[:-1] if len(lab) >= 3} | ({_squash("".join(labels))} if labels else set())


class PageNames:
    """What cleaning a name needs to know about the page: its site name and host, and what was rejected."""

    __slots__ = ("site", "site_sq", "hosts", "rejected")

    def __init__(self, site: str | None, url: str | None):
        self.site = site
        self.site_sq = _squash(site) if site else ""
        self.hosts = _host_labels(url)
        self.rejected: set[str] = set()  # squashed values our readers found to be no person

    def was_rejected(self, name: str) -> bool:
        sq = _squash(name)
        return bool(sq) and any(sq in r for r in self.rejected)

    def names_site(self, name: str) -> bool:
        """The site's name or host ("Example News", "example.com"), also followed by desk words only
        ("ZEIT ONLINE" on zeit.de, "n-tv NACHRICHTEN" on n-tv.de)."""
        sq = _squash(name)
        if not sq:
            return False
        if sq == self.site_sq or sq in self.hosts:
            return True
        words = [w for w in re.split(r"[\s-]+", name.casefold()) if w]
        known = self.hosts | {self.site_sq}
        for i in range(len(words) - 1, 0, -1):
            if _squash(" ".join(words[:i])) in known:
                return all(w in _GENERIC for w in words[i:])
        return False


def _looks_like_name(name: str, strict: bool) -> bool:
    """At most 7 words, not only initials, no digits, parentheses or markup characters; `strict` (names read from the page's text, not
    from metadata) also wants each word capitalised but particles, and no single hyphenated word
    ("Chuck-Ross": a slug, title-cased) (cased scripts only)."""
    words = name.split()
    if len(words) > 7 or _NOT_NAME_CHARS.search(name) or "(" in name or ")" in name:
        return False
    if all(len(w.strip(".")) < 2 for w in words):  # "J J", "A."
        return False
    if not strict or not any(c.isupper() or c.islower() for c in name):
        return True
    if len(words) == 1 and "-" in name:  # "Chuck-Ross": a slug, title-cased
        return False
    return all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)


def _not_a_person(name: str, page: PageNames) -> bool:
    """A publisher, a desk or an address rather than a person: a URL, an e-mail address, a @handle, a
    domain, "Name (www.site)", the site's name or host, "Staff", "Redaktion" ..."""
    paren = _PAREN.search(name)
    return bool("://" in name or name.lower().startswith("www.") or _EMAIL.search(name) or _HANDLE.match(name)
                or _DOMAIN.match(name)
                or (paren and (_DOTTED.search(paren.group(1)) or "www" in paren.group(1).lower()))
                or name.casefold() in _GENERIC or _DESK.search(name) or page.names_site(name))


def clean_name(raw: str, page: PageNames, strict: bool = False) -> str | None:
    """One name as shown to analysts, or None when it is not a person's name (see _not_a_person and
    _looks_like_name). What is rejected as not a person is remembered on `page` (see _from_trafilatura)."""
    name = _WS.sub(" ", decode_entities(raw) or "").strip(" ,;:|-–—·")
    if name and not _not_a_person(name, page):
        name = _PAREN.sub("", name)  # "Jane Doe (AP)" is Jane Doe
        name = _IN_PLACE.sub("", _CJK_ROLE.sub("", _ROLE.sub("", _PREFIX.sub("", name)))).strip(" ,;:|-–—·")
        if page.site:
            name = re.sub(rf"\s*[|,/–—-]\s*{re.escape(page.site)}\s*$", "", name, flags=re.I).strip()
        if not name or not _not_a_person(name, page):
            ok = (name and len(name) <= 80 and not _SLUG.match(name) and not _ROLE_ONLY.match(name)
                  and any(c.isalpha() for c in name) and _looks_like_name(name, strict))
            return name if ok else None
    page.rejected.add(_squash(raw))
    return None


def split_names(raw: str) -> list[str]:
    """A byline string to its names: "By A and B", "A, B & C", "A; B", "A (with B and C)"; a role after a
    name goes ("A, Staff Writer"), and a capitalised single word beside a full name ("Jane Doe, Hamburg":
    a place; "dpa", "AFP" stay); "Doe, Jane" (two single words around a comma) is one name, reordered.
    Parentheses naming a site ("(www.example.com)") are left for clean_name to reject."""
    text = _WS.sub(" ", decode_entities(raw) or "").strip()
    text = _INNER_PAREN.sub(lambda m: m.group(0) if "." in m.group(1) else f", {m.group(1)},", text)
    out: list[str] = []
    for chunk in _SPLIT.split(_PREFIX.sub("", text)):
        chunk = _ROLE.sub("", _PREFIX.sub("", chunk or "")).strip(" ,")
        pieces = [_PREFIX.sub("", p).strip() for p in chunk.split(",")]
        pieces = [p for p in pieces if p and not _ROLE_ONLY.match(p)]
        if len(pieces) == 2 and all(" " not in p and p[:1].isupper() for p in pieces):
            pieces = [f"{pieces[1]} {pieces[0]}"]
        elif any(" " in p for p in pieces):  # "Jane Doe, Hamburg": one word beside a full name is a place
            pieces = [p for p in pieces if " " in p or not _TITLE_WORD.match(p)]
        out += pieces
    return out


def names_from(values: Iterable[str], page: PageNames, strict: bool = False) -> list[str]:
    """The clean names in `values` (byline strings), each once, in order; at most MAX_NAMES."""
    out: list[str] = []
    for value in values:
        for part in split_names(value):
            name = clean_name(part, page, strict)
            if name and name not in out:
                out.append(name)
    return out[:MAX_NAMES]
