"""Visible datelines (pure): "Published 3 March 2024, 14:35 CET", "Aktualisiert am 04.03.2024 um 09:10 Uhr",
"Mis à jour le 5 mars 2024", "Updated: Mar. 6, 2024 at 2:05 p.m. EST" near the headline.

    read_datelines(tree, jsonld) -> Datelines(published=[datetime, ...], updated=[datetime, ...])

Where: the text around the page's first <h1> (the 20 text pieces before it, the 120 after it; scripts and
styles left out), or the first 200 text pieces of the page when it has no <h1>. Only a date that follows a
label counts (a bare date near the headline is as often a related story's as this one's), or, when none
does, a piece that is a date alone among the first two pieces after the <h1> (the headline's own dateline,
"<h1>...</h1><p class="dek">12 March 2024</p>").
- published labels: Published, Posted, First published, Veröffentlicht, Erschienen, Erstellt, Publié,
  Publicado, Pubblicato, Gepubliceerd, Date, Datum, Fecha, Data (a label element "Datum" with the date
  in the next piece counts too)
- updated labels: Updated, Last updated, Modified, Aktualisiert, Geändert, Mis à jour, Modifié, Actualizado,
  Aggiornato, Atualizado, Bijgewerkt
- dates: "3 March 2024", "March 3, 2024", "3. März 2024", "3 de marzo de 2024", "03.03.2024", "2024-03-03",
  the month names of extractors/content/_dates.py (en, de, fr, es, it, pt); a time after the date
  ("14:35", "2:35 pm", "14.35 Uhr", "14h35") and a zone ("UTC", "GMT+1", "+01:00", "CET", "EDT" ...).
A time with a zone is converted to UTC (the instant is kept); a time without one is in the page's own offset,
the one its JSON-LD or meta publication time is written with ("2024-03-03T14:35:00+01:00"), else taken as
UTC, as every date without a zone is (extractors/content/_dates.py); a date without a time is its day,
00:00 UTC.
The result for the last tree is kept, so the published and updated readers of one page share one walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from lxml import etree

from extractors.content._dates import MONTHS, MONTH_RX
from extractors.content._index import first_element

BEFORE_H1, AFTER_H1, NO_H1 = 20, 120, 200  # text pieces read around the headline (or from the top)
_SKIP = frozenset(("script", "style", "noscript", "template", "head"))


def _texts(el: etree._Element, out: list[str], limit: int, tail: bool = True) -> None:
    """Append el's text pieces in document order (its tail too when `tail`), scripts and styles left out,
    until `out` holds `limit` pieces. (A Python walk that stops there: libxml2 evaluates a whole
    following::text() axis before its position() predicate, ~0.5-0.8 ms on a 130 KB page.)"""
    skipping = 0
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if len(out) >= limit:
            return
        is_el = isinstance(node.tag, str)
        if event == "start":
            if is_el and node.tag in _SKIP:
                skipping += 1
            elif not skipping and is_el and node.text:
                out.append(node.text)
        else:
            if is_el and node.tag in _SKIP:
                skipping -= 1
            if not skipping and node.tail and (tail or node is not el):
                out.append(node.tail)


def _following(el: etree._Element, limit: int) -> list[str]:
    out: list[str] = [el.tail] if el.tail else []
    node = el
    while node is not None and len(out) < limit:
        for sib in node.itersiblings():
            _texts(sib, out, limit)
            if len(out) >= limit:
                break
        node = node.getparent()
        if node is not None and node.tail and len(out) < limit:
            out.append(node.tail)
    return out[:limit]


def _preceding(el: etree._Element, limit: int) -> list[str]:
    """The last `limit` text pieces before el (not its ancestors' own text before it), in document order."""
    chunks: list[list[str]] = []
    n, node = 0, el
    while node is not None and n < limit:
        for sib in node.itersiblings(preceding=True):
            part: list[str] = []
            _texts(sib, part, 10 * limit)
            chunks.append(part[-limit:])
            n += len(chunks[-1])
            if n >= limit:
                break
        node = node.getparent()
    return [t for part in reversed(chunks) for t in part][-limit:]

_PUBLISHED = (r"(?:first\s+)?published|posted|publication\s+date|date\s+published|ver[öo]ffentlicht|erschienen|"
              r"erstellt|publi[ée]e?|publicad[oa]|pubblicat[oa]|gepubliceerd|date|datum|fecha|data")
_UPDATED = (r"(?:last\s+)?updated|last\s+modified|modified|(?:zuletzt\s+)?aktualisiert|ge[äa]ndert|mis\s+[àa]\s+jour|"
            r"modifi[ée]e?|actualizad[oa]|aggiornat[oa]|atualizad[oa]|bijgewerkt")
_LABEL = re.compile(rf"(?<![\w-])(?:(?P<upd>{_UPDATED})|(?P<pub>{_PUBLISHED}))(?![\w-])"
                    r"(?:\s*(?:on|at|am|um|le|el|il|em|op|den|der|:|,|-|–|\|)\s*){0,3}", re.I)
_DATE = re.compile(
    rf"(?P<d1>\d{{1,2}})\.?\s+(?:de\s+)?(?P<m1>{MONTH_RX})\.?,?\s+(?:de\s+)?(?P<y1>(?:19|20)\d{{2}})"
    rf"|(?P<m2>{MONTH_RX})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{{2}})"
    r"|(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>(?:19|20)\d{2})"
    r"|(?P<y4>(?:19|20)\d{2})(?:-(?P<m4>\d{2})-|/(?P<m5>\d{1,2})/|年\s*(?P<m6>\d{1,2})\s*月\s*)(?P<d4>\d{1,2})日?", re.I)
_TIME = re.compile(
    r"(?:\s*(?:,|\||-|–|·|•|at|um|à|a\s+las|alle|às|om|kl\.?)\s*|\s+)"
    r"(?P<h>\d{1,2})(?:[:.h](?P<mi>\d{2}))(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*(?:uhr|h)?\s*"
    r"(?P<tz>utc|gmt|z|[+-]\d{2}:?\d{2}|ces?t|mes?z|bst|[ecmp][sd]t)?"
    r"(?:\s*(?P<off>[+-]\d{1,2})(?::?(?P<offm>\d{2}))?)?(?![\w:])", re.I)
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "cet": 1, "mez": 1, "cest": 2, "mesz": 2, "bst": 1,
          "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7}
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Datelines:
    published: list[datetime] = field(default_factory=list)
    updated: list[datetime] = field(default_factory=list)


def parse_written_date(text: str, page_offset: timedelta | None = None) -> datetime | None:
    """The date (and time, and zone) at the start of `text`, in UTC; None if it does not start with one.
    A time without a zone is taken to be at `page_offset` (UTC when None)."""
    m = _DATE.match(text)
    if not m:
        return None
    g = m.groupdict()
    try:
        if g["y1"]:
            y, mo, d = int(g["y1"]), MONTHS[g["m1"].lower()], int(g["d1"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), MONTHS[g["m2"].lower()], int(g["d2"])
        elif g["y3"]:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        else:  # "2024-03-03", "2024/3/3", "2024年3月3日"
            y, mo, d = int(g["y4"]), int(g["m4"] or g["m5"] or g["m6"]), int(g["d4"])
        day = datetime(y, mo, d)
    except ValueError:
        return None
    t = _TIME.match(text, m.end())
    if not t:
        return day.replace(tzinfo=timezone.utc)
    h, mi, s = int(t["h"]), int(t["mi"] or 0), int(t["s"] or 0)
    if t["ampm"]:
        h = h % 12 + (12 if t["ampm"][0].lower() == "p" else 0)
    if h > 23 or mi > 59 or s > 59:
        return day.replace(tzinfo=timezone.utc)
    offset = _offset(t["tz"], t["off"], t["offm"]) if (t["tz"] or t["off"]) else (page_offset or timedelta(0))
    local = day.replace(hour=h, minute=mi, second=s)
    return (local - offset).replace(tzinfo=timezone.utc)


def _offset(tz: str | None, off: str | None, offm: str | None) -> timedelta:
    delta = timedelta(0)
    if tz:
        tz = tz.lower()
        if tz in _ZONES:
            delta = timedelta(hours=_ZONES[tz])
        else:  # "+01:00", "-0500"
            sign = 1 if tz[0] == "+" else -1
            delta = sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[-2:]))
    if off and (not tz or tz.lower() in ("utc", "gmt")):  # "GMT+1", "UTC-05:00"
        sign = 1 if off[0] == "+" else -1
        delta = sign * timedelta(hours=int(off[1:]), minutes=int(offm or 0))
    return delta


_LAST_PIECES: tuple[object, list[str], int] = (None, [], 0)


def headline_texts(tree: etree._Element) -> tuple[list[str], int]:
    """(the text pieces around the headline, the index of the first one after the <h1>'s own), whitespace
    collapsed, empty ones left out; kept for the last tree (the dateline and byline readers share them)."""
    global _LAST_PIECES
    if _LAST_PIECES[0] is not tree:
        _LAST_PIECES = (tree, *_pieces(tree))
    return _LAST_PIECES[1], _LAST_PIECES[2]


def _pieces(tree: etree._Element) -> tuple[list[str], int]:
    if first_element(tree, "body") is None and first_element(tree, "h1") is None:
        return [], 0
    h1 = first_element(tree, "h1")
    if h1 is None:
        body = first_element(tree, "body")
        top: list[str] = []
        _texts(body if body is not None else tree, top, NO_H1)
        return _clean(top), 0
    own: list[str] = []
    _texts(h1, own, 50, tail=False)
    before = _clean(_preceding(h1, BEFORE_H1) + own)
    return before + _clean(_following(h1, AFTER_H1)), len(before)


def _clean(texts) -> list[str]:
    return [p for p in (_WS.sub(" ", str(t)).strip() for t in texts) if p]


_ISO_OFFSET = re.compile(r"\d[T\s]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2})\s*$")
_OFFSET_META = ("article:published_time", "og:published_time", "article:modified_time", "datepublished",
                "datemodified", "og:updated_time")


def page_offset(tree: etree._Element, jsonld: list[dict]) -> timedelta | None:
    """The UTC offset the page writes its own machine-readable times in (JSON-LD datePublished/dateModified,
    the published/modified meta tags), or None."""
    from extractors.content._meta import extract_meta_tags

    tags = extract_meta_tags(tree)
    values = [o.get(k) for o in jsonld for k in ("datePublished", "dateModified")] + [tags.get(k) for k in _OFFSET_META]
    for value in values:
        m = _ISO_OFFSET.search(value) if isinstance(value, str) else None
        if m:
            tz = m.group(1)
            if tz == "Z":
                return timedelta(0)
            sign = 1 if tz[0] == "+" else -1
            return sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[-2:]))
    return None


def find_datelines(pieces: list[str], offset: timedelta | None = None) -> Datelines:
    """The labelled dates in text pieces, in order: a label and its date in one piece, or the date in the
    next piece or the one after ("<strong>Datum</strong> 28.04.2023", "Published <time>...</time>");
    `offset`: that of a time without a zone (see parse_written_date)."""
    out = Datelines()
    for i, piece in enumerate(pieces):
        if len(piece) > 300:  # a paragraph of the story, not a dateline
            continue
        for label in _LABEL.finditer(piece):
            rest = piece[label.end():]
            dt = parse_written_date(rest, offset) if rest.strip() else None
            if dt is None and not rest.strip():
                following = " ".join(pieces[i + 1:i + 3])
                dt = parse_written_date(following, offset)
            if dt is not None:
                (out.updated if label["upd"] else out.published).append(dt)
    return out


# elements whose class marks a date as the publication's or the update's ("cmnc-publish", "dateline",
# "date-published", "article__updated"): their own short text is the dateline, with no label needed
_MARKED = etree.XPath("(descendant::*/@class[contains(., 'publish') or contains(., 'dateline') "
                      "or contains(., 'pubdate') or contains(., 'updated') or contains(., 'modified')])/..")
_MARKED_MAX = 80  # characters of a marked element's text
_UPDATED_CLASS = re.compile(r"updated|modified", re.I)


def _marked(tree: etree._Element, offset: timedelta | None, out: Datelines) -> None:
    for el in _MARKED(tree)[:20]:
        if el.tag in ("meta", "time", "script", "style", "body", "html"):  # <time> and <meta>: read elsewhere
            continue
        text = _WS.sub(" ", "".join(el.itertext())).strip()
        if not text or len(text) > _MARKED_MAX:
            continue
        m = _DATE.search(text)
        dt = parse_written_date(text[m.start():], offset) if m else None
        if dt is not None:
            (out.updated if _UPDATED_CLASS.search(el.get("class") or "") else out.published).append(dt)


BARE_AFTER_H1 = 2  # text pieces right after the <h1> where a date alone is the headline's own
_BARE_TAIL = 24  # characters after the date (a time, a zone) in such a piece


def _bare_under_headline(pieces: list[str], offset: timedelta | None) -> list[datetime]:
    """A piece that is a date alone ("12 March 2024", "12.03.2024, 14:35 Uhr") among the first pieces after
    the <h1>: the headline's dateline written without a label (a related story's date follows its own
    title, further down). The first such date, or none."""
    for piece in pieces:
        m = _DATE.match(piece)
        if m and len(piece) - m.end() <= _BARE_TAIL:
            dt = parse_written_date(piece, offset)
            if dt is not None:
                return [dt]
    return []


_LAST: tuple[object, Datelines] = (None, Datelines())


def read_datelines(tree: etree._Element, jsonld: list[dict]) -> Datelines:
    """The labelled dates near the headline (see the module docstring); kept for the last tree."""
    global _LAST
    if _LAST[0] is tree:
        return _LAST[1]
    pieces, start = headline_texts(tree)
    offset = page_offset(tree, jsonld)
    found = find_datelines(pieces, offset) if pieces else Datelines()
    if not found.published or not found.updated:
        _marked(tree, offset, found)
    if not found.published and start:
        found.published.extend(_bare_under_headline(pieces[start:start + BARE_AFTER_H1], offset))
    _LAST = (tree, found)
    return found
