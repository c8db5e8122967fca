"""themewire query: one SQL statement on a read-only connection to the published warehouse."""

from __future__ import annotations

from flows.cli import EXIT_OK, EXIT_USAGE, options
from flows.cli.formats import add_format, chosen_format, write_rows

NAME = "query"
HELP = "run one SQL statement on the published warehouse (read-only) and print the rows"
DESCRIPTION = (HELP + ". The connection is read-only: loads keep running, and writes are refused. "
               'Example: themewire query "SELECT theme, count(*) FROM article_themes WHERE is_match GROUP BY 1"')


def add_arguments(p) -> None:
    p.add_argument("sql", metavar="SQL", help="the statement (tables, views and search_articles(...) as in docs/analysts.md)")
    add_format(p)
    options.add_db(p)


def run(args) -> int:
    import sys

    from warehouse.analyst import QueryError, read_query
    from warehouse.errors import WarehouseNotFound

    try:
        result = read_query(options.db_path(args), args.sql)
    except (WarehouseNotFound, QueryError) as e:
        print(f"themewire query: {e}", file=sys.stderr)
        return EXIT_USAGE
    write_rows(result.columns, result.rows, chosen_format(args))
    return EXIT_OK
