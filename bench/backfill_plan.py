"""Backfill planning on the synthetic bench site: how many requests the plan takes and how many article
pages it admits, against fetching every article and filtering afterwards.

    .venv/bin/python bench/backfill_plan.py [--pages 3000] [--since 2025-06-01] [--until 2025-06-30] [--run]

--run also performs the backfill (through the CLI, so with Prefect) into a temporary DuckDB file and
reports the pages actually fetched and the articles stored.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen import SiteSpec, published, serve_site  # noqa: E402


def config_text(base: str) -> str:
    return f"""[fetch]
per_host_delay_seconds = 0
allowed_origins = ["{base}"]

[[sources]]
name = "bench"
feeds = ["{base}/feed.xml"]
sitemaps = ["{base}/sitemap.xml"]
allowed_domains = ["127.0.0.1"]
max_pages_per_run = 100000
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--since", default="2025-06-01")
    ap.add_argument("--until", default="2025-06-30")
    ap.add_argument("--run", action="store_true")
    args = ap.parse_args()

    from extractors.config import load_settings
    from extractors.discover import parse_window
    from flows.backfill_dry import fetch_dry_plan

    window = parse_window(args.since, args.until)
    spec = SiteSpec(n_pages=args.pages)
    in_range = sum(1 for i in range(args.pages) if window.contains(published(i)))
    with serve_site(spec) as (base, counts, _pid), tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "themewire.toml"
        cfg.write_text(config_text(base), encoding="utf-8")
        settings = load_settings(cfg)
        before = counts[0]
        t = time.perf_counter()
        plan = asyncio.run(fetch_dry_plan(settings, settings.source("bench"), window, str(Path(tmp) / "x.duckdb")))
        plan_s = time.perf_counter() - t
        c = plan.counts()
        print(f"site: {args.pages} articles, {published(0):%Y-%m-%d}..{published(args.pages - 1):%Y-%m-%d}; "
              f"window {window.describe()}: {in_range} published in range")
        print(f"plan: {counts[0] - before} requests (robots, feed, sitemaps) in {plan_s:.2f} s; "
              f"{c['considered']} URLs considered, {c['admitted']} admitted "
              f"({', '.join(f'{k} {v}' for k, v in sorted(plan.signals.items()))}), {c['excluded']} excluded")
        print(f"fetch: {c['to_fetch']} article pages, vs {args.pages} for fetch-everything-then-filter "
              f"({c['to_fetch'] / max(1, args.pages):.1%})")
        if args.run:
            db = Path(tmp) / "bf.duckdb"
            before = counts[0]
            t = time.perf_counter()
            env = {**os.environ, "DO_NOT_TRACK": "1"}
            proc = subprocess.run([str(Path(sys.executable).parent / "themewire"), "backfill", "--source", "bench",
                                   "--since", args.since, "--until", args.until, "--config", str(cfg), "--db", str(db)],
                                  capture_output=True, text=True, env=env)
            run_s = time.perf_counter() - t
            print(proc.stdout.strip().splitlines()[-3:] if proc.returncode == 0 else proc.stderr[-2000:])
            import duckdb

            with duckdb.connect(str(db), read_only=True) as con:
                stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            print(f"run: exit {proc.returncode}, {counts[0] - before} requests answered 200, {stored} articles "
                  f"stored (expected {in_range}), {run_s:.1f} s wall (incl. Prefect's temporary server)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
