"""What a run shows: progress (a rich bar on a terminal, plain lines at a bounded rate otherwise), the
global --quiet/--json/--version options, and the demo's URLs that do not depend on its port."""

from __future__ import annotations

import json
import socket

import pytest

from dbquery import query as _q
from flows.cli import main
from flows.cli.output import hoist_global_options
from flows.progress import _RunLines, cli_progress, progress_active, report_progress
from flows.report import Tally
from flows.sample import SAMPLE_SOURCE, load_expected, sample_config_text, serve_sample_site


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.parts: list[str] = []
        self._tty = tty

    def write(self, s: str) -> int:
        self.parts.append(s)
        return len(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self._tty

    def text(self) -> str:
        return "".join(self.parts)


def _tally(discovered: int, fetched: int, stored: int, failed: int) -> Tally:
    t = Tally(discovered=discovered, fetched=fetched, stored_new=stored)
    t.failed["http_error"] = failed
    return t


def test_plain_progress_lines_are_rate_bounded_and_end_with_the_last_counts():
    now = [0.0]
    stream = _Stream(tty=False)
    with cli_progress("ingest", stream=stream, interval=10.0, clock=lambda: now[0]) as sink:
        assert isinstance(sink, _RunLines) and progress_active()
        for i in range(1, 201):  # 200 batches in 2 s: one line, not 200
            now[0] = i * 0.01
            report_progress("news", _tally(500, i, i - 1, 0))
        now[0] = 12.0
        report_progress("news", _tally(500, 300, 290, 5))  # the interval has passed: a line
        now[0] = 12.5
        report_progress("news", _tally(500, 400, 380, 7))  # held back, printed at the end
    assert not progress_active()
    lines = stream.text().splitlines()
    assert lines == ["ingest news: discovered 500, fetched 1, stored 0, failed 0",
                     "ingest news: discovered 500, fetched 300, stored 290, failed 5",
                     "ingest news: discovered 500, fetched 400, stored 380, failed 7"]


def test_a_terminal_gets_a_rich_bar_per_source():
    stream = _Stream(tty=True)
    with cli_progress("backfill", stream=stream):
        report_progress("news", _tally(8, 3, 2, 1))
    out = stream.text()
    assert "backfill news" in out and "4/8" in out and "stored 2, failed 1" in out


def test_without_a_sink_reporting_is_a_no_op_and_quiet_shows_nothing():
    report_progress("news", _tally(1, 1, 1, 0))  # a deployment's run: nothing installed
    stream = _Stream(tty=False)
    with cli_progress("ingest", stream=stream, lines=False) as sink:
        assert sink is None
        report_progress("news", _tally(1, 1, 1, 0))
    assert stream.text() == ""


def test_global_options_may_follow_the_command():
    assert hoist_global_options(["ingest", "--json", "--source", "a"]) == ["--json", "ingest", "--source", "a"]
    assert hoist_global_options(["extract", "--format", "json", "--", "--quiet"]) == [
        "extract", "--format", "json", "--", "--quiet"]


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.startswith("themewire 0.")


@pytest.fixture(scope="module")
def sample_runs(prefect_engine, tmp_path_factory):
    """`themewire --json ingest` then `themewire ingest --quiet` of the sample site plus a 404 seed."""
    tmp = tmp_path_factory.mktemp("output")
    db, config = tmp / "tw.duckdb", tmp / "themewire.toml"
    with serve_sample_site() as site:
        text = sample_config_text(site.base_url).replace("seeds = [", f'seeds = ["{site.base_url}/errors/404", ', 1)
        config.write_text(text)
        yield {"db": db, "config": config, "site": site}


def test_json_prints_the_run_summary_on_stdout(sample_runs, capsys):
    capsys.readouterr()
    code = main(["--json", "ingest", "--config", str(sample_runs["config"]), "--db", str(sample_runs["db"])])
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads(out)  # stdout is the JSON document and nothing else
    n = len(load_expected()["articles"])
    assert doc["command"] == "ingest" and doc["status"] == "completed" and doc["duration_seconds"] > 0
    assert doc["counts"]["stored_new"] == n and doc["failures_by_outcome"] == {"http_error": 1}
    (row,) = doc["runs"]  # the runs row as the published file holds it
    stored = _q(sample_runs["db"], "SELECT run_id, source, status, stored_new, failed, failures FROM runs")
    assert [(row["run_id"], row["source"], row["status"], row["stored_new"], row["failed"], row["failures"])] \
        == stored
    assert stored[0][:4] == (doc["run_id"], SAMPLE_SOURCE, "completed", n) and stored[0][5]["http_error"] == 1
    assert doc["sources"][SAMPLE_SOURCE]["failures_by_outcome"] == {"http_error": 1}


def test_quiet_prints_only_the_one_line_result(sample_runs, capsys):
    capsys.readouterr()
    code = main(["ingest", "--quiet", "--config", str(sample_runs["config"]), "--db", str(sample_runs["db"])])
    captured = capsys.readouterr()
    assert code == 0
    (line,) = captured.out.splitlines()
    assert line.startswith("ingest completed in ") and "stored new 0" in line and "failed 1" in line
    assert captured.err == ""


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def test_two_demo_runs_on_different_ports_store_each_article_once(prefect_engine, tmp_path, capsys):
    db = tmp_path / "demo.duckdb"
    first, second = _free_ports(2)
    assert main(["demo", "--db", str(db), "--port", str(first), "--quiet"]) == 0
    assert main(["demo", "--db", str(db), "--port", str(second), "--quiet"]) == 0
    n = len(load_expected()["articles"])
    rows = _q(db, "SELECT canonical_url, count(*) FROM articles GROUP BY canonical_url")
    assert len(rows) == n and all(c == 1 for _, c in rows)
    assert all(u.startswith("http://127.0.0.1:8765/") for u, _ in rows)
    second_run = _q(db, "SELECT stored_new, not_modified FROM runs ORDER BY started_at")[1]
    assert second_run[0] == 0 and second_run[1] >= n - 1  # conditional GETs: the same URLs, 304s
    ports = {u.split("/")[2] for (u,) in _q(db, "SELECT DISTINCT url FROM fetches")}
    assert ports == {"127.0.0.1:8765"}


def test_connect_to_is_validated_and_normalised():
    from extractors.config import load_settings_text
    from extractors.errors import ConfigError

    ok = load_settings_text('[fetch]\nconnect_to = ["Sample.TEST:80:127.0.0.1:40123"]\n', "t.toml")
    assert ok.fetch.connect_to == ("sample.test:80:127.0.0.1:40123",)
    with pytest.raises(ConfigError, match=r"t.toml:2: .*HOST:PORT:HOST2:PORT2"):
        load_settings_text('[fetch]\nconnect_to = ["127.0.0.1:40123"]\n', "t.toml")


def test_the_demo_config_points_connections_at_the_port_it_got():
    text = sample_config_text("http://127.0.0.1:8765", "http://127.0.0.1:40123")
    assert 'connect_to = ["127.0.0.1:8765:127.0.0.1:40123"]' in text
    assert "connect_to" not in sample_config_text("http://127.0.0.1:8765", "http://127.0.0.1:8765")


def test_the_console_level_prefect_reads_follows_the_mode():
    import argparse

    from flows.cli import output

    for flags, level in (({}, "WARNING"), ({"quiet": True}, "ERROR"), ({"json_output": True}, "ERROR"),
                         ({"verbose": True}, "INFO")):
        env: dict[str, str] = {}
        output.configure(argparse.Namespace(**flags), env)
        assert env == {"PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": level}, flags
    output.configure(argparse.Namespace(), {})
