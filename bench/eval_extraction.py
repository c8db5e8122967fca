"""Extraction quality and speed, trafilatura alone vs ours, measured in one run.

    .venv/bin/python bench/eval_extraction.py [--devset DIR] [--workers 2] [--limit N]

Prints, for the development set (../shared/data/extraction-devset) and the golden corpus (tests/golden):
precision / recall / F1 (scoring: tests/content_eval.py, as the set's README), junk strings surviving and
look-alikes lost (golden), metadata accuracy on the golden corpus (title/author/date/language), and ms per page
for both extractors (each page run by both in the same worker, one after the other).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "tests")]

from content_eval import DEVSET, Counts, devset_page, load_devset_cases, load_golden, run_baseline  # noqa: E402


def _line(name: str, c: Counts, ms: float) -> str:
    return f"  {name:<18} P {c.precision:.4f}  R {c.recall:.4f}  F1 {c.f1:.4f}   {ms:6.1f} ms/page"


def bench_devset(root: Path, workers: int, limit: int | None) -> None:
    cases = load_devset_cases(root)[:limit]
    totals = {"baseline": Counts(), "ours": Counts()}
    secs = {"baseline": 0.0, "ours": 0.0}
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for r in pool.map(devset_page, [(u, c, str(root), True) for u, c in cases], chunksize=16):
            for k in totals:
                totals[k].add(r[k])
                secs[k] += r[k + "_s"]
    n = len(cases)
    print(f"development set: {n} pages ({workers} workers, {time.perf_counter() - t0:.0f} s wall)")
    print(_line("trafilatura alone", totals["baseline"], 1000 * secs["baseline"] / n))
    print(_line("ours", totals["ours"], 1000 * secs["ours"] / n))


def bench_golden() -> None:
    from extractors.content import extract_article
    from extractors.models import SiteProfile

    cases = load_golden()
    base, ours = Counts(), Counts()
    junk_left: list[str] = []
    looks_lost: list[str] = []
    meta_ok = {"title": [0, 0], "author": [0, 0], "published_at": [0, 0], "language": [0, 0]}
    secs = {"baseline": 0.0, "ours": 0.0}
    for name, spec, raw in cases:
        t0 = time.perf_counter()
        btext = run_baseline(raw, spec["url"])
        secs["baseline"] += time.perf_counter() - t0
        now = datetime.fromisoformat(spec["now"]) if spec.get("now") else None
        t0 = time.perf_counter()
        art = extract_article(raw, spec["url"], encoding=spec.get("encoding"),
                              profile=SiteProfile(repeated_lines=frozenset(spec.get("repeated") or ())), now=now)
        secs["ours"] += time.perf_counter() - t0
        keep = spec["keep"] + spec["lookalikes"]
        from content_eval import score_text

        base.add(score_text(btext, keep, spec["junk"]))
        ours.add(score_text(art.text, keep, spec["junk"]))
        junk_left += [f"{name}: {j}" for j in spec["junk"] if j in art.text]
        looks_lost += [f"{name}: {x}" for x in spec["lookalikes"] if x not in art.text]
        for field, expected in spec["meta"].items():
            if field not in meta_ok:
                continue
            got = getattr(art, field)
            if field == "published_at":
                got = got.date().isoformat() if got else None
            meta_ok[field][0] += got == expected
            meta_ok[field][1] += 1
    n = len(cases)
    print(f"golden corpus: {n} pages, {sum(len(s['junk']) for _, s, _ in cases)} junk strings, "
          f"{sum(len(s['lookalikes']) for _, s, _ in cases)} look-alikes")
    print(_line("trafilatura alone", base, 1000 * secs["baseline"] / n))
    print(_line("ours", ours, 1000 * secs["ours"] / n))
    print(f"  junk strings surviving (ours): {len(junk_left)}  (trafilatura alone: {base.fp})")
    for j in junk_left:
        print("    ", j)
    print(f"  look-alikes lost (ours): {len(looks_lost)}")
    for x in looks_lost:
        print("    ", x)
    print("  metadata accuracy: " + ", ".join(f"{k} {ok}/{tot}" for k, (ok, tot) in meta_ok.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devset", type=Path, default=DEVSET)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="only the first N development pages")
    args = ap.parse_args()
    bench_golden()
    if (args.devset / "cases.json").exists():
        bench_devset(args.devset, args.workers, args.limit)
    else:
        print(f"development set not found at {args.devset}: skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
