"""Load speed through the real path: Warehouse.load_pages on synthetic ProcessedPages.

    .venv/bin/python bench/load_bench.py [--articles 10000] [--batch 500] [--words 700] [--raw-kb 130]
                                         [--text realistic|factory] [--precompressed] [--no-fsst]

The headline is the `TARGET` line: rows of the `articles` table written per second of wall time spent in load_pages
(first load; page generation is outside the timer), printed with and without the run finish.

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

Raw pages (--raw-kb, default 130: the size of real article pages) are deterministic HTML-like bytes:
page chrome (CSS rules, navigation lists, inline scripts) drawn from small fragment pools, around the
article's own text as <p>s; gzip -6 compresses them ~5x, like real HTML. Pages are generated batch by
batch (memory stays bounded) outside the timed calls. With --precompressed the worker's gzip is built
as concatenated gzip members (chrome members compressed once per template + the page's own member;
gzip.decompress gives back the body exactly, the size is ~13% larger than one gzip of the whole page), so
generating 10k pages takes seconds, not the ~2.5 ms per page a real gzip -6 of 130 KB costs.
--raw-kb 0 keeps tests/factories' tiny page (~5.6 KB: the body is the text).
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

TEMPLATES = 16  # distinct page chromes (each page: one chrome around its own text and navigation)

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


_POOLS: tuple[list[str], ...] | None = None


def _pools() -> tuple[list[str], ...]:
    """Fragment pools of page chrome (class names, nav links, CSS rules, script lines): 200 of each,
    which makes pages compress like real HTML (~5x with gzip -6)."""
    global _POOLS
    if _POOLS is None:
        r = random.Random(11)

        def word(a: int = 3, b: int = 9) -> str:
            return "".join(r.choices("etaoinshrdlcumwfgypbvkjxqz", weights=range(26, 0, -1),
                                     k=r.randint(a, b)))
        classes = [f"{word()}-{word(2, 6)}" for _ in range(200)]
        sections = [word(4, 10) for _ in range(60)]
        links = [f'<li class="{r.choice(classes)}"><a href="/{r.choice(sections)}/{word()}-{word()}-{word()}/" '
                 f'data-track="nav-{r.randint(1, 999)}">{word().capitalize()} {word()} {word()}</a></li>\n'
                 for _ in range(200)]
        css = [f".{r.choice(classes)} .{r.choice(classes)}{{margin:{r.randint(0, 40)}px {r.randint(0, 40)}px;"
               f"color:#{r.getrandbits(24):06x};font-size:{r.randint(10, 30)}px;"
               f"display:{r.choice(['flex', 'block', 'grid', 'none'])}}}\n" for _ in range(200)]
        js = [f'var {word()}{r.randint(0, 99)}=function({word(1, 3)},{word(1, 3)}){{return {word(1, 3)}.'
              f'{word()}({word(1, 3)}+"{word()}")||{r.randint(0, 9999)}}};' for _ in range(200)]
        _POOLS = classes, links, css, js
    return _POOLS


_CHROME: dict[tuple[int, int], tuple[bytes, bytes, bytes, bytes]] = {}


def _chrome(t: int, size: int) -> tuple[bytes, bytes, bytes, bytes]:
    """Template t for pages of `size` bytes: (head, tail, gzip(head), gzip(tail)); the head is
    <head> with CSS + the site navigation, the tail related links + scripts (~90% of the page)."""
    key = (t, size)
    if key not in _CHROME:
        classes, links, css, js = _pools()
        r = random.Random(1000 + t)
        head = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\n<style>\n"
                + "".join(r.choices(css, k=max(1, size // 280))) + "</style></head><body>\n<nav><ul>\n"
                + "".join(r.choices(links, k=max(1, size // 600))) + "</ul></nav>\n")
        tail = ["</main>\n<aside><ul>\n", "".join(r.choices(links, k=max(1, size // 1200))),
                "</ul></aside><script>\n"]
        n = len(head) + sum(map(len, tail))
        while n < size * 0.9:
            chunk = "".join(r.choices(js, k=40)) + f'\nwindow.__cfg{r.randint(0, 99)}="{r.getrandbits(128):032x}";\n'
            tail.append(chunk)
            n += len(chunk)
        tail.append("</script></body></html>\n")
        hb, tb = head.encode(), "".join(tail).encode()
        _CHROME[key] = hb, tb, compress(hb), compress(tb)
    return _CHROME[key]


def html_page(i: int, text: str, size: int) -> tuple[bytes, bytes]:
    """(body, gzip of body) of page i: ~`size` bytes of HTML-like markup around `text`."""
    classes, links, _, _ = _pools()
    r = random.Random(i)
    head, tail, gz_head, gz_tail = _chrome(i % TEMPLATES, size)
    own = (f'<main><title>Story {i}</title><link rel="canonical" href="https://news.example/articles/{i}/">'
           f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Story {i}",'
           f'"id":"{r.getrandbits(128):032x}"}}</script>\n<article>\n'
           + "".join(f'<p class="{r.choice(classes)}">{para}</p>\n' for para in text.split(". "))
           + "</article>\n<ul class=\"more\">\n")
    pad = max(0, size - len(head) - len(tail) - len(own.encode()))
    own += "".join(r.choices(links, k=pad // 150)) + "</ul>\n"
    mid = own.encode()
    return head + mid + tail, gz_head + compress(mid) + gz_tail


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
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()  # main and internal
        return {n: con.execute(f'SELECT count(*) FROM "{s}"."{n}"').fetchone()[0] for s, n in names}
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


def _page(i: int, args, make_text):
    text = make_text(i, args.words)
    if not args.raw_kb:
        page = make_page(i, text=text)
        return replace(page, raw_gzip=compress(page.fetch.body)) if args.precompressed else page
    body, gz = html_page(i, text, int(args.raw_kb * 1000))
    page = make_page(i, text=text, html=body)
    return replace(page, raw_gzip=gz) if args.precompressed else page


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--words", type=int, default=700, help="words of text per article")
    ap.add_argument("--raw-kb", type=float, default=130.0,
                    help="raw HTML per page, KB (default 130: real article pages); 0: factory's tiny page")
    ap.add_argument("--text", choices=("realistic", "factory"), default="realistic")
    ap.add_argument("--precompressed", action="store_true", help="pages carry raw_gzip")
    ap.add_argument("--no-fsst", action="store_true")
    args = ap.parse_args()
    make_text = realistic_text if args.text == "realistic" else text_for
    starts = range(0, args.articles, args.batch)

    def batches():  # generated batch by batch (bounded memory), outside the timed calls
        for s in starts:
            yield [_page(i, args, make_text) for i in range(s, min(s + args.batch, args.articles))]

    sample = [_page(i, args, make_text) for i in range(min(50, args.articles))]
    kb = sum(len(p.article.text) for p in sample) / len(sample) / 1000
    raw_kb = sum(len(p.fetch.body) for p in sample) / len(sample) / 1000
    gz_kb = sum(len(p.raw_gzip or compress(p.fetch.body)) for p in sample) / len(sample) / 1000
    print(f"{args.articles} articles (~{kb:.1f} KB {args.text} text, 6 themes each) in {len(starts)} "
          f"batches of {args.batch}; raw pages ~{raw_kb:.0f} KB ({gz_kb:.1f} KB gzipped), "
          f"{'pre-compressed by workers' if args.precompressed else 'gzipped at load'}"
          f"{'; fsst disabled' if args.no_fsst else ''}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        before = 0
        with Warehouse.open(db) as wh:
            _settings(wh, args.no_fsst)
            for label, run_id in (("first load", "bench-1"), ("re-load (upsert, unchanged)", "bench-2")):
                wh.load_run_started(RunInfo(run_id, "bench", "sample", BASE_TIME))
                load_s = load_cpu = 0.0
                for b in batches():
                    t0, c0 = time.perf_counter(), time.process_time()
                    wh.load_pages(run_id, "sample", b)
                    load_s += time.perf_counter() - t0
                    load_cpu += time.process_time() - c0
                t1, c1 = time.perf_counter(), time.process_time()
                wh.load_run_finished(run_id, "sample", "completed")
                t2, c2 = time.perf_counter(), time.process_time()
                wh.publish()
                _settings(wh, args.no_fsst)
                t3 = time.perf_counter()
                rows = _rows(db)
                total = sum(rows.values())
                fin_s, fin_cpu = t2 - t1, c2 - c1
                n = args.articles
                results[run_id] = (load_s, load_cpu, fin_s, fin_cpu)
                print(f"{label}:")
                print(f"  load_pages   {load_s:6.2f} s (CPU {load_cpu:5.2f} s)  {n / load_s:8,.0f} article rows/s"
                      + (f"; {(total - before) / load_s:,.0f} rows/s, all tables" if run_id == "bench-1" else ""))
                print(f"  run finish   {fin_s:6.2f} s (CPU {fin_cpu:5.2f} s)  counts + search index of the run")
                print(f"  load total   {load_s + fin_s:6.2f} s (CPU {load_cpu + fin_cpu:5.2f} s)"
                      f"  {n / (load_s + fin_s):8,.0f} article rows/s")
                print(f"  publish      {t3 - t2:6.2f} s  (checkpoint + copy; {db.stat().st_size / 1e6:.0f} MB,"
                      f" {total:,} rows, {rows.get('search_postings', 0):,} postings)")
                before = total
        ms, hits = _search_ms(db)
        print(f"search_articles: median {ms:.0f} ms over {len(QUERIES)} queries ({hits} hits)")
    load_s, load_cpu, fin_s, fin_cpu = results["bench-1"]
    n = args.articles
    print(f"TARGET article rows/s through load_pages (first load, batches of {args.batch}, raw "
          f"{'precompressed' if args.precompressed else 'gzipped at load'}): {n / load_s:,.0f}"
          f" (CPU-bound rate {n / load_cpu:,.0f}); with run finish: {n / (load_s + fin_s):,.0f}"
          f" (CPU {n / (load_cpu + fin_cpu):,.0f})")


if __name__ == "__main__":
    main()
