"""Load speed through the real path: Warehouse.load_pages on synthetic ProcessedPages.

    .venv/bin/python bench/load_bench.py [--articles 10000] [--batch 500] [--words 700]

Prints articles/s and rows/s (rows = articles + theme rows + fetches + urls + raw pages + links +
dates + postings + ...: every row the load wrote), the publish time, then a second pass that
re-loads everything (pure upsert) and a BM25 query time. Synthetic articles are ~5 KB of text with
6 theme scores each (tests/factories.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from factories import BASE_TIME, make_page, text_for  # noqa: E402

from warehouse import RunInfo, Warehouse, open_reader  # noqa: E402


def _rows(db: Path) -> int:
    con = open_reader(db)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return sum(con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names)
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--words", type=int, default=700, help="words of text per article (~7 chars each)")
    args = ap.parse_args()
    pages = [make_page(i, text=text_for(i, args.words)) for i in range(args.articles)]
    batches = [pages[i:i + args.batch] for i in range(0, len(pages), args.batch)]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        with Warehouse.open(db) as wh:
            for label, run_id in (("first load", "bench-1"), ("re-load (upsert)", "bench-2")):
                wh.load_run_started(RunInfo(run_id, "bench", "sample", BASE_TIME))
                t0, c0 = time.perf_counter(), time.process_time()
                for b in batches:
                    wh.load_pages(run_id, "sample", b)
                wh.load_run_finished(run_id, "sample", "completed")
                load_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
                t1 = time.perf_counter()
                wh.publish()
                publish_s = time.perf_counter() - t1
                rows = _rows(db)
                print(f"{label}: {args.articles} articles in {len(batches)} batches of {args.batch}: "
                      f"{load_s:.2f}s load = {args.articles / load_s:,.0f} articles/s, "
                      f"{args.articles * 6 / load_s:,.0f} theme rows/s (CPU {cpu_s:.1f}s, all threads); "
                      f"publish (checkpoint+copy) "
                      f"{publish_s:.2f}s; tables now hold {rows:,} rows "
                      f"({db.stat().st_size / 1e6:.0f} MB)")
                if run_id == "bench-1":
                    print(f"  => {rows / load_s:,.0f} rows/s through load_pages (all tables, first load)")
        con = open_reader(db)
        try:
            t2 = time.perf_counter()
            hits = con.execute("SELECT * FROM search_articles('lonely chatbot companion therapy')").fetchall()
            print(f"search_articles: {len(hits)} hits in {1000 * (time.perf_counter() - t2):.0f} ms")
        finally:
            con.close()


if __name__ == "__main__":
    main()
