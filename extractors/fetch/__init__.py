"""The fetch stage: the only network code in themewire.

`Fetcher` (async, one per run, polite per host, never raises per URL) and `fetch_one` (one guarded
request, for the CLI) turn URLs into `FetchResult` records. The private helpers: `_guards` (URL,
address and redirect checks, the guarded transport), `_body` (bounded decompression, content type and
encoding), `_hosts` (robots.txt and per-host slots).
"""

from .fetcher import Fetcher, fetch_one, guarded_transport

__all__ = ["Fetcher", "fetch_one", "guarded_transport"]
