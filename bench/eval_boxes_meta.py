"""Author and published date on the generated box pages of bench/eval_boxes.py, page by page.

    .venv/bin/python bench/eval_boxes_meta.py --split all [--show]

The pages are eval_boxes.make_pages' (the same templates, seeds and boxes). A template's head states the
author ("By Jane Holloway", "Posted by Jane Holloway") and/or the date ("12 March 2024", also as
<time datetime="2024-03-12">) or neither; a page is right on the author when Article.author is exactly
"Jane Holloway" where the head names her and None where it names nobody (an author bio box, a comment's
signature or a related story's byline is not the page's author), and right on the date when
Article.published_at falls on 2024-03-12 where the head dates the page and is None where nothing dates it.
Reported per split: pages right on the author, on the date, and on both; --show lists the pages that are not.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timezone
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

AUTHOR = "Jane Holloway"
DAY = date(2024, 3, 12)
NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)  # the pages' dates are in the past whenever this runs


def expected(template_name: str) -> tuple[str | None, date | None]:
    from eval_boxes import TEMPLATES

    head = next(t.head for t in TEMPLATES if t.name == template_name)
    return (AUTHOR if "{author}" in head else None), (DAY if "{date}" in head or "datetime=" in head else None)


def score(split: str, per_template: int) -> list[dict]:
    from eval_boxes import make_pages
    from extractors.content import extract_article
    from extractors.errors import ExtractionError

    rows = []
    for page in make_pages(split, per_template):
        want_author, want_day = expected(page.template)
        try:
            art = extract_article(page.html, f"https://example.org/{page.lang}/{page.name}", now=NOW)
            author, day = art.author, art.published_at.date() if art.published_at else None
        except ExtractionError as e:
            author, day = None, None
            print(f"  {page.name}: not extracted: {e}")
        rows.append(dict(page=page.name, author=author, want_author=want_author, day=day, want_day=want_day,
                         author_ok=author == want_author, day_ok=day == want_day))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["tune", "heldout", "all"], default="all")
    ap.add_argument("--per-template", type=int, default=8)
    ap.add_argument("--show", action="store_true", help="list the pages with a wrong author or date")
    args = ap.parse_args()
    total = []
    for split in (["tune", "heldout"] if args.split == "all" else [args.split]):
        rows = score(split, args.per_template)
        total += rows
        n = len(rows)
        print(f"{split}: {n} pages (with an author {sum(r['want_author'] is not None for r in rows)}, "
              f"with a date {sum(r['want_day'] is not None for r in rows)}): author right "
              f"{sum(r['author_ok'] for r in rows)}/{n}, date right {sum(r['day_ok'] for r in rows)}/{n}, "
              f"both {sum(r['author_ok'] and r['day_ok'] for r in rows)}/{n}")
        if args.show:
            for r in rows:
                if not (r["author_ok"] and r["day_ok"]):
                    print(f"    {r['page']:<26} author {r['author']!r} want {r['want_author']!r}; "
                          f"date {r['day']} want {r['want_day']}")
    if args.split == "all":
        n = len(total)
        both = sum(r["author_ok"] and r["day_ok"] for r in total)
        print(f"all: {n} pages: author right {sum(r['author_ok'] for r in total)}/{n}, date right "
              f"{sum(r['day_ok'] for r in total)}/{n}, both {both}/{n} ({100 * both / max(1, n):.1f}%)")


if __name__ == "__main__":
    main()
