"""The sample site's package data: its pages, its source config and the expected results."""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

SAMPLE_SOURCE = "ai-connection"
BASE_TOKEN = "{{BASE}}"


def _package_files():
    return importlib.resources.files(__package__)


def _walk(node, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    for child in node.iterdir():
        rel = f"{prefix}/{child.name}"
        if child.is_dir():
            yield from _walk(child, rel)
        else:
            yield rel, child.read_bytes()


def load_site_files() -> dict[str, bytes]:
    """URL path -> raw file bytes (with the {{BASE}} token still in), for every file of the site."""
    return dict(_walk(_package_files().joinpath("site")))


def sample_config_text(base_url: str, served_at: str | None = None) -> str:
    """The bundled themewire.toml for the sample source, pointed at `base_url`. When the site is
    served somewhere else (`served_at`, e.g. "http://127.0.0.1:40123"), the URLs stay under `base_url`
    and fetch.connect_to sends their connections to `served_at`."""
    text = _package_files().joinpath("themewire.toml").read_text(encoding="utf-8")
    text = text.replace(BASE_TOKEN, base_url.rstrip("/"))
    if served_at and served_at.rstrip("/") != base_url.rstrip("/"):
        a, b = (urlsplit(u) for u in (base_url, served_at))
        line = f'connect_to = ["{a.hostname}:{a.port or 80}:{b.hostname}:{b.port or 80}"]\n'
        text = text.replace("[fetch]\n", "[fetch]\n" + line, 1)
    return text


def load_expected() -> dict:
    """The manifest the tests check against: articles (title, date, theme, must/must-not text), etc."""
    return json.loads(_package_files().joinpath("expected.json").read_text(encoding="utf-8"))
