"""Result output shared by the read commands (query, search, failures, classify): --format
table|csv|json, default table on a terminal and json otherwise (sqlite-utils' habit)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence, TextIO

FORMATS = ("table", "csv", "json")
MAX_CELL = 60  # characters of a cell shown in a table (csv and json carry every character)


def add_format(p: argparse.ArgumentParser, *, formats: Sequence[str] = FORMATS, default: str | None = None) -> None:
    p.add_argument("--format", choices=formats, default=default,
                   help=f"output format (default: {default or 'table on a terminal, json otherwise'})")


def chosen_format(args: argparse.Namespace, stream: TextIO | None = None) -> str:
    if args.format:
        return args.format
    stream = stream or sys.stdout
    return "table" if getattr(stream, "isatty", lambda: False)() else "json"


def plain(value: Any) -> Any:
    """A DuckDB value as JSON: datetimes ISO 8601, maps as objects, decimals as numbers."""
    import datetime as dt
    import decimal
    import json

    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, str) or value is None or isinstance(value, (int, float, bool)):
        return value
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.6g}"
    text = value.isoformat(sep=" ") if hasattr(value, "isoformat") and not isinstance(value, str) else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def write_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, out: TextIO | None = None) -> None:
    """`rows` under `columns` in `fmt`: an aligned table, CSV with a header, or a JSON array of objects."""
    import csv
    import json

    out = out or sys.stdout
    if fmt == "json":
        json.dump([{c: plain(v) for c, v in zip(columns, r)} for r in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([json.dumps(plain(v), ensure_ascii=False) if isinstance(v, (dict, list, tuple))
                        else "" if v is None else plain(v) for v in r])
    else:
        cells = [[_cell(v) for v in r] for r in rows]
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
        line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
        out.write(line(columns) + "\n")
        out.write(line(["-" * w for w in widths]) + "\n")
        for r in cells:
            out.write(line(r) + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
