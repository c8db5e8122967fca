"""URL normalisation and scope checks (pure).

One article is stored once however many URLs lead to it: tracking parameters and fragments are
dropped, host lower-cased, default ports removed, query parameters sorted.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from .errors import OutcomeError

MAX_URL_LENGTH = 2048

_TRACKING_EXACT = {
    "ref", "ref_src", "ref_url", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
    "mc_cid", "mc_eid", "igshid", "_hsenc", "_hsmi", "mkt_tok", "spm", "cmpid", "ito", "ncid",
    "soc_src", "soc_trk", "sr_share", "share", "utm", "at_medium", "at_campaign", "oly_enc_id",
    "oly_anon_id", "vero_id", "__twitter_impression", "s_cid", "trk", "trkcampaign", "ocid",
}
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "_ga", "at_")


class UrlRejected(OutcomeError, ValueError):
    """A URL we will not fetch (outcome invalid_url); still a ValueError for callers that parse."""

    outcome = "invalid_url"


def _is_tracking(name: str) -> bool:
    n = name.lower()
    return n in _TRACKING_EXACT or n.startswith(_TRACKING_PREFIXES)


def normalize_url(url: str, base: str | None = None) -> str:
    """Absolute, canonical form of `url` (resolved against `base`), or raise UrlRejected."""
    raw = (url or "").strip()
    if not raw:
        raise UrlRejected("empty URL")
    if len(raw) > MAX_URL_LENGTH:
        raise UrlRejected(f"URL longer than {MAX_URL_LENGTH} characters ({len(raw)})")
    scheme = raw.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", raw) else ""
    if scheme and scheme not in ("http", "https"):
        raise UrlRejected(f"scheme {scheme}: is not fetched (only http/https)")
    absolute = urljoin(base, raw) if base else raw
    try:
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError as e:
        raise UrlRejected(f"malformed URL: {e}") from None
    if parts.scheme not in ("http", "https"):
        raise UrlRejected(f"scheme {parts.scheme or '(none)'}: is not fetched (only http/https)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UrlRejected("URL has no host")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        raise UrlRejected(f"invalid host name {host!r}") from None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    default_port = 80 if parts.scheme == "http" else 443
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe="/%:@!$&'()*+,;=~-._")
    path = re.sub(r"/{2,}", "/", path)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _is_tracking(k)), doseq=True)
    out = urlunsplit((parts.scheme, netloc, path, query, ""))
    if len(out) > MAX_URL_LENGTH:
        raise UrlRejected(f"URL longer than {MAX_URL_LENGTH} characters after normalising")
    return out


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    p = urlsplit(url)
    port = p.port or (443 if p.scheme == "https" else 80)
    return f"{p.scheme}://{(p.hostname or '').lower()}:{port}"


# Host labels that name the same site as the bare host: a canonical from amp.news.example or
# www.news.example to news.example (or back) stays within the page's origin.
SAME_SITE_PREFIXES = ("www.", "amp.", "m.", "mobile.")


def site_of(url: str) -> tuple[str, int | None]:
    """(host without a SAME_SITE_PREFIXES label, explicit non-default port): what a canonical must
    share with its page to be trusted. The scheme is not part of it (http vs https is one site)."""
    p = urlsplit(url)
    host = host_of(url).rstrip(".")
    for prefix in SAME_SITE_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    try:
        port = p.port
    except ValueError:
        port = None
    return host, (None if port in (80, 443) else port)


def is_allowed_host(url: str, domains: tuple[str, ...] | list[str]) -> bool:
    """True if the URL's host is one of `domains` or a subdomain of one."""
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)
