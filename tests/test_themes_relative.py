"""The decision score: each theme's z (embedding + BM25 lexical evidence, z-scored against the background)
minus the floored mean z of the set's other themes, so one threshold holds across kinds of text."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from extractors.config import Theme
from extractors.themes import DEFAULT_PARAMS, classify_article, load_classifier
from extractors.themes._features import doc_features, doc_text
from extractors.themes._lexical import lexical_tokens, prepare_lexical
from extractors.themes._score import RELATIVE_FLOOR, relative_scores, score

from test_themes import CHIP, ON_THEME, THEMES


def test_relative_scores_subtract_the_other_themes_mean_floored():
    z = np.array([[3.0, 1.0, 2.0], [0.5, -4.0, -6.0]])
    rel = relative_scores(z)
    assert rel[0].tolist() == pytest.approx([3 - 1.5, 1 - 2.5, 2 - 2.0])
    # the second row's other themes sit far below the background: their mean counts only down to the floor
    assert rel[1, 0] == pytest.approx(0.5 - RELATIVE_FLOOR)
    assert rel[1, 1] == pytest.approx(-4.0 - RELATIVE_FLOOR)
    assert relative_scores(np.array([1.7])).tolist() == [1.7]  # one theme: nothing to compare with


def test_score_is_z_relative_to_the_other_themes_and_evidence_keeps_both():
    scores = classify_article(ON_THEME["AI companionship"], THEMES)
    z = np.array([s.evidence["z"] for s in scores])
    assert [s.score for s in scores] == pytest.approx(relative_scores(z).tolist(), abs=1e-3)
    assert all("lexical_z" in s.evidence for s in scores)


def test_an_article_that_lifts_every_theme_alike_matches_none():
    """A text that is as much about every theme gets high z on all of them; relative to each other none
    stands out, so nothing matches (an absolute z threshold would match all four). This is the price of
    the relative score: an article truly on all of a set's themes at once is rejected."""
    generic = " ".join(ON_THEME[t.name] for t in THEMES)
    scores = classify_article(generic, THEMES)
    assert min(s.evidence["z"] for s in scores) > 0
    assert not any(s.is_match for s in scores)
    assert classify_article(ON_THEME["AI companionship"], THEMES)[0].is_match


def test_bm25_lexical_evidence_counts_for_the_theme_whose_words_occur():
    clf = load_classifier()
    prep = clf.prepare(THEMES)
    on = score(doc_features(clf.embedder, doc_text(ON_THEME["Eldercare technology"], None)), prep)
    off = score(doc_features(clf.embedder, doc_text(CHIP, None)), prep)
    assert on.lex[2] > 1.0 > off.lex[2]
    without = dataclasses.replace(DEFAULT_PARAMS, lexical_weight=0.0)
    from extractors.themes import ThemeClassifier

    bare = ThemeClassifier(clf.embedder, params=without).prepare(THEMES)
    on_bare = score(doc_features(clf.embedder, doc_text(ON_THEME["Eldercare technology"], None)), bare)
    assert on.z[2] == pytest.approx(on_bare.z[2] + DEFAULT_PARAMS.lexical_weight * on.lex[2], rel=1e-5)


def test_lexical_statistics_come_from_the_calibration_texts():
    themes = (Theme("Rail strikes", "Train drivers walking out over pay.", ("strike", "train drivers")),)
    lex, raw = prepare_lexical(themes, ("The train drivers went on strike.", "Bakeries sold bread.", "Rain."))
    assert raw.shape == (3, 1) and raw[0, 0] > 0 and raw[1, 0] == raw[2, 0] == 0
    assert lexical_tokens("Strikes, striking trains") == ["strik", "strik", "train"]
    assert lex.raw(lexical_tokens("more strikes by train drivers"))[0] > lex.raw(lexical_tokens("strike"))[0]
