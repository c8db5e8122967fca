"""themewire themes label: record analysts' labels (an article is, or is not, on a theme) in theme_labels.

One label from options (`--article ID --theme T --yes|--no`) or many from a file (`--file FILE`: CSV
with the header `article_id,theme,label` and label yes/no; `-` for stdin). Every label is checked (the
source has the theme, the article is stored for the source); the ones that fail are printed with their
reason and the others are written. On-theme labels join the theme's centroid as examples from the next
ingest, backfill or reprocess on (`themewire reprocess --source S` applies them to stored articles).
"""

from __future__ import annotations

from flows.cli import options

ACTION = "label"
HELP = "record that an article is (--yes) or is not (--no) on a theme, or many labels from a CSV file"


def add_label_parser(sub) -> None:
    p = sub.add_parser(ACTION, help=HELP, description=__doc__.split("\n\n", 1)[1].replace("\n", " "))
    options.add_source(p, required=True)
    p.add_argument("--article", metavar="ID", help="articles.article_id of the labelled article")
    p.add_argument("--theme", metavar="NAME", help="a theme of the source")
    yes_no = p.add_mutually_exclusive_group()
    yes_no.add_argument("--yes", action="store_true", help="the article is on the theme")
    yes_no.add_argument("--no", action="store_true", help="the article is not on the theme")
    p.add_argument("--file", metavar="CSV", help="many labels: columns article_id,theme,label (yes/no); '-' stdin")
    p.add_argument("--by", metavar="NAME", help="who labels (default: the login name)")
    options.add_config(p)
    options.add_db(p)


def run_label(args) -> int:
    import getpass
    import sys

    from flows.cli import EXIT_OK, EXIT_USAGE, UsageError

    settings = options.load_settings(args)
    source = settings.source(args.source)
    by = args.by or _login(getpass)
    if args.file:
        if args.article or args.theme or args.yes or args.no:
            raise UsageError("themewire themes label: give either --file or --article/--theme/--yes|--no")
        labels = _read_file(args.file, source.name, by)
    else:
        if not (args.article and args.theme and (args.yes or args.no)):
            raise UsageError("themewire themes label: needs --article ID --theme NAME and --yes or --no (or --file CSV)")
        labels = [_label(source.name, args.article, args.theme, args.yes, by)]
    from warehouse import Warehouse
    from warehouse.labels import load_theme_labels

    with Warehouse.open(options.db_path(args)) as wh:
        result = load_theme_labels(wh, labels, {source.name: {t.name for t in source.themes}})
        wh.publish()
    for lab, reason in result.rejected:
        print(f"themewire themes label: not recorded: {lab.article_id} / {lab.theme}: {reason}", file=sys.stderr)
    print(f"{result.written} label(s) recorded for source {source.name!r}"
          + (f", {len(result.rejected)} rejected" if result.rejected else "")
          + (f"; run `themewire reprocess --source {source.name}` to apply them to stored articles"
             if result.written else ""))
    return EXIT_OK if not result.rejected else EXIT_USAGE


def _label(source: str, article: str, theme: str, yes: bool, by: str | None):
    from warehouse.labels import ThemeLabel

    return ThemeLabel(source=source, article_id=article.strip(), theme=theme.strip(), on_theme=yes, labelled_by=by)


def _read_file(path: str, source: str, by: str | None) -> list:
    import csv
    import io
    import sys
    from pathlib import Path

    from flows.cli import UsageError

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"themewire themes label: cannot read {path}: {e.strerror or e}") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"article_id", "theme", "label"} <= set(rows[0]):
        raise UsageError(f"themewire themes label: {path} needs a header line article_id,theme,label")
    labels = []
    for n, row in enumerate(rows, 2):
        value = (row.get("label") or "").strip().lower()
        if value not in ("yes", "no") or not (row.get("article_id") or "").strip() or not (row.get("theme") or "").strip():
            raise UsageError(f"themewire themes label: {path} line {n}: needs article_id, theme and label yes or no")
        labels.append(_label(source, row["article_id"], row["theme"], value == "yes", by))
    return labels


def _login(getpass) -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return None
