"""One exception tree for the extractors package.

ThemewireError
├── ConfigError            the configuration is wrong (exit code 2); names file, line and field
├── FetchError             a request ended without a usable body
│   ├── TransientFetchError    worth retrying later: timeouts, resets, 5xx, 429
│   └── TerminalFetchError     retrying will not help: 404, robots, too large, not HTML, blocked
└── ExtractionError        a page was fetched but holds no article text

Every FetchError carries `outcome` (a key of models.OUTCOMES) so that callers store a reason
instead of logging and returning None.
"""

from __future__ import annotations


class ThemewireError(Exception):
    """Base of every error themewire raises on purpose."""


class ConfigError(ThemewireError):
    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.path, self.line, self.field = path, line, field


class FetchError(ThemewireError):
    transient = False

    def __init__(self, message: str, *, outcome: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.outcome, self.status_code = outcome, status_code


class TransientFetchError(FetchError):
    transient = True


class TerminalFetchError(FetchError):
    transient = False


class ExtractionError(ThemewireError):
    outcome = "extract_failed"
