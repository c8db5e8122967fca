"""The outcome table: every retry decision (the fetcher's, the warehouse's, a task's) reads it."""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType

import pytest

import extractors.outcomes as outcomes_module
from extractors import models
from extractors.errors import (ConfigError, ExtractionError, OutcomeError, ThemewireError,
                               is_transient)
from extractors.fetch import Fetcher
from extractors.fetch._body import BodyError
from extractors.fetch._guards import Refused
from extractors.fetch.fetcher import status_outcome
from extractors.outcomes import OUTCOME_TABLE, OUTCOMES, RETRY_NEXT_RUN, retried_in_run
from extractors.urls import UrlRejected, normalize_url
from factories import make_failed_page, url_for
from trapsite import trap_settings
from warehouse import RunInfo, Warehouse, WarehouseBusy
from warehouse import load as load_sql

# What the fetcher retried within the run before the table existed: the table must keep it.
RETRIED_STATUSES = {429, 500, 502, 503, 504, 507, 520, 521, 522, 523, 524}


# --- the table ------------------------------------------------------------------------------------


def test_every_outcome_has_a_description_and_its_retry_flags():
    assert len(OUTCOME_TABLE) == len({o.name for o in OUTCOME_TABLE.values()})
    for name, o in OUTCOME_TABLE.items():
        assert o.name == name and re.fullmatch(r"[a-z_]+", name)
        assert o.description.strip(), name
        assert isinstance(o.retry_in_run, bool) and isinstance(o.retry_next_run, bool), name
        assert isinstance(o.stored, bool), name


def test_outcomes_are_the_stored_rows_in_order_and_models_re_exports_them():
    assert list(OUTCOMES.items()) == [(o.name, o.description) for o in OUTCOME_TABLE.values() if o.stored]
    assert models.OUTCOMES is OUTCOMES and models.OUTCOME_TABLE is OUTCOME_TABLE
    assert len(OUTCOMES) == 24 and OUTCOMES["http_error"] == "4xx/5xx after retries, where retrying made sense"


def test_a_finer_case_is_stored_as_a_stored_outcome_with_its_next_run_flag():
    for o in OUTCOME_TABLE.values():
        assert o.attempt_name in OUTCOMES or o.attempts_as is None, o.name
        if o.attempts_as is not None:
            assert OUTCOME_TABLE[o.attempts_as].stored, o.name
            # a stored row with attempts_as only uses it for retried attempts: it must be retried
            assert o.retry_in_run or not o.stored, o.name
        if not o.stored and o.attempts_as is not None:
            assert o.final_name == o.attempts_as
            assert o.retry_next_run == OUTCOME_TABLE[o.attempts_as].retry_next_run, o.name
        if o.stored:
            assert o.final_name == o.name


def test_a_request_that_used_up_the_total_deadline_is_not_retried_in_the_run_but_next_run():
    o = OUTCOME_TABLE["deadline_exceeded"]
    assert (o.retry_in_run, o.retry_next_run, o.stored, o.final_name) == (False, True, False, "timeout")
    assert not retried_in_run("deadline_exceeded") and retried_in_run("timeout")


def test_what_the_table_retries():
    in_run = {n for n, o in OUTCOME_TABLE.items() if o.retry_in_run}
    assert in_run == {"timeout", "rate_limited", "server_error", "network_error", "warehouse_busy"}
    assert set(RETRY_NEXT_RUN) == {"timeout", "connection_error", "rate_limited", "host_backoff",
                                   "robots_unavailable", "http_error", "budget_exhausted", "family_capped",
                                   "raw_missing"}


# --- the warehouse --------------------------------------------------------------------------------


def test_the_warehouse_retryable_sql_set_is_the_tables_retry_next_run():
    assert set(load_sql.RETRYABLE) == {n for n, o in OUTCOMES.items() if OUTCOME_TABLE[n].retry_next_run}
    assert set(re.findall(r"'([a-z_]+)'", load_sql._RETRYABLE_SQL)) == set(RETRY_NEXT_RUN)
    assert any(f"IN ({load_sql._RETRYABLE_SQL})" in step for step in load_sql.URLS)


def test_next_fetch_at_and_finished_follow_retry_next_run(tmp_path):
    names = [n for n in OUTCOMES if n != "ok"]
    with Warehouse.open(tmp_path / "tw.duckdb") as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", make_failed_page(0).fetch.attempts[0].fetched_at))
        wh.load_pages("r1", "sample", [make_failed_page(i, n) for i, n in enumerate(names)])
        state = wh.read_crawl_state("sample")
    due = {n for i, n in enumerate(names) if url_for(i) in state.next_fetch_at}
    finished = {n for i, n in enumerate(names) if url_for(i) in state.finished}
    assert due == {n for n in names if OUTCOME_TABLE[n].retry_next_run}
    assert finished == set(names) - due


# --- the fetcher ----------------------------------------------------------------------------------


def test_fetch_retry_statuses_come_from_the_table():
    retried = {s for s in range(100, 600) if retried_in_run(status_outcome(s))}
    assert retried == RETRIED_STATUSES
    assert {s for s in range(100, 600) if status_outcome(s) == "rate_limited"} == {429, 503}
    assert all(OUTCOME_TABLE[status_outcome(s)].final_name in OUTCOMES for s in range(100, 600))


class _StatusHandler(BaseHTTPRequestHandler):
    """/robots.txt: 404 (everything allowed); /status/N: answers N."""

    def do_GET(self):  # noqa: N802
        code = 404 if self.path == "/robots.txt" else int(self.path.rsplit("/", 1)[1])
        body = b"<html><body>status</body></html>"
        self.send_response(code)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def status_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StatusHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _Site:
    def __init__(self, origin: str) -> None:
        self.origin = origin


def _fetch_statuses(origin: str, statuses) -> dict[int, tuple[str, list[str]]]:
    settings = replace(trap_settings(_Site(origin)), retries=2, retry_backoff_seconds=0.0)

    async def run():
        out = {}
        async with Fetcher(settings, allowed_domains=("127.0.0.1",)) as fetcher:
            for s in statuses:
                r = await fetcher.fetch(f"{origin}/status/{s}")
                out[s] = (r.outcome, [a.outcome for a in r.attempts if "/status/" in a.url])
        return out

    return asyncio.run(run())


def test_the_fetcher_retries_what_the_table_says(status_site):
    got = _fetch_statuses(status_site, (404, 410, 500, 501, 502, 503, 429))
    assert got[404] == ("http_error", ["http_error"]) and got[410] == got[404]
    assert got[501] == ("http_error", ["http_error"])
    assert got[500] == got[502] == ("http_error", ["http_error"] * 3)
    assert got[503] == got[429] == ("rate_limited", ["http_error", "http_error", "rate_limited"])


def test_a_change_of_the_table_changes_the_fetchers_retries(status_site, monkeypatch):
    table = dict(OUTCOME_TABLE)
    table["server_error"] = replace(table["server_error"], retry_in_run=False)
    monkeypatch.setattr(outcomes_module, "OUTCOME_TABLE", MappingProxyType(table))
    got = _fetch_statuses(status_site, (502, 503))
    assert got[502] == ("http_error", ["http_error"])
    assert got[503] == ("rate_limited", ["http_error", "http_error", "rate_limited"])


# --- the errors -----------------------------------------------------------------------------------


def _raised(make):
    try:
        make()
    except Exception as e:  # noqa: BLE001
        return e
    raise AssertionError("nothing raised")


@pytest.mark.parametrize("error, outcome", [
    (ExtractionError("no main content found"), "extract_failed"),
    (_raised(lambda: normalize_url("ftp://example.com/x")), "invalid_url"),
    (Refused("robots.txt disallows this path", "robots_disallowed"), "robots_disallowed"),
    (Refused("host h is backing off", "host_backoff"), "host_backoff"),
    (BodyError("corrupt compressed body", "connection_error"), "connection_error"),
    (BodyError("too big", "too_large"), "too_large"),
    (WarehouseBusy("/tmp/x.lock", 3.0, "pid 1"), "warehouse_busy"),
])
def test_each_error_class_maps_to_a_known_outcome(error, outcome):
    assert isinstance(error, OutcomeError) and isinstance(error, ThemewireError)
    assert error.outcome == outcome and outcome in OUTCOME_TABLE
    assert error.transient is OUTCOME_TABLE[outcome].retry_in_run
    assert is_transient(error) is error.transient


def test_errors_keep_their_other_bases_and_refuse_unknown_outcomes():
    assert isinstance(_raised(lambda: normalize_url("")), (UrlRejected, ValueError))
    from warehouse import WarehouseError

    assert isinstance(WarehouseBusy("/tmp/x.lock", 1.0), WarehouseError)
    with pytest.raises(ValueError, match="unknown outcome"):
        Refused("no outcome given")
    with pytest.raises(ValueError, match="unknown outcome"):
        BodyError("typo", "too_larg")
    assert not isinstance(ConfigError("bad"), OutcomeError)


def test_only_a_transient_outcome_retries_a_task():
    from prefect.states import Failed as FailedState

    from flows.tasks import retry_if_transient

    def Failed(error):  # a real Prefect state holding the task's exception
        return FailedState(data=error)

    class DuckTyped(Exception):
        transient = True  # an attribute is not a decision any more

    assert retry_if_transient(None, None, Failed(WarehouseBusy("/tmp/x.lock", 1.0))) is True
    assert retry_if_transient(None, None, Failed(ExtractionError("empty page"))) is False
    assert retry_if_transient(None, None, Failed(DuckTyped("x"))) is False
    assert retry_if_transient(None, None, Failed(RuntimeError("bug"))) is False
