"""Publication date: every candidate with where it came from, and a fixed precedence to choose (pure).

Precedence (first valid candidate wins; within one source, the first found):
    jsonld > meta > feed / news_sitemap (caller's hints) > time > dateline > url > trafilatura > text > sitemap /
    other hints
- jsonld: schema.org datePublished (then dateCreated) in <script type="application/ld+json">
- meta: article:published_time, og:published_time, itemprop=datePublished, parsely-pub-date, dc.date(.issued),
  dcterms.created, sailthru.date, pubdate, publish-date, citation_publication_date ...
- time: <time datetime> marked as published (pubdate/itemprop) first, else the first <time> in the page
- dateline: a labelled date near the headline ("Published 3 March 2024, 14:35 CET", "Datum 28.04.2023") or in
  an element whose class marks it as the publication's (extractors/content/_datelines.py); its time and zone
  kept when written
- url: /2024/03/15/ or /2024-03-15 or /20240315 in the path
- trafilatura: the day htmldate (trafilatura's date finder) reads from the page, looked for only when no
  source before it has a valid date (extractors/content/_trafilatura_meta.py; a day, 00:00 UTC)
- text: a written date ("March 3, 2024", "3. März 2024", "3 mars 2024", "03.03.2024") near the top of the text
Where trafilatura stands was measured (bench/eval_metadata.py, real publishers' pages): on the pages where
each source had a date, htmldate's was the right day on 126 of 129, our text reader's on 2 of 6.
A date without a time zone is taken as UTC. Valid means: not before 1995-01-01 and not more than one day after
`now` (a day of slack for time zones). Every parsed candidate, valid or not, is kept in date_candidates.

The update time (Article.updated_at) is read apart and never competes with these: extract_updated_candidates
(JSON-LD dateModified, modified-time meta tags, <time itemprop=dateModified>, "Updated ..." datelines) and
choose_updated (the first plausible one later than the publication).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

from lxml import etree

from extractors.content._index import page_elements
from extractors.models import DateCandidate

EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(days=1)
PRECEDENCE = ("jsonld", "meta", "feed", "news_sitemap", "time", "dateline", "url", "trafilatura", "text",
              "sitemap", "sitemap_lastmod")

_META_NAMES = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.created", "dcterms.issued",
    "dc.date.created", "pubdate", "publish-date", "publish_date", "published_time", "publication_date",
    "citation_publication_date", "date", "article.published", "cxenseparse:recs:publishtime", "release_date",
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
                  r"(Z|[+-]\d{2}:?\d{2})?)?")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|-|\.|$)")
_URL_DATE_SEP = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/")
_MONTHS = {
    **{m: i + 1 for i, m in enumerate("january february march april may june july august september october november december".split())},
    **{m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())},
    "sept": 9,
    **{m: i + 1 for i, m in enumerate("januar februar märz april mai juni juli august september oktober november dezember".split())},
    "jänner": 1, "maerz": 3,
    **{m: i + 1 for i, m in enumerate("janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split())},
    "fevrier": 2, "aout": 8, "decembre": 12,
    **{m: i + 1 for i, m in enumerate("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split())},
    **{m: i + 1 for i, m in enumerate("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split())},
    **{m: i + 1 for i, m in enumerate("janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split())},
}
_MONTH_RX = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
MONTHS, MONTH_RX = _MONTHS, _MONTH_RX  # shared with extractors/content/_datelines.py
_TEXT_DMY = re.compile(rf"\b(\d{{1,2}})\.?\s+(?:de\s+)?({_MONTH_RX})\.?,?\s+(?:de\s+)?((?:19|20)\d{{2}})\b", re.I)
_TEXT_MDY = re.compile(rf"\b({_MONTH_RX})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\b", re.I)
_TEXT_NUM = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b")
_TEXT_ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def parse_date(value: str) -> datetime | None:
    """ISO-8601-ish strings (as found in JSON-LD, meta tags, <time>); None if not a date."""
    m = _ISO.match(value or "")
    if not m:
        return None
    y, mo, d, h, mi, s, tz = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        hh, mm = int(tz[1:3]), int(tz[-2:])
        dt = dt.replace(tzinfo=timezone(sign * timedelta(hours=hh, minutes=mm)))
    return _utc(dt)


def _day(y: str | int, m: str | int, d: str | int) -> datetime | None:
    try:
        return datetime.combine(date(int(y), int(m), int(d)), datetime.min.time(), tzinfo=timezone.utc)
    except ValueError:
        return None


_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")  # a JSON-LD script wrapped in CDATA


def _jsonld_objects(tree: etree._Element) -> list[dict]:
    out: list[dict] = []
    for script in page_elements(tree, "script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(_CDATA.sub("", script.text or ""))
        except (ValueError, RecursionError):  # bad JSON, or nested deeper than the decoder's stack
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                out.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    return out


def extract_jsonld(tree: etree._Element) -> list[dict]:
    """All JSON-LD objects of the page (flattened @graph), in document order; bad JSON is skipped."""
    return _jsonld_objects(tree)


def _from_jsonld(objs: list[dict]) -> list[DateCandidate]:
    out = []
    for key in ("datePublished", "dateCreated"):
        for obj in objs:
            val = obj.get(key)
            dt = parse_date(val) if isinstance(val, str) else None
            if dt:
                out.append(DateCandidate(dt, "jsonld"))
    return out


def _from_meta(tree: etree._Element) -> list[DateCandidate]:
    from extractors.content._meta import extract_meta_tags

    tags = extract_meta_tags(tree)
    out = []
    for key in _META_NAMES:
        dt = parse_date(tags[key]) if key in tags else None
        if dt:
            out.append(DateCandidate(dt, "meta"))
    return out


def _from_time(tree: etree._Element) -> list[DateCandidate]:
    marked, other = [], []
    for el in page_elements(tree, "time"):
        dt = parse_date(el.get("datetime") or "")
        if dt is None:
            continue
        is_pub = el.get("pubdate") is not None or (el.get("itemprop") or "").lower() == "datepublished" \
            or "publish" in (el.get("class") or "").lower()
        (marked if is_pub else other).append(DateCandidate(dt, "time"))
    return (marked + other)[:3]


def _from_url(url: str) -> list[DateCandidate]:
    path = url.split("?", 1)[0]
    m = _URL_DATE.search(path) or _URL_DATE_SEP.search(path)
    dt = _day(*m.groups()) if m else None
    return [DateCandidate(dt, "url")] if dt else []


_YEAR = re.compile(r"(?:19|20)\d{2}")


def _from_text(text: str) -> list[DateCandidate]:
    """The first written date in the first 1500 characters (only windows around a year are searched)."""
    head = text[:1500]
    year = _YEAR.search(head)
    if year is None:
        return []
    start = max(0, year.start() - 40)
    window = head[start:year.end() + 12]
    hits: list[tuple[int, datetime]] = []
    for rx, order in ((_TEXT_DMY, "dmy"), (_TEXT_MDY, "mdy"), (_TEXT_NUM, "dmy_num"), (_TEXT_ISO, "ymd")):
        for m in rx.finditer(window):
            g = m.groups()
            if order == "dmy":
                dt = _day(g[2], _MONTHS[g[1].lower()], g[0])
            elif order == "mdy":
                dt = _day(g[2], _MONTHS[g[0].lower()], g[1])
            elif order == "dmy_num":
                dt = _day(g[2], g[1], g[0])
            else:
                dt = _day(*g)
            if dt:
                hits.append((m.start(), dt))
    return [DateCandidate(dt, "text") for _, dt in sorted(hits, key=lambda h: h[0])[:1]]


def extract_date_candidates(tree: etree._Element, url: str, text: str, *, jsonld: list[dict],
                            hints: tuple[DateCandidate, ...] = (), now: datetime | None = None
                            ) -> tuple[DateCandidate, ...]:
    """Every date candidate found, hints first, each with its source. The datelines and trafilatura's
    (htmldate's) date are looked for only when no candidate before them in PRECEDENCE is plausible (the
    pages that have a machine-readable date do not pay for reading their visible text)."""
    hints = tuple(DateCandidate(_utc(h.value), h.source) for h in hints)
    found = hints + tuple(_from_jsonld(jsonld) + _from_meta(tree) + _from_time(tree))
    if _rank(choose_date(found, now)[1]) > _rank("dateline"):
        found += tuple(_from_dateline(tree, jsonld))
    found += tuple(_from_url(url) + _from_text(text))
    if _rank(choose_date(found, now)[1]) > _rank("trafilatura"):
        found += _from_trafilatura(tree, url, now)
    return found


def _from_dateline(tree: etree._Element, jsonld: list[dict]) -> list[DateCandidate]:
    from extractors.content._datelines import read_datelines

    return [DateCandidate(dt, "dateline") for dt in read_datelines(tree, jsonld).published[:2]]


def _rank(source: str | None) -> int:
    return PRECEDENCE.index(source) if source in PRECEDENCE else len(PRECEDENCE)


def _from_trafilatura(tree: etree._Element, url: str, now: datetime | None) -> tuple[DateCandidate, ...]:
    from extractors.content._trafilatura_meta import trafilatura_date

    day = trafilatura_date(tree, url, now)
    return (DateCandidate(day, "trafilatura"),) if day else ()


def is_plausible(dt: datetime, now: datetime) -> bool:
    return EARLIEST <= dt <= _utc(now) + FUTURE_SLACK


def choose_date(candidates: tuple[DateCandidate, ...], now: datetime | None = None
                ) -> tuple[datetime | None, str | None]:
    """(published_at, date_source) by PRECEDENCE among plausible candidates; unknown sources come last."""
    now = now or datetime.now(timezone.utc)
    rank = {s: i for i, s in enumerate(PRECEDENCE)}
    valid = [(rank.get(c.source, len(PRECEDENCE)), i, c) for i, c in enumerate(candidates) if is_plausible(c.value, now)]
    if not valid:
        return None, None
    _, _, best = min(valid, key=lambda t: (t[0], t[1]))
    return best.value, best.source


_MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
                  "dc.date.modified", "dcterms.modified", "last-modified", "parsely-updated", "sailthru.lastmodified",
                  "article.updated", "modified_time", "updated_time", "lastmod")


def extract_updated_candidates(tree: etree._Element, jsonld: list[dict]) -> list[DateCandidate]:
    """When the page says the article was last updated, best first: JSON-LD dateModified (of the article
    objects when there are any), the modified-time meta tags, <time itemprop=dateModified>; without any of
    those, an "Updated ..." dateline (extractors/content/_datelines.py)."""
    from extractors.content._datelines import read_datelines
    from extractors.content._meta import extract_meta_tags, jsonld_articles

    out = []
    for obj in jsonld_articles(jsonld) or jsonld:
        val = obj.get("dateModified")
        dt = parse_date(val) if isinstance(val, str) else None
        if dt:
            out.append(DateCandidate(dt, "jsonld"))
    tags = extract_meta_tags(tree)
    out += [DateCandidate(dt, "meta") for dt in (parse_date(tags[k]) for k in _MODIFIED_META if k in tags) if dt]
    for el in page_elements(tree, "time"):
        if (el.get("itemprop") or "").lower() == "datemodified" or "updated" in (el.get("class") or "").lower():
            dt = parse_date(el.get("datetime") or "")
            if dt:
                out.append(DateCandidate(dt, "time"))
    if not out:  # the visible text only where the page has no machine-readable update time
        out += [DateCandidate(dt, "dateline") for dt in read_datelines(tree, jsonld).updated[:2]]
    return out


def choose_updated(candidates: list[DateCandidate], published: datetime | None,
                   now: datetime | None = None) -> datetime | None:
    """The first plausible update time later than `published` (an "update" at or before the publication is
    the publication itself); None without one."""
    now = now or datetime.now(timezone.utc)
    for c in candidates:
        if is_plausible(c.value, now) and (published is None or c.value > published):
            return c.value
    return None
