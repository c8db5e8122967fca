"""The classify stage: an article's text scored against its source's themes.

`classify_article` gives one `ThemeScore` per theme (score, is_match, evidence) with a static
embedding model (`_model`, shipped in `data/model/`), passage features (`_text`, `_features`), a
background of unrelated texts for z-scoring (`_background`, `data/background/`) and the scorer
(`_score`). `extract_theme_suggestions` proposes themes from a source article (`_suggest`).
"""

from .classify import (
    ALGORITHM_VERSION, CLASSIFIER_NAME, DEFAULT_PARAMS, DEFAULT_THRESHOLD, ThemeClassifier, classify_article,
    extract_theme_suggestions, load_classifier,
)

__all__ = ["CLASSIFIER_NAME", "CLASSIFIER_VERSION", "DEFAULT_THRESHOLD", "ThemeClassifier",
           "classify_article", "extract_theme_suggestions", "load_classifier"]


def __getattr__(name: str):
    if name == "CLASSIFIER_VERSION":  # needs the model's digest: computed on first use, not at import
        from . import classify

        return classify.CLASSIFIER_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
