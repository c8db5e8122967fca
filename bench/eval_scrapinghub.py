"""The public article-extraction benchmark (scrapinghub/article-extraction-benchmark, 181 pages): our
extraction next to trafilatura alone in its three configurations, scored as the benchmark's evaluate.py does.

    .venv/bin/python bench/eval_scrapinghub.py /work/tmp/aeb            # DIR holds html/*.html.gz, ground-truth.json
    .venv/bin/python bench/eval_scrapinghub.py /work/tmp/aeb --extra    # also print our lines absent from the truth
    .venv/bin/python bench/eval_scrapinghub.py /work/tmp/aeb --split tune   # one half (tune | heldout | all)

Splits: a page is in `tune` when the first byte of sha256(its file name) is even, else in `heldout`
(stable, about half each). Develop on `tune`; report `heldout` and `all` as well.

Get the data once (it is not part of this repository):
    git clone https://github.com/scrapinghub/article-extraction-benchmark DIR   (or `git archive HEAD html
    ground-truth.json | tar -x -C DIR` from a mirror)

Scoring (copied from the benchmark's evaluate.py, without its bootstrap): per page, token 4-shingles of the
prediction and of `articleBody` give TP/FP/FN counts normalised to sum 1; precision and recall are the means
over pages, F1 their harmonic mean. A page we reject (ExtractionError) predicts the empty string, as a
failed extractor does there. Pages are read as UTF-8 text, as the benchmark's own runners read them.

"Extra lines" are lines of our output of 4+ tokens that share no 4-shingle with the page's true text: what
we kept that is not article (promo, captions, boxes), or text the benchmark's annotators left out.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

import trafilatura  # noqa: E402
from extractors.content import extract_article  # noqa: E402
from extractors.errors import ExtractionError  # noqa: E402

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

CONFIGS = {
    "trafilatura default": dict(include_comments=False),
    "trafilatura favor_precision": dict(include_comments=False, favor_precision=True),
    "trafilatura favor_recall": dict(include_comments=False, favor_recall=True),
}


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def _shingles(text: str, n: int = 4) -> Counter:
    toks = _tokens(text)
    return Counter(tuple(toks[i:i + n]) for i in range(0, max(1, len(toks) - n + 1)) if toks[i:i + n])


def shingle_match(true: str, pred: str) -> tuple[float, float, float]:
    t, p = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score(results: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    p = statistics.mean(_precision(*r) for r in results if r[0] + r[1] > 0)
    r = statistics.mean(_recall(*x) for x in results if x[0] + x[2] > 0)
    return p, r, 2 * p * r / (p + r)


def ours(html: str, url: str) -> str:
    try:
        return extract_article(html, url).text
    except ExtractionError:
        return ""


def extra_lines(true: str, pred: str) -> list[str]:
    truth = set(_shingles(true))
    out = []
    for line in pred.splitlines():
        sh = _shingles(line)
        if len(_tokens(line)) >= 4 and not truth.intersection(sh):
            out.append(line.strip())
    return out


def split_of(key: str) -> str:
    """`tune` or `heldout`, stably, from the page's file name."""
    return "tune" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else "heldout"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--extra", action="store_true", help="print our extra lines page by page")
    ap.add_argument("--no-baseline", action="store_true", help="skip trafilatura's configurations")
    ap.add_argument("--split", choices=("tune", "heldout", "all"), default="all",
                    help="score one half of the pages (see split_of) or all of them (default)")
    ap.add_argument("--dump", type=Path, help="write our text per page to this JSON file (to compare two versions)")
    args = ap.parse_args()
    truth = json.loads((args.dir / "ground-truth.json").read_text("utf-8"))
    pages = {}
    for key in sorted(truth):
        if args.split != "all" and split_of(key) != args.split:
            continue
        with gzip.open(args.dir / "html" / f"{key}.html.gz", "rt", encoding="utf8") as f:
            pages[key] = f.read()
    runs = {"ours": lambda html, url: ours(html, url)}
    if not args.no_baseline:
        for name, opts in CONFIGS.items():
            runs[name] = lambda html, url, opts=opts: trafilatura.extract(html, url=url, **opts) or ""
    print(f"scrapinghub article-extraction-benchmark: {len(pages)} pages (split {args.split})")
    for name, run in runs.items():
        results, extras, texts = [], [], {}
        for key, html in pages.items():
            url = truth[key].get("url") or "http://page.invalid/"
            pred = run(html, url)
            results.append(shingle_match(truth[key].get("articleBody", ""), pred))
            if name == "ours":
                texts[key] = pred
                extras.extend((key, line) for line in extra_lines(truth[key].get("articleBody", ""), pred))
        p, r, f1 = score(results)
        print(f"  {name:<28} F1 {f1:.4f}  P {p:.4f}  R {r:.4f}")
        if name == "ours" and args.dump:
            args.dump.write_text(json.dumps(texts, ensure_ascii=False, indent=0), "utf-8")
        if name == "ours":
            print(f"  {'':<28} extra lines (no 4-shingle in the truth): {len(extras)}")
            if args.extra:
                for key, line in extras:
                    print(f"    {key[:10]}  {line[:160]}")


if __name__ == "__main__":
    main()
