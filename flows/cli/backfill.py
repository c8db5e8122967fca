"""themewire backfill: ingest the articles of one source published in a date range."""

from __future__ import annotations

from flows.cli import EXIT_USAGE, options

NAME = "backfill"
HELP = "ingest articles of one source published in a date range (plans from cheap date signals first)"
DESCRIPTION = (HELP + ". The plan reads sitemaps (skipping shards last modified before --since), feeds, "
               "dates in URLs and --archive pages, and fetches only the URLs they admit; articles whose "
               "extracted publication date is outside the range are recorded as skipped (out_of_range). "
               "Re-running after an interruption does not refetch finished URLs.")


def add_arguments(p) -> None:
    options.add_config(p)
    options.add_source(p, required=True)
    p.add_argument("--since", metavar="DATE", required=True, help="first publication date, YYYY-MM-DD (UTC)")
    p.add_argument("--until", metavar="DATE", help="last publication date, YYYY-MM-DD (inclusive; default: open)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the plan (URL, signal, date) and fetch no article page; writes nothing")
    p.add_argument("--include-undated", action="store_true",
                   help="also fetch URLs no cheap signal dates (they are kept only if their extracted date is "
                        "in range)")
    p.add_argument("--archive", metavar="URL", action="append", dest="archives", default=[],
                   help="an archive/listing page whose links are candidates, dated by their URLs (repeatable)")
    p.add_argument("--batch-size", metavar="N", type=int, default=50,
                   help="URLs per fetch/extract/load batch (default 50); a batch is the unit of resume")
    options.add_db(p)
    options.add_fail_on_degraded(p)


def run(args) -> int:
    import sys

    from extractors.discover import parse_window

    settings = options.load_settings(args)  # validate before paying for Prefect
    source = settings.source(args.source)
    try:
        window = parse_window(args.since, args.until)
    except ValueError as e:
        print(f"themewire backfill: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.batch_size < 1:
        print("themewire backfill: --batch-size must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    db = options.db_path(args)
    if args.dry_run:
        return _dry_run(settings, source, window, db, args)
    return _run_flow(options.config_path(args), source.name, window, db, args)


def _dry_run(settings, source, window, db, args) -> int:
    """No Prefect engine: planning is plain code over the Fetcher."""
    import asyncio

    from extractors.discover import format_plan
    from flows.backfill_dry import fetch_dry_plan

    plan = asyncio.run(fetch_dry_plan(settings, source, window, db, archives=args.archives,
                                      include_undated=args.include_undated))
    print(format_plan(plan))
    return 0


def _run_flow(config: str, source: str, window, db: str, args) -> int:
    from flows.cli import ensure_writable
    from flows.cli.runner import finish_run, run_flow

    ensure_writable(db)  # before Prefect starts and anything is fetched

    def make():
        from flows.backfill import backfill_flow

        return backfill_flow(source=source, since=window.since, until=window.until, config=config, db=db,
                             include_undated=args.include_undated, archives=args.archives or None,
                             batch_size=args.batch_size)

    result, seconds = run_flow("backfill", make)
    from flows.report import format_text

    return finish_run("backfill", result, seconds, format_text(result) if result else None,
                      fail_on_degraded=args.fail_on_degraded)
