"""`themewire reprocess` of N stored pages against trafilatura alone over the same stored bodies.

    .venv/bin/python bench/bench_reprocess.py --pages 1000                 # generated pages (bench/sitegen.py)
    .venv/bin/python bench/bench_reprocess.py --corpus ../shared/data/extraction-devset/pages --pages 990
    .venv/bin/python bench/bench_reprocess.py --pages 10000 --repeat 1     # the 10,000-page case

What it does, in one process:
1. serves the site of bench_ingest.py (generated pages, or `--corpus DIR` of real ones) on 127.0.0.1 and
   stores N pages once with the real ingest flow (not timed);
2. reads the stored bodies back from the warehouse (`warehouse.state.read_stored_pages`, decompressed);
3. `--repeat` rounds, taking turns: the baseline, `trafilatura.extract(body, **TRAFILATURA_OPTIONS)` over
   those bodies in a ProcessPoolExecutor of the extraction pool's size (workers warmed first), then the
   real flow, `flows.reprocess.reprocess_flow`, over the same warehouse (every stored page re-extracted,
   re-classified and loaded);
4. prints, per round and as the best of the rounds: pages/s of both, their ratio (end to end, and after
   the Prefect engine's start: first task run -> end), CPU per page of the reprocess (flow process +
   extraction workers, from /proc) against the baseline's, and peak VmRSS of the flow process and of
   each extraction worker.

Set PREFECT_API_URL to a running engine (`themewire server status` prints its URL) to leave Prefect's
temporary server out, as an ad hoc run with `themewire server start` does.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

if "PREFECT_API_URL" not in os.environ:  # a throwaway Prefect home: no state left behind
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="themewire-bench-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from bench_ingest import RssSampler, _task_runs, config_text, run_baseline  # noqa: E402
from sitegen import SiteSpec, serve_site  # noqa: E402


def store_pages(spec: SiteSpec, tmp: Path, n_pages: int) -> tuple[Path, Path, dict]:
    """N pages stored once through the real ingest flow; (config, db, its summary)."""
    from flows.ingest import ingest_flow

    db = tmp / "bench.duckdb"
    with serve_site(spec) as (base_url, _served, _pid):
        config = tmp / "themewire.toml"
        config.write_text(config_text(base_url, n_pages, 8), encoding="utf-8")
        t0 = time.perf_counter()
        result = asyncio.run(ingest_flow(config=str(config), db=str(db)))
        print(f"stored: {result['sources']['bench']['fetched']} pages fetched by ingest in "
              f"{time.perf_counter() - t0:.1f} s (not timed below)")
    return config, db, result["sources"]["bench"]


def stored_bodies(db: Path) -> list[tuple[str, bytes]]:
    from warehouse.state import read_stored_pages

    return [(p.final_url, p.html) for p in read_stored_pages(db, "bench") if p.html is not None]


def run_reprocess(config: Path, db: Path) -> dict:
    from flows.reprocess import reprocess_flow

    with RssSampler(set()) as rss:
        cpu0 = os.times()
        t_call = time.time()
        t0 = time.perf_counter()
        result = asyncio.run(reprocess_flow(config=str(config), db=str(db)))
        wall = time.perf_counter() - t0
        cpu1 = os.times()
    runs = asyncio.run(_task_runs(result["run_id"]))
    starts = [r.start_time.timestamp() for r in runs if r.start_time]
    diff = result["sources"]["bench"]["diff"]
    return {"wall": wall, "pages": diff["pages"], "diff": diff, "first_task": min(starts) - t_call,
            "after_first_task": t_call + wall - min(starts), "n_tasks": len(runs),
            "cpu_self": (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system) - rss.own_cpu_s,
            "cpu_children": rss.children_cpu_s(), "rss": dict(rss.peak), "procs": dict(rss.proc_peak)}


def main() -> None:
    from flows.pool import pool_size

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--corpus", metavar="DIR", help="real pages (*.html, *.html.gz) instead of generated ones")
    ap.add_argument("--workers", type=int, default=pool_size(), help="processes for the baseline "
                    "(default: the extraction pool's size, %(default)s)")
    ap.add_argument("--repeat", type=int, default=2, help="rounds of baseline then reprocess, taking turns")
    ap.add_argument("--keep", metavar="DIR", help="write the DuckDB file here and keep it")
    args = ap.parse_args()

    spec = SiteSpec(n_pages=args.pages, corpus=args.corpus)
    n = len(spec.article_paths())
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="themewire-bench-reprocess-"))
    tmp.mkdir(parents=True, exist_ok=True)
    print(f"bench_reprocess: {n} pages ({'corpus ' + args.corpus if args.corpus else 'generated'}), "
          f"{args.workers} workers (pool_size {pool_size()}, {os.cpu_count()} CPUs), db {tmp / 'bench.duckdb'}")
    config, db, _ = store_pages(spec, tmp, n)
    bodies = stored_bodies(db)
    print(f"stored bodies read back: {len(bodies)} ({sum(len(b) for _, b in bodies) / 2**20:.0f} MB)")
    rounds = []
    for k in range(args.repeat):
        base = run_baseline(bodies, args.workers, 200)
        ours = run_reprocess(config, db)
        rounds.append((base, ours))
        report_round(k + 1, base, ours)
    if len(rounds) > 1:
        best_base = max(b["pages_s"] for b, _ in rounds)
        best_ours = max(o["pages"] / o["wall"] for _, o in rounds)
        best_after = max(o["pages"] / o["after_first_task"] for _, o in rounds)
        print(f"best of {len(rounds)}: baseline {best_base:.1f} pages/s, reprocess {best_ours:.1f} pages/s end to "
              f"end ({best_after:.1f} after the engine start): ratio {best_ours / best_base:.3f} "
              f"({best_after / best_base:.3f} after the engine start; target >= 0.80)")


def report_round(k: int, base: dict, ours: dict) -> None:
    n = ours["pages"]
    base_ms = 1000 * base["cpu"]["children"] / base["pages"]
    ours_ms = 1000 * (ours["cpu_self"] + ours["cpu_children"]) / max(1, n)
    print(f"round {k}:")
    print(f"  baseline: trafilatura alone over the stored bodies: {base['pages']} pages in {base['wall']:.2f} s = "
          f"{base['pages_s']:.1f} pages/s, CPU {base_ms:.1f} ms per page")
    print(f"  reprocess: {n} pages in {ours['wall']:.2f} s = {n / ours['wall']:.1f} pages/s end to end, "
          f"{n / ours['after_first_task']:.1f} after the engine start ({ours['first_task']:.2f} s to the first "
          f"task run, {ours['n_tasks']} task runs); texts changed {ours['diff']['texts_changed']}, "
          f"unchanged {ours['diff']['unchanged']}")
    print(f"  CPU per page: reprocess {ours_ms:.1f} ms (flow process {1000 * ours['cpu_self'] / max(1, n):.1f}, "
          f"workers {1000 * ours['cpu_children'] / max(1, n):.1f}) / baseline {base_ms:.1f} ms")
    print(f"  ratio reprocess / baseline: {n / ours['wall'] / base['pages_s']:.3f} end to end, "
          f"{n / ours['after_first_task'] / base['pages_s']:.3f} after the engine start (target >= 0.80)")
    procs = sorted(ours["procs"].values(), key=lambda x: (x[0] != "flow process", x[0], -x[1]))
    print(f"  peak VmRSS: flow process {ours['rss']['flow_process']:.0f} MB; per process: "
          + ", ".join(f"{role} {mb:.0f} MB" for role, mb in procs))


if __name__ == "__main__":
    main()
