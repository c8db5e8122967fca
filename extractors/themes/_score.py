"""Scoring an article against prepared themes: the hybrid of static-embedding similarity, keyword
evidence and BM25, z-scored per theme against the background sample, relative to the set's other themes.

    sim(article, theme) = doc_weight * cos(doc, centroid) + (1 - doc_weight) * max over passages of
                          cos(passage, centroid)
    raw = sim + keyword_weight * keyword_score          (keyword_score in 0..1, saturating)
    z = (raw - mean over background of raw) / sqrt(std over background of raw * typical_std)
        + lexical_weight * BM25 z-score against the same background (_lexical)
    score = z - max(mean z of the set's other themes, RELATIVE_FLOOR)       (relative_scores)

z says "how much more of this theme than a generic article"; subtracting the other themes' level removes
what is common to all of them (text length and kind), which is what lets one threshold work across theme
sets and kinds of text. Each theme's spread is shrunk halfway (in log
terms) toward a typical spread: a theme whose background scores happen to be tightly bunched otherwise
gets inflated z-scores and wins the top spot too easily (bench/eval_themes.py --ablation: +2 to +3
points of top-theme macro-F1 and slightly better off-theme AUROC than the plain z-score).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ._background import Background
from ._features import DocFeatures
from ._lexical import Lexical, lexical_tokens, prepare_lexical
from ._model import StaticEmbedder, normalise
from ._text import Keyword, compile_keyword, keyword_counts, keyword_score
from ..config import Theme

_URL = re.compile(r"^\s*https?://", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Params:
    doc_weight: float = 0.5
    keyword_weight: float = 0.15
    min_std: float = 0.02  # floor for a theme's background spread
    std_power: float = 0.5  # 1: plain z-score; <1 shrinks each theme's spread toward typical_std
    typical_std: float = 0.08
    example_weight: float = 0.5  # examples' share of the centroid vs "name. description" + keywords
    self_train_k: int = 10  # with a source's own articles: its most confident ones per theme join the centroid
    self_train_min_z: float = 0.8  # ... if their best z is at least this
    self_train_margin: float = 0.5  # ... and this much above their second-best theme's
    lexical_weight: float = 0.3  # BM25 z-score's share beside the embedding z (_lexical)
    lexical_min_std: float = 0.1  # floor for a theme's background BM25 spread


@dataclass(frozen=True, eq=False)
class Prepared:
    themes: tuple[Theme, ...]
    centroids: np.ndarray  # (T, dim)
    patterns: tuple[tuple[Keyword, ...], ...]  # per theme
    mean: np.ndarray  # (T,) background mean of raw
    std: np.ndarray  # (T,) background std of raw
    params: Params
    lexical: Lexical
    lex_mean: np.ndarray  # (T,) background mean of BM25
    lex_std: np.ndarray  # (T,) background std of BM25 (floored)


@dataclass(frozen=True, eq=False)
class Scored:
    z: np.ndarray  # (T,)
    sim: np.ndarray  # (T,)
    kw: np.ndarray  # (T,)
    counts: tuple[dict[str, int], ...]  # per theme
    best_passage: np.ndarray  # (T,) passage index, -1 when the document has none
    lex: np.ndarray  # (T,) BM25 z-score against the background
    rel: np.ndarray  # (T,) z minus the mean z of the other themes (relative_scores): the decision score


RELATIVE_FLOOR = -1.0  # the other themes' mean counts down to this z only


def relative_scores(z: np.ndarray, floor: float = RELATIVE_FLOOR) -> np.ndarray:
    """Each theme's z minus the mean z of the set's other themes, that mean floored at `floor` (along the
    last axis; unchanged for a set of one theme). The floor keeps one theme far below the background (a
    chip article against "Loneliness") from lifting the others: that is evidence against that theme, not
    a shift common to the set (costs .01 of transferred reject F1 on the public sets). An article on none of the themes sits at about the same z for all of them (long
    ones higher, snippets lower, and both vary with the set of texts), an article on one of them stands
    out from the rest: this difference is what lets one threshold transfer between sets
    (bench/eval_themes_public.py: reject F1 at a threshold chosen on the other set .28/.41 -> .62/.49)."""
    t = z.shape[-1]
    if t < 2:
        return z.copy()
    return z - np.maximum((z.sum(axis=-1, keepdims=True) - z) / (t - 1), floor)


def theme_texts(theme: Theme) -> list[str]:
    """What a theme's centroid averages: "name. description", each keyword, each example text."""
    return [f"{theme.name}. {theme.description}", *theme.keywords, *example_texts(theme)]


def example_texts(theme: Theme) -> list[str]:
    return [e for e in theme.examples if e.strip() and not _URL.match(e)]


def centroid(emb: StaticEmbedder, theme: Theme, params: Params) -> np.ndarray:
    """The normalised mean of "name. description" and the keywords; with examples, their normalised mean
    is added with `example_weight` (so ten long examples do not drown the theme's own words)."""
    own = normalise(emb.embed([f"{theme.name}. {theme.description}", *theme.keywords]).mean(axis=0))
    examples = example_texts(theme)
    if not examples:
        return own
    ex = normalise(emb.embed(examples).mean(axis=0))
    return normalise(own + params.example_weight * ex)


def prepare(emb: StaticEmbedder, themes: tuple[Theme, ...], bg: Background, params: Params, *,
            self_train: bool = False) -> Prepared:
    """Centroids, keyword patterns and each theme's background mean and spread. With `self_train` (bg
    is then the source's own articles), the articles the first pass is most confident about join the
    centroid of each theme without examples (self_train_k per theme), and the statistics are computed
    again (bench/eval_themes_public.py --adapt 300: +0.1 / +0.8 macro-F1, +0.3 / +1.3 AUROC points)."""
    centroids = np.stack([centroid(emb, t, params) for t in themes])
    patterns = tuple(tuple(compile_keyword(k) for k in t.keywords) for t in themes)
    lexical, lex_bg = prepare_lexical(themes, bg.texts)
    lex_mean, lex_std = lex_bg.mean(axis=0), np.maximum(lex_bg.std(axis=0), params.lexical_min_std)
    lex_z = params.lexical_weight * (lex_bg - lex_mean) / lex_std
    raw_bg = _background_raw(bg, centroids, patterns, params)
    mean, std = _stats(raw_bg, params)
    if self_train and params.self_train_k and len(themes) > 1:
        z = (raw_bg - mean) / std + lex_z
        top = z.argmax(axis=1)
        ordered = np.sort(z, axis=1)
        confident = (ordered[:, -1] >= params.self_train_min_z) & \
                    (ordered[:, -1] - ordered[:, -2] >= params.self_train_margin)
        moved = centroids.copy()
        for j in range(len(themes)):
            if example_texts(themes[j]):
                continue  # examples (configured or labelled) already shape it; pseudo-labels on top overshoot
            idx = [i for i in np.argsort(-z[:, j]) if top[i] == j and confident[i]][:params.self_train_k]
            if idx:
                moved[j] = normalise(centroids[j] + params.example_weight * normalise(bg.docs[idx].mean(axis=0)))
        centroids = moved
        raw_bg = _background_raw(bg, centroids, patterns, params)
        mean, std = _stats(raw_bg, params)
    return Prepared(themes, centroids, patterns, mean, std, params, lexical, lex_mean, lex_std)


def _stats(raw_bg: np.ndarray, params: Params) -> tuple[np.ndarray, np.ndarray]:
    std = np.maximum(raw_bg.std(axis=0), params.min_std)
    return raw_bg.mean(axis=0), std ** params.std_power * params.typical_std ** (1 - params.std_power)


def _background_raw(bg: Background, centroids: np.ndarray, patterns, params: Params) -> np.ndarray:
    doc_sim = bg.docs @ centroids.T  # (n, T)
    pas_sim = bg.passages @ centroids.T  # (p, T)
    starts = np.flatnonzero(np.r_[True, bg.passage_doc[1:] != bg.passage_doc[:-1]])
    best = np.maximum.reduceat(pas_sim, starts, axis=0)  # (n, T): passage_doc is sorted, one group per doc
    sim = params.doc_weight * doc_sim + (1 - params.doc_weight) * best
    kw = np.array([[keyword_score(keyword_counts(text.lower(), pats)) for pats in patterns]
                   for text in bg.texts])
    return sim + params.keyword_weight * kw


def score(feats: DocFeatures, prep: Prepared) -> Scored:
    doc_sim = prep.centroids @ feats.doc
    n_themes = len(prep.themes)
    if len(feats.passage_vecs):
        pas_sim = feats.passage_vecs @ prep.centroids.T  # (m, T)
        best_idx = pas_sim.argmax(axis=0)
        best = pas_sim[best_idx, np.arange(n_themes)]
    else:
        best_idx, best = np.full(n_themes, -1), doc_sim
    w = prep.params.doc_weight
    sim = w * doc_sim + (1 - w) * best
    lowered = feats.text.lower()
    counts = tuple(keyword_counts(lowered, pats) for pats in prep.patterns)
    kw = np.array([keyword_score(c) for c in counts])
    raw = sim + prep.params.keyword_weight * kw
    lex = (prep.lexical.raw(lexical_tokens(feats.text)) - prep.lex_mean) / prep.lex_std
    z = (raw - prep.mean) / prep.std + prep.params.lexical_weight * lex
    return Scored(z, sim, kw, counts, best_idx, lex, relative_scores(z))


def best_passage_text(feats: DocFeatures, passage: int, centroid: np.ndarray, limit: int = 300) -> str:
    """The best-matching sentence of the best passage, with its neighbours while they fit in `limit`."""
    if passage < 0 or not feats.sents:
        return feats.text.strip()
    a, b = feats.spans[passage]
    sims = feats.sentence_vecs(a, b) @ centroid
    lo = hi = a + int(sims.argmax())
    length = lambda i, j: feats.sents[j].end - feats.sents[i].start  # noqa: E731
    while True:
        grew = False
        if hi + 1 < b and length(lo, hi + 1) <= limit:
            hi, grew = hi + 1, True
        if lo - 1 >= a and length(lo - 1, hi) <= limit:
            lo, grew = lo - 1, True
        if not grew:
            break
    return feats.text[feats.sents[lo].start:feats.sents[hi].end]
