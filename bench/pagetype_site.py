"""The page-type gate and the URL-family caps on the news-site fixture (tests/newssite.py): two ingest runs.

    .venv/bin/python bench/pagetype_site.py                      # into a temporary database
    .venv/bin/python bench/pagetype_site.py --db /tmp/news.duckdb

Serves the site on 127.0.0.1, runs `themewire ingest` twice (the real flow, Prefect's ephemeral engine) and
prints, per run: requests, articles stored, rows of `articles` that are not the site's articles, the
`not_article` and `family_capped` skips, calendar pages fetched, and the page types recorded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="themewire-bench-prefect-"))

from dbquery import query  # noqa: E402
from newssite import ARTICLES, SOURCE, serve_news_site  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="themewire-pagetype-"))
    db = Path(args.db) if args.db else work / "news.duckdb"
    from flows.cli import main as cli

    article_paths = {a.path for a in ARTICLES}
    with serve_news_site() as site:
        cfg = work / "themewire.toml"
        cfg.write_text(site.config_text(), encoding="utf-8")
        for run in (1, 2):
            site.clear()
            code = cli(["ingest", "--config", str(cfg), "--db", str(db)])
            requests = site.requested()
            (run_id,) = query(db, "SELECT run_id FROM runs WHERE source = ? ORDER BY started_at DESC LIMIT 1",
                              SOURCE)[0]
            stored = [u for (u,) in query(db, "SELECT url FROM articles WHERE source = ?", SOURCE)]
            junk = [u for u in stored if u.removeprefix(site.base_url) not in article_paths]
            skips = Counter(o for (o,) in query(db, "SELECT outcome FROM skips WHERE run_id = ?", run_id))
            (new,) = query(db, "SELECT stored_new FROM runs WHERE run_id = ?", run_id)[0]
            print(f"run {run}: exit {code}; {len(requests)} requests ({site.not_modified} answered 304), "
                  f"{sum(p.startswith('/events/') for p in requests)} calendar pages requested; "
                  f"stored new {new}; articles rows {len(stored)} (not the site's articles: {len(junk)}); "
                  f"skips {dict(skips)}")
    types = query(db, "SELECT kind, page_type, count(*) FROM page_types GROUP BY ALL ORDER BY ALL")
    print("page_types:", ", ".join(f"{k}/{t} {n}" for k, t, n in types))
    print(f"database: {db}")


if __name__ == "__main__":
    main()
