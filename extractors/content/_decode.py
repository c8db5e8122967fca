"""Bytes to text the way a browser would, without ever raising on bad bytes (pure).

Order: byte-order mark > the caller's encoding (from the HTTP header) > <meta charset> in the first
4 KiB > strict UTF-8 (or UTF-8 with a few broken bytes) > charset-normalizer's guess (when there are
at least 50 non-ASCII bytes to go on) > windows-1252. Labels are mapped as in the WHATWG Encoding standard where it matters (latin-1/ascii are decoded as windows-1252).
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_WHATWG_ALIASES = {
    "latin1": "cp1252", "latin-1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "x-sjis": "shift_jis", "utf8": "utf-8", "unicode": "utf-16-le", "utf-16": "utf-16-le",
}


def _lookup(label: str | None) -> str | None:
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _WHATWG_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _sniff_meta(head: bytes) -> str | None:
    m = _META_CHARSET.search(head)
    enc = _lookup(m.group(1).decode("ascii", "replace")) if m else None
    # a page that says utf-16 in an 8-bit meta tag cannot really be utf-16 (WHATWG rule)
    return "utf-8" if enc and enc.startswith("utf-16") else enc


def _guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a base dependency
        return None
    best = from_bytes(data[:65536]).best()
    return _lookup(best.encoding) if best else None


_MIN_FOR_GUESS = 50


def _mostly_utf8(data: bytes) -> bool:
    """More valid multi-byte UTF-8 characters than invalid bytes (legacy 8-bit text has almost none valid)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 127) - bad
    return good > 2 * bad


def extract_text_from_bytes(data: bytes | str, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Never raises on invalid bytes: undecodable bytes become U+FFFD."""
    if isinstance(data, str):
        return data, "str"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace"), enc
    enc = _lookup(encoding) or _sniff_meta(data[:4096])
    if enc:
        return data.decode(enc, "replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):  # a UTF-8 page with a few broken bytes stays UTF-8
        return data.decode("utf-8", "replace"), "utf-8"
    # too few non-ASCII bytes for a statistical guess: browsers' Western default
    enc = (_guess(data) if sum(b > 127 for b in data[:65536]) >= _MIN_FOR_GUESS else None) or "cp1252"
    return data.decode(enc, "replace"), enc
