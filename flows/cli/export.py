"""themewire export: the analyst tables and views as Parquet, CSV or JSON lines files."""

from __future__ import annotations

from flows.cli import options

NAME = "export"
HELP = "write the analyst tables and views as files (Parquet, CSV or JSON lines; one per table) into a directory"


def add_arguments(p) -> None:
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="DIR", help="directory for <table>.<format> files")
    where.add_argument("--parquet", metavar="DIR", help="the same as --format parquet --out DIR")
    p.add_argument("--format", choices=("parquet", "csv", "jsonl"), default="parquet",
                   help="file format (default parquet; csv has a header row; jsonl is one JSON object a line)")
    options.add_db(p)


def run(args) -> int:
    import sys

    from warehouse import WarehouseNotFound
    from warehouse.export import export_tables

    if args.parquet and args.format != "parquet":
        print(f"themewire export: --parquet writes Parquet; for {args.format} use --format {args.format} --out DIR",
              file=sys.stderr)
        return 2
    try:
        files = export_tables(options.db_path(args), args.out or args.parquet, args.format)
    except WarehouseNotFound as e:
        print(f"themewire export: {e}", file=sys.stderr)
        return 2
    for f in files:
        print(f)
    return 0
