"""themewire ingest: one run of the ingest flow (what the scheduled deployment runs)."""

from __future__ import annotations

from flows.cli import options

NAME = "ingest"
HELP = "one run of the ingest flow for the named sources, or all"


def add_arguments(p) -> None:
    options.add_config(p)
    options.add_source(p, many=True)
    options.add_db(p)
    options.add_fail_on_degraded(p)


def run(args) -> int:
    from flows.cli.runner import run_ingest

    settings = options.load_settings(args)  # validate before paying for Prefect
    for name in args.sources or ():
        settings.source(name)
    return run_ingest(options.config_path(args), args.sources, options.db_path(args),
                      fail_on_degraded=args.fail_on_degraded)
