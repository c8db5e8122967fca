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
    import sys
    from pathlib import Path

    from extractors.config import extract_config_warnings

    warnings = extract_config_warnings(settings, Path(options.config_path(args)).read_text(encoding="utf-8"))
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"{options.config_path(args)}: OK ({len(settings.sources)} sources"
          + (f", {len(warnings)} warnings)" if warnings else ")"))
    return 0
