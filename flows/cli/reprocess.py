"""themewire reprocess: re-extract and re-classify stored raw pages, without fetching."""

from __future__ import annotations

from flows.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, options

NAME = "reprocess"
HELP = "re-extract and re-classify stored raw HTML with the current extractor and themes, without fetching"
DESCRIPTION = (HELP + ". Prints a diff summary per source: how many texts and theme matches changed, and "
               "which themes gained or lost articles. Use it after an extractor upgrade or a themes change.")


def add_arguments(p) -> None:
    options.add_config(p)
    options.add_source(p, many=True)
    p.add_argument("--since", metavar="DATE",
                   help="only pages fetched on or after this date, YYYY-MM-DD (UTC; default: all)")
    options.add_db(p)


def run(args) -> int:
    import asyncio
    import sys
    from datetime import date
    from pathlib import Path


    settings = options.load_settings(args)  # validate before paying for Prefect
    for name in args.sources or ():
        settings.source(name)
    since = None
    if args.since:
        try:
            since = date.fromisoformat(args.since.strip())
        except ValueError:
            print(f"themewire reprocess: --since {args.since!r} is not a date; write YYYY-MM-DD", file=sys.stderr)
            return EXIT_USAGE
    db = options.db_path(args)
    if not Path(db).exists():
        print(f"themewire reprocess: no warehouse at {db}; run `themewire ingest` first (or pass --db)",
              file=sys.stderr)
        return EXIT_USAGE
    from flows.cli import debugging, ensure_writable
    from flows.reprocess import reprocess_flow

    ensure_writable(db)  # before Prefect starts
    try:
        result = asyncio.run(reprocess_flow(config=options.config_path(args), sources=args.sources, since=since,
                                            db=db))
    except Exception as e:  # noqa: BLE001 - the flow failed as a whole
        if debugging():
            raise
        print(f"themewire: reprocess failed: {type(e).__name__}: {' '.join(str(e).split())}", file=sys.stderr)
        return EXIT_FAILED
    from flows.reprocess import format_diff

    for name, summary in result["sources"].items():
        print(format_diff(name, summary["diff"]))
        if summary.get("error"):
            print(f"    error: {summary['error']}")
    failed = [n for n, s in result["sources"].items() if s["status"] != "completed"]
    return EXIT_FAILED if failed else EXIT_OK
