"""One exception tree for themewire.

ThemewireError                 every error themewire raises on purpose
├── ConfigError                the configuration is wrong (exit code 2); names file, line and field
└── OutcomeError               carries `outcome`, a row of extractors.outcomes.OUTCOME_TABLE
    ├── ExtractionError        extract_failed: a page was fetched but holds no article text
    ├── UrlRejected            urls.py (also a ValueError): a URL that is not fetched (invalid_url)
    ├── Refused                fetch/_guards.py: a request not made (off_domain, blocked_*, robots_*, ...)
    ├── BodyError              fetch/_body.py: response bytes not used (too_large, not_html, connection_error)
    └── WarehouseBusy          warehouse/errors.py (also a WarehouseError): warehouse_busy

An OutcomeError says what happened as data, so callers store a reason instead of logging and
returning None; whether it is worth retrying is the outcome's (`transient`, `is_transient`), never
the raiser's.
"""

from __future__ import annotations

from .outcomes import OUTCOME_TABLE


class ThemewireError(Exception):
    """Base of every error themewire raises on purpose."""


class ConfigError(ThemewireError):
    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.path, self.line, self.field = path, line, field


class OutcomeError(ThemewireError):
    """An error that ends a URL or a task with `outcome` (a key of OUTCOME_TABLE). A subclass with
    one outcome names it as a class attribute; the others take it as an argument."""

    outcome: str = ""

    def __init__(self, message: str, outcome: str | None = None) -> None:
        super().__init__(message)
        if outcome is not None:
            self.outcome = outcome
        if self.outcome not in OUTCOME_TABLE:
            raise ValueError(f"{type(self).__name__}: unknown outcome {self.outcome!r}")

    @property
    def transient(self) -> bool:
        """Worth repeating within the run (the outcome's retry_in_run)."""
        return OUTCOME_TABLE[self.outcome].retry_in_run


class ExtractionError(OutcomeError):
    outcome = "extract_failed"


class NotArticleError(ExtractionError):
    """A page with too little article text whose page type (an extractors.models.PageType, from
    extractors/content/_pagetype.py) says what it is instead: a listing, a login wall, an error page..."""

    outcome = "not_article"

    def __init__(self, message: str, page_type) -> None:
        super().__init__(message)
        self.page_type = page_type


def is_transient(exc: BaseException) -> bool:
    """Whether `exc` is worth retrying within the run (a task's retries): only an OutcomeError whose
    outcome says so."""
    return isinstance(exc, OutcomeError) and exc.transient
