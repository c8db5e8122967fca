"""themewire search: full-text (BM25) search of the stored articles."""

from __future__ import annotations

from flows.cli import EXIT_OK, EXIT_USAGE, options
from flows.cli.formats import add_format, chosen_format, write_rows

NAME = "search"
HELP = "full-text search (BM25 over title and text) of the stored articles, best first"


def _positive(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return n


def add_arguments(p) -> None:
    p.add_argument("terms", metavar="TERMS", help='the words to look for, e.g. "chatbot companion"')
    p.add_argument("--limit", type=_positive, default=20, metavar="N", help="most results (default 20)")
    options.add_source(p)
    add_format(p)
    options.add_db(p)


def run(args) -> int:
    import sys

    from warehouse.analyst import QueryError, read_search
    from warehouse.errors import WarehouseNotFound

    try:
        result = read_search(options.db_path(args), args.terms, limit=args.limit, source=args.source)
    except (WarehouseNotFound, QueryError) as e:
        print(f"themewire search: {e}", file=sys.stderr)
        return EXIT_USAGE
    write_rows(result.columns, result.rows, chosen_format(args))
    return EXIT_OK
