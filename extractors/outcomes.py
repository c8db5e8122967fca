"""How a request, a URL or a task can end, and what is retried after it: the one table every retry
decision reads (pure; imports nothing of ours).

- `retry_in_run`: an end that is transient, so the work is repeated within the run: the fetcher's
  bounded retries of a request (back-off, Retry-After; the last try that still ends so gives the URL
  its outcome), a task's retries (flows/tasks.retry_if_transient, through errors.is_transient).
- `retry_next_run`: a URL left with this outcome is due again on the next run (the warehouse sets
  its next_fetch_at); any other outcome finishes the URL.

Most rows are stored outcomes (`fetches.outcome`, `urls.last_outcome`, `skips.outcome`; the
`outcomes` table lists them: `OUTCOMES`). Two stored outcomes cover both a transient and a terminal
end: http_error (a 502 and a 404) and connection_error (a reset and a corrupt gzip stream). The
fetcher tells them apart by what ended the request (the HTTP status, the kind of error) and gives
the transient end its own row, stored as the terminal one (`stored=False`, `attempts_as`):
server_error and network_error. A request that used up the whole total deadline (deadline_exceeded,
stored as timeout) is the one timeout that is not retried within the run. rate_limited (429/503) is
retried too; its retried attempts are http_error rows. A task's end that is no URL's (warehouse_busy)
is a row that is not stored either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    description: str
    retry_in_run: bool
    retry_next_run: bool
    stored: bool = True  # a key of OUTCOMES; False: a finer case of `attempts_as`, or a task's end
    attempts_as: str | None = None  # what the fetches row of an attempt that ended so says, when not `name`

    @property
    def attempt_name(self) -> str:
        """The outcome a `fetches` row of an attempt that ended so (and is retried) says."""
        return self.attempts_as or self.name

    @property
    def final_name(self) -> str:
        """The outcome the URL and its last attempt's row keep: the name if stored, else attempts_as."""
        return self.name if self.stored else self.attempt_name


def _row(name: str, description: str, *, in_run: bool = False, next_run: bool = False) -> Outcome:
    return Outcome(name, description, retry_in_run=in_run, retry_next_run=next_run)


_ROWS = (
    _row("ok", "2xx with an HTML/XML body that was read in full"),
    _row("not_modified", "304 to a conditional request: nothing to extract"),
    _row("redirect", "3xx hop that the crawler followed (the next hop is its own row)"),
    _row("robots_disallowed", "robots.txt forbids the path for our user agent"),
    _row("robots_unavailable", "robots.txt could not be read (5xx, timeout): the host is skipped this run",
         next_run=True),
    _row("too_large", "declared or streamed (decompressed) body over the size limit"),
    _row("timeout", "connect/read timeout or the total per-request deadline", in_run=True, next_run=True),
    _row("connection_error", "refused, reset or closed mid-body", next_run=True),
    _row("blocked_redirect", "a redirect (or meta refresh) to a forbidden scheme, host or address"),
    _row("too_many_redirects", "redirect chain longer than the limit, or a loop"),
    _row("blocked_address", "the host resolves to a private/loopback/link-local/reserved address"),
    _row("not_html", "content type (declared or sniffed) is not HTML/XML"),
    _row("http_error", "4xx/5xx after retries, where retrying made sense", next_run=True),
    Outcome("rate_limited", "429/503 and the host's back-off outlasted this run",
            retry_in_run=True, retry_next_run=True, attempts_as="http_error"),
    _row("host_backoff", "not requested: the host is backing off until a later time", next_run=True),
    _row("invalid_url", "not http(s), malformed, or absurdly long"),
    _row("off_domain", "outside the source's allowed domains"),
    _row("budget_exhausted", "over the source's max_pages_per_run", next_run=True),
    _row("extract_failed", "fetched, but no article text could be extracted"),
    _row("not_article", "fetched and extracted, but the page-type gate says it is no article (a listing: home, "
         "section, tag, author, archive, calendar, search; or other: about, contact, login, error, thin); "
         "its type is in page_types"),
    _row("family_capped", "over the per-run cap of one runaway URL family (a calendar, ?page=N, faceted filters, "
         "date archives: URLs that differ only by numbers, dates or query values)", next_run=True),
    _row("duplicate", "same content as an article already stored"),
    _row("out_of_range", "outside a backfill's date range (by a plan signal, or by the extracted publication date)"),
    _row("raw_missing",
         "reprocess: the stored raw page's file is gone from the raw store (the next ingest refetches it)",
         next_run=True),
    # finer cases, never stored under their own name
    Outcome("server_error", "a 5xx that may pass on a retry (the fetcher's status table): stored as http_error",
            retry_in_run=True, retry_next_run=True, stored=False, attempts_as="http_error"),
    Outcome("network_error", "a network failure (refused, reset, closed mid-body) that may pass on a retry: "
            "stored as connection_error",
            retry_in_run=True, retry_next_run=True, stored=False, attempts_as="connection_error"),
    Outcome("deadline_exceeded", "the total per-request deadline (fetch.deadline_seconds) ran out: a server "
            "drip-feeding its answer would hold the run for every retry, so it is tried again next run, not "
            "in this one; stored as timeout",
            retry_in_run=False, retry_next_run=True, stored=False, attempts_as="timeout"),
    Outcome("warehouse_busy", "another run holds the warehouse's writer lock past the timeout: "
            "a task's end, not a URL's", retry_in_run=True, retry_next_run=False, stored=False),
)

OUTCOME_TABLE: Mapping[str, Outcome] = MappingProxyType({o.name: o for o in _ROWS})

# The stored outcomes (name -> description), in table order.
OUTCOMES: dict[str, str] = {o.name: o.description for o in _ROWS if o.stored}

# Stored outcomes after which a URL is due again on the next run.
RETRY_NEXT_RUN: tuple[str, ...] = tuple(o.name for o in _ROWS if o.stored and o.retry_next_run)


def retried_in_run(name: str) -> bool:
    """Whether an end with outcome `name` is transient: repeated within the run."""
    return OUTCOME_TABLE[name].retry_in_run
