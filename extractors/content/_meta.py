"""Page metadata from the parsed HTML tree (pure): title, site name, canonical URL, declared language.

Sources, best first:
- site_name: og:site_name > JSON-LD publisher.name > application-name
- title: JSON-LD headline > og:title > twitter:title > the first <h1> (only where the <title> holds it or
  there is none: _h1_agrees) > <title>; " | Site" / " - Site" suffixes
  (and prefixes) that name the site are stripped; a title equal to the site name is not a title
- canonical: <link rel=canonical> (then og:url) resolved and normalised; falls back to the page URL
Titles and site names have their leftover HTML entities decoded (extractors/content/_entities.py).
Authors: extractors/content/_authors.py.
"""

from __future__ import annotations

import re

from urllib.parse import urlsplit

from lxml import etree

from extractors.content._entities import decode_entities
from extractors.content._index import first_element, page_elements
from extractors.urls import UrlRejected, normalize_url

_WS = re.compile(r"\s+")
_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+")

def _clean(text: str | None) -> str | None:
    out = _WS.sub(" ", text or "").strip()
    return out or None


def _clean_decoded(text: str | None) -> str | None:
    return _clean(decode_entities(text))


_LAST_MAP: tuple[object, dict[str, str]] = (None, {})


def extract_meta_tags(tree: etree._Element) -> dict[str, str]:
    """{lower-cased property/name/itemprop: first non-empty content} of every <meta>, in one pass.
    The map of the last tree is kept, so the several readers of one page share one walk."""
    global _LAST_MAP
    last_tree, last_map = _LAST_MAP
    if last_tree is tree:
        return last_map
    found: dict[str, str] = {}
    for m in page_elements(tree, "meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key and key not in found:
            value = _clean(m.get("content"))
            if value:
                found[key] = value
    _LAST_MAP = (tree, found)
    return found


def _meta(tree: etree._Element, *keys: str) -> str | None:
    found = extract_meta_tags(tree)
    return next((found[k] for k in keys if k in found), None)


def jsonld_articles(jsonld: list[dict]) -> list[dict]:
    """The JSON-LD objects that describe the page's article (an *Article, BlogPosting, WebPage ...)."""
    def is_article(o: dict) -> bool:
        t = o.get("@type")
        types = t if isinstance(t, list) else [t]
        return any(isinstance(x, str) and (x.endswith("Article") or x in ("BlogPosting", "Report", "WebPage",
                                                                           "LiveBlogPosting")) for x in types)
    return [o for o in jsonld if is_article(o)]


def _name_of(value, depth: int = 0) -> list[str]:
    """The strings of a schema.org value: itself, its "name", or those of its items (nested 4 deep at most)."""
    if isinstance(value, str):
        return [value]
    if depth > 4:
        return []
    if isinstance(value, dict):
        return _name_of(value.get("name"), depth + 1)
    if isinstance(value, list):
        return [n for v in value for n in _name_of(v, depth + 1)]
    return []


def extract_site_name(tree: etree._Element, jsonld: list[dict]) -> str | None:
    name = _meta(tree, "og:site_name")
    if not name:
        for obj in jsonld_articles(jsonld) + [o for o in jsonld if o.get("@type") == "WebSite"]:
            names = _name_of(obj.get("publisher")) or (_name_of(obj.get("name")) if obj.get("@type") == "WebSite" else [])
            if names:
                name = names[0]
                break
    return _clean_decoded(name or _meta(tree, "application-name"))


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _host_core(url: str | None) -> str:
    """'https://www.techdaily.example/x' -> 'techdaily' (the registrable label, roughly)."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [lab for lab in host.split(".") if lab not in ("www", "m", "amp")]
    return _squash(labels[-2] if len(labels) >= 2 else (labels[0] if labels else ""))


def _names_site(part: str, site: str | None, host_core: str, *, loose: bool = True) -> bool:
    """Whether a title part is the site's name: equal to og:site_name, or to the host's label; `loose`
    (for the trailing part, where sites put their name) also accepts a short part containing the label."""
    sq = _squash(part)
    if not sq:
        return False
    if (site and sq == _squash(site)) or (len(host_core) >= 4 and sq == host_core):
        return True
    return loose and len(host_core) >= 4 and len(part.split()) <= 4 and (host_core in sq or (len(sq) >= 4 and sq in host_core))


def _strip_site(title: str, site: str | None, host_core: str = "", h1: str | None = None) -> str | None:
    """Drop a leading or trailing part that names the site ("... | Example News", "Example News - ...");
    else, if one part is the page's <h1>, that part. Other separators are part of the title."""
    seps = list(_TITLE_SEP.finditer(title))
    if seps:
        last, first = title[seps[-1].end():], title[:seps[0].start()]
        if _names_site(last, site, host_core):
            title = title[:seps[-1].start()]
        elif _names_site(first, site, host_core, loose=False):
            title = title[seps[0].end():]
        elif h1 and h1 in _TITLE_SEP.split(title):
            title = h1
    title = title.strip()
    if not title or (site and title.lower() == site.lower()):
        return None
    return title


def _headline(obj: dict, others: list[str | None]) -> str | None:
    """A JSON-LD article's headline; but its `name` where the headline is found in none of the page's other
    titles and the name starts one of them (MediaWiki's JSON-LD gives the page's description as the
    headline: "constitutional monarchy in Oceania" for "New Zealand")."""
    headline = next(iter(_name_of(obj.get("headline"))), None)
    name = next(iter(_name_of(obj.get("name"))), None)
    if not headline or not name:
        return headline or None
    sq_head, sq_name = _squash(decode_entities(headline) or ""), _squash(decode_entities(name) or "")
    titles = [_squash(decode_entities(o) or "") for o in others if o]
    if sq_name and sq_head != sq_name and not any(sq_head in t for t in titles) \
            and any(t.startswith(sq_name) for t in titles):
        return name
    return headline


H1_SHARE = 0.3  # of the <title>'s letters: a shorter <h1> found in it is its site's or a section's name


def _h1_agrees(h1: str | None, title: str | None) -> bool:
    """Whether the first <h1> may stand for the page's title: there is no <title>, or one holds the other
    (the <h1> being at least H1_SHARE of the <title>). An <h1> the <title> does not hold names the site,
    a section or a box ("Allergies Health Center", "About This Site", "Lorem") on pages whose <title> is
    the story's (bench/eval_metadata.py)."""
    if not h1:
        return False
    if not title:
        return True
    sq_h1, sq_title = _squash(h1), _squash(title)
    if not sq_h1 or not sq_title:
        return True
    return sq_h1 in sq_title and len(sq_h1) >= H1_SHARE * len(sq_title) or sq_title in sq_h1


def extract_title(tree: etree._Element, jsonld: list[dict], site: str | None, url: str | None = None) -> str | None:
    h1 = first_element(tree, "h1")
    h1_text = _clean("".join(h1.itertext())) if h1 is not None else None
    title_el = first_element(tree, "title")
    title_text = _clean(title_el.text) if title_el is not None else None
    heading = h1_text if _h1_agrees(h1_text, decode_entities(title_text)) else None
    others = [_meta(tree, "og:title"), _meta(tree, "twitter:title"), heading, title_text]
    candidates = [_headline(o, others) for o in jsonld_articles(jsonld)]
    candidates += others
    host_core = _host_core(url)
    for cand in candidates:
        cand = _clean_decoded(cand)
        if cand:
            out = _strip_site(cand, site, host_core, heading)
            if out:
                return out[:500]
    return None


def extract_canonical(tree: etree._Element, url: str) -> str:
    for href in [l.get("href") for l in page_elements(tree, "link") if "canonical" in (l.get("rel") or "").lower().split()] \
            + [_meta(tree, "og:url")]:
        if href:
            try:
                return normalize_url(href, url)
            except UrlRejected:
                continue
    try:
        return normalize_url(url)
    except UrlRejected:
        return url


def extract_declared_language(tree: etree._Element) -> str | None:
    root = tree.getroottree().getroot()
    for value in (root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"),
                  _meta(tree, "content-language", "language", "dc.language", "og:locale")):
        if value:
            return value
    for m in page_elements(tree, "meta"):
        if (m.get("http-equiv") or "").lower() == "content-language" and m.get("content"):
            return m.get("content")
    return None
