"""HTML entities left in metadata text (pure): "&amp;", "&#8217;", and double-escaped "&amp;#8217;".

Meta tags and JSON-LD are often written with entities escaped once more than HTML needs (the parser
decodes one level), so a title reads "Taylor Swift&#8217;s". Decoded here up to three levels deep.
"""

from __future__ import annotations

import html
import re

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str | None) -> str | None:
    """`text` with the HTML entities it still holds decoded (None stays None)."""
    for _ in range(3):
        if not text or "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return text
