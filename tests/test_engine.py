"""The persistent local engine (`themewire server start|stop|status`, flows/engine.py): a real
`prefect server start` on a free port in a temporary PREFECT_HOME, a real flow run through it from the
CLI, its status, and a clean stop. The teardown kills the server's process group whatever happens."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

from dbquery import query as _q
from flows import engine
from flows.sample import SAMPLE_SOURCE, load_expected, sample_config_text, serve_sample_site

REPO = Path(__file__).resolve().parent.parent


def _cli(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_LOGGING_HANDLERS_")}
    env.update(PREFECT_HOME=str(home), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    env.pop("PREFECT_LOGGING_LEVEL", None)  # the CLI's own defaults decide what the console shows
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="module")
def engine_home():
    home = Path(tempfile.mkdtemp(prefix="tw-engine-"))
    try:
        yield home
    finally:
        info = engine.read_engine(home)
        if info is not None:
            _kill_group(info.pid)


@pytest.fixture(scope="module")
def started(engine_home):
    port = engine.free_port()
    proc = _cli(engine_home, "server", "start", "--port", str(port))
    info = engine.read_engine(engine_home)
    assert proc.returncode == 0, proc.stdout + proc.stderr + (Path(info.log).read_text() if info else "")
    return {"proc": proc, "port": port, "info": info}


def test_start_records_port_pid_and_log_and_answers(started, engine_home):
    info = started["info"]
    assert info.port == started["port"] and info.url == f"http://127.0.0.1:{started['port']}/api"
    assert f"engine started: {info.url}" in started["proc"].stdout
    assert Path(info.log).is_file() and Path(info.log).parent == engine_home
    with urllib.request.urlopen(info.url + "/health", timeout=10) as r:
        assert r.status == 200
    cmdline = Path(f"/proc/{info.pid}/cmdline").read_bytes().split(b"\0")
    assert b"server" in cmdline and b"start" in cmdline and str(started["port"]).encode() in cmdline


def test_status_says_up_with_url_and_pid(started, engine_home):
    proc = _cli(engine_home, "server", "status")
    info = started["info"]
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"engine up: {info.url} (pid {info.pid}")
    doc = json.loads(_cli(engine_home, "server", "status", "--json").stdout)
    assert doc["state"] == "up" and doc["url"] == info.url and doc["pid"] == info.pid


def test_a_second_start_reuses_the_running_engine(started, engine_home):
    proc = _cli(engine_home, "server", "start")
    assert proc.returncode == 0 and f"engine already up: {started['info'].url}" in proc.stdout
    assert engine.read_engine(engine_home).pid == started["info"].pid


@pytest.fixture(scope="module")
def runs_through_engine(started, engine_home, tmp_path_factory):
    """Two `themewire ingest` runs of the sample site through the engine: default output, then --verbose."""
    tmp = tmp_path_factory.mktemp("engine-runs")
    db, config = tmp / "tw.duckdb", tmp / "themewire.toml"
    with serve_sample_site() as site:
        config.write_text(sample_config_text(site.base_url))
        quiet = _cli(engine_home, "ingest", "--config", str(config), "--db", str(db))
        verbose = _cli(engine_home, "ingest", "--config", str(config), "--db", str(db), "--verbose")
    return {"db": db, "default": quiet, "verbose": verbose}


def test_the_cli_runs_its_flow_on_the_engine_and_says_so(runs_through_engine, started):
    url = started["info"].url
    for proc in (runs_through_engine["default"], runs_through_engine["verbose"]):
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stderr.count(f"using the local engine at {url}") == 1, proc.stderr
        assert "temporary server" not in proc.stderr.lower()
    body = json.dumps({"flows": {"name": {"any_": ["themewire-ingest"]}}}).encode()
    req = urllib.request.Request(url + "/flow_runs/filter", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        flow_runs = json.load(r)
    assert len(flow_runs) == 2 and {fr["state_type"] for fr in flow_runs} == {"COMPLETED"}
    run_ids = {fr["id"] for fr in flow_runs}
    assert {r for (r,) in _q(runs_through_engine["db"], "SELECT run_id FROM runs")} == run_ids
    n = _q(runs_through_engine["db"], "SELECT count(*) FROM articles WHERE source = ?", SAMPLE_SOURCE)[0][0]
    assert n == len(load_expected()["articles"])


def test_prefect_info_lines_only_with_verbose(runs_through_engine):
    default, verbose = runs_through_engine["default"], runs_through_engine["verbose"]
    assert " | INFO " not in default.stderr, default.stderr[-2000:]
    assert " | INFO " in verbose.stderr and "Finished in state Completed" in verbose.stderr
    for proc in (default, verbose):  # the summary is on stdout either way
        assert "run " in proc.stdout and "ingest completed in" in proc.stdout.splitlines()[-1]


def test_stop_ends_the_server_and_status_says_down(started, engine_home, runs_through_engine):
    pid = started["info"].pid
    proc = _cli(engine_home, "server", "stop")
    assert proc.returncode == 0 and f"engine stopped (pid {pid})" in proc.stdout
    assert not engine._alive(pid) and not engine._group_alive(pid)
    assert not (engine_home / engine.STATE_FILE).exists()
    status = _cli(engine_home, "server", "status")
    assert status.returncode == 1 and status.stdout.startswith("engine down")
    again = _cli(engine_home, "server", "stop")
    assert again.returncode == 0 and "not running" in again.stdout


def test_a_stale_record_is_down_and_the_cli_keeps_the_temporary_server(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    info = engine.EngineInfo(pid=dead.pid, port=1, url="http://127.0.0.1:1/api", log=str(tmp_path / "x.log"),
                             started_at="2026-01-01T00:00:00+00:00")
    (tmp_path / engine.STATE_FILE).write_text(json.dumps(info.__dict__))
    assert engine.read_engine_status(tmp_path).state == "down"
    environ = {"PREFECT_HOME": str(tmp_path)}
    assert engine.use_local_engine(environ) is None and "PREFECT_API_URL" not in environ


def test_a_users_own_api_url_wins(tmp_path):
    environ = {"PREFECT_HOME": str(tmp_path), "PREFECT_API_URL": "http://10.0.0.5:4200/api"}
    assert engine.use_local_engine(environ) is None
    assert environ["PREFECT_API_URL"] == "http://10.0.0.5:4200/api"
