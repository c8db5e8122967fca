"""Classify an article against its source's themes: a score, a match decision and readable evidence
per theme.

Method (see docs/themes.md and ../shared/notes/theme-classification.md): each theme is the
centroid of the static embeddings of "name. description", of each keyword (and of example texts, if
given); an article is embedded whole and in passages of ~120 words; its similarity to a theme mixes the
whole-document and the best-passage cosine, plus 0.15 x a keyword-evidence score; the result is z-scored
per theme (spread shrunk toward a typical one) against a shipped background sample of generic articles,
and 0.3 x the theme's BM25 z-score against the same sample is added (_lexical). The score is that z minus
the mean z of the set's other themes (_score.relative_scores), so scores are comparable across theme
sets and kinds of text and one default threshold applies. `Theme.threshold` overrides it per theme (same
units). An article whose best score is under the threshold is off-theme (no ThemeScore has is_match).

Pure after a one-time model load per process (cached at module level). The default model ships in
extractors/themes/data/model/ (distilled from all-MiniLM-L6-v2); `model="minishlab/potion-base-8M"` (or a local
model2vec folder) uses another static model where the hub is reachable.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ._background import load_background, source_background
from ._features import doc_features, doc_text
from ._model import SHIPPED_MODEL_NAME, StaticEmbedder, load_embedder
from ._score import Params, Prepared, best_passage_text, prepare, score
from ._text import trim
from ..config import Theme
from ..models import ThemeScore

CLASSIFIER_NAME = "themewire-static-hybrid"
ALGORITHM_VERSION = "3"
MIN_SOURCE_ARTICLES = 50  # from this many stored articles on, a source is z-scored against its own
# z against a source's own articles (a mix of its themes) runs lower than against the generic background:
# its default threshold, chosen on HuffPost in bench/eval_themes_public.py --adapt 300 (best reject F1 at
# 1.41 there; at 1.45 reject F1 is .645 on Reuters, within .01 of its own best)
DEFAULT_SOURCE_THRESHOLD = 1.45
SOURCE_VERSION_TAG = "src"  # classifier_version suffix of scores calibrated on the source's articles
DEFAULT_THRESHOLD = 2.0  # relative z units (see _score.relative_scores); chosen on Reuters in bench/eval_themes_public.py (best reject F1 at 1.98, HuffPost's own best 1.97)
DEFAULT_PARAMS = Params()

__all__ = ["CLASSIFIER_NAME", "CLASSIFIER_VERSION", "DEFAULT_THRESHOLD", "ThemeClassifier",
           "classify_article", "extract_theme_suggestions", "load_classifier"]


class ThemeClassifier:
    """A loaded model plus a cache of prepared theme sets. Get one with load_classifier()."""

    def __init__(self, embedder: StaticEmbedder, *, threshold: float = DEFAULT_THRESHOLD,
                 params: Params = DEFAULT_PARAMS) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self.params = params
        self.name = CLASSIFIER_NAME if embedder.name == SHIPPED_MODEL_NAME else f"{CLASSIFIER_NAME}[{embedder.name}]"
        self.version = f"{ALGORITHM_VERSION}+{embedder.digest}"
        self._prepared: OrderedDict[tuple, Prepared] = OrderedDict()
        self._lock = threading.Lock()

    def prepare(self, themes: tuple[Theme, ...], history: tuple[str, ...] = ()) -> Prepared:
        """Centroids, keyword patterns and background statistics for a theme set (cached, LRU 64).
        With at least MIN_SOURCE_ARTICLES texts in `history` (the source's stored articles), each theme
        is z-scored against those instead of the shipped background."""
        own = len(history) >= MIN_SOURCE_ARTICLES
        key = (themes, hash(history)) if own else (themes, None)
        with self._lock:
            if key in self._prepared:
                self._prepared.move_to_end(key)
                return self._prepared[key]
        bg = source_background(self.embedder, history) if own else load_background(self.embedder)
        prep = prepare(self.embedder, themes, bg, self.params, self_train=own)
        with self._lock:
            self._prepared[key] = prep
            while len(self._prepared) > 64:
                self._prepared.popitem(last=False)
        return prep

    def classify(self, text: str, themes: tuple[Theme, ...], *, title: str | None = None,
                 threshold: float | None = None, history: tuple[str, ...] = ()) -> tuple[ThemeScore, ...]:
        themes = tuple(themes)
        default = self.threshold if threshold is None else threshold
        if not themes:
            return ()
        history = tuple(history)
        own = len(history) >= MIN_SOURCE_ARTICLES
        if own and threshold is None and self.threshold == DEFAULT_THRESHOLD:
            default = DEFAULT_SOURCE_THRESHOLD
        prep = self.prepare(themes, history)
        version = f"{self.version}+{SOURCE_VERSION_TAG}" if own else self.version
        feats = doc_features(self.embedder, doc_text(text, title))
        s = score(feats, prep)
        out = []
        for i, theme in enumerate(themes):
            limit = theme.threshold if theme.threshold is not None else default
            z = float(s.rel[i])
            evidence = {
                "keywords": [{"keyword": k, "count": n}
                             for k, n in sorted(s.counts[i].items(), key=lambda kv: (-kv[1], kv[0]))],
                "passage": trim(best_passage_text(feats, int(s.best_passage[i]), prep.centroids[i])),
                "similarity": round(float(s.sim[i]), 4),
                "keyword_score": round(float(s.kw[i]), 4),
                "z": round(float(s.z[i]), 4),  # before subtracting the other themes' mean
                "lexical_z": round(float(s.lex[i]), 4),
                "threshold": limit,
                "calibration": f"source:{len(history)}" if own else "background",
            }
            out.append(ThemeScore(theme=theme.name, score=round(z, 4), is_match=z >= limit,
                                  evidence=evidence, classifier=self.name, classifier_version=version))
        return tuple(out)


_CLASSIFIERS: dict[str | None, ThemeClassifier] = {}
_LOCK = threading.Lock()


def load_classifier(model: str | None = None) -> ThemeClassifier:
    """The process-wide classifier for `model` (None: the shipped model); loads it on first call."""
    with _LOCK:
        if model not in _CLASSIFIERS:
            _CLASSIFIERS[model] = ThemeClassifier(load_embedder(model))
        return _CLASSIFIERS[model]


def classify_article(text: str, themes: tuple[Theme, ...], *, title: str | None = None,
                     model: str | None = None, threshold: float | None = None,
                     history: tuple[str, ...] = ()) -> tuple[ThemeScore, ...]:
    """One ThemeScore per theme, in the order of `themes`. score is a z-score relative to the set's other
    themes (_score.relative_scores); is_match is
    score >= theme.threshold, else `threshold`, else DEFAULT_THRESHOLD; evidence holds the matched
    keywords with counts, the best-matching passage (trimmed to 300 characters), the embedding
    similarity, the keyword score and the threshold used. `model` and `threshold` are what
    Settings.classify ([classify] in the config) holds; None means the defaults. `history`: the source's
    stored article texts; from MIN_SOURCE_ARTICLES of them on, scores are z-scored against them (the
    source's own spread) instead of the shipped background, and classifier_version ends in "+src"."""
    return load_classifier(model).classify(text, themes, title=title, threshold=threshold, history=history)


def extract_theme_suggestions(html: bytes | str, url: str, *, max_themes: int = 6) -> tuple[Theme, ...]:
    """Themes (name, description, keywords) proposed from a source article's HTML or plain text."""
    from ._suggest import suggest_themes

    return suggest_themes(html, url, load_embedder(None), max_themes=max_themes)


def __getattr__(name: str) -> str:
    if name == "CLASSIFIER_VERSION":  # needs the model's digest: computed on first use, not at import
        return load_classifier(None).version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
