"""Shared by tests/test_devset_gate.py, tests/test_content_golden.py and bench/eval_extraction.py:
where the corpora are, how a page is scored, and one worker that runs trafilatura alone and/or ours.

Scoring (the development set's README): per page, each must-keep segment found in the output is a true
positive, each missing one a false negative; each must-drop segment found is a false positive. Output
whitespace is collapsed to single spaces before matching (that reproduces the README's trafilatura numbers).
"""

from __future__ import annotations

import gzip
import json
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO.parent / "shared" / "data" / "extraction-devset"
GOLDEN = REPO / "tests" / "golden"
FLOOR_FILE = REPO / "tests" / "extraction_floor.json"
BASELINE_OPTIONS = dict(include_comments=False)  # "trafilatura alone" as in the README table


@dataclass
class Counts:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.tn += other.tn

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_text(text: str, keep: list[str], drop: list[str]) -> Counts:
    out = " ".join((text or "").split())
    tp = sum(" ".join(s.split()) in out for s in keep)
    fp = sum(" ".join(s.split()) in out for s in drop)
    return Counts(tp, len(keep) - tp, fp, len(drop) - fp)


def load_devset_cases(root: Path = DEVSET) -> list[tuple[str, dict]]:
    return sorted(json.loads((root / "cases.json").read_text("utf-8")).items())


def run_ours(raw: bytes, url: str) -> str:
    return run_ours_typed(raw, url)[0]


def run_ours_typed(raw: bytes, url: str) -> tuple[str, str]:
    """(text, the page-type gate's kind: article, listing or other); ("", "failed") if extraction failed."""
    from extractors.content import extract_article
    from extractors.errors import ExtractionError

    try:
        article = extract_article(raw, url)
    except ExtractionError:
        return "", "failed"
    return article.text, article.page_type.kind if article.page_type is not None else "article"


def run_baseline(raw: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(raw, url=url, **BASELINE_OPTIONS) or ""


def devset_page(args: tuple[str, dict, str, bool]) -> dict:
    """Worker: score one devset page with ours (and trafilatura alone if asked); times in seconds."""
    url, case, root, with_baseline = args
    raw = gzip.decompress((Path(root) / "pages" / case["file"]).read_bytes())
    out: dict = {"url": url}
    runners = [("ours", run_ours_typed)] + ([("baseline", run_baseline)] if with_baseline else [])
    for name, fn in runners:
        t0 = time.perf_counter()
        text = fn(raw, url)
        out[name + "_s"] = time.perf_counter() - t0
        if name == "ours":
            text, out["ours_kind"] = text
        out[name] = score_text(text, case["with"], case["without"])
    return out


def load_golden(root: Path = GOLDEN) -> list[tuple[str, dict, bytes]]:
    """(name, spec, raw bytes) for every tests/golden/NAME.json + NAME.html pair."""
    cases = []
    for spec_path in sorted(root.glob("*.json")):
        spec = json.loads(spec_path.read_text("utf-8"))
        cases.append((spec_path.stem, spec, spec_path.with_suffix(".html").read_bytes()))
    return cases
