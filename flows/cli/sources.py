"""themewire sources validate: check the configuration without running anything."""

from __future__ import annotations

from flows.cli import options

NAME = "sources"
HELP = "check the configuration (sources validate)"


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    v = sub.add_parser("validate", help="check the config; errors name the file, the line and the fix")
    options.add_config(v)


def _rules_line(rules) -> str:
    parts = [f"drop {len(rules.drop)} selector(s)"] if rules.drop else []
    parts += [f"{key} {value!r}" for key in ("body", "title", "author", "date")
              if (value := getattr(rules, key)) is not None]
    return ", ".join(parts)


def run(args) -> int:
    settings = options.load_settings(args)  # raises ConfigError -> exit 2 with file:line: message
    for s in settings.sources:
        print(f"{s.name}: {len(s.seeds)} seeds, {len(s.feeds)} feeds, {len(s.sitemaps)} sitemaps, "
              f"{len(s.themes)} themes, domains {', '.join(s.domains)}, budget {s.max_pages_per_run}"
              + (f", rules: {_rules_line(s.rules)}" if s.rules else ""))
    print(f"{options.config_path(args)}: OK ({len(settings.sources)} sources)")
    return 0
