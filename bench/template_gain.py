"""What a learned template removes on a site whose pages share boxes the generic clean-up keeps.

    .venv/bin/python bench/template_gain.py              # 12 pages, then a 13th, then reprocess
    .venv/bin/python bench/template_gain.py --pages 30

The site is tests/templatesite.py (127.0.0.1, port 0): every article page has its own four prose lines and
the same three boxes (neutral class names, no heading, no promo words); pages 1 and 2 quote the same
sentence in their prose. Through the real commands, into a DuckDB file in a temporary directory:
1. `themewire ingest`: the template is learned at the end of the run (these pages keep their boxes);
2. a new page is added and `themewire ingest` runs again (only the new page is extracted: the others answer
   304), with the template;
3. `themewire reprocess` applies it to the stored pages.
After each step it prints the box occurrences left in `articles.text`, the prose recall (share of the pages'
own lines found in their text), whether the quote is still on its two pages, and the template's version.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import duckdb  # noqa: E402

from templatesite import BOXES, QUOTE, SOURCE, article_lines, serve_template_site  # noqa: E402


def measure(db: Path, site, label: str) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        texts = dict(con.execute("SELECT url, text FROM articles WHERE source = ?", [SOURCE]).fetchall())
        version = con.execute("SELECT max(template_version) FROM source_template_versions WHERE source = ?",
                              [SOURCE]).fetchone()[0]
        blocks = con.execute("SELECT count(*) FROM source_templates WHERE source = ? AND template_version = ?",
                             [SOURCE, version]).fetchone()[0] if version else 0
    pages = sorted(site.pages)
    boxes = sum(box in texts.get(site.url(i), "") for i in pages for box in BOXES)
    lines = [(i, line) for i in pages for line in article_lines(i)]
    recall = sum(line in texts.get(site.url(i), "") for i, line in lines) / len(lines)
    quote_ok = all((QUOTE in texts.get(site.url(i), "")) == (i in (1, 2)) for i in pages)
    print(f"{label:<34} articles {len(texts):3d}  boxes left {boxes:3d} of {len(pages) * len(BOXES):3d}  "
          f"prose recall {recall:.3f}  quote kept on its 2 pages only: {quote_ok}  "
          f"template v{version or 0} ({blocks} blocks)")


def run(argv: list[str]) -> None:
    from flows.cli import main as cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli(argv)
    if code != 0:
        raise SystemExit(f"themewire {' '.join(argv)} exited {code}:\n{out.getvalue()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=12)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="template-gain-") as tmp, serve_template_site(args.pages) as site:
        db, config = Path(tmp) / "themewire.duckdb", Path(tmp) / "themewire.toml"
        config.write_text(site.config_text(), encoding="utf-8")
        run(["ingest", "--config", str(config), "--db", str(db)])
        measure(db, site, "1. first ingest (learns)")
        site.add_page(args.pages + 1)
        run(["ingest", "--config", str(config), "--db", str(db)])
        measure(db, site, "2. ingest of one new page")
        run(["reprocess", "--config", str(config), "--db", str(db)])
        measure(db, site, "3. reprocess")


if __name__ == "__main__":
    main()
