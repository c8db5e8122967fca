"""Evaluate the theme classifier against a BM25 baseline on the labelled set in bench/theme_eval_data/.

    .venv/bin/python bench/eval_themes.py              # the report (about 10 s)
    .venv/bin/python bench/eval_themes.py --ablation   # also compare scoring variants

Data: themes.toml (4 sources, 4-6 themes each, validated by extractors.config) and one text file per
source with items "### LABEL" (a theme of that source, or OFF); off-topic.txt is off-theme for every
source. The on-theme items of the other sources also count as off-theme for a source (the sources' topics
do not overlap), so each source is scored on its own items plus the others' on-theme ones.

Metrics, per method, over (item, source) pairs:
- top-theme macro-F1: over on-theme pairs, the predicted theme is the best-scoring one;
- off-theme rejection: ROC-AUC of "best score" separating on- from off-theme pairs, and precision /
  recall of rejecting off-theme pairs (best score under the threshold);
- ms per article (classify_article with evidence, CPU time on one core) and model load time in a fresh
  process.
Thresholds: two folds by source (A = ai-connection + climate-city, B = food-business + sport-desk):
each threshold is tuned (balanced accuracy) on one fold and reported on the other, the held-out fold;
the shipped DEFAULT_THRESHOLD is reported on everything.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractors.config import Theme, load_settings  # noqa: E402
from extractors.themes._lexical import lexical_tokens  # noqa: E402 (the shipped tokeniser)

DATA = REPO / "bench" / "theme_eval_data"
FOLDS = {"A": ("ai-connection", "climate-city"), "B": ("food-business", "sport-desk")}


@dataclass(frozen=True)
class Item:
    id: str
    home: str  # the source whose file it is in ("*" for off-topic.txt)
    label: str  # a theme name of `home`, or "OFF"
    text: str


def load_items() -> list[Item]:
    items = []
    for path in sorted(DATA.glob("*.txt")):
        home = "*" if path.stem == "off-topic" else path.stem
        body = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.startswith("# "))
        for n, block in enumerate(re.split(r"^### ", body, flags=re.M)[1:], 1):
            label, _, text = block.partition("\n")
            items.append(Item(f"{path.stem}#{n}", home, label.strip(), text.strip()))
    return items


def load_sample_items() -> tuple[list[Item], object] | tuple[list, None]:
    """The bundled sample site's articles (flows/sample, labelled in expected.json) and its source."""
    try:
        from flows.sample import load_expected, load_site_files, sample_config_text
    except ImportError:
        return [], None
    from extractors.config import load_settings_text

    base = "http://127.0.0.1:9"
    source = load_settings_text(sample_config_text(base)).sources[0]
    files, items = load_site_files(), []
    for path, a in sorted(load_expected()["articles"].items()):
        html = files[path + "index.html"].replace(b"{{BASE}}", base.encode())
        items.append(Item(f"sample{path}", source.name, a["top_theme"] if a["on_theme"] else "OFF",
                          sample_text(html, base + path)))
    return items, source


def sample_text(html: bytes, url: str) -> str:
    try:
        from extractors.content import extract_article
    except ImportError:
        import trafilatura

        return trafilatura.extract(html.decode("utf-8"), url=url) or ""
    art = extract_article(html, url)
    return f"{art.title}.\n\n{art.text}" if art.title else art.text


def pairs_for(source: str, items: list[Item]) -> list[tuple[Item, str]]:
    """(item, gold) for one source: its own items with their labels; off-topic.txt and the on-theme items
    of the other sources as off-theme. (Another source's OFF items are left out: they are hard negatives
    for that source and may well be on-theme here, e.g. a tennis injury is off for food-business.)"""
    return [(it, it.label if it.home == source else "OFF") for it in items
            if it.home in (source, "*") or it.label != "OFF"]


# ---------------------------------------------------------------- methods: scores per theme


class Ours:
    name = "static-hybrid (ours)"

    def __init__(self, rank_by: str = "z", **params) -> None:
        from extractors.themes import DEFAULT_PARAMS, ThemeClassifier
        from extractors.themes._model import load_embedder

        self.clf = ThemeClassifier(load_embedder(None), params=replace(DEFAULT_PARAMS, **params))
        self.rank_by = rank_by

    def scores(self, text: str, themes: tuple[Theme, ...]) -> tuple[list[float], list[float]]:
        """(scores used for the on/off decision: relative_scores, as shipped; scores used to rank themes)"""
        from extractors.themes._features import doc_features, doc_text
        from extractors.themes._score import score

        prep = self.clf.prepare(themes)
        s = score(doc_features(self.clf.embedder, doc_text(text, None)), prep)
        raw = s.sim + prep.params.keyword_weight * s.kw
        import numpy as np

        shrunk = (raw - prep.mean) / np.sqrt(prep.std * prep.std.mean())
        rank = {"z": s.z, "raw": raw, "centered": raw - prep.mean, "shrunk": shrunk}[self.rank_by]
        return list(map(float, s.rel)), list(map(float, rank))  # decisions on the shipped score


class BM25:
    """Okapi BM25 (k1=1.2, b=0.75), theme query = name + description + keywords, IDF and average length
    from the background sample; scores z-scored per theme against the same background, like ours."""

    name = "BM25 baseline"

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        from extractors.themes._background import load_texts

        self.k1, self.b = k1, b
        self.bg_docs = [Counter(lexical_tokens(t)) for t in load_texts()]
        n = len(self.bg_docs)
        df = Counter(t for d in self.bg_docs for t in d)
        self.idf = lambda t: math.log(1 + (n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5))  # noqa: E731
        self.avgdl = statistics.mean(sum(d.values()) for d in self.bg_docs)
        self._stats: dict[tuple[Theme, ...], tuple[list[list[str]], list[float], list[float]]] = {}

    def _raw(self, doc: Counter, query: list[str]) -> float:
        dl = sum(doc.values())
        s = 0.0
        for t in query:
            f = doc.get(t, 0)
            if f:
                s += self.idf(t) * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / self.avgdl))
        return s

    def scores(self, text: str, themes: tuple[Theme, ...]) -> tuple[list[float], list[float]]:
        if themes not in self._stats:
            queries = [sorted(set(lexical_tokens(" ".join([t.name, t.description, *t.keywords])))) for t in themes]
            bg = [[self._raw(d, q) for d in self.bg_docs] for q in queries]
            self._stats[themes] = (queries, [statistics.mean(x) for x in bg],
                                   [max(statistics.pstdev(x), 1e-6) for x in bg])
        queries, mu, sd = self._stats[themes]
        doc = Counter(lexical_tokens(text))
        z = [(self._raw(doc, q) - m) / s for q, m, s in zip(queries, mu, sd)]
        return z, z


# ---------------------------------------------------------------- metrics


def run_method(method, sources, items) -> list[dict]:
    """One row per (item, source): gold, best z, predicted theme."""
    rows = []
    for src in sources:
        themes = src.themes
        for it, gold in pairs_for(src.name, items):
            z, rank = method.scores(it.text, themes)
            top = max(range(len(themes)), key=lambda i: rank[i])
            rows.append({"source": src.name, "gold": gold, "best": max(z), "pred": themes[top].name,
                         "words": len(it.text.split()), "id": it.id})
    return rows


def macro_f1(rows: list[dict]) -> float:
    on = [r for r in rows if r["gold"] != "OFF"]
    labels = sorted({(r["source"], r["gold"]) for r in on})
    f1s = []
    for src, lab in labels:
        tp = sum(1 for r in on if r["source"] == src and r["gold"] == lab and r["pred"] == lab)
        fp = sum(1 for r in on if r["source"] == src and r["gold"] != lab and r["pred"] == lab)
        fn = sum(1 for r in on if r["source"] == src and r["gold"] == lab and r["pred"] != lab)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return statistics.mean(f1s) if f1s else float("nan")


def auroc(rows: list[dict]) -> float:
    """P(best score of an on-theme pair > that of an off-theme pair), ties half."""
    pos = sorted(r["best"] for r in rows if r["gold"] != "OFF")
    neg = sorted(r["best"] for r in rows if r["gold"] == "OFF")
    if not pos or not neg:
        return float("nan")
    import bisect

    wins = sum(bisect.bisect_left(neg, p) + 0.5 * (bisect.bisect_right(neg, p) - bisect.bisect_left(neg, p))
               for p in pos)
    return wins / (len(pos) * len(neg))


def rejection(rows: list[dict], threshold: float) -> dict:
    """Precision/recall of rejecting off-theme pairs (best < threshold); plus on-theme recall."""
    tp = sum(1 for r in rows if r["gold"] == "OFF" and r["best"] < threshold)
    fp = sum(1 for r in rows if r["gold"] != "OFF" and r["best"] < threshold)
    fn = sum(1 for r in rows if r["gold"] == "OFF" and r["best"] >= threshold)
    n_on = sum(1 for r in rows if r["gold"] != "OFF")
    return {"precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan"),
            "on_kept": (n_on - fp) / n_on if n_on else float("nan")}


def tune_threshold(rows: list[dict]) -> float:
    """The threshold with the best balanced accuracy (off rejected vs on kept) on these rows."""
    cands = sorted({round(r["best"], 2) for r in rows})
    def bal(t):  # noqa: E306
        rej = rejection(rows, t)
        return (rej["recall"] + rej["on_kept"]) / 2
    best = max(cands, key=lambda t: (bal(t), -abs(t)))
    return best


# ---------------------------------------------------------------- timing


def time_per_article(sources, items) -> tuple[float, float, float]:
    """CPU ms per classify_article call (with evidence): mean, p95, and mean for items of 150+ words."""
    from extractors.themes import classify_article

    per, long_ = [], []
    for src in sources:
        classify_article("warm-up", src.themes)
        for it in items:
            t0 = time.process_time()
            classify_article(it.text, src.themes)
            dt = (time.process_time() - t0) * 1000
            per.append(dt)
            if len(it.text.split()) >= 150:
                long_.append(dt)
    # process_time has ~1 ms granularity on some systems: also take the batch average
    t0 = time.process_time()
    for _ in range(3):
        for src in sources:
            for it in items:
                classify_article(it.text, src.themes)
    batch = (time.process_time() - t0) * 1000 / (3 * len(sources) * len(items))
    per.sort()
    return batch, per[int(0.95 * (len(per) - 1))], statistics.mean(long_) if long_ else float("nan")


def time_real_pages(devset: Path, themes: tuple[Theme, ...], limit: int = 300) -> str:
    """ms per article on real pages (text extracted by trafilatura; not shipped, only timed)."""
    import gzip
    import json

    import trafilatura

    from extractors.themes import classify_article

    cases = json.loads((devset / "cases.json").read_text(encoding="utf-8"))
    texts = []
    for case in list(cases.values())[:limit]:
        html = gzip.decompress((devset / "pages" / case["file"]).read_bytes()).decode("utf-8", "replace")
        text = trafilatura.extract(html)
        if text:
            texts.append(text)
    per = []
    for text in texts:  # first pass: words not yet in the tokeniser cache ("cold")
        t0 = time.process_time()
        classify_article(text, themes)
        per.append((time.process_time() - t0) * 1000)
    t0 = time.process_time()
    for text in texts:
        classify_article(text, themes)
    warm = (time.process_time() - t0) * 1000 / len(texts)
    per.sort()
    words = statistics.median(len(t.split()) for t in texts)
    return (f"{len(texts)} real pages (median {words:.0f} words, max {max(len(t.split()) for t in texts)}): "
            f"{statistics.mean(per):.2f} ms/article first pass (cold word cache), p95 {per[int(0.95 * (len(per) - 1))]:.1f} ms; "
            f"{warm:.2f} ms/article warm")


def load_time() -> float:
    """Seconds to import the classifier, load the model and classify one text, in a fresh process."""
    code = ("import time; t=time.perf_counter(); from extractors.config import Theme; "
            "from extractors.themes import classify_article; "
            "classify_article('hello', (Theme('x', 'a b c d', ('y',)),)); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


# ---------------------------------------------------------------- report


def report(method, sources, items, default_threshold: float | None) -> dict:
    rows = run_method(method, sources, items)
    by_fold = {f: [r for r in rows if r["source"] in names] for f, names in FOLDS.items()}
    own = [r for r in rows if r["gold"] != "OFF" or r["id"].split("#")[0] in (r["source"], "off-topic")]
    out = {"rows": rows, "macro_f1": macro_f1(rows), "auroc": auroc(rows), "auroc_hard": auroc(own),
           "snippet_f1": macro_f1([r for r in rows if r["words"] < 40]),
           "long_f1": macro_f1([r for r in rows if r["words"] >= 150])}
    held = []
    for f, other in (("A", "B"), ("B", "A")):
        t = tune_threshold(by_fold[f])
        rej = rejection(by_fold[other], t)
        held.append((f, other, t, rej))
    out["held_out"] = held
    if default_threshold is not None:
        out["default"] = (default_threshold, rejection(rows, default_threshold))
    return out


def fmt_rej(r: dict) -> str:
    return f"P {r['precision']:.2f} R {r['recall']:.2f} (on-theme kept {r['on_kept']:.2f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ablation", action="store_true", help="also compare scoring variants of ours")
    ap.add_argument("--errors", action="store_true", help="list the misclassified items of ours")
    ap.add_argument("--timing-pages", type=Path, metavar="DEVSET",
                    help="also time ours on real pages, e.g. ../shared/data/extraction-devset")
    args = ap.parse_args()

    from extractors.themes import DEFAULT_THRESHOLD

    settings = load_settings(DATA / "themes.toml")
    sources = settings.sources
    items = load_items()
    n_on = sum(1 for it in items if it.label != "OFF")
    print(f"labelled set: {len(items)} texts ({n_on} on-theme, {len(items) - n_on} off-theme), "
          f"{len(sources)} sources, {sum(len(s.themes) for s in sources)} themes; "
          f"{sum(1 for it in items if len(it.text.split()) < 40)} snippets (<40 words), "
          f"{sum(1 for it in items if len(it.text.split()) >= 150)} long (150-330 words); "
          f"{sum(len(pairs_for(s.name, items)) for s in sources)} (text, source) pairs\n")

    t0 = time.perf_counter()
    ours = Ours()
    results = [(ours, report(ours, sources, items, DEFAULT_THRESHOLD))]
    bm25 = BM25()
    results.append((bm25, report(bm25, sources, items, None)))
    print(f"{'method':26s} {'top-theme macro-F1':>18s} {'snippets':>9s} {'150+ words':>10s} "
          f"{'off-theme AUROC':>16s} {'AUROC own OFF only':>19s}")
    for m, r in results:
        print(f"{m.name:26s} {r['macro_f1']:18.3f} {r['snippet_f1']:9.3f} {r['long_f1']:10.3f} {r['auroc']:16.3f} "
              f"{r['auroc_hard']:19.3f}")
    sample_items, sample_source = load_sample_items()
    if sample_source is not None:
        print(f"\nbundled sample site ({len(sample_items)} articles, source {sample_source.name!r}, not used for tuning):")
        for m, _ in results:
            rows = run_method(m, [sample_source], sample_items)
            on = [r for r in rows if r["gold"] != "OFF"]
            top_ok = sum(r["pred"] == r["gold"] for r in on)
            line = f"  {m.name:26s} top theme right {top_ok}/{len(on)}, AUROC {auroc(rows):.3f}"
            if m is ours:
                off = [r for r in rows if r["gold"] == "OFF"]
                line += (f"; at threshold {DEFAULT_THRESHOLD}: on-theme kept {sum(r['best'] >= DEFAULT_THRESHOLD for r in on)}"
                         f"/{len(on)}, off-theme rejected {sum(r['best'] < DEFAULT_THRESHOLD for r in off)}/{len(off)}")
            print(line)
            if args.errors:
                for r in rows:
                    if (r["gold"] != "OFF" and r["pred"] != r["gold"]):
                        print(f"     wrong top: {r['id']} gold={r['gold']} pred={r['pred']}")
    print("\noff-theme rejection, threshold tuned on one fold, measured on the other (held-out sources):")
    for m, r in results:
        for f, other, t, rej in r["held_out"]:
            print(f"  {m.name:26s} tuned on {f} -> {other}: threshold {t:5.2f}  {fmt_rej(rej)}")
    t, rej = results[0][1]["default"]
    print(f"\nours at the shipped DEFAULT_THRESHOLD = {t}: all pairs {fmt_rej(rej)}")
    for f, names in FOLDS.items():
        rej = rejection([r for r in results[0][1]["rows"] if r["source"] in names], t)
        print(f"  fold {f} ({', '.join(names)}): {fmt_rej(rej)}")

    batch, p95, long_ms = time_per_article(sources, items)
    print(f"\nspeed (ours, classify_article incl. evidence, CPU time, 1 core): {batch:.2f} ms/article mean, "
          f"p95 {p95:.1f} ms, {long_ms:.2f} ms for 150+ word texts")
    t0b = time.process_time()
    for src in sources:
        for it in items:
            bm25.scores(it.text, src.themes)
    print(f"speed (BM25): {(time.process_time() - t0b) * 1000 / (len(items) * len(sources)):.2f} ms/article")
    if args.timing_pages:
        print("speed (ours) on " + time_real_pages(args.timing_pages, sources[0].themes))
    print(f"model load (fresh process: import + load + first classify): {load_time():.2f} s")

    if args.errors:
        print("\nmisclassified (ours):")
        for r in results[0][1]["rows"]:
            wrong_top = r["gold"] != "OFF" and r["pred"] != r["gold"]
            wrong_off = (r["gold"] == "OFF") == (r["best"] >= DEFAULT_THRESHOLD)
            if wrong_top or wrong_off:
                print(f"  {r['id']:18s} {r['source']:14s} gold={r['gold'][:24]:24s} pred={r['pred'][:24]:24s} "
                      f"best={r['best']:.2f}")
    if args.ablation:
        print("\nablation (ours): variant -> top-theme macro-F1, AUROC, held-out rejection at tuned thresholds")
        variants = {"default": {}, "rank by raw": {"rank_by": "raw"}, "rank by centered": {"rank_by": "centered"},
                    "rank by shrunk z": {"rank_by": "shrunk"},
                    "score std^0.5": {"std_power": 0.5}, "score std^0.75": {"std_power": 0.75},
                    "doc only (no passages)": {"doc_weight": 1.0}, "passages only": {"doc_weight": 0.0},
                    "doc 0.3 / passages 0.7": {"doc_weight": 0.3}, "doc 0.7 / passages 0.3": {"doc_weight": 0.7},
                    "no keywords": {"keyword_weight": 0.0}, "keywords x0.1": {"keyword_weight": 0.1},
                    "keywords x0.2": {"keyword_weight": 0.2}, "keywords x0.3": {"keyword_weight": 0.3},
                    "keywords x0.5": {"keyword_weight": 0.5}}
        for name, kw in variants.items():
            r = report(Ours(**kw), sources, items, None)
            held = "; ".join(f"{f}->{o} t={t:.2f} {fmt_rej(rej)}" for f, o, t, rej in r["held_out"])
            srows = run_method(Ours(**kw), [sample_source], sample_items) if sample_source else []
            son = [x for x in srows if x["gold"] != "OFF"]
            sample = f"sample top {sum(x['pred'] == x['gold'] for x in son)}/{len(son)} AUROC {auroc(srows):.3f}"
            print(f"  {name:24s} F1 {r['macro_f1']:.3f} (snip {r['snippet_f1']:.3f}) AUROC {r['auroc']:.3f} "
                  f"hard {r['auroc_hard']:.3f} | {sample} | {held}")
    print(f"\n(total {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
