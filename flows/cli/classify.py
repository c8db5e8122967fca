"""themewire classify: score texts against a source's themes, to try themes before a deployment."""

from __future__ import annotations

from flows.cli import UsageError, options

NAME = "classify"
HELP = "score texts (files, or JSON lines on stdin) against a source's themes"
DESCRIPTION = (
    "Scores each text against the themes of --source and prints one JSON line per text: "
    '{"id", "scores": {theme: score}, "matches": [theme, ...], "top_theme", "evidence": {theme: {...}}, '
    '"classifier", "classifier_version"}. Inputs: FILE arguments (plain text, or HTML, which is extracted '
    'first; "-" reads one text from stdin), or with no FILE, JSON lines {"id": ..., "text": ..., "title": '
    "optional} on stdin. Scores are z-scores against a background of generic articles; a theme matches at "
    "its own threshold (theme.threshold in the config) or the default (--threshold)."
)


def add_arguments(p) -> None:
    options.add_config(p)
    options.add_source(p, required=True)
    p.add_argument("files", nargs="*", metavar="FILE", help="text or HTML files (default: JSON lines on stdin)")
    p.add_argument("--threshold", type=float, metavar="Z",
                   help="default match threshold for themes without their own (default: [classify] threshold "
                        "in the config, else the classifier's)")
    p.add_argument("--model", metavar="NAME_OR_DIR",
                   help="a static model instead of the shipped one ([classify] model): a published model2vec "
                        "model such as minishlab/potion-base-8M (needs the hub or its cache) or a model2vec folder")
    p.add_argument("--format", choices=("jsonl", "table"), default="jsonl",
                   help="jsonl: one JSON line per text (default); table: one row per text with its top theme, "
                        "matches and a score column per theme")


def run(args) -> int:
    import json
    import sys

    from extractors.errors import ConfigError

    settings = options.load_settings(args)
    source = settings.source(args.source)  # ConfigError -> exit 2
    if not source.themes:
        raise ConfigError(f"{options.config_path(args)}: source {source.name!r} has no themes; add "
                          "[[sources.themes]] blocks with name, description and keywords")
    from extractors.themes import load_classifier

    classifier = load_classifier(args.model or settings.classify.model)
    threshold = args.threshold if args.threshold is not None else settings.classify.threshold
    # every input is read before the first line is printed: a UsageError exits 2 with no output
    inputs = list(_file_inputs(args.files)) if args.files else _stdin_inputs(sys.stdin)
    if args.format == "table":
        lines = [_line(item_id, classifier.classify(text, source.themes, title=title, threshold=threshold))
                 for item_id, title, text in inputs]
        _print_table(lines, [t.name for t in source.themes])
        return 0
    for item_id, title, text in inputs:
        scores = classifier.classify(text, source.themes, title=title, threshold=threshold)
        print(json.dumps(_line(item_id, scores), ensure_ascii=False), flush=True)
    return 0


def _print_table(lines: list[dict], themes: list[str]) -> None:
    from flows.cli.formats import write_rows

    rows = [(line["id"], line["top_theme"], ", ".join(line["matches"]),
             *(round(line["scores"].get(t, float("nan")), 2) for t in themes)) for line in lines]
    write_rows(("id", "top_theme", "matches", *themes), rows, "table")


def _line(item_id, scores) -> dict:
    matches = [s.theme for s in scores if s.is_match]
    top = max(scores, key=lambda s: s.score) if scores else None
    return {"id": item_id, "scores": {s.theme: s.score for s in scores}, "matches": matches,
            "top_theme": top.theme if top is not None and matches else None,
            "evidence": {s.theme: s.evidence for s in scores},
            "classifier": top.classifier if top else None,
            "classifier_version": top.classifier_version if top else None}


def _file_inputs(paths):
    import sys
    from pathlib import Path

    for path in paths:
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as e:
            raise UsageError(f"cannot read {path}: {e.strerror or e}") from None
        title, text = _text_of(raw, path)
        yield path, title, text


def _text_of(raw: bytes, path: str) -> tuple[str | None, str]:
    """(title, text): HTML is run through the extractor, anything else is read as UTF-8 text."""
    import re

    head = raw[:4096].decode("utf-8", "replace")
    if path.lower().endswith((".html", ".htm")) or re.search(r"<(html|body|article)\b", head, re.I):
        from extractors.content import extract_article
        from extractors.errors import ExtractionError

        try:
            article = extract_article(raw, f"http://local.invalid/{path.rsplit('/', 1)[-1]}")
        except ExtractionError as e:
            raise UsageError(f"no article text in {path}: {e}") from None
        return article.title, article.text
    return None, raw.decode("utf-8", "replace")


def _stdin_inputs(stream) -> list[tuple[str, str | None, str]]:
    import json

    out = []
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise UsageError(f"stdin line {n}: not JSON ({e.msg}); write one object per line: "
                              '{"id": "a1", "text": "..."}') from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise UsageError(f'stdin line {n}: needs a "text" string, e.g. {{"id": "a1", "text": "..."}}')
        title = obj.get("title") if isinstance(obj.get("title"), str) else None
        out.append((obj.get("id", n), title, obj["text"]))
    return out
