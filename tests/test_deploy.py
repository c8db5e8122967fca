"""The deployments in prefect.yaml, on a real local Prefect server: deploy, schedule, run with a worker.

One `prefect server start` for the module (127.0.0.1, a free port, its own PREFECT_HOME, telemetry off),
the process work pool, `prefect --no-prompt deploy --all` from the repository, then one ad hoc run of the
scheduled-ingest deployment against the sample site (served by this test process) into a tmp DuckDB file,
executed by `prefect worker start --run-once`. Server and worker are always terminated.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import httpx
import pytest
import yaml

from backfillsite import SOURCE as BF_SOURCE
from backfillsite import expected_between, serve_backfill_site
from flows.sample import SAMPLE_SOURCE, load_expected, sample_config_text, serve_sample_site

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SPEC = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
DEPLOYMENTS = {d["name"]: d for d in SPEC["deployments"]}
FLOW_NAMES = {"flows/ingest.py:ingest_flow": "themewire-ingest",
              "flows/backfill.py:backfill_flow": "themewire-backfill",
              "flows/reprocess.py:reprocess_flow": "themewire-reprocess"}
POOL = DEPLOYMENTS["scheduled-ingest"]["work_pool"]["name"]
BF_IN_RANGE = expected_between(datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 5, 1, tzinfo=timezone.utc))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prefect(env: dict, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(BIN / "prefect"), *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"prefect {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group, then SIGKILL what is left."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real Prefect server, the work pool and every deployment of prefect.yaml."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "THEMEWIRE_"))}
    env.update(PREFECT_HOME=str(home / "home"), PREFECT_API_URL=api, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", PREFECT_LOGGING_LEVEL="INFO", PREFECT_WORKER_QUERY_SECONDS="1",
               # the schedule is registered and checked, but no scheduled run may be created during the test
               PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120")
    log = open(home / "server.log", "w")
    started = time.monotonic()
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(api, proc, home / "server.log")
        _prefect(env, "work-pool", "create", POOL, "--type", "process")
        _prefect(env, "--no-prompt", "deploy", "--all")
        yield {"api": api, "env": env, "home": home, "started": started}
    finally:
        _stop(proc)
        log.close()


def _wait_healthy(api: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"prefect server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"prefect server not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


def _api(server, method: str, path: str, body: dict | None = None):
    r = httpx.request(method, server["api"] + path, json=body, timeout=30)
    r.raise_for_status()
    return r.json()


def _deployments(server) -> dict[str, dict]:
    flows = {f["id"]: f["name"] for f in _api(server, "POST", "/flows/filter", {})}
    return {f"{flows[d['flow_id']]}/{d['name']}": d for d in _api(server, "POST", "/deployments/filter", {})}


def test_every_deployment_of_prefect_yaml_is_registered_with_its_schedule(server):
    registered = _deployments(server)
    for name, spec in DEPLOYMENTS.items():
        full = f"{FLOW_NAMES[spec['entrypoint']]}/{name}"
        assert full in registered, f"{full} not registered; have {sorted(registered)}"
        d = registered[full]
        assert d["work_pool_name"] == POOL
        limit = (d.get("global_concurrency_limit") or {}).get("limit")
        assert limit == spec.get("concurrency_limit"), (full, d.get("global_concurrency_limit"))
        crons = [(s["schedule"].get("cron"), s["schedule"].get("timezone"), s["active"]) for s in d["schedules"]]
        assert crons == [(s["cron"], s["timezone"], s["active"]) for s in spec.get("schedules") or []]
        for key, value in spec.get("parameters", {}).items():
            assert d["parameters"].get(key) == value, (full, key)
    ingest = registered["themewire-ingest/scheduled-ingest"]
    assert [(s["schedule"]["cron"], s["active"]) for s in ingest["schedules"]] == [("15 * * * *", True)]


def test_inspect_shows_the_cron_schedule(server):
    out = _prefect(server["env"], "deployment", "inspect", "themewire-ingest/scheduled-ingest").stdout
    assert "15 * * * *" in out and "themewire-pool" in out


def test_ad_hoc_runs_on_a_worker_fill_the_warehouse(server, tmp_path):
    """One worker pass runs an ingest of the sample site and a backfill of the backfill test site."""
    db, bf_db = tmp_path / "deployed.duckdb", tmp_path / "backfill.duckdb"
    with serve_sample_site() as site, serve_backfill_site() as bf_site:
        config, bf_config = tmp_path / "themewire.toml", tmp_path / "backfill.toml"
        config.write_text(sample_config_text(site.base_url), encoding="utf-8")
        bf_config.write_text(bf_site.config_text(), encoding="utf-8")
        ingest_params = {"config": str(config), "db": str(db), "sources": [SAMPLE_SOURCE]}
        run_id = _flow_run_id(_prefect(server["env"], "deployment", "run", "themewire-ingest/scheduled-ingest",
                                       "--params", json.dumps(ingest_params)).stdout)
        bf_params = {"config": str(bf_config), "db": str(bf_db), "source": BF_SOURCE, "since": "2026-03-01",
                     "until": "2026-04-30"}
        bf_run_id = _flow_run_id(_prefect(server["env"], "deployment", "run", "themewire-backfill/backfill",
                                          "--params", json.dumps(bf_params)).stdout)
        states, worker_log = _run_worker_until_done(server, [run_id, bf_run_id])
        for rid, state in states.items():
            assert state["type"] == "COMPLETED", f"flow run {rid}: {state}\n{worker_log[-6000:]}"
        assert any(p.startswith("/2026/") for p in site.paths_requested())
        bf_fetched = bf_site.article_paths_requested()
    with duckdb.connect(str(db), read_only=True) as con:
        runs = con.execute("SELECT run_id, flow, status FROM runs WHERE source = ?", [SAMPLE_SOURCE]).fetchall()
        stored = {r[0] for r in con.execute("SELECT canonical_url FROM articles WHERE source = ?",
                                            [SAMPLE_SOURCE]).fetchall()}
    assert runs == [(run_id, "ingest", "completed")]
    paths = {"/" + u.split("/", 3)[3] for u in stored}
    assert set(load_expected()["articles"]) <= paths
    with duckdb.connect(str(bf_db), read_only=True) as con:
        bf_runs = con.execute("SELECT run_id, flow, status FROM runs").fetchall()
        bf_stored = {"/" + u.split("/", 3)[3] for (u,) in con.execute("SELECT canonical_url FROM articles").fetchall()}
    assert bf_runs == [(bf_run_id, "backfill", "completed")]
    assert bf_stored == BF_IN_RANGE and not set(bf_fetched) - BF_IN_RANGE - {"/articles/late-update/"}
    for rid, key in ((run_id, "themewire-run-summary"), (bf_run_id, "themewire-backfill-summary")):
        artifacts = _api(server, "POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [rid]}}})
        assert any(a["key"] == key for a in artifacts), (rid, [a["key"] for a in artifacts])


TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _run_worker_until_done(server, run_ids: list[str], passes: int = 3) -> tuple[dict, str]:
    """`prefect worker start --run-once` until every run is terminal (a busy machine may leave a run for
    the next poll); returns the final states and the workers' output."""
    logs, states = [], {}
    for _ in range(passes):
        worker = subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--run-once"],
                                  cwd=REPO, env=server["env"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, start_new_session=True)
        try:
            logs.append(worker.communicate(timeout=300)[0])
        finally:
            _stop(worker)
        states = {rid: _api(server, "GET", f"/flow_runs/{rid}")["state"] for rid in run_ids}
        if all(st["type"] in TERMINAL for st in states.values()):
            break
    return states, "\n".join(logs)


def _flow_run_id(cli_output: str) -> str:
    import re

    m = re.search(r"UUID:\s*([0-9a-f-]{36})", cli_output)
    assert m, cli_output
    return m.group(1)
