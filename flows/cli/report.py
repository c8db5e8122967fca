"""themewire report: a self-contained HTML report (inline SVG charts, no scripts, no network)."""

from __future__ import annotations

from flows.cli import options

NAME = "report"
HELP = "write an HTML report: themes over time, top articles per theme, source health"


def add_arguments(p) -> None:
    p.add_argument("--out", metavar="FILE.html", required=True, help="the HTML file to write")
    options.add_db(p)


def run(args) -> int:
    import sys

    from warehouse import WarehouseNotFound
    from warehouse.report import write_report

    try:
        path = write_report(options.db_path(args), args.out)
    except WarehouseNotFound as e:
        print(f"themewire report: {e}", file=sys.stderr)
        return 2
    print(path)
    return 0
