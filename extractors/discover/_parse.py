"""Feed, sitemap and link parsers (private to discover; pure).

XML is read with lxml's pull parser, chunk by chunk, with resolve_entities=False, no_network=True,
load_dtd=False and huge_tree=False; on top of that any document whose prolog declares entities
(`<!ENTITY`, the billion-laughs / external-entity vector) is refused before parsing. Items are kept
as each one's end tag is read, so a truncated document keeps everything before the break, and parsed
elements are freed as we go (a 50,000-URL sitemap does not become a 50,000-element tree).
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import urljoin

from lxml import etree, html as lxml_html

from ..errors import ExtractionError
from ..models import FeedEntry, SitemapDoc, SitemapEntry

MAX_SITEMAP_URLS = 50_000  # the sitemap protocol's own per-file limit
MAX_FEED_ENTRIES = 5_000
PARSE_CHUNK_BYTES = 64 * 1024
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
              "application/rdf+xml", "application/xml", "text/xml"}

_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def parse_date(text: str | None) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 / W3C datetime (Atom, sitemaps, JSON Feed) -> UTC-aware, else None."""
    s = (text or "").strip()
    if not s:
        return None
    dt = None
    if not s[:4].isdigit():
        try:
            dt = email.utils.parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            dt = None
    if dt is None:
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def refuse_entity_declarations(body: bytes) -> None:
    m = _FIRST_ELEMENT.search(body)
    prolog = body[: m.start()] if m else body
    if b"<!ENTITY" in prolog.upper():
        raise ExtractionError("XML declares entities in its DOCTYPE: refused (entity-expansion bomb risk)")


def _local(el) -> str:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _absolute(base: str, link: str) -> str:
    return link if link.startswith(("http://", "https://")) else urljoin(base, link)


def _child(el, *names: str):
    for c in el:
        if _local(c) in names:
            return c
    return None


def _text(el) -> str | None:
    if el is None:
        return None
    t = "".join(el.itertext()).strip()
    return t or None


def iter_xml(body: bytes, wanted: set[str]) -> Iterator[tuple[str, object]]:
    """(local name, element) for each wanted element as its end tag is read; stops at a syntax error."""
    refuse_entity_declarations(body)
    parser = etree.XMLPullParser(events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False, remove_comments=True, remove_pis=True)
    saw_root = False
    for start in range(0, max(len(body), 1), PARSE_CHUNK_BYTES):
        try:
            parser.feed(body[start:start + PARSE_CHUNK_BYTES])
            events = list(parser.read_events())
        except etree.XMLSyntaxError as e:
            if not saw_root:
                raise ExtractionError(f"not well-formed XML: {e}") from None
            return  # truncated or broken: keep what came before
        for _, el in events:
            saw_root = True
            name = _local(el)
            if name in wanted:
                yield name, el
                el.clear()
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
    try:
        parser.close()
    except etree.XMLSyntaxError as e:
        if not saw_root:
            raise ExtractionError(f"not well-formed XML: {e}") from None


# --- feeds ------------------------------------------------------------------------------------------------


def extract_feed(body: bytes, url: str) -> list[FeedEntry]:
    """RSS 2.0 / RSS 1.0 / Atom / JSON Feed entries, URLs resolved against `url`.

    Raises ExtractionError when the document is not a feed at all (or declares XML entities);
    a truncated feed returns the entries read before the break.
    """
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return _json_feed(body, url)
    entries: list[FeedEntry] = []
    for name, el in iter_xml(body, {"item", "entry"}):
        entry = _atom_entry(el, url) if name == "entry" else _rss_item(el, url)
        if entry is not None:
            entries.append(entry)
            if len(entries) >= MAX_FEED_ENTRIES:
                break
    return entries


def _rss_item(el, base: str) -> FeedEntry | None:
    link = None
    for c in el:
        name = _local(c)
        if name == "link" and (c.text or "").strip():
            link = c.text.strip()
            break
        if name == "link" and c.get("href") and c.get("rel", "alternate") == "alternate":
            link = link or c.get("href")
    guid = _child(el, "guid")
    if link is None and guid is not None and guid.get("isPermaLink", "true") != "false":
        link = _text(guid)
    about = el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    link = link or about
    if not link:
        return None
    date = next((parse_date(_text(_child(el, n))) for n in ("pubDate", "date", "published", "issued", "updated")
                 if _child(el, n) is not None), None)
    return FeedEntry(url=urljoin(base, link), title=_text(_child(el, "title")), date_hint=date)


def _atom_entry(el, base: str) -> FeedEntry | None:
    link = None
    for c in el:
        if _local(c) == "link" and c.get("href") and c.get("rel", "alternate") == "alternate":
            if "html" in c.get("type", "text/html"):
                link = c.get("href")
                break
            link = link or c.get("href")
    if not link:
        return None
    date = parse_date(_text(_child(el, "published"))) or parse_date(_text(_child(el, "updated")))
    return FeedEntry(url=urljoin(base, link), title=_text(_child(el, "title")), date_hint=date)


def _json_feed(body: bytes, url: str) -> list[FeedEntry]:
    text = body.decode("utf-8", "replace")
    entries = []
    for item in _json_items(text)[:MAX_FEED_ENTRIES]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if isinstance(link, str) and link.strip():
            date = parse_date(_str(item.get("date_published"))) or parse_date(_str(item.get("date_modified")))
            entries.append(FeedEntry(url=urljoin(url, link.strip()), title=_str(item.get("title")), date_hint=date))
    return entries


def _json_items(text: str) -> list:
    try:
        data = json.loads(text)
    except ValueError:
        return _salvage_json_items(text)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ExtractionError("JSON document is not a JSON Feed (no items list)")
    return data["items"]


def _salvage_json_items(text: str) -> list:
    """The complete items of a truncated JSON Feed."""
    m = re.search(r'"items"\s*:\s*\[', text)
    if not m:
        raise ExtractionError("broken JSON and no items list to salvage")
    decoder, pos, items = json.JSONDecoder(), m.end(), []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except ValueError:
            return items
        items.append(obj)


def _str(v) -> str | None:
    return v.strip() or None if isinstance(v, str) else None


# --- sitemaps ---------------------------------------------------------------------------------------------


def extract_sitemap(body: bytes, url: str) -> SitemapDoc:
    """A urlset's page URLs (with news:publication_date / lastmod hints) or a sitemapindex's children
    (with their <lastmod> in `sitemap_lastmods`).

    At most MAX_SITEMAP_URLS page URLs are read; `truncated` says there were more.
    """
    urls: list[SitemapEntry] = []
    children: list[str] = []
    lastmods: list[datetime | None] = []
    truncated = False
    for name, el in iter_xml(body, {"url", "sitemap"}):
        loc = _text(_child(el, "loc"))
        if not loc:
            continue
        if name == "sitemap":
            if len(children) < MAX_SITEMAP_URLS:
                children.append(_absolute(url, loc))
                lastmods.append(parse_date(_text(_child(el, "lastmod"))))
            continue
        if len(urls) >= MAX_SITEMAP_URLS:
            truncated = True
            break
        urls.append(_sitemap_entry(el, _absolute(url, loc)))
    return SitemapDoc(urls=tuple(urls), sitemaps=tuple(children), truncated=truncated,
                      sitemap_lastmods=tuple(lastmods))


def _sitemap_entry(el, loc: str) -> SitemapEntry:
    news = _child(el, "news")
    if news is not None:
        published = parse_date(_text(_child(news, "publication_date")))
        if published is not None:
            return SitemapEntry(loc, published, "news_sitemap", _text(_child(news, "title")))
    lastmod = parse_date(_text(_child(el, "lastmod")))
    title = _text(_child(news, "title")) if news is not None else None
    return SitemapEntry(loc, lastmod, "sitemap_lastmod" if lastmod else None, title)


# --- HTML links -------------------------------------------------------------------------------------------


def _html_root(html: bytes | str):
    if isinstance(html, bytes) and not html.strip() or isinstance(html, str) and not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _base(root, url: str) -> str:
    base = root.find(".//base[@href]") if root is not None else None
    return urljoin(url, base.get("href").strip()) if base is not None else url


def extract_feed_links(html: bytes | str, url: str) -> list[str]:
    """Feed URLs advertised with <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">."""
    root = _html_root(html)
    if root is None:
        return []
    base, out = _base(root, url), []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            absolute = urljoin(base, href)
            if absolute not in out:
                out.append(absolute)
    return out


def extract_page_links(html: bytes | str, url: str) -> list[str]:
    """Every <a href> of a page, resolved against the page (not yet normalised or filtered)."""
    root = _html_root(html)
    if root is None:
        return []
    base = _base(root, url)
    return [urljoin(base, a.get("href").strip()) for a in root.iter("a") if (a.get("href") or "").strip()]
