"""Page metadata from the parsed HTML tree (pure): title, author, site name, canonical URL, declared language.

Sources, best first:
- site_name: og:site_name > JSON-LD publisher.name > application-name
- title: JSON-LD headline > og:title > twitter:title > the first <h1> > <title>; " | Site" / " - Site" suffixes
  (and prefixes) that name the site are stripped; a title equal to the site name is not a title
- author: JSON-LD author(s).name > meta author / article:author / parsely-author / dc.creator > rel=author
  link > itemprop=author / .byline element. "By "/"Written by"/"Von" prefixes and ", Staff Writer" style
  roles are stripped; the site name, URLs and generic desks ("Staff", "Redaktion", "admin") are rejected
- canonical: <link rel=canonical> (then og:url) resolved and normalised; falls back to the page URL
"""

from __future__ import annotations

import re

from urllib.parse import urlsplit

from lxml import etree

from extractors.content._index import first_element, page_elements
from extractors.urls import UrlRejected, normalize_url

_WS = re.compile(r"\s+")
_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+")
_AUTHOR_PREFIX = re.compile(r"^\s*(?:written by|posted by|words by|story by|by|von|par|por|door|di|"
                            r"autor(?:in)?:|author:|text:)\s+", re.I)
_ROLE_SUFFIX = re.compile(r"\s*(?:[,|·–—-]|\bfor\b)\s*(?:(?:senior|chief|contributing|staff|political|tech|"
                          r"technology|science|business|news|associate|deputy|managing|special)\s+)*"
                          r"(?:staff writer|writer|reporter|correspondent|editor|contributor|columnist|"
                          r"redakteur(?:in)?|journalist(?:in|e)?|rédact(?:eur|rice)|periodista)\b.*$", re.I)
_GENERIC_AUTHORS = frozenset({
        "staff", "staff writer", "staff writers", "staff reporter", "editorial", "editorial team", "editors",
        "the editors", "admin", "administrator", "redaktion", "die redaktion", "newsroom", "news desk", "web desk",
        "anonymous", "unknown", "guest", "la rédaction", "rédaction", "redacción", "team", "webmaster"})


def _clean(text: str | None) -> str | None:
    out = _WS.sub(" ", text or "").strip()
    return out or None


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


def _jsonld_articles(jsonld: list[dict]) -> list[dict]:
    def is_article(o: dict) -> bool:
        t = o.get("@type")
        types = t if isinstance(t, list) else [t]
        return any(isinstance(x, str) and (x.endswith("Article") or x in ("BlogPosting", "Report", "WebPage",
                                                                           "LiveBlogPosting")) for x in types)
    return [o for o in jsonld if is_article(o)]


def _name_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _name_of(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _name_of(v)]
    return []


def extract_site_name(tree: etree._Element, jsonld: list[dict]) -> str | None:
    name = _meta(tree, "og:site_name")
    if not name:
        for obj in _jsonld_articles(jsonld) + [o for o in jsonld if o.get("@type") == "WebSite"]:
            names = _name_of(obj.get("publisher")) or (_name_of(obj.get("name")) if obj.get("@type") == "WebSite" else [])
            if names:
                name = names[0]
                break
    return _clean(name or _meta(tree, "application-name"))


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


def extract_title(tree: etree._Element, jsonld: list[dict], site: str | None, url: str | None = None) -> str | None:
    h1 = first_element(tree, "h1")
    h1_text = _clean("".join(h1.itertext())) if h1 is not None else None
    title_el = first_element(tree, "title")
    candidates = [n for o in _jsonld_articles(jsonld) for n in _name_of(o.get("headline"))]
    candidates += [_meta(tree, "og:title"), _meta(tree, "twitter:title"), h1_text,
                   _clean(title_el.text) if title_el is not None else None]
    host_core = _host_core(url)
    for cand in candidates:
        cand = _clean(cand)
        if cand:
            out = _strip_site(cand, site, host_core, h1_text)
            if out:
                return out[:500]
    return None


def _clean_author(raw: str | None, site: str | None) -> str | None:
    name = _clean(raw)
    if not name or "://" in name or name.startswith("@") and " " not in name:
        return None
    name = _AUTHOR_PREFIX.sub("", name)
    name = _ROLE_SUFFIX.sub("", name).strip(" ,|-–—·")
    if site:
        name = re.sub(rf"\s*[|,–—-]\s*{re.escape(site)}\s*$", "", name, flags=re.I).strip()
    low = name.lower()
    if not name or low in _GENERIC_AUTHORS or (site and low == site.lower()) or len(name) > 100:
        return None
    if not any(c.isalpha() for c in name):
        return None
    return name


def _author_candidates(tree: etree._Element, jsonld: list[dict], site: str | None):
    """Lazily, best source first (the byline XPath over the whole page only runs if nothing else named one)."""
    for obj in _jsonld_articles(jsonld):
        names = [_clean_author(n, site) for n in _name_of(obj.get("author"))]
        names = [n for n in names if n]
        if names:
            yield ", ".join(dict.fromkeys(names))
    yield _meta(tree, "author", "article:author", "parsely-author", "dc.creator", "sailthru.author") or ""
    for a in tree.iterfind(".//a[@rel='author']"):
        yield "".join(a.itertext())
    found = 0
    for el in _AUTHOR_XPATH(tree):
        if el.get("itemprop") != "author" and not _AUTHOR_CLASS.search(el.get("class") or ""):
            continue
        name_el = el.find(".//*[@itemprop='name']")
        if name_el is not None:
            yield name_el.get("content") or "".join(name_el.itertext())
        else:
            yield "".join(el.itertext())
        found += 1
        if found >= 3:
            return


# the elements with itemprop=author or an author/byline class, in document order; selecting the attributes
# first is twice as fast in libxml2 as testing every element (".//*[@itemprop='author' or contains(...)]")
_AUTHOR_XPATH = etree.XPath("(descendant::*/@itemprop[. = 'author'] | descendant::*/@class[contains(., 'author') "
                            "or contains(., 'byline')])/..")
_AUTHOR_CLASS = re.compile(r"(?:^|\s)(?:author|byline|author-name|byline__name|entry-author)(?:\s|$)", re.I)


def extract_author(tree: etree._Element, jsonld: list[dict], site: str | None) -> str | None:
    for cand in _author_candidates(tree, jsonld, site):
        out = _clean_author(cand, site)
        if out:
            return out
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
