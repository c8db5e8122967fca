"""The page-type gate on the development set: the share of its pages (all articles) the gate keeps.

    .venv/bin/python bench/pagetype_devset.py              # all 990 pages
    .venv/bin/python bench/pagetype_devset.py --pages 200  # the first 200 (sorted by URL)

Pages: ../shared/data/extraction-devset/pages (tests/content_eval.py). Each page goes through
extractors.content.extract_article as the workers run it; its `page_type` (extractors/content/_pagetype.py)
is counted. Pages extraction itself rejects (ExtractionError) are counted apart: the gate never saw them.
Prints the kept share, every page the gate rejected with its reason, and the gate's own CPU time per page
(extract_page_type timed alone on the already parsed tree, the same signals as in extract_article).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from content_eval import DEVSET, load_devset_cases  # noqa: E402

from extractors.content import article as content  # noqa: E402
from extractors.content._pagetype import extract_page_type  # noqa: E402
from extractors.errors import ExtractionError  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    args = ap.parse_args()
    cases = sorted(load_devset_cases())
    if args.pages:
        cases = cases[:args.pages]
    kinds: Counter[str] = Counter()
    rejected: list[tuple[str, str, str]] = []
    failed = 0
    gate_s = 0.0
    for url, case in cases:
        raw = gzip.decompress((DEVSET / "pages" / case["file"]).read_bytes())
        try:
            art = content.extract_article(raw, url)
        except ExtractionError:
            failed += 1
            continue
        pt = art.page_type
        kinds[f"{pt.kind}/{pt.page_type}"] += 1
        if pt.kind != "article":
            rejected.append((url, pt.page_type, pt.reason))
        tree = content.parse_html(raw)
        t0 = time.process_time()
        extract_page_type(tree, url, text=art.text, jsonld=content.extract_jsonld(tree),
                          dated=bool(art.date_source), bylined=art.author is not None)
        gate_s += time.process_time() - t0
    seen = sum(kinds.values())
    kept = sum(n for k, n in kinds.items() if k.startswith("article/"))
    print(f"pages: {len(cases)}; extraction failed (gate not reached): {failed}; reached the gate: {seen}")
    print(f"kept as articles: {kept}/{seen} = {kept / max(1, seen):.4f}")
    print("by type:", ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    print(f"gate CPU: {1000 * gate_s / max(1, seen):.3f} ms/page")
    for url, page_type, reason in rejected:
        print(f"  rejected {page_type:8} {url}  {reason}")


if __name__ == "__main__":
    main()
