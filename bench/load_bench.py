"""Load speed through the real path: Warehouse.load_pages on synthetic ProcessedPages.

    .venv/bin/python bench/load_bench.py [--articles 10000] [--batch 500] [--words 700]
                                         [--text realistic|factory] [--precompressed] [--no-fsst]

Two passes over the same pages: a first load into an empty warehouse, then a re-load of everything
under a new run id (pure upsert, nothing changed). Each pass times, separately:
  load_pages       the batches (one transaction each): articles/s and article rows/s (rows of the
                   `articles` table written per second), plus all rows written per second
  run finish       load_run_finished: run counts + the search index built for the run's changed
                   articles (warehouse/search.py)
  publish          CHECKPOINT + copy + atomic rename of the snapshot
and then a BM25 query on the published file (median of 5 queries, fresh connection).

Text: `realistic` (default) is ~5.5 KB per article drawn from a 30k-word Zipf vocabulary with
punctuation, quotes and some non-ASCII words (about 400 distinct words per article, like prose);
`factory` is tests/factories.text_for (32 distinct words: flatters the search index build).
--precompressed passes ProcessedPage.raw_gzip (as when extraction workers gzip the body), so the
load does not compress raw pages; --no-fsst sets disabled_compression_methods='fsst,dict_fsst'.
Synthetic pages have 6 theme scores, 2 links and 2 date candidates each (tests/factories.py).
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from factories import BASE_TIME, make_page, text_for  # noqa: E402

from warehouse import RunInfo, Warehouse, open_reader  # noqa: E402
from warehouse.batch import compress  # noqa: E402

QUERIES = ("lonely chatbot companion therapy", "etaoin shrdlu", "caup knm", "study survey", "aotaern")


def _vocabulary(n: int = 30_000, seed: int = 7) -> tuple[list[str], list[float]]:
    r = random.Random(seed)
    seen: set[str] = set()
    while len(seen) < n:
        seen.add("".join(r.choices("etaoinshrdlcumwfgypbvkjxqz", weights=range(26, 0, -1),
                                   k=r.randint(2, 11))))
    words = sorted(seen)
    r.shuffle(words)
    for k in range(13, n, 97):
        words[k] = words[k][:-1] + "é"  # some non-ASCII words
    return words, list(itertools.accumulate(1 / (k + 1) ** 1.07 for k in range(n)))


_VOCAB: tuple[list[str], list[float]] | None = None


def realistic_text(i: int, words: int = 700) -> str:
    global _VOCAB
    _VOCAB = _VOCAB or _vocabulary()
    r = random.Random(i)
    toks = r.choices(_VOCAB[0], cum_weights=_VOCAB[1], k=words)
    out, k = [], 0
    while k < len(toks):
        n = r.randint(6, 24)
        sent, k = toks[k:k + n], k + n
        sent[0] = sent[0].capitalize()
        if len(sent) > 8 and r.random() < 0.5:
            sent[len(sent) // 2] += ","
        if r.random() < 0.08:
            sent[0], sent[-1] = "“" + sent[0], sent[-1] + "”"
        out.append(" ".join(sent) + (". " if r.random() < 0.85 else ".\n\n"))
    return "".join(out).strip()


def _rows(db: Path) -> dict[str, int]:
    con = open_reader(db)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def _search_ms(db: Path) -> tuple[float, int]:
    con = open_reader(db)
    try:
        times, hits = [], 0
        for q in QUERIES:
            t = time.perf_counter()
            hits += len(con.execute("SELECT * FROM search_articles(?)", [q]).fetchall())
            times.append(1000 * (time.perf_counter() - t))
        return statistics.median(times), hits
    finally:
        con.close()


def _settings(wh: Warehouse, no_fsst: bool) -> None:
    if no_fsst:  # bench-only knob on the writer's connection (re-opened by publish)
        wh._con.execute("SET disabled_compression_methods = 'fsst,dict_fsst'")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--words", type=int, default=700, help="words of text per article")
    ap.add_argument("--text", choices=("realistic", "factory"), default="realistic")
    ap.add_argument("--precompressed", action="store_true", help="pages carry raw_gzip")
    ap.add_argument("--no-fsst", action="store_true")
    args = ap.parse_args()
    make_text = realistic_text if args.text == "realistic" else text_for
    pages = [make_page(i, text=make_text(i, args.words)) for i in range(args.articles)]
    if args.precompressed:
        pages = [replace(p, raw_gzip=compress(p.fetch.body)) for p in pages]
    batches = [pages[i:i + args.batch] for i in range(0, len(pages), args.batch)]
    kb = sum(len(p.article.text) for p in pages) / len(pages) / 1000
    print(f"{args.articles} articles (~{kb:.1f} KB {args.text} text, 6 themes each) in {len(batches)} "
          f"batches of {args.batch}; raw pages {'pre-compressed' if args.precompressed else 'gzipped at load'}"
          f"{'; fsst disabled' if args.no_fsst else ''}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        before = 0
        with Warehouse.open(db) as wh:
            _settings(wh, args.no_fsst)
            for label, run_id in (("first load", "bench-1"), ("re-load (upsert, unchanged)", "bench-2")):
                wh.load_run_started(RunInfo(run_id, "bench", "sample", BASE_TIME))
                t0, c0 = time.perf_counter(), time.process_time()
                for b in batches:
                    wh.load_pages(run_id, "sample", b)
                t1, c1 = time.perf_counter(), time.process_time()
                wh.load_run_finished(run_id, "sample", "completed")
                t2, c2 = time.perf_counter(), time.process_time()
                wh.publish()
                _settings(wh, args.no_fsst)
                t3 = time.perf_counter()
                rows = _rows(db)
                total = sum(rows.values())
                load_s, fin_s = t1 - t0, t2 - t1
                n = args.articles
                print(f"{label}:")
                print(f"  load_pages   {load_s:6.2f} s (CPU {c1 - c0:5.2f} s)  {n / load_s:8,.0f} articles/s"
                      f" = article rows/s; {(total - before) / load_s:,.0f} rows/s, all tables"
                      if run_id == "bench-1" else
                      f"  load_pages   {load_s:6.2f} s (CPU {c1 - c0:5.2f} s)  {n / load_s:8,.0f} articles/s"
                      f" = article rows/s")
                print(f"  run finish   {fin_s:6.2f} s (CPU {c2 - c1:5.2f} s)  counts + search index of the run")
                print(f"  load total   {load_s + fin_s:6.2f} s             {n / (load_s + fin_s):8,.0f} articles/s")
                print(f"  publish      {t3 - t2:6.2f} s  (checkpoint + copy; {db.stat().st_size / 1e6:.0f} MB,"
                      f" {total:,} rows, {rows.get('search_postings', 0):,} postings)")
                before = total
        ms, hits = _search_ms(db)
        print(f"search_articles: median {ms:.0f} ms over {len(QUERIES)} queries ({hits} hits)")


if __name__ == "__main__":
    main()
