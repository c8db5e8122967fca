"""Article extraction (pure): HTML in, an Article with clean text, links, metadata and dates out.

    extract_article(html, url, *, encoding=None, date_hints=(), profile=None, now=None) -> Article

The page is decoded once (extractors/content/_decode.py), parsed once with lxml (the same parser settings
trafilatura uses) and that tree is handed both to our metadata readers and to trafilatura, configured as
measured on the development set: default balance, comments excluded, links kept in its output tree so that
our clean-up (extractors/content/_clean.py) can use link density and report the links. Our clean-up then
removes the junk trafilatura keeps (Read-More lines, related lists, promo lines, bylines, bios, boxes...),
first on trafilatura's block tree, then on the lines of the text (pages built from <div>/<br> only).
A SiteProfile adds the source's CSS rules (applied before the parse) and its learned template (blocks
repeated across its pages, removed with the clean-up).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import trafilatura
from lxml import etree
from trafilatura.xml import xmltotxt

from extractors.content._authors import choose_author, extract_author_candidates
from extractors.content._boxes import remove_boxes, restore_boxes
from extractors.content._clean import extract_clean_body, extract_clean_lines, norm_line
from extractors.content._dates import (choose_date, choose_updated, extract_date_candidates, extract_jsonld,
                                       extract_updated_candidates, is_plausible, parse_date)
from extractors.content._dates import _from_text as extract_text_dates
from extractors.content._decode import extract_text_from_bytes
from extractors.content._links import extract_tree_links
from extractors.content._pagetype import extract_page_type
from extractors.content._parse import parse_page
from extractors.content._lang import choose_language, normalize_lang
from extractors.content._meta import extract_canonical, extract_declared_language, extract_site_name, extract_title
from extractors.dedupe import content_hash, simhash
from extractors.errors import ExtractionError, NotArticleError
from extractors.models import Article, AuthorCandidate, BlockPrint, DateCandidate, Link, SiteProfile

if TYPE_CHECKING:
    from extractors.content._rules import RuleResult

EXTRACTOR_NAME = "themewire"
MIN_CHARS = 25  # less text than this is not an article (a menu, a "Hi", an error stub); CJK-safe
_OWN_VERSION = "1.0"
EXTRACTOR_VERSION = f"{_OWN_VERSION}+trafilatura-{trafilatura.__version__}"

# trafilatura settings, chosen on the development set (bench/eval_extraction.py): the default balance
# with comments excluded had the best F1 there; favor_precision loses more recall than our clean-up needs.
TRAFILATURA_OPTIONS = dict(include_comments=False, include_tables=True, include_images=False,
                           include_formatting=False, include_links=True, with_metadata=False)


def parse_html(html: bytes | str, encoding: str | None = None) -> etree._Element:
    """Decode (never raising on bad bytes) and parse once; raises ExtractionError if there is no tree."""
    text, _ = extract_text_from_bytes(html, encoding)
    if not text.strip():
        raise ExtractionError("empty page")
    tree = parse_page(text)
    if tree is None:
        raise ExtractionError("not parseable as HTML")
    return tree


def extract_body_tree(tree: etree._Element, url: str) -> etree._Element:
    """trafilatura's main-content tree for a parsed page (it works on its own copy of `tree`).

    output_format="txt" only spares bare_extraction rendering the body as text (its "python" default does,
    and we render our cleaned body ourselves); the body tree is the same."""
    try:
        doc = trafilatura.bare_extraction(tree, url=url, output_format="txt", **TRAFILATURA_OPTIONS)
    except Exception as e:  # trafilatura raises assorted errors on broken markup
        raise ExtractionError(f"trafilatura failed: {type(e).__name__}: {e}") from e
    if doc is None or doc.body is None or len(doc.body) == 0:
        raise ExtractionError("no main content found")
    return doc.body


def _body_text(body: etree._Element) -> str:
    """Plain text of the body, Unicode NFC (pages written in NFD would not match searches otherwise)."""
    etree.strip_tags(body, "ref")
    return unicodedata.normalize("NFC", xmltotxt(body, False)).strip()


def extract_article(html: bytes | str, url: str, *, encoding: str | None = None,
                    date_hints: tuple[DateCandidate, ...] = (), profile: SiteProfile | None = None,
                    now: datetime | None = None) -> Article:
    """The article on one page. Raises ExtractionError when there is no article text.

    `profile`: what is known about the page's source (built at the edge): its site rules (CSS
    selectors, extractors/content/_rules.py), its learned template (blocks repeated across its pages,
    removed: extractors/content/_template.py) and whether to fingerprint the page's blocks for learning.
    `now`: the reference time for rejecting future dates (default: the current time).

    The stages, in order: rules -> parse -> page facts (metadata read before the boxes go) -> boxes out,
    trafilatura, boxes back -> clean-up -> the not-an-article gates -> dates, page type and the other
    metadata -> assemble.
    """
    html, encoding, ruled = _apply_rules(html, encoding, profile)
    page = _read_page(parse_html(html, encoding), url, ruled)
    body = _main_body(page)
    text, links, prints, removed = _clean_up(page, body, profile)
    _check_article_text(page, text)
    dates = _read_dates(page, text, tuple(date_hints), now)
    return _assemble(page, text, links, dates, (prints, removed))


_MARKUP_DATES = frozenset({"jsonld", "meta", "time"})  # a date the page's markup states (not a URL's or a hint)


@dataclass
class _Page:
    """What the stages share about one parsed page (each read once)."""
    url: str
    tree: etree._Element
    ruled: RuleResult | None
    jsonld: list[dict]
    site: str | None
    author_candidates: tuple[AuthorCandidate, ...]
    author: str | None
    page_links: list[tuple[str, str, str]]
    title: str | None  # the rules' title, else extract_title's (the clean-up drops a body line repeating it)


@dataclass
class _Dates:
    candidates: tuple[DateCandidate, ...]
    published_at: datetime | None
    source: str | None
    now: datetime | None


def _apply_rules(html: bytes | str, encoding: str | None, profile: SiteProfile | None
                 ) -> tuple[bytes | str, str | None, RuleResult | None]:
    """The source's site rules (CSS selectors) applied to the decoded page before the parse: (html,
    encoding, what the rules read), the html unchanged without rules."""
    if profile is None or profile.rules is None:
        return html, encoding, None
    from extractors.content._rules import extract_with_rules

    ruled = extract_with_rules(extract_text_from_bytes(html, encoding)[0], profile.rules)
    return ruled.html, None, ruled


def _read_page(tree: etree._Element, url: str, ruled: RuleResult | None) -> _Page:
    """The facts read from the whole page before the boxes are taken out: JSON-LD, site name, author
    candidates (the rules' authors first) and the chosen author, the read-more/related links."""
    jsonld = extract_jsonld(tree)
    site = extract_site_name(tree, jsonld)
    author_candidates = extract_author_candidates(tree, jsonld, site, url)
    if ruled is not None and ruled.authors:
        author_candidates = (*(AuthorCandidate(a, "rule") for a in ruled.authors), *author_candidates)
        author = ", ".join(ruled.authors)
    else:
        author = choose_author(author_candidates)
    title = ruled.title if ruled is not None and ruled.title else extract_title(tree, jsonld, site, url)
    return _Page(url, tree, ruled, jsonld, site, author_candidates, author, extract_tree_links(tree), title)


def _main_body(page: _Page) -> etree._Element:
    """trafilatura's body tree, read with the page's boilerplate boxes out (they are back in the tree
    afterwards, for the readers that follow); a page without one raises (NotArticleError or
    ExtractionError)."""
    boxes = remove_boxes(page.tree)
    try:
        try:
            return extract_body_tree(page.tree, page.url)
        finally:
            restore_boxes(boxes)
    except ExtractionError as e:  # nothing trafilatura calls content: an empty calendar month, a login form
        _raise_not_article(page, "", str(e))


def _clean_up(page: _Page, body: etree._Element, profile: SiteProfile | None
              ) -> tuple[str, tuple[Link, ...], tuple[BlockPrint, ...], int]:
    """(text, links, block prints, template blocks removed): the junk blocks out of trafilatura's tree,
    then the junk lines out of its text."""
    repeated, prints, removed = _template_texts(page.tree, body, profile)
    body, links, _removed = extract_clean_body(body, page.url, author=page.author, repeated=repeated,
                                               page_links=page.page_links,
                                               headlines=(page.title or "", *_h1_texts(page.tree)))
    text = extract_clean_lines(_body_text(body), author=page.author, repeated=repeated)
    return text, links, prints, removed


def _check_article_text(page: _Page, text: str) -> None:
    """Raise when the cleaned text is no article: too short, or a list of links without prose."""
    if len(text) < MIN_CHARS:
        _raise_not_article(page, text, f"no article text: {len(text)} characters after clean-up "
                                       f"(minimum {MIN_CHARS})")
    if _is_list_without_prose(text):
        _raise_not_article(page, text, f"{text.count(chr(10)) + 1} short lines and no prose: "
                           "a list of links or a menu, not an article")


def _read_dates(page: _Page, text: str, hints: tuple[DateCandidate, ...], now: datetime | None) -> _Dates:
    """The date candidates (the rules' date first) and the publication date chosen among them."""
    candidates = extract_date_candidates(page.tree, page.url, text, jsonld=page.jsonld, hints=hints, now=now)
    rule_date = _rule_date(page.ruled.date_text if page.ruled is not None else None)
    if rule_date is not None:
        candidates = (rule_date, *candidates)
    published_at, date_source = choose_date(candidates, now)
    if rule_date is not None and is_plausible(rule_date.value, now or datetime.now(timezone.utc)):
        published_at, date_source = rule_date.value, rule_date.source
    return _Dates(candidates, published_at, date_source, now)


def _assemble(page: _Page, text: str, links: tuple[Link, ...], dates: _Dates,
              template: tuple[tuple[BlockPrint, ...], int]) -> Article:
    """The Article: the page-level metadata (title, page type, updated date, canonical URL, language)
    read now, with the text, its fingerprints and what the stages before found."""
    tree = page.tree
    page_type = extract_page_type(tree, page.url, text=text, jsonld=page.jsonld, bylined=page.author is not None,
                                  dated=any(c.source in _MARKUP_DATES for c in dates.candidates))
    return Article(
        url=page.url, canonical_url=extract_canonical(tree, page.url), title=page.title, author=page.author,
        published_at=dates.published_at, date_source=dates.source,
        language=choose_language(normalize_lang(extract_declared_language(tree)), text),
        site_name=page.site, text=text, content_hash=content_hash(text), simhash=simhash(text), links=links,
        date_candidates=dates.candidates, extractor=EXTRACTOR_NAME, extractor_version=EXTRACTOR_VERSION,
        author_candidates=page.author_candidates, page_type=page_type,
        updated_at=choose_updated(extract_updated_candidates(tree, page.jsonld), dates.published_at, dates.now),
        block_prints=template[0], template_removed=template[1],
    )


def _h1_texts(tree: etree._Element, limit: int = 3) -> list[str]:
    """The texts of the page's first <h1> elements (its own headline, as the body may repeat it)."""
    out = []
    for h in tree.iter("h1"):
        out.append(" ".join("".join(h.itertext()).split()))
        if len(out) >= limit:
            break
    return out


def _template_texts(tree: etree._Element, body: etree._Element, profile: SiteProfile | None
                    ) -> tuple[frozenset[str], tuple[BlockPrint, ...], int]:
    """(lines to remove: the template's blocks on this page and the profile's repeated_lines, the page's
    block fingerprints if asked for, template blocks removed). Costs nothing without a template or a
    request for fingerprints."""
    if profile is None or not (profile.template or profile.fingerprint):
        return (profile.repeated_lines if profile is not None else frozenset()), (), 0
    from extractors.content import _template as T

    body_text = norm_line(" ".join(body.itertext()))
    kept = T.extract_page_blocks(tree, body_text)
    texts = T.extract_template_texts(kept, profile.template, len(body_text)) if profile.template else frozenset()
    return texts | profile.repeated_lines, T.block_prints(kept) if profile.fingerprint else (), len(texts)


def _rule_date(text: str | None) -> DateCandidate | None:
    """The date the `date` selector's element gives (ISO, or a date written in the text)."""
    if not text:
        return None
    value = parse_date(text)
    if value is None:
        found = extract_text_dates(text)
        value = found[0].value if found else None
    return DateCandidate(value, "rule") if value is not None else None


LIST_MIN_LINES = 20  # a text of at least this many lines ...
LIST_MAX_PROSE_WORDS = 30  # ... with fewer words than this in prose lines is a list, not an article


def _raise_not_article(page: _Page, text: str, message: str) -> None:
    """Raise for a page without article text: NotArticleError when the page-type gate says what the page
    is instead (a tag list, a login wall: recorded with its type, a listing's links followed), else
    ExtractionError."""
    page_type = extract_page_type(page.tree, page.url, text=text, jsonld=page.jsonld, dated=False,
                                  bylined=page.author is not None)
    if page_type.kind != "article":
        raise NotArticleError(f"{message}; {page_type.reason}", page_type)
    raise ExtractionError(message)


def _is_list_without_prose(text: str) -> bool:
    """Many short lines and hardly a sentence: a page of links (an index, a calendar, a sitemap page)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < LIST_MIN_LINES:
        return False
    prose = 0
    for line in lines:
        words = len(line.split())
        if words >= 6 or (words <= 2 and len(line) >= 60):  # the second: scripts written without spaces
            prose += max(words, len(line) // 4)
    return prose < LIST_MAX_PROSE_WORDS
