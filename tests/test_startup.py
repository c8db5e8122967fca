"""Start-up: `themewire --help` and `themewire extract FILE` must not import prefect (or duckdb).

Each command runs in a fresh interpreter (the real entry point, flows.cli.main) and reports, at exit,
which of the heavy packages ended up in sys.modules. No timing assertions: speed is measured by
bench/bench_ingest.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs flows.cli.main(argv) like the console script does, then prints the heavy modules it imported.
PROBE = r"""
import atexit, json, sys
HEAVY = ("prefect", "duckdb", "dask", "distributed")
def report():
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
    sys.stderr.write("\nPROBE " + json.dumps(loaded) + "\n")
atexit.register(report)
from flows.cli import main
sys.exit(main(sys.argv[1:]))
"""

ARTICLE = """<!DOCTYPE html><html lang="en"><head><title>Night buses return | The Test Courier</title>
<meta property="article:published_time" content="2026-03-04T08:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/city/">City</a></nav>
<article><h1>Night buses return to the old routes</h1>
<p>The council voted on Tuesday to bring back the night buses that were cut two years ago, after commuters
and shift workers asked for a way home that does not cost a taxi fare every evening of the week.</p>
<p>Three routes will run every thirty minutes from midnight, and the transport authority says the first
buses will leave the central station in the spring, once drivers have been hired and trained for them.</p>
<p>Shop owners near the station said the change would bring people back to the streets at night, and the
bus drivers' union welcomed the new jobs while asking for better lighting at the stops along the routes.</p>
</article><footer><a href="/privacy/">Privacy</a></footer></body></html>
"""


def _run(*argv: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("PROBE ")]
    assert lines, f"probe did not report; stderr:\n{proc.stderr[-2000:]}"
    return proc, json.loads(lines[-1][len("PROBE "):])


def test_help_does_not_import_prefect_or_duckdb():
    proc, heavy = _run("--help")
    assert proc.returncode == 0, proc.stderr
    assert "extract" in proc.stdout and "ingest" in proc.stdout  # the real help, every command listed
    assert heavy == [], f"`themewire --help` imported {heavy}"


def test_command_help_does_not_import_prefect():
    proc, heavy = _run("ingest", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "prefect" not in heavy


def test_extract_file_does_not_import_prefect(tmp_path):
    page = tmp_path / "night-buses.html"
    page.write_text(ARTICLE, encoding="utf-8")
    proc, heavy = _run("extract", str(page), "--url", "http://news.example/city/night-buses/")
    assert proc.returncode == 0, proc.stderr
    assert "night buses" in proc.stdout.lower()  # it really extracted the article
    assert "Privacy" not in proc.stdout
    assert "prefect" not in heavy and "duckdb" not in heavy, f"`themewire extract FILE` imported {heavy}"


def test_extract_json_does_not_import_prefect(tmp_path):
    page = tmp_path / "night-buses.html"
    page.write_text(ARTICLE, encoding="utf-8")
    proc, heavy = _run("extract", str(page), "--format", "json", "--url", "http://news.example/city/nb/")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["title"]
    assert "prefect" not in heavy, f"`themewire extract --format json` imported {heavy}"


def test_python_m_flows_cli_is_the_same_command():
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "sources", "--help"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: themewire sources") and "validate" in proc.stdout
