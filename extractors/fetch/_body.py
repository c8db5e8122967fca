"""What the crawler does with response bytes (private to fetch; pure): bounded decompression,
content sniffing, encoding decision and `<meta http-equiv=refresh>`.

httpx's own decoders (response.aiter_bytes) decode each network chunk in one call, so one 64 KiB
chunk of a deflate/brotli bomb can expand to tens of megabytes (brotli: gigabytes) before the
caller sees it. The crawler therefore reads `aiter_raw()` and decodes here with an output limit
per step (`DECODE_STEP_BYTES`), so memory stays bounded by max_bytes + one step.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterator

import brotli
from charset_normalizer import from_bytes

from ..errors import OutcomeError

DECODE_STEP_BYTES = 64 * 1024  # zlib stops exactly there; brotli at its next buffer size (< 2x)
SNIFF_BYTES = 1024
META_SCAN_BYTES = 16 * 1024
DETECT_BYTES = 64 * 1024


class BodyError(OutcomeError):
    """Response bytes the crawler will not use: BodyError(message, outcome)."""


# --- decompression --------------------------------------------------------------------------------


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._d = zlib.decompressobj(wbits)
        self._first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._d.decompress(data, DECODE_STEP_BYTES)
            except zlib.error:
                if self._first and self._wbits == zlib.MAX_WBITS:  # "deflate" sent as raw deflate
                    self._wbits, self._d, self._first = -zlib.MAX_WBITS, zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise BodyError("corrupt compressed body", "connection_error") from None
            self._first = False
            if out:
                yield out
            if self._d.eof:  # another gzip member may follow
                data = self._d.unused_data
                self._d = zlib.decompressobj(self._wbits)
                if not data.strip(b"\0"):
                    return
            else:
                data = self._d.unconsumed_tail

    def finish(self) -> Iterator[bytes]:
        out = self._d.flush()
        if out:
            yield out


class _Brotli:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        # can_accept_more_data() is already True while output is pending: drain until a step is empty
        try:
            out = self._d.process(data, output_buffer_limit=DECODE_STEP_BYTES)
            while out:
                yield out
                if self._d.is_finished():
                    return
                out = self._d.process(b"", output_buffer_limit=DECODE_STEP_BYTES)
        except brotli.error:
            raise BodyError("corrupt brotli body", "connection_error") from None

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def finish(self) -> Iterator[bytes]:
        return iter(())


def _decoder_for(coding: str):
    if coding in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if coding == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if coding == "br":
        return _Brotli()
    if coding in ("identity", ""):
        return _Identity()
    raise BodyError(f"unsupported Content-Encoding {coding!r}", "not_html")


class BoundedDecoder:
    """Undo a Content-Encoding chain ("gzip", "br", "gzip, br", ...) in bounded steps."""

    def __init__(self, content_encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        self._chain = [_decoder_for(c) for c in reversed(codings)] or [_Identity()]

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield from self._run(0, data, final=False)

    def finish(self) -> Iterator[bytes]:
        yield from self._run(0, b"", final=True)

    def _run(self, i: int, data: bytes, final: bool) -> Iterator[bytes]:
        if i == len(self._chain):
            if data:
                yield data
            return
        for piece in self._chain[i].feed(data):
            yield from self._run(i + 1, piece, final=False)
        if final:
            for piece in self._chain[i].finish():
                yield from self._run(i + 1, piece, final=False)
            yield from self._run(i + 1, b"", final=True)


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """Decompress a gzip file (e.g. sitemap.xml.gz) holding at most max_bytes + one step."""
    d, out, size = _Zlib(zlib.MAX_WBITS | 16), [], 0
    for piece in (p for part in (d.feed(data), d.finish()) for p in part):
        size += len(piece)
        if size > max_bytes:
            raise BodyError(f"gzip body decompresses to more than {max_bytes} bytes", "too_large")
        out.append(piece)
    return b"".join(out)


# --- content type and sniffing ----------------------------------------------------------------------

HTML_TYPES = {"text/html", "application/xhtml+xml"}
XML_TYPES = {"application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
             "application/rdf+xml"}
JSON_TYPES = {"application/json", "application/feed+json", "text/json"}
UNSURE_TYPES = {"", "text/plain", "application/octet-stream", "binary/octet-stream"}
GZIP_TYPES = {"application/gzip", "application/x-gzip"}

_MAGIC = (
    (b"%PDF-", "PDF"), (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"), (b"PK\x03\x04", "ZIP archive"), (b"\x1f\x8b", "gzip data"),
    (b"BM", None), (b"ID3", "MP3 audio"), (b"OggS", "Ogg media"), (b"\x00\x00\x01\x00", "icon"),
    (b"%!PS", "PostScript"), (b"\xd0\xcf\x11\xe0", "MS Office document"), (b"\x7fELF", "executable"),
)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def declared_kind(content_type: str | None) -> str:
    """'html', 'xml', 'json', 'gzip', 'unsure' or 'other' from the Content-Type header."""
    mt = media_type(content_type)
    if mt in HTML_TYPES:
        return "html"
    if mt in XML_TYPES or mt.endswith("+xml"):
        return "xml"
    if mt in JSON_TYPES or mt.endswith("+json"):
        return "json"
    if mt in GZIP_TYPES:
        return "gzip"
    if mt in UNSURE_TYPES:
        return "unsure"
    return "other"


def sniff_binary(head: bytes) -> str | None:
    """A description of binary content, or None when the first bytes look like text."""
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic, what in _MAGIC:
        if what and head.startswith(magic):
            return what
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "WebP image"
    sample = head[:SNIFF_BYTES]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if sample and control / len(sample) > 0.05:
        return "binary data (control bytes)"
    return None


def sniff_markup(head: bytes) -> str | None:
    """'html', 'xml', 'json' or None, from the start of a text body."""
    text = head[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") or text.startswith((b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf")):
        return "xml"
    if text.startswith((b"{", b"[")):
        return "json"
    if text.startswith(b"<!doctype html") or re.search(rb"<(html|head|body|title|meta|div|p)[\s>]", text):
        return "html"
    return None


# --- encoding ---------------------------------------------------------------------------------------

# WHATWG: these labels mean windows-1252 on the web.
_WEB_ALIASES = {"ascii": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252"}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def canonical_encoding(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _WEB_ALIASES.get(name, name)


def charset_from_header(content_type: str | None) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type or "", re.I)
    return canonical_encoding(m.group(1)) if m else None


def decide_encoding(body: bytes, content_type: str | None) -> str:
    """Header charset, else BOM, else <meta charset>/http-equiv or XML declaration, else detection."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            header = charset_from_header(content_type)
            return header if header and header.replace("-sig", "") == name.replace("-sig", "") else name
    header = charset_from_header(content_type)
    if header:
        return header
    head = body[:META_SCAN_BYTES]
    for pattern in (_XML_DECL, _META_CHARSET):
        m = pattern.search(head)
        found = canonical_encoding(m.group(1).decode("ascii", "replace")) if m else None
        if found:
            return "utf-8" if found.startswith("utf-16") else found  # a byte-scanned meta can't be UTF-16
    try:
        body[:DETECT_BYTES].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start >= DETECT_BYTES - 4:  # cut in the middle of a character
            return "utf-8"
    best = from_bytes(body[:DETECT_BYTES]).best()
    return canonical_encoding(best.encoding) if best and canonical_encoding(best.encoding) else "cp1252"


# --- meta refresh -----------------------------------------------------------------------------------

_META_TAG = re.compile(rb"<meta\b[^>]*>", re.I)
_REFRESH = re.compile(rb"""http-equiv\s*=\s*["']?\s*refresh""", re.I)
_CONTENT = re.compile(rb"""content\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_URL_PART = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)["']?\s*$""", re.I)


def meta_refresh_target(body: bytes) -> str | None:
    """The URL of a `<meta http-equiv=refresh content="N; url=...">` near the top, if any."""
    for tag in _META_TAG.finditer(body[:META_SCAN_BYTES]):
        if not _REFRESH.search(tag.group(0)):
            continue
        m = _CONTENT.search(tag.group(0))
        if not m:
            continue
        content = (m.group(1) or m.group(2) or m.group(3) or b"").decode("latin-1")
        if "url" not in content.lower() and ";" not in content:
            return None
        u = _URL_PART.match(content)
        target = u.group(1).strip() if u else ""
        return target or None
    return None
