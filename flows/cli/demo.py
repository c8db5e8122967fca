"""themewire demo: serve the bundled sample site on 127.0.0.1 and ingest it into a local DuckDB file."""

from __future__ import annotations

from flows.cli import options, output

NAME = "demo"
HELP = "serve the bundled sample site on 127.0.0.1 and ingest it into a local DuckDB file"
DESCRIPTION = (HELP + ". Prints what was stored per theme, what was skipped and why, and SQL to try. "
               "A second run on the same database adds nothing twice.")

PREFERRED_PORT = 8765  # where the site listens if it can; else any free port
DEMO_ORIGIN = "http://127.0.0.1:8765"  # the URLs the demo stores, whatever port the site got: a run on
# another port reaches the site through fetch.connect_to, so every run shares one row per article

QUERIES = (
    ("Articles with their top theme",
     "SELECT published_at::DATE AS day, on_theme, top_theme, round(top_score, 2) AS score, left(title, 44) AS title\n"
     "FROM v_articles ORDER BY published_at DESC LIMIT 10;"),
    ("Full-text search (BM25)",
     "SELECT left(title, 56) AS title, round(score, 2) AS score FROM search_articles('lonely older people robot');"),
    ("What every request did",
     "SELECT outcome, count(*) AS requests, round(avg(elapsed_ms)) AS avg_ms\n"
     "FROM fetches GROUP BY outcome ORDER BY requests DESC;"),
)


def add_arguments(p) -> None:
    options.add_db(p)
    p.add_argument("--port", type=int, default=PREFERRED_PORT,
                   help=f"port for the sample site on 127.0.0.1 (default {PREFERRED_PORT}; a free one if taken); "
                        f"its URLs are stored under {DEMO_ORIGIN} whatever the port")


def run(args) -> int:
    import tempfile
    from contextlib import ExitStack
    from pathlib import Path

    from flows.cli.runner import run_ingest
    from flows.sample import SAMPLE_SOURCE, sample_config_text, serve_sample_site

    db = options.db_path(args)
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        site = _start_site(stack, serve_sample_site, args.port)
        config = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "themewire.toml"
        config.write_text(sample_config_text(site.base_url, site.served_url), encoding="utf-8")
        where = "" if site.served_url == site.base_url else f" (listening on {site.served_url})"
        output.info(f"demo: serving the sample site at {site.base_url}/{where}; ingesting source "
                    f"{SAMPLE_SOURCE!r}")
        code = run_ingest(str(config), [SAMPLE_SOURCE], db, command="demo")
    if code == 0:
        output.text(_after_run(db))
    return code


def _start_site(stack, serve, port: int):
    """The site on `port`, or on any free port if that one is taken; its pages under DEMO_ORIGIN."""
    try:
        return stack.enter_context(serve(port=port, public_url=DEMO_ORIGIN))
    except OSError:
        return stack.enter_context(serve(port=0, public_url=DEMO_ORIGIN))


def _after_run(db: str) -> str:
    from warehouse.summary import read_demo_summary

    s = read_demo_summary(db)
    out = ["", f"Database: {db}  ({s['articles']} articles, {s['on_theme']} on-theme)", "",
           "Articles per theme (matches):"]
    out += [f"  {n:4d}  {theme}" for theme, n in s["themes"]]
    out += [f"  {s['off_theme']:4d}  (off-theme: no theme above its threshold)"]
    if s["skipped"]:
        out += ["", "Skipped, and why:"]
        out += [f"  {n:4d}  {outcome}: {example}" for outcome, n, example in s["skipped"]]
    out += ["", f"Try these in the DuckDB shell (`duckdb -readonly {db}`; ./run puts it in .venv/bin) "
                f"or Python (`duckdb.connect({db!r}, read_only=True)`):"]
    for title, sql in QUERIES:
        out += ["", f"-- {title}", sql]
    return "\n".join(out)
