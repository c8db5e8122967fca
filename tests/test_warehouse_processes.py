"""The warehouse across processes: readers never block a load, kill -9 mid-run then re-run gives the
same tables as an uninterrupted run, overlapping runs wait or fail with a clear error.

This file is also the helper the tests start in subprocesses:
  python tests/test_warehouse_processes.py load DB RUN_ID [PAUSE]   load 5 batches, report progress,
        publish; with PAUSE=k, stop half-way through batch k's transaction and say "mid-transaction"
  python tests/test_warehouse_processes.py read DB             hold the published file open read-only
  python tests/test_warehouse_processes.py hold DB             hold the writer lock until stdin closes
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
BATCHES, BATCH_SIZE = 5, 40


class _PausingSteps:
    """Stands in for warehouse.load.STEPS: on load number `pause`, blocks half-way through the
    batch's statements (inside its transaction) so the parent can kill -9 mid-upsert."""

    def __init__(self, steps: list[str], pause: int) -> None:
        self.steps, self.pause, self.calls = steps, pause, 0

    def __iter__(self):
        self.calls += 1
        for i, step in enumerate(self.steps):
            yield step
            if self.calls == self.pause + 1 and i == len(self.steps) // 2:
                print("mid-transaction", flush=True)
                time.sleep(600)


def _load(db: str, run_id: str, pause: str | None = None) -> None:
    from factories import BASE_TIME, make_pages
    from warehouse import RunInfo, Warehouse, load

    if pause is not None:
        load.STEPS = _PausingSteps(load.STEPS, int(pause))

    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo(run_id, "ingest", "sample", BASE_TIME))
        for k in range(BATCHES):
            # overlapping batches: each repeats the last pages of the previous one
            wh.load_pages(run_id, "sample", make_pages(BATCH_SIZE, start=k * (BATCH_SIZE - 5), failed_every=9))
            print(f"committed {k}", flush=True)
        wh.load_run_finished(run_id, "sample", "completed", finished_at=BASE_TIME + timedelta(hours=1))
        print("publishing", flush=True)
        wh.publish()
    print("done", flush=True)


def _read(db: str) -> None:
    from warehouse import open_reader

    con = open_reader(db)
    print("runs", con.execute("SELECT count(*) FROM runs").fetchone()[0], flush=True)
    sys.stdin.readline()  # the parent loads and publishes meanwhile
    print("runs", con.execute("SELECT count(*) FROM runs").fetchone()[0], flush=True)
    con.close()
    con = open_reader(db)
    print("runs", con.execute("SELECT count(*) FROM runs").fetchone()[0], flush=True)
    con.close()


def _hold(db: str) -> None:
    from warehouse import Warehouse

    with Warehouse.open(db):
        print("holding", flush=True)
        sys.stdin.read()


def _spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent), str(HERE)])}
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), *args], env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _run_to_end(*args: str) -> None:
    p = _spawn(*args)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert out.strip().endswith("done")


def _kill_after(line: str, *args: str) -> None:
    p = _spawn(*args)
    for got in p.stdout:
        if got.strip() == line:
            p.send_signal(signal.SIGKILL)
            break
    p.wait(timeout=60)
    assert p.returncode == -signal.SIGKILL, p.stderr.read()


# applied_at: when a migration ran; the rest is compared whole.
STABLE = ("applied_at",)
# Columns naming the run that wrote a row differ when the re-run has a new run id; so does
# run_pages.article_status (articles the dead run stored are `unchanged` for the new run).
RUN_COLUMNS = STABLE + ("run_id", "first_seen_run", "article_status")
PER_RUN_TABLES = ("runs", "run_pages", "fetches", "skips")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    from factories import snapshot_tables

    db = tmp_path_factory.mktemp("ref") / "tw.duckdb"
    _run_to_end("load", str(db), "r1")
    return {"same": snapshot_tables(db, drop_columns=STABLE),
            "new": snapshot_tables(db, drop_columns=RUN_COLUMNS)}


@pytest.mark.parametrize("kill_at", ["committed 0", "mid-transaction", "committed 2", "publishing"])
def test_killed_run_resumed_with_its_run_id_equals_an_uninterrupted_run(tmp_path, reference, kill_at):
    from factories import snapshot_tables

    db = tmp_path / "tw.duckdb"
    _kill_after(kill_at, "load", str(db), "r1", *(["3"] if kill_at == "mid-transaction" else []))
    _run_to_end("load", str(db), "r1")
    assert snapshot_tables(db, drop_columns=STABLE) == reference["same"]


def test_killed_run_followed_by_a_new_run_equals_an_uninterrupted_run(tmp_path, reference):
    """Same data tables; the per-run logs hold the dead run as interrupted plus the complete new run."""
    from factories import as_utc_naive, snapshot_tables
    from warehouse import open_reader

    db = tmp_path / "tw.duckdb"
    _kill_after("committed 1", "load", str(db), "dead")
    _run_to_end("load", str(db), "r2")
    got = snapshot_tables(db, drop_columns=RUN_COLUMNS)
    for name, rows in reference["new"].items():
        if name not in PER_RUN_TABLES:
            assert got[name] == rows, name
    con = open_reader(db)
    try:
        assert con.execute("SELECT run_id, status FROM runs ORDER BY run_id").fetchall() == [
            ("dead", "interrupted"), ("r2", "completed")]
        for name in ("run_pages", "fetches", "skips"):
            cols = [c for c in con.execute(f"SELECT * FROM {name} LIMIT 0").description]
            keep = ", ".join(c[0] for c in cols if c[0] not in RUN_COLUMNS)
            r2 = sorted((tuple(as_utc_naive(v) for v in r) for r in
                         con.execute(f"SELECT {keep} FROM {name} WHERE run_id = 'r2'").fetchall()), key=repr)
            assert r2 == reference["new"][name], name
    finally:
        con.close()


def test_a_reader_holding_the_published_file_never_blocks_a_load(tmp_path):
    from factories import BASE_TIME, make_pages
    from warehouse import RunInfo, Warehouse

    db = tmp_path / "tw.duckdb"
    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME))
        wh.load_pages("r1", "sample", make_pages(5))
        wh.publish()
    reader = _spawn("read", str(db))
    try:
        assert reader.stdout.readline().strip() == "runs 1"  # open for the whole load below
        with Warehouse.open(db, lock_timeout_s=5) as wh:
            wh.load_run_started(RunInfo("r2", "ingest", "sample", BASE_TIME + timedelta(days=1)))
            wh.load_pages("r2", "sample", make_pages(50, start=5))
            wh.load_run_finished("r2", "sample", "completed")
            wh.publish()
        reader.stdin.write("go\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "runs 1"  # its open snapshot is consistent
        assert reader.stdout.readline().strip() == "runs 2"  # reopened: sees the new run
        assert reader.wait(timeout=30) == 0
    finally:
        reader.kill()


def test_overlapping_runs_wait_for_the_lock_or_fail_clearly(tmp_path):
    from warehouse import Warehouse, WarehouseBusy

    db = tmp_path / "tw.duckdb"
    holder = _spawn("hold", str(db))
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(WarehouseBusy, match="another themewire run") as err:
            Warehouse.open(db, lock_timeout_s=0.3)
        assert f"pid {holder.pid}" in str(err.value)
        opened = []
        waiter = threading.Thread(target=lambda: opened.append(Warehouse.open(db, lock_timeout_s=60)))
        waiter.start()
        holder.stdin.close()  # the first run ends; the waiting one proceeds
        waiter.join(timeout=90)
        assert holder.wait(timeout=30) == 0
        assert len(opened) == 1
        opened[0].close()
    finally:
        holder.kill()


if __name__ == "__main__":
    {"load": lambda: _load(*sys.argv[2:5]), "read": lambda: _read(sys.argv[2]),
     "hold": lambda: _hold(sys.argv[2])}[sys.argv[1]]()
