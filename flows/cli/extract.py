"""themewire extract PATH_OR_URL: run the extraction stage on one page and print text or JSON."""

from __future__ import annotations

from flows.cli import options

NAME = "extract"
HELP = "extract one page (a file, or a URL fetched with the crawler's guards): clean text or JSON with metadata"
DESCRIPTION = (
    "Runs the extraction stage on one page and prints the clean text (--format text, the default) or JSON "
    "with the text, metadata, date candidates and in-article links (--format json). A URL is fetched with "
    "the same guards as the crawler (robots.txt, size limit, address checks; fetch settings from --config "
    "if that file exists). For a file, --url gives the page's address (for relative links and URL dates). "
    "--source NAME applies that source's [sources.rules] (CSS selectors) from --config and reports what "
    "each rule matched and how the text changed against the page without rules (on stderr with --format "
    "text, under \"rules\" with --format json). Learned templates live in the warehouse and are applied by "
    "ingest and reprocess, not here."
)


def add_arguments(p) -> None:
    p.add_argument("target", metavar="PATH_OR_URL", help="an HTML file, '-' for stdin, or an http(s) URL")
    p.add_argument("--url", help="the page's address when PATH_OR_URL is a file: resolves relative links and "
                                 "dates in the URL path (default: http://local.invalid/FILENAME)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--encoding", help="decode the file with this encoding instead of detecting it")
    p.add_argument("--source", metavar="NAME", help="apply this source's site rules ([sources.rules] in --config) "
                                                  "and show their effect")
    options.add_config(p)


def _article_json(article, rules_effect: dict | None = None) -> str:
    import json
    from dataclasses import asdict

    def default(o):
        return o.isoformat() if hasattr(o, "isoformat") else str(o)

    data = asdict(article)
    if rules_effect is not None:
        data["rules"] = rules_effect
    return json.dumps(data, default=default, ensure_ascii=False, indent=2)


def _rules_effect(body: bytes, url: str, encoding: str | None, source, article) -> dict:
    """What the source's rules matched on the page, and the text's change against no rules."""
    from extractors.content import extract_article, extract_with_rules
    from extractors.content._decode import extract_text_from_bytes
    from extractors.errors import ExtractionError

    matched = extract_with_rules(extract_text_from_bytes(body, encoding)[0], source.rules).summary(source.rules)
    try:
        plain = extract_article(body, url, encoding=encoding).text
    except ExtractionError as e:
        plain = f"(no article without the rules: {e})"
    before, after = plain.splitlines(), article.text.splitlines()
    return {"source": source.name, **matched, "text_chars": len(article.text),
            "text_chars_without_rules": len(plain),
            "lines_removed": [line for line in before if line not in set(after)],
            "lines_added": [line for line in after if line not in set(before)]}


def _format_effect(e: dict) -> str:
    lines = [f"rules of source {e['source']}:"]
    lines += [f"  drop {sel!r}: {n} element(s) removed" for sel, n in e["drop"].items()]
    if e["body"] is not None:
        lines.append(f"  body {e['body']['selector']!r}: {e['body']['matched']} element(s) kept"
                     + (" (no match: the whole page was used)" if not e["body"]["matched"] else ""))
    for key in ("title", "date"):
        if e[key] is not None:
            lines.append(f"  {key}: {e[key]!r}")
    if e["authors"]:
        lines.append(f"  authors: {', '.join(e['authors'])}")
    lines.append(f"  text: {e['text_chars']} characters ({e['text_chars_without_rules']} without the rules); "
                 f"{len(e['lines_removed'])} line(s) removed, {len(e['lines_added'])} added")
    lines += [f"  - {line[:100]}" for line in e["lines_removed"][:20]]
    lines += [f"  + {line[:100]}" for line in e["lines_added"][:20]]
    return "\n".join(lines)


def _fetch(url: str, args) -> tuple[bytes | None, str, str | None, str | None]:
    """(body, final_url, encoding, error)."""
    from pathlib import Path

    from extractors.config import FetchSettings
    from extractors.fetch import fetch_one

    settings = FetchSettings()
    if Path(options.config_path(args)).exists():
        settings = options.load_settings(args).fetch
    result = fetch_one(url, settings)
    if not result.ok:
        return None, result.final_url, None, f"{result.outcome}: {result.error or result.status_code or ''}".strip()
    return result.body, result.final_url, result.encoding, None


def run(args) -> int:
    import logging
    import sys
    from pathlib import Path

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its own warnings are noise here
    from extractors.content import extract_article
    from extractors.errors import ExtractionError

    target, encoding = args.target, args.encoding
    if target.lower().startswith(("http://", "https://")):
        body, url, fetched_encoding, error = _fetch(target, args)
        if error:
            print(f"themewire extract: could not fetch {target}: {error}", file=sys.stderr)
            return 1
        encoding = encoding or fetched_encoding
    else:
        try:
            body = sys.stdin.buffer.read() if target == "-" else Path(target).read_bytes()
        except OSError as e:
            print(f"themewire extract: cannot read {target}: {e.strerror or e}", file=sys.stderr)
            return 2
        url = args.url or f"http://local.invalid/{Path(target).name if target != '-' else 'stdin'}"
    source = profile = None
    if args.source:
        from extractors.models import SiteProfile

        source = options.load_settings(args).source(args.source)  # ConfigError -> exit 2
        if source.rules is None:
            print(f"themewire extract: source {source.name!r} has no [sources.rules] in "
                  f"{options.config_path(args)}; extracting without rules", file=sys.stderr)
            source = None
        else:
            profile = SiteProfile(rules=source.rules)
    try:
        article = extract_article(body, url, encoding=encoding, profile=profile)
    except ExtractionError as e:
        print(f"themewire extract: no article text in {target}: {e}", file=sys.stderr)
        return 1
    effect = _rules_effect(body, url, encoding, source, article) if source is not None else None
    if args.format == "json":
        print(_article_json(article, effect))
    else:
        print(article.text)
        if effect is not None:
            print(_format_effect(effect), file=sys.stderr)
    return 0
