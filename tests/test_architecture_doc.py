"""docs/architecture.md cites only what exists.

Every backticked dotted name starting with `extractors.`, `warehouse.` or `flows.` must import (a module) or
resolve (a module, then a chain of attributes); every backticked repository path (`extractors/fetch/_guards.py`,
`warehouse/`, `flows/ingest.py:ingest_flow`) must exist, and its `:name` part resolve in that module; every
relative markdown link must point at a file. The self-check feeds the checker a synthetic text with bogus
names, so the check is known to report them.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "architecture.md"

OUR_PACKAGES = ("extractors", "warehouse", "flows")
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_SPAN = re.compile(r"`([^`\n]+)`")
_DOTTED = re.compile(r"^(?:%s)(?:\.[A-Za-z_]\w*)+$" % "|".join(OUR_PACKAGES))
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _spans(text: str) -> list[str]:
    """Inline code spans outside fenced blocks, a trailing `()` dropped."""
    return [s.strip().removesuffix("()") for s in _SPAN.findall(_FENCE.sub("", text))]


def _is_path(span: str) -> bool:
    return ("/" in span and not any(c.isspace() for c in span)
            and not any(mark in span for mark in ("://", "<", "*", "{", "$")))


def resolve(name: str) -> bool:
    """True when `name` is an importable module, or a module followed by attributes that exist."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        module_name = ".".join(parts[:i])
        try:
            obj = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name and (module_name == e.name or module_name.startswith(e.name + ".")):
                continue  # no such module: the rest may be attributes of a shorter one
            raise
        for attr in parts[i:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def _module_of(path: str) -> str | None:
    p = Path(path)
    if p.suffix != ".py":
        return None
    parts = p.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def check_path(span: str, root: Path) -> str | None:
    """None when the path (and its `:name` part) exists, else the problem."""
    path, _, attr = span.partition(":")
    if path.startswith("../"):
        return None  # beside the checkout (../shared/), not part of the repository
    if not (root / path).exists():
        return f"path `{span}` does not exist"
    if attr:
        module = _module_of(path)
        if module is None or not resolve(f"{module}.{attr}"):
            return f"`{span}`: {attr} is not defined in {path}"
    return None


def problems(text: str, *, root: Path = REPO, doc_dir: Path | None = None) -> list[str]:
    """Every cited name, path or link in `text` that does not exist."""
    found = []
    for span in _spans(text):
        if _DOTTED.match(span):
            if not resolve(span):
                found.append(f"name `{span}` does not resolve")
        elif _is_path(span):
            problem = check_path(span, root)
            if problem:
                found.append(problem)
    base = doc_dir or root
    for target in _LINK.findall(_FENCE.sub("", text)):
        file = target.split("#", 1)[0]
        if file and "://" not in file and not (base / file).exists():
            found.append(f"link ({target}) points at nothing")
    return found


def test_architecture_doc_cites_only_what_exists():
    text = DOC.read_text(encoding="utf-8")
    cited = [s for s in _spans(text) if _DOTTED.match(s) or _is_path(s)]
    assert len(cited) > 50, "docs/architecture.md should cite the modules and names it describes"
    assert problems(text, doc_dir=DOC.parent) == []


def test_the_checker_reports_bogus_names_paths_and_links(tmp_path):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "real.py").write_text("x = 1\n", encoding="utf-8")
    text = "\n".join([
        "Real: `extractors.fetch.Fetcher`, `extractors.fetch.Fetcher.fetch()`, `warehouse.load`,",
        "`flows/real.py`, `flows/`, `fetch.max_bytes` (a setting, not ours), `<db>.raw/`, `(html, url)`.",
        "Bogus: `extractors.fetch.NoSuchFetcher`, `warehouse.nosuchmodule.thing`, `flows.ingest.no_such_flow`,",
        "`extractors/nosuch.py`, `flows/real.py:nothing`, and a [link](missing.md).",
        "```python",
        "`extractors.ignored.in_fenced_code`",
        "```",
    ])
    assert problems(text, root=tmp_path) == [
        "name `extractors.fetch.NoSuchFetcher` does not resolve",
        "name `warehouse.nosuchmodule.thing` does not resolve",
        "name `flows.ingest.no_such_flow` does not resolve",
        "path `extractors/nosuch.py` does not exist",
        "`flows/real.py:nothing`: nothing is not defined in flows/real.py",
        "link (missing.md) points at nothing",
    ]
