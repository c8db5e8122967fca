"""CPU cost per page of our extraction (+ classification) next to trafilatura alone.

    .venv/bin/python bench/extract_cost.py                 # the first 300 dev-set pages (sorted by URL)
    .venv/bin/python bench/extract_cost.py --pages 990     # all of them
    .venv/bin/python bench/extract_cost.py --repeat 5 --no-stages
    .venv/bin/python bench/extract_cost.py --profiles --no-stages   # + a source's fingerprints, + site rules

Pages: ../shared/data/extraction-devset/pages (see tests/content_eval.py), decompressed into memory first.
Every measurement is CPU time of this process (time.process_time), not wall time, so that other work on
the machine does not skew it as much. Within a run the configurations take turns page by page, so that load
from other processes (competing for caches and cores) hits them alike; there are --repeat runs, and the
fastest run of each configuration is reported (the least disturbed; median and worst are printed too), with
the ratio both of those best times and the median of the per-run ratios. One warm-up pass over the first
--warmup pages comes first (imports, the classifier's model, lxml/regex caches); our memo caches
(extractors.content's lru_cache functions) are emptied before each run, so that a run does not profit from
the pages an earlier run saw (trafilatura alone has no such cache over whole lines). Caveat: the classifier's
word cache (word -> token ids) is warm for these pages after the first run, as in a long-running worker
that has seen most of a language's common words; the first run pays for the unseen words too.

Measured, per page:
- trafilatura alone:  trafilatura.extract(raw_bytes, url=url, **TRAFILATURA_OPTIONS)
- ours, extract:      extractors.content.extract_article(raw_bytes, url)
- ours, extract+classify: extractors.process.extract_processed_page (what the workers run), with the
  themes of the bundled sample source (flows/sample/themewire.toml), as tests/test_process.py builds them.
The ratio is trafilatura's ms/page over ours (1.0 = no overhead).
With --profiles, two more configurations take their turns (extract_article with a SiteProfile):
- ours, + fingerprints: SiteProfile(fingerprint=True), what ingest and reprocess run (block fingerprints
  for learning the source's template; no template yet);
- ours, + rules:        SiteProfile(rules=RULES), a source with site rules (the second parse, BeautifulSoup).

The per-stage breakdown (a separate pass, so its timing wrappers do not touch the numbers above) wraps
each function that extract_article's stages call (the names in extractors.content.article) and
classify_article; a
stage's time includes everything it calls (trafilatura's own work is inside "extract_body_tree"). Freeing the
previous page's parsed tree (~0.4 ms) shows up in "extract_site_name": the last-tree caches of
extractors/content/_meta.py and _index.py let go of it when the next page's reads begin.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from content_eval import DEVSET, load_devset_cases  # noqa: E402

import trafilatura  # noqa: E402
from extractors.content import article as content  # noqa: E402
from extractors.config import load_settings_text  # noqa: E402
from extractors.errors import ExtractionError  # noqa: E402
from extractors.models import Candidate, FetchResult, SiteProfile, SiteRules  # noqa: E402
from extractors.process import extract_processed_page  # noqa: E402
from flows.sample import SAMPLE_SOURCE, sample_config_text  # noqa: E402

# what extract_article's stages call, in order (each looked up in extractors.content.article at call time)
STAGES = ("parse_html", "extract_jsonld", "extract_site_name", "extract_author_candidates", "choose_author",
          "extract_tree_links", "remove_boxes", "extract_body_tree", "restore_boxes", "_template_texts",
          "extract_clean_body", "_body_text", "extract_clean_lines", "_is_list_without_prose",
          "extract_date_candidates", "choose_date", "extract_title", "extract_page_type",
          "extract_updated_candidates", "choose_updated", "extract_canonical", "extract_declared_language",
          "normalize_lang", "choose_language", "content_hash", "simhash")


def clear_memos() -> None:
    """Empty the memo caches of extractors.content (functools.lru_cache functions: class tokens, junk-line
    kinds...) so that no run profits from having seen the same pages in an earlier run: within a run only
    what repeats across its pages (a site's class names and junk lines) is found in them, as in a worker
    that sees each page once."""
    import importlib
    import pkgutil

    import extractors.content as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == module.__name__:
                value.cache_clear()


def load_pages(n: int) -> list[tuple[str, bytes]]:
    cases = load_devset_cases()[:n]
    return [(url, gzip.decompress((DEVSET / "pages" / c["file"]).read_bytes())) for url, c in cases]


def sample_themes():
    settings = load_settings_text(sample_config_text("http://127.0.0.1:8765"), "sample.toml")
    return settings.theme_set(settings.source(SAMPLE_SOURCE))


def run_trafilatura(url: str, raw: bytes) -> None:
    trafilatura.extract(raw, url=url, **content.TRAFILATURA_OPTIONS)


def run_extract(url: str, raw: bytes) -> None:
    try:
        content.extract_article(raw, url)
    except ExtractionError:
        pass


RULES = SiteRules(drop=("div.newsletter", "#comments", "aside"), title="h1")


def make_extract(profile):
    def run(url: str, raw: bytes) -> None:
        try:
            content.extract_article(raw, url, profile=profile)
        except ExtractionError:
            pass
    return run


def make_process(themes):
    def run_process(url: str, raw: bytes) -> None:
        fetched = FetchResult(url=url, final_url=url, outcome="ok", status_code=200, body=raw)
        extract_processed_page(Candidate(url, SAMPLE_SOURCE, "link"), fetched, themes)
    return run_process


def cpu_ms_per_page(fn, pages: list[tuple[str, bytes]]) -> float:
    t0 = time.process_time()
    for url, raw in pages:
        fn(url, raw)
    return (time.process_time() - t0) * 1000 / len(pages)


def interleaved_run(runs: dict, pages: list[tuple[str, bytes]]) -> dict[str, float]:
    """CPU ms/page of each configuration over all pages, the configurations taking turns page by page, so
    that a busy spell on the machine (other processes competing for caches and cores) hits all alike."""
    spent = dict.fromkeys(runs, 0.0)
    for url, raw in pages:
        for name, fn in runs.items():
            t0 = time.process_time()
            fn(url, raw)
            spent[name] += time.process_time() - t0
    return {name: s * 1000 / len(pages) for name, s in spent.items()}


def stage_breakdown(pages: list[tuple[str, bytes]], themes) -> dict[str, float]:
    """CPU ms/page per stage of extract_article (+ classify_article), by wrapping the called functions."""
    from extractors import themes as themes_mod

    spent: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - t0
        return wrapper

    originals = {name: getattr(content, name) for name in STAGES}
    classify = themes_mod.classify_article
    try:
        for name, fn in originals.items():
            setattr(content, name, timed(name, fn))
        themes_mod.classify_article = timed("classify_article", classify)
        cpu_ms_per_page(make_process(themes), pages)
    finally:
        for name, fn in originals.items():
            setattr(content, name, fn)
        themes_mod.classify_article = classify
    return {name: spent[name] * 1000 / len(pages) for name in (*STAGES, "classify_article")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--no-stages", action="store_true")
    ap.add_argument("--profiles", action="store_true", help="also time extraction with fingerprints and with rules")
    args = ap.parse_args()

    pages = load_pages(args.pages)
    themes = sample_themes()
    runs = {"trafilatura alone": run_trafilatura, "ours, extract": run_extract,
            "ours, extract+classify": make_process(themes)}
    if args.profiles:
        runs["ours, + fingerprints"] = make_extract(SiteProfile(fingerprint=True))
        runs["ours, + rules"] = make_extract(SiteProfile(rules=RULES))
    for fn in runs.values():
        cpu_ms_per_page(fn, pages[:args.warmup])
    results: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeat):
        clear_memos()
        for name, ms in interleaved_run(runs, pages).items():
            results[name].append(ms)

    kb = statistics.mean(len(raw) for _, raw in pages) / 1024
    print(f"{len(pages)} pages (mean {kb:.0f} KB), CPU ms/page, best of {args.repeat} (median, worst):")
    best = {name: min(v) for name, v in results.items()}
    for name, v in results.items():
        print(f"  {name:<24} {best[name]:7.2f}   ({statistics.median(v):.2f}, {max(v):.2f})")
    base = best["trafilatura alone"]
    per_run = {name: statistics.median(t / o for t, o in zip(results["trafilatura alone"], results[name]))
               for name in ("ours, extract", "ours, extract+classify")}
    print(f"  ratio trafilatura/ours: extract {base / best['ours, extract']:.3f} "
          f"(median per run {per_run['ours, extract']:.3f}), extract+classify "
          f"{base / best['ours, extract+classify']:.3f} (median per run {per_run['ours, extract+classify']:.3f})"
          "   (target >= 0.85)")
    for name in ("ours, + fingerprints", "ours, + rules"):
        if name in best:
            print(f"  {name}: {best[name] / best['ours, extract']:.3f} x ours, extract (no profile)")

    if not args.no_stages:
        print("\nper stage (extract_processed_page, one pass, CPU ms/page; includes what each stage calls):")
        stages = stage_breakdown(pages, themes)
        for name, ms in stages.items():
            print(f"  {name:<26} {ms:6.2f}")
        print(f"  {'sum':<26} {sum(stages.values()):6.2f}   (of which outside trafilatura: "
              f"{sum(stages.values()) - stages['extract_body_tree']:.2f} + its share of parse_html)")


if __name__ == "__main__":
    main()
