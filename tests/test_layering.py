"""The import rules of docs/architecture.md, checked by parsing every product module (no imports run).

Every .py file under extractors/, warehouse/ and flows/ is parsed with `ast`, and every import in it is
checked, the ones inside functions included (`import x`, `from x import y`, relative imports resolved,
and `importlib.import_module("x")` / `__import__("x")` with a literal name):

- duckdb is imported only in warehouse/;
- prefect (and prefect_dask) only in flows/;
- nothing outside flows/ imports flows, and nothing in flows/ outside flows/cli/ imports flows.cli;
- extractors/ imports nothing of ours outside extractors/;
- warehouse/ imports of ours only extractors.models, extractors.errors and extractors.outcomes;
- only extractors/fetch/ imports httpx, httpcore, socket or anyio (the one network module);
- no function signature has more than 6 parameters (self/cls excluded, keyword-only counted).

Each rule is also fed a small synthetic module that breaks it, so a checker that stopped seeing
violations would fail here too.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT_DIRS = ("extractors", "warehouse", "flows")
OURS = frozenset({"extractors", "warehouse", "flows", "tests", "bench"})  # first-party top-level names
WAREHOUSE_MAY_IMPORT = ("extractors.models", "extractors.errors", "extractors.outcomes")
NETWORK_MODULES = ("httpx", "httpcore", "socket", "anyio")
MAX_PARAMETERS = 6

# The one exception to the parameter rule: a Prefect flow's parameters are its deployment schema
# (prefect.yaml, `prefect deployment run --params`), so the backfill flow keeps its flat keyword options.
# Only flow entry points may appear here; a stale entry fails test_parameter_allowlist_is_current.
PARAMETER_ALLOWLIST = frozenset({"flows/backfill.py:backfill_flow"})
ALLOWLIST_FILES = frozenset({"flows/backfill.py"})


@dataclass(frozen=True)
class Module:
    path: str  # posix, relative to the checkout: "flows/cli/ingest.py"
    source: str

    @property
    def name(self) -> str:
        parts = self.path.removesuffix(".py").split("/")
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    @property
    def package(self) -> str:
        return self.name if self.path.endswith("/__init__.py") else self.name.rpartition(".")[0]

    def tree(self) -> ast.Module:
        return ast.parse(self.source, filename=self.path)


def product_modules() -> list[Module]:
    files = sorted(p for d in PRODUCT_DIRS for p in (ROOT / d).rglob("*.py") if "__pycache__" not in p.parts)
    return [Module(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")) for p in files]


# --- what a module imports ------------------------------------------------------------------------------

def _resolve(mod: Module, level: int, target: str | None) -> str:
    if not level:
        return target or ""
    base = mod.package.split(".") if mod.package else []
    base = base[:len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, *([target] if target else [])])


def _literal_import(node: ast.Call) -> str | None:
    func = node.func
    named = (isinstance(func, ast.Name) and func.id == "__import__") or (
        isinstance(func, ast.Attribute) and func.attr == "import_module")
    if named and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def imports_of(mod: Module) -> Iterator[tuple[int, str]]:
    """(line, dotted name) for every import; `from a import b` yields a.b (b may be a submodule)."""
    for node in ast.walk(mod.tree()):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(mod, node.level, node.module)
            for alias in node.names:
                yield node.lineno, base if alias.name == "*" else f"{base}.{alias.name}".strip(".")
        elif isinstance(node, ast.Call) and (name := _literal_import(node)):
            yield node.lineno, name


def _under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _in_dir(path: str, *dirs: str) -> bool:
    return any(path.startswith(d.rstrip("/") + "/") for d in dirs)


# --- the import rules: (module, imported name) -> a message when broken ----------------------------------

def duckdb_only_in_warehouse(mod: Module, name: str) -> str | None:
    if _under(name, "duckdb") and not _in_dir(mod.path, "warehouse"):
        return "duckdb is imported only in warehouse/"
    return None


def prefect_only_in_flows(mod: Module, name: str) -> str | None:
    if _under(name, "prefect", "prefect_dask") and not _in_dir(mod.path, "flows"):
        return "prefect is imported only in flows/"
    return None


def nothing_imports_flows(mod: Module, name: str) -> str | None:
    if _under(name, "flows") and not _in_dir(mod.path, "flows"):
        return "nothing outside flows/ imports flows"
    return None


def only_the_cli_imports_the_cli(mod: Module, name: str) -> str | None:
    if _under(name, "flows.cli") and _in_dir(mod.path, "flows") and not _in_dir(mod.path, "flows/cli"):
        return "only flows/cli/ imports flows.cli"
    return None


def extractors_import_only_extractors(mod: Module, name: str) -> str | None:
    ours = name.partition(".")[0] in OURS
    if ours and _in_dir(mod.path, "extractors") and not _under(name, "extractors"):
        return "extractors/ imports nothing of ours outside extractors/"
    return None


def warehouse_imports_only_records(mod: Module, name: str) -> str | None:
    ours = name.partition(".")[0] in OURS
    if ours and _in_dir(mod.path, "warehouse") and not _under(name, "warehouse", *WAREHOUSE_MAY_IMPORT):
        return f"warehouse/ imports of ours only {', '.join(WAREHOUSE_MAY_IMPORT)}"
    return None


def network_only_in_fetch(mod: Module, name: str) -> str | None:
    if _under(name, *NETWORK_MODULES) and not _in_dir(mod.path, "extractors/fetch"):
        return f"only extractors/fetch/ imports {', '.join(NETWORK_MODULES)}"
    return None


IMPORT_RULES: tuple[Callable[[Module, str], str | None], ...] = (
    duckdb_only_in_warehouse, prefect_only_in_flows, nothing_imports_flows, only_the_cli_imports_the_cli,
    extractors_import_only_extractors, warehouse_imports_only_records, network_only_in_fetch,
)


def import_violations(mods: list[Module], rules=IMPORT_RULES) -> list[str]:
    return [f"{mod.path}:{line}: imports {name}: {message}"
            for mod in mods for line, name in imports_of(mod)
            for rule in rules if (message := rule(mod, name))]


# --- the parameter rule ----------------------------------------------------------------------------------

def parameter_count(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    if positional and positional[0].arg in ("self", "cls"):
        positional = positional[1:]
    return len(positional) + len(a.kwonlyargs) + (a.vararg is not None) + (a.kwarg is not None)


def long_signatures(mods: list[Module]) -> dict[str, int]:
    """"path:function" -> parameter count, for every function over MAX_PARAMETERS."""
    out = {}
    for mod in mods:
        for node in ast.walk(mod.tree()):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and parameter_count(node) > MAX_PARAMETERS:
                out[f"{mod.path}:{node.name}"] = parameter_count(node)
    return out


# --- the real code -----------------------------------------------------------------------------------------

def test_every_product_module_is_checked():
    paths = {m.path for m in product_modules()}
    assert {"extractors/fetch/fetcher.py", "warehouse/__init__.py", "flows/cli/__init__.py",
            "flows/sample/server.py"} <= paths
    assert not any(_in_dir(p, "tests", "bench") for p in paths)


def test_import_rules_hold():
    assert import_violations(product_modules()) == []


def test_no_signature_over_six_parameters():
    offenders = long_signatures(product_modules())
    unexpected = {k: n for k, n in offenders.items() if k not in PARAMETER_ALLOWLIST}
    assert unexpected == {}, f"functions over {MAX_PARAMETERS} parameters (self/cls excluded): {unexpected}"


def test_parameter_allowlist_is_current():
    assert {k.partition(":")[0] for k in PARAMETER_ALLOWLIST} <= ALLOWLIST_FILES
    stale = PARAMETER_ALLOWLIST - set(long_signatures(product_modules()))
    assert not stale, f"no longer over {MAX_PARAMETERS} parameters: remove {sorted(stale)} from the allow-list"


# --- each rule fails on a violation -------------------------------------------------------------------------

BROKEN = [  # (rule, path, source): the source breaks the rule
    (duckdb_only_in_warehouse, "extractors/dedupe.py", "import duckdb\n"),
    (duckdb_only_in_warehouse, "flows/cli/stats.py", "def run(args):\n    from duckdb import connect\n"),
    (prefect_only_in_flows, "warehouse/load.py", "from prefect import flow\n"),
    (prefect_only_in_flows, "extractors/process.py", "def f():\n    import prefect_dask\n"),
    (nothing_imports_flows, "warehouse/stats.py", "from flows.report import format_text\n"),
    (nothing_imports_flows, "extractors/process.py", "import importlib\nimportlib.import_module('flows.pool')\n"),
    (only_the_cli_imports_the_cli, "flows/ingest.py", "from flows.cli import EXIT_OK\n"),
    (only_the_cli_imports_the_cli, "flows/sample/server.py", "from ..cli import options\n"),
    (extractors_import_only_extractors, "extractors/content/article.py", "from warehouse import schema\n"),
    (extractors_import_only_extractors, "extractors/content/article.py", "from ...warehouse import schema\n"),
    (extractors_import_only_extractors, "extractors/process.py", "def f():\n    import tests.factories\n"),
    (warehouse_imports_only_records, "warehouse/load.py", "from extractors.config import Settings\n"),
    (warehouse_imports_only_records, "warehouse/load.py", "from extractors import process\n"),
    (warehouse_imports_only_records, "warehouse/load.py", "from extractors.content import extract_article\n"),
    (network_only_in_fetch, "extractors/discover/plan.py", "import httpx\n"),
    (network_only_in_fetch, "flows/tasks.py", "async def f():\n    import anyio\n"),
    (network_only_in_fetch, "flows/sample/server.py", "from socket import create_connection\n"),
    (network_only_in_fetch, "warehouse/load.py", "import httpcore._sync\n"),
]

ALLOWED = [  # (rule, path, source): the same rule lets this through
    (duckdb_only_in_warehouse, "warehouse/load.py", "import duckdb\n"),
    (prefect_only_in_flows, "flows/tasks.py", "from prefect import task\nimport prefect_dask\n"),
    (nothing_imports_flows, "flows/cli/demo.py", "from flows.sample import serve_sample_site\n"),
    (only_the_cli_imports_the_cli, "flows/cli/ingest.py", "from flows.cli import options\nfrom . import runner\n"),
    (extractors_import_only_extractors, "extractors/content/article.py",
     "from ..errors import ExtractionError\nfrom extractors.models import Article\nimport lxml.html\n"),
    (warehouse_imports_only_records, "warehouse/load.py",
     "from extractors.models import Article\nfrom extractors import errors\nfrom extractors.outcomes import X\n"
     "from . import schema\nfrom warehouse.db import connect\n"),
    (network_only_in_fetch, "extractors/fetch/_guards.py", "import socket\nimport httpx\nimport httpcore\n"),
]


def _ids(cases):
    return [f"{rule.__name__}:{path}:{n}" for n, (rule, path, _) in enumerate(cases)]


@pytest.mark.parametrize(("rule", "path", "source"), BROKEN, ids=_ids(BROKEN))
def test_rule_fails_on_a_violation(rule, path, source):
    found = import_violations([Module(path, source)], rules=(rule,))
    assert found, f"{rule.__name__} missed a violation in {path}: {source!r}"
    assert all(v.startswith(f"{path}:") for v in found)
    assert import_violations([Module(path, source)])  # and the full rule set sees it too


@pytest.mark.parametrize(("rule", "path", "source"), ALLOWED, ids=_ids(ALLOWED))
def test_rule_allows_what_the_architecture_allows(rule, path, source):
    assert import_violations([Module(path, source)], rules=(rule,)) == []


def test_relative_imports_resolve_against_the_package():
    got = [name for _, name in imports_of(Module("extractors/content/__init__.py",
                                                  "from .article import x\nfrom .. import errors\n"))]
    assert got == ["extractors.content.article.x", "extractors.errors"]
    got = [name for _, name in imports_of(Module("flows/cli/demo.py", "from . import options\n"))]
    assert got == ["flows.cli.options"]


SIGNATURES = """
def six(a, b, c, d, e, f): ...
def seven(a, b, c, d, e, f, g): ...
def keyword_only(a, b, *, c, d, e, f, g): ...
def starred(a, b, c, d, e, *args, **kwargs): ...
class C:
    def method(self, a, b, c, d, e, f): ...
    @classmethod
    def build(cls, a, b, c, d, e, f, g): ...
    async def fetch(self, a, b, c, d, e, f, g): ...
"""


def test_the_parameter_rule_counts_keyword_only_and_excludes_self():
    offenders = long_signatures([Module("flows/x.py", SIGNATURES)])
    assert offenders == {"flows/x.py:seven": 7, "flows/x.py:keyword_only": 7, "flows/x.py:starred": 7,
                         "flows/x.py:build": 7, "flows/x.py:fetch": 7}
