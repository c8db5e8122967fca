"""Scale-out: the ingest flow with extraction on a Dask cluster (prefect-dask) stores the same articles,
and reprocess extracts there too.

Real parts: the sample site on 127.0.0.1, the real Prefect engine (session harness), a Dask
LocalCluster of 2 worker processes reached by its scheduler address (as a remote cluster would be),
and DuckDB files. The same site is ingested twice into two databases, once through the local process
pool and once through Dask, and the stored articles and theme scores must be equal.
"""

from __future__ import annotations

import asyncio

import duckdb
import pytest

from flows.sample import SAMPLE_SOURCE, load_expected, sample_config_text, serve_sample_site

distributed = pytest.importorskip("distributed", reason="prefect-dask is in the dev extras")

ARTICLE_SQL = ("SELECT canonical_url, title, author, published_at, language, text, content_hash "
               "FROM articles WHERE source = ? ORDER BY canonical_url")
THEME_SQL = ("SELECT a.canonical_url, t.theme, round(t.score, 6) AS score, t.is_match FROM article_themes t "
             "JOIN articles a USING (article_id) WHERE a.source = ? ORDER BY 1, 2")


def _read(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, [SAMPLE_SOURCE]).fetchall()


@pytest.fixture(scope="module")
def two_runs(prefect_engine, tmp_path_factory):
    from flows.ingest import ingest_flow

    tmp = tmp_path_factory.mktemp("dask")
    with serve_sample_site() as site, \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster:
        config = tmp / "themewire.toml"
        config.write_text(sample_config_text(site.base_url), encoding="utf-8")
        local = asyncio.run(ingest_flow(config=str(config), db=str(tmp / "local.duckdb")))
        dask = asyncio.run(ingest_flow(config=str(config), db=str(tmp / "dask.duckdb"),
                                       dask_address=cluster.scheduler_address))
        yield {"tmp": tmp, "local": local, "dask": dask, "config": config, "cluster": cluster}


def _task_names(flow_run_id: str) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read():
        async with get_client() as client:
            runs = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])), limit=200)
            return [r.name for r in runs if r.state and r.state.is_completed()]

    return asyncio.run(read())


def test_both_runs_complete(two_runs):
    for key in ("local", "dask"):
        summary = two_runs[key]["sources"][SAMPLE_SOURCE]
        assert summary["status"] == "completed", (key, summary)
        assert summary["stored_new"] >= len(load_expected()["articles"]), (key, summary)


def test_extraction_ran_on_dask(two_runs):
    names = _task_names(two_runs["dask"]["run_id"])
    remote = [n for n in names if n.startswith("extract-remote-")]
    assert remote, f"no extract-remote task runs in the Dask run: {sorted(names)}"
    assert not [n for n in _task_names(two_runs["local"]["run_id"]) if n.startswith("extract-remote-")]


def test_dask_run_stores_the_same_articles(two_runs):
    local = _read(two_runs["tmp"] / "local.duckdb", ARTICLE_SQL)
    dask = _read(two_runs["tmp"] / "dask.duckdb", ARTICLE_SQL)
    assert len(local) >= len(load_expected()["articles"])
    assert dask == local


def test_dask_run_stores_the_same_theme_scores(two_runs):
    local = _read(two_runs["tmp"] / "local.duckdb", THEME_SQL)
    assert local
    assert _read(two_runs["tmp"] / "dask.duckdb", THEME_SQL) == local


def test_reprocess_extracts_on_dask_too_and_changes_nothing(two_runs):
    from flows.reprocess import reprocess_flow

    result = asyncio.run(reprocess_flow(config=str(two_runs["config"]), db=str(two_runs["tmp"] / "dask.duckdb"),
                                        dask_address=two_runs["cluster"].scheduler_address))
    summary = result["sources"][SAMPLE_SOURCE]
    assert summary["status"] == "completed", summary
    diff = summary["diff"]
    assert diff["pages"] and diff["unchanged"] == diff["pages"], diff
    assert [n for n in _task_names(result["run_id"]) if n.startswith("extract-remote-")]


def test_dask_run_keeps_raw_bodies(two_runs):
    """Pages come back from the workers without bodies; the flow puts its own back before loading."""
    from warehouse.batch import decompress
    from warehouse.rawstore import RawStore, store_dir

    def bodies(db):
        store = RawStore(store_dir(db))
        sql = "SELECT url, raw_key, compression FROM internal.raw_pages WHERE source = ? ORDER BY url"
        return [(url, decompress(store.read(key), comp)) for url, key, comp in _read(db, sql)]

    local, dask = (bodies(two_runs["tmp"] / f"{k}.duckdb") for k in ("local", "dask"))
    assert local and all(body for _, body in local)
    assert dask == local
