"""Quality gate: our extraction on the development set (../shared/data/extraction-devset, 990 real pages with
must-keep / must-drop segments) must not fall below the floors committed in tests/extraction_floor.json.

Scored as the set's README describes (tests/content_eval.py). Runs on a process pool over 2 cores.
Skipped ONLY when the development set directory is absent (CI has it beside the checkout).
"""

from __future__ import annotations

import json
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest

from content_eval import DEVSET, FLOOR_FILE, Counts, devset_page, load_devset_cases

GATE_KEEPS = 0.995  # the share of the devset's pages the page-type gate must keep as articles

pytestmark = pytest.mark.skipif(not (DEVSET / "cases.json").exists(),
                                reason=f"extraction development set not found at {DEVSET}")


def test_floors_are_not_below_trafilatura_alone():
    floor = json.loads(FLOOR_FILE.read_text("utf-8"))
    assert floor["f1"] >= 0.926  # trafilatura 2.3.1 alone, include_comments=False (the set's README)
    assert floor["precision"] >= 0.907


def test_devset_scores_stay_above_floors():
    floor = json.loads(FLOOR_FILE.read_text("utf-8"))
    cases = load_devset_cases()
    assert len(cases) >= 900
    total = Counts()
    kinds: Counter[str] = Counter()
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        for result in pool.map(devset_page, [(u, c, str(DEVSET), False) for u, c in cases], chunksize=16):
            total.add(result["ours"])
            kinds[result["ours_kind"]] += 1
    # every devset page is an article: the page-type gate must keep (nearly) all of those extraction keeps
    gated = kinds["article"] + kinds["listing"] + kinds["other"]
    assert kinds["article"] >= GATE_KEEPS * gated, f"the page-type gate keeps only {kinds}"
    got = dict(precision=total.precision, recall=total.recall, f1=total.f1)
    report = ", ".join(f"{k} {got[k]:.4f} (floor {floor[k]:.4f})" for k in ("precision", "recall", "f1"))
    assert all(got[k] >= floor[k] for k in ("precision", "recall", "f1")), report
