"""One parse of a decoded page into the lxml tree both our readers and trafilatura work on (pure).

    parse_page(text) -> HtmlElement | None

The same steps and parser settings as trafilatura.utils.load_html (its repairs of faulty markup, the
retry with bytes, the rejection of a tiny tree from text without "html" in its first 50 characters), with
one difference: the parser's element classes are looked up in C (lxml's ElementDefaultClassLookup: every
element an HtmlElement) rather than by lxml.html's Python lookup method, which the stages and trafilatura
pay for every element proxy they touch (about 6,000 per page). The special classes that lookup would
give <form>, <input>, <select>, <textarea> and <label> (form-filling helpers) are used by no stage.
"""

from __future__ import annotations

import logging

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
from trafilatura.utils import is_dubious_html, repair_faulty_html

LOGGER = logging.getLogger(__name__)

# trafilatura.utils.HTML_PARSER's settings
PARSER = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                          remove_pis=True)
PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


def _from_bytes(text: str) -> HtmlElement | None:
    try:
        return fromstring(text.encode("utf8", "surrogatepass"), parser=PARSER)
    except Exception as e:  # lxml raises assorted errors on broken markup
        LOGGER.debug("lxml parser, bytes: %s", e)
    return None


def parse_page(text: str) -> HtmlElement | None:
    """The page's tree, or None when it is not (well-formed enough) HTML."""
    beginning = text[:50].lower()
    text = repair_faulty_html(text, beginning)
    tree, from_bytes = None, False
    try:
        tree = fromstring(text, parser=PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _from_bytes(text), True
    except Exception as e:  # lxml raises assorted errors on broken markup
        LOGGER.debug("lxml parser: %s", e)
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _from_bytes(text)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree
