"""themewire failures: the URLs of a run that did not become articles, and why."""

from __future__ import annotations

from flows.cli import EXIT_OK, EXIT_USAGE, options
from flows.cli.formats import add_format, chosen_format, write_rows

NAME = "failures"
HELP = "the URLs of a run (default: the last one) that did not become articles, and why"


def add_arguments(p) -> None:
    p.add_argument("--run", metavar="ID", help="a run_id (default: the last run started, of --source if given)")
    options.add_source(p)
    add_format(p)
    options.add_db(p)


def run(args) -> int:
    import sys

    from warehouse.analyst import read_failures
    from warehouse.errors import WarehouseError

    try:
        run_id, result = read_failures(options.db_path(args), run_id=args.run, source=args.source)
    except WarehouseError as e:
        print(f"themewire failures: {e}", file=sys.stderr)
        return EXIT_USAGE
    fmt = chosen_format(args)
    if fmt == "table":
        print(f"run {run_id}: {len(result.rows)} URL(s) not stored")
    write_rows(result.columns, result.rows, fmt)
    return EXIT_OK
