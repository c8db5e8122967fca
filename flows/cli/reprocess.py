"""themewire reprocess: re-extract and re-classify stored raw pages, without fetching."""

from __future__ import annotations

from flows.cli import EXIT_OK, EXIT_USAGE, options

NAME = "reprocess"
HELP = "re-extract and re-classify stored raw HTML with the current extractor and themes, without fetching"
DESCRIPTION = (HELP + ". Prints a diff summary per source: how many texts and theme matches changed, and "
               "which themes gained or lost articles. Use it after an extractor upgrade or a themes change.")


def add_arguments(p) -> None:
    options.add_config(p)
    options.add_source(p, many=True)
    p.add_argument("--since", metavar="DATE",
                   help="only pages fetched on or after this date, YYYY-MM-DD (UTC; default: all)")
    p.add_argument("--dry-run", action="store_true",
                   help="list the articles whose text or theme matches would change; write nothing")
    options.add_db(p)


def run(args) -> int:
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
    if args.dry_run:
        return _dry_run(settings, args.sources, since, db)
    from flows.cli import ensure_writable
    from flows.cli.runner import finish_run, run_flow

    ensure_writable(db)  # before Prefect starts

    def make():
        from flows.reprocess import reprocess_flow

        return reprocess_flow(config=options.config_path(args), sources=args.sources, since=since, db=db)

    result, seconds = run_flow("reprocess", make)
    if result is None:
        return finish_run("reprocess", None, seconds, None)
    from flows.reprocess import format_diff

    lines = []
    for name, summary in result["sources"].items():
        lines.append(format_diff(name, summary["diff"]))
        if summary.get("error"):
            lines.append(f"    error: {summary['error']}")
    return finish_run("reprocess", result, seconds, "\n".join(lines))


def _dry_run(settings, sources, since, db) -> int:
    from flows.cli.formats import write_rows
    from flows.reprocess import reprocess_dry_run

    changes = reprocess_dry_run(settings, sources, since, db)
    rows = [(src, c.article_id, c.change, ", ".join(sorted(c.gained)), ", ".join(sorted(c.lost)), c.url)
            for src, c in changes]
    print(f"reprocess --dry-run: {len(rows)} article(s) would change; nothing was written")
    if rows:
        write_rows(("source", "article_id", "change", "themes_gained", "themes_lost", "url"), rows, "table")
    return EXIT_OK
