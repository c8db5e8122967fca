"""The `themewire` command: a thin shell over the library.

Each command lives in its own module of this package (`flows/cli/ingest.py`, `flows/cli/sources.py`, ...)
exposing `NAME`, `HELP`, optionally `DESCRIPTION`, `add_arguments(parser)` and `run(args) -> int`; options
shared by several commands come from `flows/cli/options.py`. Command modules import nothing heavy at module
level (no prefect, duckdb, trafilatura), so `themewire --help` stays fast; `run` imports what it needs.

Exit codes: 0 the run completed (failed URLs are recorded, not fatal); 1 the run failed (or, with
`--fail-on-degraded`, a source was degraded); 2 usage or configuration error (a database that cannot be
written included). Errors are one line on stderr; the global `--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from extractors.errors import ConfigError, ThemewireError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_debug = False  # the global --debug: tracebacks instead of one-line errors (set by main)


def debugging() -> bool:
    """Whether `--debug` was given: runners re-raise instead of printing one line."""
    return _debug

# Order is the order in `themewire --help`.
COMMAND_MODULES = ("demo", "ingest", "backfill", "reprocess", "extract", "classify", "sources", "themes",
                   "stats", "export", "report", "query", "search", "failures", "server")


class UsageError(ThemewireError):
    """The command's input is unusable (an unreadable file, a malformed line): exit 2 with the message."""


def did_you_mean(word: str, choices) -> str:
    """' (did you mean X?)' for the closest of `choices` to a mistyped `word`, or ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _suggest(parser: argparse.ArgumentParser, message: str) -> str:
    """argparse's message, with a did-you-mean for an unknown command or option."""
    import re

    if m := re.search(r"invalid choice: '([^']*)'", message):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if subs:
            return message + did_you_mean(m.group(1), subs[0].choices)
    if m := re.match(r"unrecognized arguments: (.*)", message):
        known = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
        hints = [did_you_mean(w.split("=", 1)[0], known) for w in m.group(1).split() if w.startswith("--")]
        return message + "".join(h for h in hints if h)
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 already; keep the message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {_suggest(self, message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="themewire",
        description="Discover, fetch, extract and classify articles by theme into DuckDB.",
        epilog="Exit codes: 0 completed (failed URLs are recorded), 1 run failed, 2 usage/config error.",
    )
    from flows.cli import output

    output.add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        mod = importlib.import_module(f"{__name__}.{name}")
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP))
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run, _prog=p.prog, _parser=p)
    return parser


def main(argv: list[str] | None = None) -> int:
    global _debug
    parser = build_parser()
    from flows.cli import output

    argv = output.hoist_global_options(sys.argv[1:] if argv is None else argv)
    args, extra = parser.parse_known_args(argv)
    if extra:  # an unknown option of a command: that command's usage, with a did-you-mean
        getattr(args, "_parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    output.configure(args)
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_USAGE
    _debug = bool(args.debug)
    try:
        return int(args._run(args) or 0)
    except ConfigError as e:
        print(f"themewire: configuration error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as e:
        print(f"{args._prog}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("themewire: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - one line, unless --debug asks for the traceback
        if _debug:
            raise
        code = EXIT_USAGE if _is_unwritable(e) else EXIT_FAILED
        print(f"{args._prog}: error: {_one_line(e)}", file=sys.stderr)
        return code


def _is_unwritable(e: BaseException) -> bool:
    return type(e).__name__ == "WarehouseNotWritable"


def _one_line(e: BaseException) -> str:
    """`Type: message` on one line (a warehouse error's message alone: it says what to do)."""
    text = " ".join(str(e).split())
    if type(e).__module__.startswith("warehouse") or isinstance(e, ThemewireError):
        return text or type(e).__name__
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def ensure_writable(db: str) -> None:
    """Before a run writes `db`: a read-only database, folder, raw store or lock is a one-line error
    (exit 2) before anything is fetched (warehouse.preflight)."""
    from warehouse.preflight import ensure_writable as _check

    _check(db)

