"""`themewire export`: the analyst tables and views as files, one `<name>.<ext>` per table or view, in
Parquet, CSV (header row; lists and maps as DuckDB writes them) or JSON lines (one object per row)."""

from __future__ import annotations

import os
from pathlib import Path

from .reader import open_reader

# Everything analysts query: the main schema's tables (the internal schema holds the raw store's keys
# and the search index) ...
ANALYST_TABLES = ("articles", "article_themes", "fetches", "runs", "skips", "urls", "article_links",
                  "article_dates", "article_authors", "duplicates", "run_pages", "page_types")
# ... and the analyst views of views.sql.
ANALYST_VIEWS = ("v_articles", "v_theme_daily", "v_theme_weekly", "v_source_health", "v_skipped")

FORMATS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}  # format -> file extension


def export_tables(db_path: str | os.PathLike, out_dir: str | os.PathLike, fmt: str = "parquet") -> list[Path]:
    """Write <out_dir>/<name>.<ext> for each analyst table and view (streamed, not held in memory);
    each file is written under a temp name and renamed, so a crash leaves no half file."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    con = open_reader(db_path)
    try:
        present = {n for (n,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
            "UNION SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal").fetchall()}
        for name in (*ANALYST_TABLES, *ANALYST_VIEWS):
            if name not in present:
                continue
            target, tmp = out / f"{name}.{FORMATS[fmt]}", out / f".{name}.{FORMATS[fmt]}.tmp"
            _write(con, name, tmp, fmt)  # constant names
            os.replace(tmp, target)
            written.append(target)
    finally:
        con.close()
    return written


def _write(con, name: str, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        reader = con.execute(f"SELECT * FROM {name}").to_arrow_reader(50_000)
        with pq.ParquetWriter(path, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
        return
    target = str(path).replace("'", "''")
    # TIMESTAMPTZ columns are written in the session's zone: UTC (writer.connect), with its offset
    options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT json"
    con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' ({options})")


def export_parquet(db_path: str | os.PathLike, out_dir: str | os.PathLike) -> list[Path]:
    """`export --parquet DIR`: export_tables in Parquet."""
    return export_tables(db_path, out_dir, "parquet")
