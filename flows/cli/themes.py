"""themewire themes suggest: propose themes from a source article, as TOML to paste into the config.
themewire themes label: analysts' labels (flows/cli/label.py)."""

from __future__ import annotations

from flows.cli import options

NAME = "themes"
HELP = "propose themes from a source article (themes suggest); label articles on or off a theme (themes label)"


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = sub.add_parser("suggest", help="propose themes from an article (a file, '-' for stdin, or a URL)",
                       description="Reads a source article (HTML or plain text file, or an http(s) URL fetched "
                                   "with the crawler's guards) and prints [[sources.themes]] blocks to paste "
                                   "under a [[sources]] entry. Edit them: they are a starting point.")
    s.add_argument("target", metavar="PATH_OR_URL")
    s.add_argument("--max", type=int, default=6, metavar="N", help="at most N themes (default 6)")
    options.add_config(s)
    s.set_defaults(_action_run=_run_suggest)
    from flows.cli.label import add_label_parser, run_label

    add_label_parser(sub)
    sub.choices["label"].set_defaults(_action_run=run_label)


def run(args) -> int:
    return args._action_run(args)


def _run_suggest(args) -> int:
    import sys

    from extractors.themes import extract_theme_suggestions

    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    body, url = loaded
    themes = extract_theme_suggestions(body, url, max_themes=max(1, args.max))
    if not themes:
        print(f"themewire themes suggest: found no recurring phrases in {args.target} to build themes from",
              file=sys.stderr)
        return 1
    print(format_toml(themes, args.target))
    return 0


def _load(args) -> tuple[bytes, str] | int:
    import sys
    from pathlib import Path

    target = args.target
    if target.lower().startswith(("http://", "https://")):
        from extractors.config import FetchSettings
        from extractors.fetch import fetch_one

        settings = options.load_settings(args).fetch if Path(options.config_path(args)).exists() else FetchSettings()
        result = fetch_one(target, settings)
        if not result.ok:
            print(f"themewire themes suggest: could not fetch {target}: {result.outcome} "
                  f"{result.error or result.status_code or ''}".rstrip(), file=sys.stderr)
            return 1
        return result.body, result.final_url
    try:
        body = sys.stdin.buffer.read() if target == "-" else Path(target).read_bytes()
    except OSError as e:
        print(f"themewire themes suggest: cannot read {target}: {e.strerror or e}", file=sys.stderr)
        return 2
    return body, f"http://local.invalid/{Path(target).name if target != '-' else 'stdin'}"


def format_toml(themes, origin: str) -> str:
    import json

    lines = [f"# Themes proposed from {origin}: edit the names, descriptions and keywords,",
             "# then paste these blocks under your [[sources]] entry in themewire.toml.", ""]
    for t in themes:
        lines += ["  [[sources.themes]]",
                  f"  name = {json.dumps(t.name, ensure_ascii=False)}",
                  f"  description = {json.dumps(t.description, ensure_ascii=False)}",
                  f"  keywords = [{', '.join(json.dumps(k, ensure_ascii=False) for k in t.keywords)}]", ""]
    return "\n".join(lines).rstrip() + "\n"
