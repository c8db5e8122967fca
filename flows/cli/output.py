"""How the CLI talks: the global options --verbose, --quiet, --json and --version, and the few functions
every command prints through.

    normal     progress (a bar on a terminal, a plain line every few seconds otherwise), the summary;
               Prefect's INFO lines are not shown (its warnings and errors are)
    --verbose  Prefect's INFO lines too
    --quiet    only errors and the one-line result
    --json     one JSON document on stdout (a run's summary); progress only as a bar on a terminal

The level of Prefect's console handler is set through the environment, which Prefect reads when it is
imported (PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL): the run's log sent to the API keeps every level.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

_MODE = {"verbosity": "normal", "json": False}
_CONSOLE_LEVEL = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"  # the root logger's handler: flow and task run lines
_USER_CONSOLE_LEVEL = os.environ.get(_CONSOLE_LEVEL)  # one the user set before the command started wins


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _version

    try:
        return _version("themewire")
    except PackageNotFoundError:
        return "unknown"


GLOBAL_FLAGS = ("--verbose", "--quiet", "--json", "--debug")


def add_global_options(p: argparse.ArgumentParser) -> None:
    """On the top-level parser; hoist_global_options lets them be written after the command too."""
    p.add_argument("--version", action="version", version=f"themewire {version()}")
    p.add_argument("--verbose", action="store_true", help="also show Prefect's INFO log lines")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error instead of one line")
    p.add_argument("--quiet", action="store_true", help="print only errors and the one-line result")
    p.add_argument("--json", action="store_true", dest="json_output",
                   help="print a machine-readable summary (JSON) on stdout")


def hoist_global_options(argv: list[str]) -> list[str]:
    """`themewire ingest --json` as `themewire --json ingest` (up to a `--`, after which nothing moves)."""
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:end] if a in GLOBAL_FLAGS]
    return flags + [a for a in argv[:end] if a not in GLOBAL_FLAGS] + argv[end:]


def configure(args: argparse.Namespace, environ=os.environ) -> None:
    """Before anything imports prefect."""
    verbose, quiet = getattr(args, "verbose", False), getattr(args, "quiet", False)
    _MODE["json"] = bool(getattr(args, "json_output", False))
    _MODE["verbosity"] = "verbose" if verbose else "quiet" if quiet or _MODE["json"] else "normal"
    level = {"verbose": "INFO", "quiet": "ERROR", "normal": "WARNING"}[_MODE["verbosity"]]
    user_level = _USER_CONSOLE_LEVEL if environ is os.environ else None
    environ[_CONSOLE_LEVEL] = level if verbose or not user_level else user_level


def verbosity() -> str:
    return _MODE["verbosity"]


def json_mode() -> bool:
    return _MODE["json"]


def info(line: str) -> None:
    """A note beside the result (which engine, what is served): stderr, not in --quiet/--json."""
    if _MODE["verbosity"] in ("normal", "verbose") and not _MODE["json"]:
        print(line, file=sys.stderr, flush=True)


def text(block: str) -> None:
    """The human summary on stdout: not in --quiet or --json."""
    if _MODE["verbosity"] in ("normal", "verbose") and not _MODE["json"]:
        print(block, flush=True)


def result(line: str, payload: dict) -> None:
    """The one-line result (every mode but --json), or `payload` as JSON on stdout (--json)."""
    if _MODE["json"]:
        print(json.dumps(payload, indent=1, default=str, sort_keys=False), flush=True)
    else:
        print(line, flush=True)


def summary(full: str, line: str, payload: dict) -> None:
    """A run's end: the full text summary and its one-line result (normal), the line (--quiet), or the
    payload as JSON (--json)."""
    if not _MODE["json"] and _MODE["verbosity"] != "quiet":
        print(full, flush=True)
    result(line, payload)


def error(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
