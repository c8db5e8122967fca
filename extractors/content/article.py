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
from datetime import datetime, timezone

import trafilatura
from lxml import etree
from trafilatura.utils import load_html
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
from extractors.content._lang import choose_language, normalize_lang
from extractors.content._meta import extract_canonical, extract_declared_language, extract_site_name, extract_title
from extractors.dedupe import content_hash, simhash
from extractors.errors import ExtractionError, NotArticleError
from extractors.models import Article, AuthorCandidate, BlockPrint, DateCandidate, SiteProfile

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
    tree = load_html(text)
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
    """
    ruled = None
    if profile is not None and profile.rules is not None:
        from extractors.content._rules import extract_with_rules

        ruled = extract_with_rules(extract_text_from_bytes(html, encoding)[0], profile.rules)
        html, encoding = ruled.html, None
    tree = parse_html(html, encoding)
    jsonld = extract_jsonld(tree)
    site = extract_site_name(tree, jsonld)
    author_candidates = extract_author_candidates(tree, jsonld, site, url)
    if ruled is not None and ruled.authors:
        author_candidates = (*(AuthorCandidate(a, "rule") for a in ruled.authors), *author_candidates)
        author = ", ".join(ruled.authors)
    else:
        author = choose_author(author_candidates)
    page_links = extract_tree_links(tree)
    boxes = remove_boxes(tree)  # whole boilerplate boxes out for trafilatura, back for the readers below
    try:
        try:
            body = extract_body_tree(tree, url)
        finally:
            restore_boxes(boxes)
    except ExtractionError as e:  # nothing trafilatura calls content: an empty calendar month, a login form
        _raise_not_article(tree, url, "", jsonld, author, str(e))
    repeated, prints, removed = _template_texts(tree, body, profile)
    title = ruled.title if ruled is not None and ruled.title else extract_title(tree, jsonld, site, url)
    body, links, _removed = extract_clean_body(body, url, author=author, repeated=repeated, page_links=page_links,
                                               headlines=(title or "", *_h1_texts(tree)))
    text = extract_clean_lines(_body_text(body), author=author, repeated=repeated)
    if len(text) < MIN_CHARS:
        _raise_not_article(tree, url, text, jsonld, author,
                           f"no article text: {len(text)} characters after clean-up (minimum {MIN_CHARS})")
    if _is_list_without_prose(text):
        _raise_not_article(tree, url, text, jsonld, author, f"{text.count(chr(10)) + 1} short lines and no prose: "
                           "a list of links or a menu, not an article")
    candidates = extract_date_candidates(tree, url, text, jsonld=jsonld, hints=tuple(date_hints), now=now)
    rule_date = _rule_date(ruled.date_text if ruled is not None else None)
    if rule_date is not None:
        candidates = (rule_date, *candidates)
    published_at, date_source = choose_date(candidates, now)
    if rule_date is not None and is_plausible(rule_date.value, now or datetime.now(timezone.utc)):
        published_at, date_source = rule_date.value, rule_date.source
    page_type = extract_page_type(tree, url, text=text, jsonld=jsonld, bylined=author is not None,
                                  dated=any(c.source in _MARKUP_DATES for c in candidates))
    updated_at = choose_updated(extract_updated_candidates(tree, jsonld), published_at, now)
    return Article(
        url=url,
        canonical_url=extract_canonical(tree, url),
        title=title,
        author=author,
        published_at=published_at,
        date_source=date_source,
        language=choose_language(normalize_lang(extract_declared_language(tree)), text),
        site_name=site,
        text=text,
        content_hash=content_hash(text),
        simhash=simhash(text),
        links=links,
        date_candidates=candidates,
        extractor=EXTRACTOR_NAME,
        extractor_version=EXTRACTOR_VERSION,
        author_candidates=author_candidates,
        page_type=page_type,
        updated_at=updated_at,
        block_prints=prints,
        template_removed=removed,
    )


def _h1_texts(tree: etree._Element, limit: int = 3) -> list[str]:
    """The texts of the page's first <h1> elements (its own headline, as the body may repeat it)."""
    out = []
    for h in tree.iter("h1"):
        out.append(" ".join("".join(h.itertext()).split()))
        if len(out) >= limit:
            break
    return out


_MARKUP_DATES = frozenset({"jsonld", "meta", "time"})  # a date the page's markup states (not a URL's or a hint)


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


def _raise_not_article(tree: etree._Element, url: str, text: str, jsonld: list[dict], author: str | None,
                       message: str) -> None:
    """Raise for a page without article text: NotArticleError when the page-type gate says what the page
    is instead (a tag list, a login wall: recorded with its type, a listing's links followed), else
    ExtractionError."""
    page_type = extract_page_type(tree, url, text=text, jsonld=jsonld, dated=False, bylined=author is not None)
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
