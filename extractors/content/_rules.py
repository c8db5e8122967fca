"""A source's site rules: CSS selectors applied to the page before extraction (pure).

Only pages of a source with [sources.rules] come here: the decoded HTML is parsed with BeautifulSoup
(soupsieve evaluates the selectors), the title/author/date elements are read first (the author and
date elements are then removed, as bylines are; the title stays), then the `drop` elements are removed and, with `body`, <body> keeps only the matched elements; the result is serialised
and goes through the usual extraction (parse, trafilatura, clean-up, metadata). Pages of sources without
rules never import bs4 nor pay for this second parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.content._patterns import squash_ws
from extractors.models import SiteRules

_DATE_ATTRS = ("datetime", "content", "data-date", "title")


@dataclass(frozen=True, slots=True)
class RuleResult:
    """The page after its rules, and what each rule matched (for `themewire extract --source`)."""

    html: str
    dropped: dict[str, int] = field(default_factory=dict)  # drop selector -> elements removed
    body_matched: int | None = None  # elements `body` matched (None: no body rule)
    title: str | None = None
    authors: tuple[str, ...] = ()
    date_text: str | None = None

    def summary(self, rules: SiteRules) -> dict:
        return {"drop": dict(self.dropped), "body": None if rules.body is None else
                {"selector": rules.body, "matched": self.body_matched},
                "title": self.title, "authors": list(self.authors), "date": self.date_text}


def _text(el) -> str:
    return squash_ws(el.get_text(" "))


def _outermost(elements: list) -> list:
    """Drop matched elements that sit inside another matched element."""
    chosen = set(map(id, elements))
    out = []
    for el in elements:
        if not any(id(p) in chosen for p in el.parents):
            out.append(el)
    return out


def extract_with_rules(html: str, rules: SiteRules) -> RuleResult:
    """Apply `rules` to decoded HTML; returns the rewritten HTML and what matched. Never raises on a
    page (selectors were compiled when the configuration was read)."""
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():  # an XHTML page is still read as HTML, as trafilatura does
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "lxml")
    title = author_names = date_text = None
    metadata = []  # the author and date elements: read, then removed from the text like a byline
    if rules.title:
        el = soup.select_one(rules.title)
        title = (_text(el) or None) if el is not None else None
    if rules.author:
        found = soup.select(rules.author)
        author_names = tuple(dict.fromkeys(t for t in (_text(el) for el in found) if t))
        metadata += found
    if rules.date:
        el = soup.select_one(rules.date)
        if el is not None:
            date_text = next((el.get(a).strip() for a in _DATE_ATTRS if (el.get(a) or "").strip()), None) \
                or _text(el) or None
            metadata.append(el)
    for el in _outermost(metadata):
        el.decompose()
    dropped: dict[str, int] = {}
    for selector in rules.drop:
        found = _outermost(soup.select(selector))
        for el in found:
            el.decompose()
        dropped[selector] = len(found)
    body_matched = None
    if rules.body:
        found = _outermost(soup.select(rules.body))
        body_matched = len(found)
        body = soup.body
        if found and body is not None:
            kept = [el.extract() for el in found]
            body.clear()
            for el in kept:
                body.append(el)
    return RuleResult(html=str(soup), dropped=dropped, body_matched=body_matched, title=title,
                      authors=author_names or (), date_text=date_text)
