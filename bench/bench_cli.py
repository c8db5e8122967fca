"""Wall time of the commands people type, with the local engine up and without it.

    .venv/bin/python bench/bench_cli.py                 # demo x2 and ingest of a 20-page site x2, engine up
    .venv/bin/python bench/bench_cli.py --compare       # the same without the engine (temporary servers)
    .venv/bin/python bench/bench_cli.py --pages 20 --repeat 3

What it does: a throwaway PREFECT_HOME; `themewire server start` (timed); then, each in a fresh
`python -m flows.cli` process as a user runs it, `themewire demo` twice on one database (the second run
is the one people repeat: every article answers 304) and `themewire ingest` of a generated site
(bench/sitegen.py, `--pages` articles, served from a subprocess on 127.0.0.1) cold then warm;
`themewire server stop` at the end, whatever happens. With `--compare`, the same commands with the engine
stopped, i.e. each run paying for Prefect's temporary server. Prints the wall seconds of every command
(best and all of `--repeat` rounds) and the CPU seconds of the CLI process (without the extraction
workers).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import config_text  # noqa: E402
from sitegen import SiteSpec, serve_site  # noqa: E402


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return env


def cli(home: Path, *args: str, cwd: Path) -> tuple[float, float, str]:
    """(wall s, CPU s of the CLI process, output) of one `themewire` command (the extraction workers are the
    forkserver's children, never waited for here: not counted)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=_env(home),
                          capture_output=True, text=True, timeout=900)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"themewire {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return wall, cpu, proc.stdout + proc.stderr


def rounds(home: Path, tmp: Path, pages: int, repeat: int) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {k: [] for k in ("demo 1st", "demo 2nd", "ingest cold",
                                                                 "ingest warm")}
    spec = SiteSpec(n_pages=pages)
    with serve_site(spec) as (base_url, _served, _pid):
        config = tmp / "site.toml"
        config.write_text(config_text(base_url, pages, 8), encoding="utf-8")
        for r in range(repeat):
            demo_db, ingest_db = tmp / f"demo-{r}.duckdb", tmp / f"ingest-{r}.duckdb"
            for label, args in (("demo 1st", ("demo", "--db", str(demo_db))),
                                ("demo 2nd", ("demo", "--db", str(demo_db))),
                                ("ingest cold", ("ingest", "--config", str(config), "--db", str(ingest_db))),
                                ("ingest warm", ("ingest", "--config", str(config), "--db", str(ingest_db)))):
                wall, cpu, _ = cli(home, *args, "--quiet", cwd=tmp)
                out[label].append((wall, cpu))
                print(f"  {label:12s} round {r + 1}: {wall:6.2f} s wall, {cpu:6.2f} s CPU", flush=True)
    return out


def show(title: str, results: dict[str, list[tuple[float, float]]]) -> None:
    print(f"\n{title}")
    for label, xs in results.items():
        walls = ", ".join(f"{w:.2f}" for w, _ in xs)
        print(f"  {label:12s} best {min(w for w, _ in xs):6.2f} s wall (all: {walls}); "
              f"CPU best {min(c for _, c in xs):.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=20, help="articles of the generated site (default 20)")
    ap.add_argument("--repeat", type=int, default=2, help="rounds of the four commands (default 2)")
    ap.add_argument("--compare", action="store_true", help="also run them without the engine")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="themewire-bench-cli-"))
    home = tmp / "prefect-home"
    home.mkdir()
    print(f"bench_cli: {args.pages}-page site, {args.repeat} rounds, PREFECT_HOME {home}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    try:
        wall, cpu, out = cli(home, "server", "start", cwd=tmp)
        print(f"  server start: {wall:.2f} s wall ({out.strip()})", flush=True)
        with_engine = rounds(home, tmp, args.pages, args.repeat)
    finally:
        cli(home, "server", "stop", cwd=tmp)
    show("with the local engine up (`themewire server start`):", with_engine)
    if args.compare:
        print("\nwithout the engine (a temporary server per run):")
        show("without the engine:", rounds(home, tmp, args.pages, args.repeat))
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (2 cores shared: compare within one run)")


if __name__ == "__main__":
    main()
