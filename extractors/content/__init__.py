"""The extract stage: one page's HTML to an `Article` (clean text, metadata, in-article links).

`extract_article(html, url)` is pure: trafilatura finds the main content, then our clean-up removes
what it leaves (`_clean`, `_patterns`), and metadata readers fill title, author, dates, language and
canonical URL (`_meta`, `_dates`, `_lang`); `_links` finds the "Read More"/related links discovery
follows, `_decode` turns bytes into text, `_index` shares one element index of a parsed page;
`_rules` applies a source's CSS selectors and `_template` its learned template (a `SiteProfile`).
"""

from ._rules import RuleResult, extract_with_rules
from .article import (
    EXTRACTOR_NAME, EXTRACTOR_VERSION, TRAFILATURA_OPTIONS, extract_article,
)

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "TRAFILATURA_OPTIONS", "extract_article", "extract_with_rules",
           "RuleResult"]
