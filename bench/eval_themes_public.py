"""The theme classifier on public topic-labelled sets, against the plain method it was built from and BM25.

    python3 bench/theme_public/convert.py --reuters-repo GITDIR --huffpost-repo GITDIR   # once: the data
    .venv/bin/python bench/eval_themes_public.py                     # the report
    .venv/bin/python bench/eval_themes_public.py --ablation          # also scoring variants of ours
    .venv/bin/python bench/eval_themes_public.py --model DIR         # another static model folder

Data (outside the repository, DATA_DIR or --data): reuters.jsonl (Reuters-21578 newswire articles,
6 topics) and huffpost.jsonl (News Category Dataset headline + description snippets, 6 categories),
1,000 texts each, written by bench/theme_public/convert.py. Themes: bench/theme_public/themes.toml
(name + one-sentence description + keywords per label, written before any run).

Metrics, per set and method (S = the (texts x themes) score matrix, each theme scored on its own):
- macro-F1 of the top theme (every text is on-theme for one theme);
- off-theme AUROC, leave one theme out: for each theme h, the texts of h are off-theme for the other
  themes (their best score among those should be low), the rest on-theme; pooled over h;
- reject precision / recall / F1 of "best score < threshold" on those leave-one-out pairs (off-theme
  is the positive class), at ONE threshold chosen (best reject F1) on one set and applied to the other,
  and at the shipped DEFAULT_THRESHOLD;
- ms per article (ours: classify_article with evidence, CPU time, 1 core) and model load time in a
  fresh process.
Methods: ours (extractors.themes); "plain": the static-embedding centroid of "name. description" and
the keywords, whole-document cosine + 0.15 x keyword score, z-scored against the background (same
model, same keyword matcher); BM25 (bench/eval_themes.py's, z-scored against the background).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extractors.config import Theme, load_settings  # noqa: E402

DATA_DIR = Path(os.environ.get("THEMES_DATA", "/work/tmp/themes-data"))
THEMES_FILE = REPO / "bench" / "theme_public" / "themes.toml"
SETS = ("reuters", "huffpost")


def load_set(data: Path, name: str) -> list[dict]:
    with (data / f"{name}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------- methods: (texts x themes) score matrices


class Ours:
    name = "ours"

    def __init__(self, model: str | None = None, history: dict | None = None, labels: dict | None = None,
                 relative: bool = True, **params) -> None:
        from extractors.themes import DEFAULT_PARAMS, ThemeClassifier
        from extractors.themes._model import load_embedder

        self.clf = ThemeClassifier(load_embedder(model), params=replace(DEFAULT_PARAMS, **params))
        self.history = history or {}  # {theme set: the source's stored texts}
        self.labels = labels or {}  # {theme set: {theme name: labelled example texts}}
        self.relative = relative  # decide on relative_scores (the shipped decision) rather than on z

    def matrix(self, texts: list[str], themes: tuple[Theme, ...]) -> np.ndarray:
        from extractors.themes._features import doc_features, doc_text
        from extractors.themes._score import score

        ex = self.labels.get(themes, {})
        adapted = tuple(replace(t, examples=t.examples + tuple(ex.get(t.name, ()))) for t in themes)
        prep = self.clf.prepare(adapted, tuple(self.history.get(themes, ())))
        return np.stack([score(doc_features(self.clf.embedder, doc_text(t, None)), prep).z for t in texts])


class Plain:
    """Centroid + 0.15 x keywords on the whole document, plain z-score against the background."""

    name = "plain centroid + 0.15 kw"

    def __init__(self, model: str | None = None) -> None:
        from extractors.themes._model import load_embedder

        self.emb = load_embedder(model)

    def matrix(self, texts: list[str], themes: tuple[Theme, ...]) -> np.ndarray:
        from extractors.themes._background import load_background
        from extractors.themes._model import normalise
        from extractors.themes._text import compile_keyword, keyword_counts, keyword_score

        emb = self.emb
        cents = np.stack([normalise(emb.embed([f"{t.name}. {t.description}", *t.keywords]).mean(axis=0))
                          for t in themes])
        pats = [tuple(compile_keyword(k) for k in t.keywords) for t in themes]

        def raw(docs: np.ndarray, strings: list[str]) -> np.ndarray:
            kw = np.array([[keyword_score(keyword_counts(s.lower(), p)) for p in pats] for s in strings])
            return docs @ cents.T + 0.15 * kw

        bg = load_background(emb)
        rb = raw(bg.docs, list(bg.texts))
        return (raw(emb.embed(texts), texts) - rb.mean(axis=0)) / rb.std(axis=0)


class BM25Method:
    name = "BM25"

    def __init__(self) -> None:
        from eval_themes import BM25

        self.bm25 = BM25()

    def matrix(self, texts: list[str], themes: tuple[Theme, ...]) -> np.ndarray:
        return np.array([self.bm25.scores(t, themes)[0] for t in texts])


# ---------------------------------------------------------------- metrics


def macro_f1(gold: np.ndarray, pred: np.ndarray, n: int) -> float:
    f1 = []
    for k in range(n):
        tp = np.sum((gold == k) & (pred == k))
        fp = np.sum((gold != k) & (pred == k))
        fn = np.sum((gold == k) & (pred != k))
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1))


def leave_one_out(gold: np.ndarray, s: np.ndarray, relative: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(best score among the remaining themes, is_off) for every (text, left-out theme) pair; with
    `relative`, the decision scores of the remaining theme set (extractors.themes._score.relative_scores)."""
    from extractors.themes._score import relative_scores

    best, off = [], []
    for h in range(s.shape[1]):
        rest = np.delete(s, h, axis=1)
        best.append((relative_scores(rest) if relative else rest).max(axis=1))
        off.append(gold == h)
    return np.concatenate(best), np.concatenate(off)


def auroc(best: np.ndarray, off: np.ndarray) -> float:
    """P(an on-theme pair scores above an off-theme pair), ties half."""
    pos, neg = np.sort(best[~off]), np.sort(best[off])
    lo = np.searchsorted(neg, pos, side="left")
    hi = np.searchsorted(neg, pos, side="right")
    return float((lo + 0.5 * (hi - lo)).sum() / (len(pos) * len(neg)))


def reject(best: np.ndarray, off: np.ndarray, t: float) -> dict:
    rej = best < t
    tp, fp, fn = np.sum(rej & off), np.sum(rej & ~off), np.sum(~rej & off)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": float(p), "r": float(r), "f1": float(2 * p * r / (p + r)) if p + r else 0.0, "t": t}


def best_threshold(best: np.ndarray, off: np.ndarray) -> float:
    cands = np.unique(np.round(best, 2))
    return float(max(cands, key=lambda t: reject(best, off, float(t))["f1"]))


def evaluate(s: np.ndarray, gold: np.ndarray, relative: bool = False) -> dict:
    best, off = leave_one_out(gold, s, relative)
    return {"f1": macro_f1(gold, s.argmax(axis=1), s.shape[1]), "auroc": auroc(best, off),
            "best": best, "off": off}


def report_method(method, sets: dict, default: float | None) -> dict:
    out = {}
    for name, (texts, gold, themes) in sets.items():
        out[name] = evaluate(method.matrix(texts, themes), gold, getattr(method, "relative", False))
    names = list(sets)
    for a, b in zip(names, names[1:] + names[:1]):
        t = best_threshold(out[a]["best"], out[a]["off"])
        out[b]["transfer"] = (a, reject(out[b]["best"], out[b]["off"], t))
    if default is not None:
        for name in names:
            out[name]["default"] = reject(out[name]["best"], out[name]["off"], default)
    return out


def fmt(r: dict) -> str:
    return f"t={r['t']:.2f} P {r['p']:.3f} R {r['r']:.3f} F1 {r['f1']:.3f}"


def print_table(results: list[tuple[str, dict]]) -> None:
    print(f"{'method':34s} " + " ".join(f"{'F1 ' + n:>12s} {'AUROC ' + n:>14s}" for n in SETS))
    for name, r in results:
        print(f"{name:34s} " + " ".join(f"{r[n]['f1']:12.3f} {r[n]['auroc']:14.3f}" for n in SETS))
    print("reject (off-theme = positive) at a threshold chosen on one set, applied to the other:")
    for name, r in results:
        print(f"  {name:32s} " + "; ".join(f"{r[n]['transfer'][0]}->{n}: {fmt(r[n]['transfer'][1])}" for n in SETS))


def time_ours(texts: list[str], themes: tuple[Theme, ...], model: str | None) -> float:
    """CPU ms per classify_article call (with evidence), one core, after a warm-up pass."""
    from extractors.themes import classify_article

    for t in texts[:50]:
        classify_article(t, themes, model=model)
    t0 = time.process_time()
    for t in texts:
        classify_article(t, themes, model=model)
    return (time.process_time() - t0) * 1000 / len(texts)


def load_time(model: str | None) -> float:
    code = ("import time; t=time.perf_counter(); from extractors.config import Theme; "
            "from extractors.themes import classify_article; "
            f"classify_article('hello', (Theme('x', 'a b c d', ('y',)),), model={model!r}); "
            "print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={**os.environ, "OMP_NUM_THREADS": "1"})
    return float(out.stdout.strip().splitlines()[-1])


ABLATION = {
    "default": {},
    "no BM25 (lexical_weight 0)": {"lexical_weight": 0.0},
    "BM25 x0.5": {"lexical_weight": 0.5},
    "decide on z, not relative": {"relative": False},
    "no BM25, decide on z (before)": {"lexical_weight": 0.0, "relative": False},
    "doc only (no passages)": {"doc_weight": 1.0},
    "doc 0.7 / passages 0.3": {"doc_weight": 0.7},
    "plain z (no shrinkage)": {"std_power": 1.0},
    "std^0.75": {"std_power": 0.75},
    "doc only + plain z": {"doc_weight": 1.0, "std_power": 1.0},
    "no keywords": {"keyword_weight": 0.0},
    "keywords x0.3": {"keyword_weight": 0.3},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    ap.add_argument("--model", help="a static model folder (default: the shipped model)")
    ap.add_argument("--ablation", action="store_true", help="also compare scoring variants of ours")
    ap.add_argument("--no-baselines", action="store_true", help="only ours (faster, for model comparisons)")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--adapt", type=int, metavar="H", default=0,
                    help="simulate a source's history: the first H texts of each set are its stored articles "
                         "(and the pool of analysts' labels); every method is then measured on the rest")
    args = ap.parse_args()

    from extractors.themes import DEFAULT_THRESHOLD

    settings = load_settings(THEMES_FILE)
    sets, hist_rows = {}, {}
    for src in settings.sources:
        rows = load_set(args.data, src.name)
        if args.adapt:
            hist_rows[src.themes], rows = rows[:args.adapt], rows[args.adapt:]
        names = [t.name for t in src.themes]
        sets[src.name] = ([r["text"] for r in rows], np.array([names.index(r["label"]) for r in rows]), src.themes)
        print(f"{src.name}: {len(rows)} texts, {len(names)} themes, median "
              f"{int(np.median([len(r['text'].split()) for r in rows]))} words")
    t0 = time.perf_counter()
    results = [(f"ours{' [' + Path(args.model).name + ']' if args.model else ''}",
                report_method(Ours(args.model), sets, DEFAULT_THRESHOLD))]
    if not args.no_baselines:
        results.append((Plain.name, report_method(Plain(args.model), sets, None)))
        results.append((BM25Method.name, report_method(BM25Method(), sets, None)))
    print()
    print_table(results)
    print(f"ours at DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD}: "
          + "; ".join(f"{n}: {fmt(results[0][1][n]['default'])}" for n in SETS))
    if args.adapt:
        history = {th: [r["text"] for r in rows] for th, rows in hist_rows.items()}
        print(f"\nadaptation (ours; the first {args.adapt} texts of each set as the source's stored articles,"
              f" measured on the other {len(sets[SETS[0]][0])}):")
        rows = [("ours, shipped background", results[0][1]),
                ("ours, source's own background", report_method(Ours(args.model, history), sets, None))]
        for k in (3, 10):
            labels = {th: {t.name: [r["text"] for r in hr if r["label"] == t.name][:k] for t in th}
                      for th, hr in hist_rows.items()}
            rows.append((f"ours + {k} labels/theme", report_method(Ours(args.model, None, labels), sets, None)))
            rows.append((f"ours + own bg + {k} labels/theme",
                         report_method(Ours(args.model, history, labels), sets, None)))
        print_table(rows)
        from extractors.themes.classify import DEFAULT_SOURCE_THRESHOLD

        for name, r in rows[1::2]:
            print(f"  {name} at DEFAULT_SOURCE_THRESHOLD = {DEFAULT_SOURCE_THRESHOLD}: " + "; ".join(
                f"{n}: {fmt(reject(r[n]['best'], r[n]['off'], DEFAULT_SOURCE_THRESHOLD))}" for n in SETS))
    if args.ablation:
        print("\nablation (ours):")
        rows = [(name, report_method(Ours(args.model, **kw), sets, None)) for name, kw in ABLATION.items()]
        print_table(rows)
    if not args.no_timing:
        texts = [t for n in SETS for t in sets[n][0]]
        ms = time_ours(texts[::2], sets[SETS[0]][2], args.model)
        print(f"\nspeed (ours, classify_article incl. evidence, CPU time, 1 core): {ms:.2f} ms/article "
              f"({len(texts[::2])} texts of both sets)")
        print(f"model load (fresh process: import + load + first classify): {load_time(args.model):.2f} s")
    print(f"(total {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
