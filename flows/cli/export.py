"""themewire export: the analyst tables as Parquet."""

from __future__ import annotations

from flows.cli import options

NAME = "export"
HELP = "write the analyst tables as Parquet files (one per table) into a directory"


def add_arguments(p) -> None:
    p.add_argument("--parquet", metavar="DIR", required=True, help="directory for <table>.parquet files")
    options.add_db(p)


def run(args) -> int:
    import sys

    from warehouse import WarehouseNotFound
    from warehouse.export import export_parquet

    try:
        files = export_parquet(options.db_path(args), args.parquet)
    except WarehouseNotFound as e:
        print(f"themewire export: {e}", file=sys.stderr)
        return 2
    for f in files:
        print(f)
    return 0
