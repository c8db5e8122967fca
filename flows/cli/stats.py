"""themewire stats: per-source health of the published warehouse."""

from __future__ import annotations

from flows.cli import options

NAME = "stats"
HELP = "per-source health: last run, articles, errors by reason, on-theme share"


def add_arguments(p) -> None:
    # `--json` (the global option, also accepted after the command) prints the rows of v_source_health as a
    # JSON array (timestamps ISO 8601, UTC).
    options.add_db(p)


def run(args) -> int:
    import sys

    from warehouse import WarehouseNotFound
    from warehouse.stats import format_source_health, read_source_health

    try:
        rows = read_source_health(options.db_path(args))
    except WarehouseNotFound as e:
        print(f"themewire stats: {e}", file=sys.stderr)
        return 2
    from flows.cli import output

    if output.json_mode():
        import json

        from flows.cli.formats import plain

        print(json.dumps([{k: plain(v) for k, v in r.items()} for r in rows], ensure_ascii=False, indent=1))
    else:
        print(format_source_health(rows))
    return 0
