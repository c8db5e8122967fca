"""themewire extract PATH_OR_URL: run the extraction stage on one page and print text or JSON."""

from __future__ import annotations

from flows.cli import options

NAME = "extract"
HELP = "extract one page (a file, or a URL fetched with the crawler's guards): clean text or JSON with metadata"
DESCRIPTION = (
    "Runs the extraction stage on one page and prints the clean text (--format text, the default) or JSON "
    "with the text, metadata, date candidates and in-article links (--format json). A URL is fetched with "
    "the same guards as the crawler (robots.txt, size limit, address checks; fetch settings from --config "
    "if that file exists). For a file, --url gives the page's address (for relative links and URL dates)."
)


def add_arguments(p) -> None:
    p.add_argument("target", metavar="PATH_OR_URL", help="an HTML file, '-' for stdin, or an http(s) URL")
    p.add_argument("--url", help="the page's address when PATH_OR_URL is a file: resolves relative links and "
                                 "dates in the URL path (default: http://local.invalid/FILENAME)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--encoding", help="decode the file with this encoding instead of detecting it")
    options.add_config(p)


def _article_json(article) -> str:
    import json
    from dataclasses import asdict

    def default(o):
        return o.isoformat() if hasattr(o, "isoformat") else str(o)

    return json.dumps(asdict(article), default=default, ensure_ascii=False, indent=2)


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
    try:
        article = extract_article(body, url, encoding=encoding)
    except ExtractionError as e:
        print(f"themewire extract: no article text in {target}: {e}", file=sys.stderr)
        return 1
    print(_article_json(article) if args.format == "json" else article.text)
    return 0
