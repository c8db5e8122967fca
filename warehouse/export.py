"""`themewire export --parquet DIR`: the analyst tables as Parquet files (one per table)."""

from __future__ import annotations

import os
from pathlib import Path

from .reader import open_reader

# Everything analysts query except raw HTML (raw_pages) and the search index.
ANALYST_TABLES = ("articles", "article_themes", "fetches", "runs", "skips", "urls", "article_links",
                  "article_dates", "article_authors", "duplicates", "run_pages", "page_types")


def export_parquet(db_path: str | os.PathLike, out_dir: str | os.PathLike) -> list[Path]:
    """Write <out_dir>/<table>.parquet for each analyst table (streamed in record batches);
    each file is written under a temp name and renamed, so a crash leaves no half file."""
    import pyarrow.parquet as pq

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    con = open_reader(db_path)
    try:
        for name in ANALYST_TABLES:
            reader = con.execute(f"SELECT * FROM {name}").to_arrow_reader(50_000)  # constant names
            target, tmp = out / f"{name}.parquet", out / f".{name}.parquet.tmp"
            with pq.ParquetWriter(tmp, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
            os.replace(tmp, target)
            written.append(target)
    finally:
        con.close()
    return written
