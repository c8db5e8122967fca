"""End-to-end ingest benchmark against a loopback site, with the trafilatura-alone baseline.

    .venv/bin/python bench/bench_ingest.py                  # 2,000 pages
    .venv/bin/python bench/bench_ingest.py --pages 10000    # the memory check
    .venv/bin/python bench/bench_ingest.py --pages 300 --no-warm   # a quick look

What it does, in one process:
1. generates N synthetic article pages (bench/sitegen.py: 5-15 KB, nav, related lists, JSON-LD) with a
   feed, a sitemap index and robots.txt, and serves them on 127.0.0.1 from a subprocess (ETag/304);
2. writes a themewire.toml for it (allowed_origins, no per-host delay, max_pages_per_run >= N) and runs
   the real flow, `flows.ingest.ingest_flow`, into a DuckDB file in a temp dir (cold run);
3. runs it again against the unchanged site (warm run: every article answers 304);
4. runs the baseline: `trafilatura.extract(page, **TRAFILATURA_OPTIONS)` over the same page bytes in a
   ProcessPoolExecutor of the same size as the extraction pool, workers warmed first;
5. times `themewire --help` and the imports of the `themewire extract` path in subprocesses.

Peak RSS is sampled from /proc every 100 ms over the whole process tree during the ingest runs and
reported in three parts: the pipeline (this process + extraction workers + forkserver), Prefect's
temporary API server (a subprocess this process starts when no PREFECT_API_URL is set), and the site
server (not ours; excluded). Prefect's task-run timestamps give the engine's fixed cost (flow call ->
first task start) and the time spent in the load tasks (DuckDB rows/s through the real load path).

Set PREFECT_API_URL to a running `prefect server start` to measure without the temporary server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

if "PREFECT_API_URL" not in os.environ:  # a throwaway Prefect home: no state left behind
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="themewire-bench-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from sitegen import SiteSpec, serve_site  # noqa: E402

THEMES_TOML = """
  [[sources.themes]]
  name = "Loneliness and social isolation"
  description = "How lonely people are, who is isolated and why, from living alone to community groups."
  keywords = ["loneliness", "lonely", "social isolation", "isolated", "living alone"]

  [[sources.themes]]
  name = "AI companionship"
  description = "People forming emotional relationships with AI companions, chatbots and virtual partners."
  keywords = ["AI companion", "companion app", "chatbot", "virtual partner", "emotional attachment"]

  [[sources.themes]]
  name = "Mental health"
  description = "Psychological wellbeing, therapy and emotional support."
  keywords = ["mental health", "therapist", "therapy", "anxiety", "depression", "burnout"]

  [[sources.themes]]
  name = "Eldercare technology"
  description = "Technology that helps older adults and their carers: robotic pets, sensors, monitoring."
  keywords = ["older adults", "care home", "robotic pet", "smart sensors", "dementia", "caregiver"]
"""


def config_text(base_url: str, n_pages: int, concurrency: int) -> str:
    return f"""
[fetch]
per_host_delay_seconds = 0
per_host_concurrency = {concurrency}
concurrency = {concurrency}
allowed_origins = ["{base_url}"]

[[sources]]
name = "bench"
feeds = ["{base_url}/feed.xml"]
sitemaps = ["{base_url}/sitemap.xml"]
allowed_domains = ["127.0.0.1"]
max_pages_per_run = {n_pages + 100}
{THEMES_TOML}"""


# --- RSS of the process tree -----------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc/PID/task/TID/children (cheap: no scan of all of /proc)."""
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    kids.extend(int(k) for k in f.read().split())
            except OSError:
                continue
    except OSError:
        pass
    return kids


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages split between the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, ValueError, IndexError):
        return 0


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _role(pid: int, depth: int) -> str:
    cmd = _cmdline(pid)
    if depth == 0:
        return "flow process"
    if "resource_tracker" in cmd:
        return "resource tracker"
    if "forkserver" in cmd or depth > 1:
        return {1: "forkserver"}.get(depth, "worker")
    return "child (" + " ".join(Path(a).name for a in cmd.split()[:4]) + ")"


class RssSampler:
    """Samples VmRSS of this process and its descendants; peaks of the sums per group."""

    PSS_EVERY = 10  # smaps_rollup walks the page tables (kernel CPU charged to this process): 1 in 10

    def __init__(self, exclude: set[int], interval: float = 0.1) -> None:
        self.exclude = exclude
        self.interval = interval
        self._n = 0
        self.peak = {"flow_process": 0.0, "pipeline": 0.0, "prefect_server": 0.0, "total": 0.0,
                     "pipeline_pss": 0.0}
        self._cpu_first: dict[int, int] = {}
        self._cpu_last: dict[int, int] = {}
        self._group: dict[int, str] = {}
        self._new: set[int] = set()  # pids born after the start: their CPU counts from zero
        self.proc_peak: dict[int, tuple[str, float]] = {}  # pid -> (role, peak VmRSS MB) in the pipeline
        self._own_cmdline = _cmdline(os.getpid())
        self.own_cpu_s = 0.0  # this thread's CPU (reading /proc): not the pipeline's, subtracted from it
        self._started = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss-sampler")

    def _sample(self) -> None:
        groups = {"pipeline": 0.0, "prefect_server": 0.0, "pipeline_pss": 0.0}
        self._n += 1
        pss = self._n % self.PSS_EVERY == 1
        stack = [(os.getpid(), "pipeline", 0)]
        while stack:
            pid, group, depth = stack.pop()
            if pid in self.exclude:
                continue
            if group == "pipeline" and pid != os.getpid():
                if pid not in self._group:  # read each new process's command line once it has exec'd
                    cmd = _cmdline(pid)
                    if cmd == self._own_cmdline:
                        # forked, not yet exec'd (subprocess start-up: Prefect's server, the forkserver):
                        # it shares this process's pages; counted once it is what it will run
                        stack.extend((k, group, depth + 1) for k in _children(pid))
                        continue
                    self._group[pid] = "prefect_server" if "prefect" in cmd and "server" in cmd else "pipeline"
                group = self._group[pid]
            rss = _rss_mb(pid)
            groups[group] += rss
            if group == "pipeline":
                role, peak = self.proc_peak.get(pid) or (_role(pid, depth), 0.0)  # cmdline read once
                self.proc_peak[pid] = (role, max(rss, peak))
            if group == "pipeline" and pss:
                groups["pipeline_pss"] += _pss_mb(pid)
            if group == "pipeline" and pid != os.getpid():
                ticks = _cpu_ticks(pid)
                if pid not in self._cpu_first and self._started:
                    self._new.add(pid)
                self._cpu_first.setdefault(pid, ticks)
                self._cpu_last[pid] = ticks
            stack.extend((k, group, depth + 1) for k in _children(pid))
        groups["total"] = groups["pipeline"] + groups["prefect_server"]
        groups["flow_process"] = _rss_mb(os.getpid())
        for k, v in groups.items():
            self.peak[k] = max(self.peak[k], v)

    def children_cpu_s(self) -> float:
        """CPU seconds used by the pipeline's child processes (workers, forkserver) while sampling."""
        first = {p: (0 if p in self._new else t) for p, t in self._cpu_first.items()}
        return sum(t - first[p] for p, t in self._cpu_last.items()) / os.sysconf("SC_CLK_TCK")

    def _run(self) -> None:
        while not self._stop.is_set():
            t0 = time.thread_time()
            self._sample()
            self.own_cpu_s += time.thread_time() - t0
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._sample()
        self._started = True
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


# --- the ingest through the real flow --------------------------------------------------------------

async def _task_runs(flow_run_id: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    out, offset = [], 0
    async with get_client() as client:
        while True:
            page = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])), limit=200, offset=offset)
            out.extend(page)
            if len(page) < 200:
                return out
            offset += 200


def run_ingest(config: Path, db: Path, label: str, exclude: set[int]) -> dict:
    from flows.ingest import ingest_flow

    with RssSampler(exclude) as rss:
        cpu0 = os.times()
        t_call = time.time()
        t0 = time.perf_counter()
        result = asyncio.run(ingest_flow(config=str(config), db=str(db)))
        wall = time.perf_counter() - t0
        cpu1 = os.times()
    cpu = {"self": (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system) - rss.own_cpu_s,
           "children": rss.children_cpu_s(), "sampler": rss.own_cpu_s}
    t_end = t_call + wall
    runs = asyncio.run(_task_runs(result["run_id"]))
    starts = [r.start_time.timestamp() for r in runs if r.start_time]
    first_task = min(starts) - t_call if starts else float("nan")
    load_s = sum(r.total_run_time.total_seconds() for r in runs if r.name.startswith("load-"))
    extract_s = sum(r.total_run_time.total_seconds() for r in runs if r.name.startswith("extract-"))
    src = result["sources"]["bench"]
    timeline = sorted((r.start_time.timestamp() - t_call, r.total_run_time.total_seconds(), r.name)
                      for r in runs if r.start_time)
    return {"timeline": timeline, "cpu": cpu,"label": label, "wall": wall, "first_task": first_task, "after_first_task": t_end - min(starts),
            "load_s": load_s, "extract_s": extract_s, "n_tasks": len(runs), "summary": src,
            "rss": dict(rss.peak), "proc_peak": dict(rss.proc_peak)}


def count_rows(db: Path) -> dict[str, int]:
    from warehouse import open_reader

    con = open_reader(db)
    try:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()  # main and internal
        counts = {n: con.execute(f'SELECT count(*) FROM "{s}"."{n}"').fetchone()[0] for s, n in names}
    finally:
        con.close()
    return counts


# --- the baseline: trafilatura alone ---------------------------------------------------------------

def _warm_trafilatura(_: object = None) -> int:
    import trafilatura  # noqa: F401

    return os.getpid()


def _trafilatura_chunk(pages: list[tuple[str, bytes]]) -> int:
    import trafilatura

    from extractors.content import TRAFILATURA_OPTIONS

    n = 0
    for url, body in pages:
        n += trafilatura.extract(body, url=url, **TRAFILATURA_OPTIONS) is not None
    return n


def run_baseline(pages: list[tuple[str, bytes]], workers: int, chunk: int) -> dict:
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm_trafilatura) as pool, \
            RssSampler(set()) as sampler:
        list(pool.map(_warm_trafilatura, range(workers * 2)))  # every worker started and imported
        list(pool.map(_trafilatura_chunk, [pages[:2]] * workers))  # first-call caches
        cpu0 = sampler.children_cpu_s()
        t0 = time.perf_counter()
        chunks = [pages[i:i + chunk] for i in range(0, len(pages), chunk)]
        extracted = sum(pool.map(_trafilatura_chunk, chunks))
        wall = time.perf_counter() - t0
        sampler._sample()
        cpu = {"self": 0.0, "children": sampler.children_cpu_s() - cpu0}
    return {"wall": wall, "pages": len(pages), "extracted": extracted, "pages_s": len(pages) / wall,
            "cpu": cpu}


# --- start-up ---------------------------------------------------------------------------------------

def time_help(repeat: int = 3) -> list[float]:
    exe = str(Path(sys.executable).with_name("themewire"))
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([exe, "--help"], check=True, capture_output=True)
        out.append(time.perf_counter() - t0)
    return out


def time_extract_imports(repeat: int = 3) -> list[float]:
    code = ("import time; t=time.perf_counter(); import flows.cli, flows.cli.extract, extractors.content, "
            "extractors.themes; print(time.perf_counter()-t); import sys; "
            "assert 'prefect' not in sys.modules")
    out = []
    for _ in range(repeat):
        r = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
        out.append(float(r.stdout.strip()))
    return out


# --- main ---------------------------------------------------------------------------------------------

def main() -> None:
    from flows.pool import pool_size

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=pool_size(), help="processes for the baseline "
                    "(default: the extraction pool's size, %(default)s)")
    ap.add_argument("--concurrency", type=int, default=8, help="per-host and total fetch concurrency")
    ap.add_argument("--no-warm", action="store_true", help="skip the warm (all-304) re-run")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--batch-size", type=int, help="override flows.ingest.BATCH_SIZE for this run")
    ap.add_argument("--timeline", action="store_true", help="print every task run's start and duration")
    ap.add_argument("--keep", metavar="DIR", help="write the DuckDB file here and keep it")
    ap.add_argument("--memory-curve", metavar="N,N", help="instead of the above: cold ingests of each size "
                    "(e.g. 1000,10000; generated pages: the devset has 990) into fresh warehouses, printing the "
                    "peak VmRSS of the flow process and of each extraction worker per size")
    ap.add_argument("--corpus", metavar="DIR", help="serve these real pages (*.html, *.html.gz) instead of "
                    "generated ones, e.g. ../shared/data/extraction-devset/pages (--pages caps the count)")
    args = ap.parse_args()

    from flows import ingest as ingest_mod

    if args.batch_size:
        ingest_mod.BATCH_SIZE = args.batch_size
    if args.memory_curve:
        memory_curve([int(n) for n in args.memory_curve.split(",")], args)
        return
    spec = SiteSpec(n_pages=args.pages, corpus=args.corpus)
    args.pages = len(spec.article_paths())
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="themewire-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / "bench.duckdb"
    print(f"bench: {args.pages} pages, {args.workers} workers (pool_size {pool_size()}, "
          f"{os.cpu_count()} CPUs), BATCH_SIZE {ingest_mod.BATCH_SIZE}, db {db}")
    with serve_site(spec) as (base_url, served, site_pid):
        config = tmp / "themewire.toml"
        config.write_text(config_text(base_url, args.pages, args.concurrency), encoding="utf-8")
        site0 = _cpu_ticks(site_pid)
        cold = run_ingest(config, db, "cold", {site_pid})
        cold["site_cpu"] = (_cpu_ticks(site_pid) - site0) / os.sysconf("SC_CLK_TCK")
        served_cold = (served[0], served[1])
        warm = None if args.no_warm else run_ingest(config, db, "warm", {site_pid})
        served_warm = (served[0] - served_cold[0], served[1] - served_cold[1])
        articles = set(spec.article_paths())
        pages = [(base_url + p, b) for p, b in spec.pages(base_url).items() if p in articles]
    rows = count_rows(db)
    base = None if args.no_baseline else run_baseline(pages, args.workers, ingest_mod.BATCH_SIZE)
    helps = time_help()
    imports = time_extract_imports()
    report(args, cold, warm, base, rows, served_cold, served_warm, helps, imports)


def memory_curve(sizes: list[int], args) -> None:
    """Peak VmRSS of the flow process and of each worker, per run size (cold ingest, fresh warehouse)."""
    rows = []
    for n in sizes:
        spec = SiteSpec(n_pages=n, corpus=args.corpus)
        tmp = Path(tempfile.mkdtemp(prefix="themewire-bench-mem-"))
        with serve_site(spec) as (base_url, _served, site_pid):
            config = tmp / "themewire.toml"
            config.write_text(config_text(base_url, n, args.concurrency), encoding="utf-8")
            run = run_ingest(config, tmp / "bench.duckdb", f"{n} pages", {site_pid})
        workers = sorted((mb for role, mb in run["proc_peak"].values() if role == "worker"), reverse=True)
        rows.append((n, run, workers))
        print(f"{n} pages: {run['summary']['fetched']} fetched in {run['wall']:.1f} s; peak VmRSS flow process "
              f"{run['rss']['flow_process']:.0f} MB, workers {', '.join(f'{w:.0f}' for w in workers)} MB, "
              f"pipeline PSS {run['rss']['pipeline_pss']:.0f} MB", flush=True)
    base = rows[0][1]["rss"]["flow_process"]
    for n, run, workers in rows[1:]:
        print(f"flow process peak at {n} / at {rows[0][0]} pages: {run['rss']['flow_process'] / base:.2f}x "
              f"(target <= 1.10, and <= 350 MB at 10,000); largest worker {max(workers, default=0):.0f} MB "
              f"(target <= 150 MB)")


def report(args, cold, warm, base, rows, served_cold, served_warm, helps, imports) -> None:
    s = cold["summary"]
    n_ok = s["fetched"]
    articles = rows.get("articles", 0)
    print(f"\nsite: {served_cold[0]} 200s / {served_cold[1]} 304s in the cold run; "
          f"{served_warm[0]} 200s / {served_warm[1]} 304s in the warm run")
    print(f"cold: {cold['wall']:.2f} s wall, {n_ok} pages fetched ok, stored new {s['stored_new']}, "
          f"on-theme {s['on_theme']}, failed {s['failed']}, {cold['n_tasks']} task runs")
    print(f"  pages/s end to end (flow call -> return):        {n_ok / cold['wall']:8.1f}")
    print(f"  pages/s after the engine start (first task -> end): {n_ok / cold['after_first_task']:8.1f}")
    print(f"  Prefect engine fixed cost (flow call -> first task start): {cold['first_task']:.2f} s")
    print(f"  time in extract tasks {cold['extract_s']:.2f} s, in load tasks {cold['load_s']:.2f} s")
    cc = cold["cpu"]
    print(f"  CPU: flow process {cc['self']:.1f} s + extraction workers {cc['children']:.1f} s = "
          f"{1000 * (cc['self'] + cc['children']) / max(1, n_ok):.1f} ms per page (Prefect server not included; "
          f"the memory sampler's own {cc['sampler']:.1f} s in this process excluded)")
    print(f"  CPU of the site server (not ours; it shares the cores): {1000 * cold['site_cpu'] / max(1, n_ok):.2f} "
          f"ms per page")
    if base:
        print(f"baseline: trafilatura.extract alone, {args.workers} processes: {base['pages']} pages in "
              f"{base['wall']:.2f} s = {base['pages_s']:.1f} pages/s ({base['extracted']} with text), "
              f"CPU {1000 * (base['cpu']['self'] + base['cpu']['children']) / base['pages']:.1f} ms per page")
        base_ms = 1000 * (base['cpu']['self'] + base['cpu']['children']) / base['pages']
        print(f"  CPU per page, pipeline / baseline:      {1000 * (cc['self'] + cc['children']) / max(1, n_ok):.1f} / "
              f"{base_ms:.1f} ms = {(cc['self'] + cc['children']) / max(1, n_ok) * 1000 / base_ms:.2f}x "
              f"(the engine start included; on {os.cpu_count()} cores the ratio cannot beat its inverse)")
        print(f"  ratio end to end / baseline:            {n_ok / cold['wall'] / base['pages_s']:.3f}")
        print(f"  ratio after engine start / baseline:    "
              f"{n_ok / cold['after_first_task'] / base['pages_s']:.3f}   (target >= 0.85)")
    if warm:
        print(f"warm: {warm['wall']:.2f} s wall (not modified {warm['summary']['not_modified']}), "
              f"engine fixed cost {warm['first_task']:.2f} s; cold/warm = {cold['wall'] / warm['wall']:.1f}x "
              f"(after engine start: {cold['after_first_task'] / warm['after_first_task']:.1f}x; target >= 5x)")
    all_rows = sum(rows.values())
    if cold["load_s"] > 0:
        print(f"load: {articles} article rows in {cold['load_s']:.2f} s of load tasks = "
              f"{articles / cold['load_s']:.0f} article rows/s (target >= 20,000); "
              f"all tables {all_rows} rows = {all_rows / cold['load_s']:.0f} rows/s")
    for run in (cold, warm):
        if run:
            r = run["rss"]
            print(f"peak RSS ({run['label']}, /proc VmRSS sampled every 100 ms, summed over the tree): "
                  f"pipeline (flow process + extraction workers) {r['pipeline']:.0f} MB "
                  f"(flow process alone {r['flow_process']:.0f} MB; PSS of the pipeline {r['pipeline_pss']:.0f} MB), "
                  f"Prefect temporary server {r['prefect_server']:.0f} MB, total {r['total']:.0f} MB")
            procs = sorted(run["proc_peak"].values(), key=lambda x: (x[0] != "flow process", x[0], -x[1]))
            print("  peak VmRSS per process: " + ", ".join(f"{role} {mb:.0f} MB" for role, mb in procs))
    import resource

    print(f"  ru_maxrss: self {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"largest child {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB "
          "(whole bench process lifetime: includes generating the site and the baseline)")
    print(f"`themewire --help`: {', '.join(f'{t:.2f}' for t in helps)} s (subprocess wall, {len(helps)} runs)")
    print(f"extract command path imports (flows.cli, flows.cli.extract, extractors.content, extractors.themes): "
          f"{', '.join(f'{t:.2f}' for t in imports)} s; prefect not imported")
    print(f"rows per table: {dict(sorted(rows.items()))}")
    if args.timeline:
        for run in (cold, warm):
            for start, dur, name in (run or {}).get("timeline", ()):
                print(f"  {run['label']:4s} {start:8.2f} s  +{dur:6.2f} s  {name}")


if __name__ == "__main__":
    main()
