"""Options shared by several commands, defined once, and the one place that reads the
environment (THEMEWIRE_CONFIG, THEMEWIRE_DB) to build Settings at the edge."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

DEFAULT_CONFIG = "themewire.toml"
DEFAULT_DB = "data/themewire.duckdb"


def add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE",
                   help=f"TOML configuration (default: $THEMEWIRE_CONFIG or ./{DEFAULT_CONFIG})")


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH",
                   help=f"published DuckDB file analysts open (default: $THEMEWIRE_DB or {DEFAULT_DB})")


def add_source(p: argparse.ArgumentParser, *, required: bool = False, many: bool = False) -> None:
    if many:
        p.add_argument("--source", metavar="NAME", action="append", dest="sources",
                       help="a source from the config (repeat for several; default: all)")
    else:
        p.add_argument("--source", metavar="NAME", required=required, help="a source from the config")


def add_fail_on_degraded(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fail-on-degraded", action="store_true",
                   help="exit 1 when a source is degraded: every one of its seeds, feeds and sitemaps failed "
                        "(default: such a run is recorded as degraded and exits 0)")


def config_path(args: argparse.Namespace) -> str:
    return getattr(args, "config", None) or os.environ.get("THEMEWIRE_CONFIG") or DEFAULT_CONFIG


def db_path(args: argparse.Namespace) -> str:
    return str(Path(getattr(args, "db", None) or os.environ.get("THEMEWIRE_DB") or DEFAULT_DB))


def load_settings(args: argparse.Namespace):
    from extractors.config import load_settings as _load

    return _load(config_path(args))
