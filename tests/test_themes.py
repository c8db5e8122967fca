"""Theme classification: the shipped model loads offline, every theme gets a score with evidence,
on-theme texts match the right theme, an off-theme text (a chip launch) is rejected, per-theme
thresholds override the default, and bad theme configs are clear errors."""

from __future__ import annotations

import dataclasses
import json

import pytest

from extractors import themes as themes_mod
from extractors.config import Theme, load_settings_text
from extractors.errors import ConfigError
from extractors.models import ThemeScore
from extractors.themes import (CLASSIFIER_NAME, DEFAULT_THRESHOLD, classify_article,
                               extract_theme_suggestions, load_classifier)

THEMES = (
    Theme("AI companionship", "People forming emotional relationships with AI companions, chatbots and "
          "virtual partners.", ("AI companion", "companion app", "chatbot", "virtual partner", "AI girlfriend")),
    Theme("Loneliness and social isolation", "How lonely people are, who is isolated and why.",
          ("loneliness", "lonely", "social isolation", "isolated", "living alone")),
    Theme("Eldercare technology", "Technology that helps older adults and their carers, such as robotic pets "
          "and home sensors.", ("older adults", "elderly", "care home", "robotic pet", "smart sensors", "dementia")),
    Theme("AI ethics", "The ethical, legal and regulatory questions raised by AI systems.",
          ("ethics", "regulation", "lawmakers", "consent", "transparency", "accountability")),
)

CHIP = ("Halcyon unveiled Corvid, its most advanced processor architecture yet, on Tuesday. The chip is built "
        "on a three-nanometre process and promises forty percent faster training for data-centre workloads at "
        "the same power. Volume shipments to cloud providers begin in the second quarter, and the company "
        "raised its revenue guidance for the year. Analysts said the launch puts pressure on rivals.")

ON_THEME = {
    "AI companionship": "Every night Maya talks to her AI companion, a chatbot called Theo. It remembers her "
                        "bad days and says it missed her. After her divorce, she says, the virtual partner felt "
                        "like the only one who was always there.",
    "Loneliness and social isolation": "Since his wife died, Arthur, 81, often goes days without speaking to "
                                       "anyone. Loneliness among older men living alone is widespread, and "
                                       "researchers say social isolation harms health as much as smoking.",
    "Eldercare technology": "In the care home, residents with dementia stroke a robotic pet seal that purrs. "
                            "Smart sensors in the flats of older adults alert carers when a daily routine "
                            "changes, so elderly people can live at home for longer.",
    "AI ethics": "Lawmakers published draft regulation requiring AI developers to obtain consent before "
                 "training on personal data and to explain automated decisions, citing transparency and "
                 "accountability. Ethics experts said enforcement will decide whether the rules work.",
}


def test_classifier_loads_shipped_model_once_and_names_its_version():
    clf = load_classifier()
    assert load_classifier() is clf  # module-level cache: one load per process
    assert clf.embedder.vectors.shape[1] == 256
    assert clf.name == CLASSIFIER_NAME
    algo, digest = clf.version.split("+")
    assert algo == themes_mod.ALGORITHM_VERSION and len(digest) == 12
    assert themes_mod.CLASSIFIER_VERSION == clf.version


def test_every_theme_gets_a_score_in_order_with_evidence():
    scores = classify_article(ON_THEME["AI companionship"], THEMES)
    assert [s.theme for s in scores] == [t.name for t in THEMES]
    for s in scores:
        assert isinstance(s, ThemeScore)
        assert s.classifier == CLASSIFIER_NAME and s.classifier_version == load_classifier().version
        assert set(s.evidence) >= {"keywords", "passage", "similarity", "keyword_score", "threshold"}
        assert isinstance(s.evidence["passage"], str) and len(s.evidence["passage"]) <= 300
        json.dumps(s.evidence)  # storable as JSON
    top = scores[0]
    assert {"keyword": "AI companion", "count": 1} in top.evidence["keywords"]
    assert {"keyword": "chatbot", "count": 1} in top.evidence["keywords"]
    assert "Theo" in top.evidence["passage"]


@pytest.mark.parametrize("theme", list(ON_THEME))
def test_clear_on_theme_text_matches_its_theme_on_top(theme):
    scores = classify_article(ON_THEME[theme], THEMES)
    best = max(scores, key=lambda s: s.score)
    assert best.theme == theme
    assert best.is_match


def test_chip_launch_is_off_theme():
    scores = classify_article(CHIP, THEMES, title="Halcyon launches Corvid chip architecture")
    assert not any(s.is_match for s in scores), [(s.theme, s.score) for s in scores]
    assert max(s.score for s in scores) < DEFAULT_THRESHOLD


def test_per_theme_threshold_overrides_the_default():
    text = ON_THEME["AI companionship"]
    base = classify_article(text, THEMES)[0]
    assert base.is_match
    strict = (dataclasses.replace(THEMES[0], threshold=base.score + 1.0), *THEMES[1:])
    scored = classify_article(text, strict)[0]
    assert scored.score == pytest.approx(base.score) and not scored.is_match
    assert scored.evidence["threshold"] == base.score + 1.0
    lenient = (*THEMES[:3], dataclasses.replace(THEMES[3], threshold=-10.0))
    assert classify_article(CHIP, lenient)[3].is_match


def test_long_article_is_scored_beyond_its_opening():
    filler = " ".join(f"The council discussed item {i} of the agenda, a routine budget matter for the town."
                      for i in range(60))  # ~900 words of off-theme text first
    text = filler + "\n\n" + ON_THEME["Eldercare technology"]
    scores = classify_article(text, THEMES)
    eldercare = scores[2]
    assert eldercare.is_match and max(scores, key=lambda s: s.score) is eldercare
    assert "robotic pet" in eldercare.evidence["passage"]


def test_empty_inputs():
    assert classify_article("anything", ()) == ()
    scores = classify_article("", THEMES)
    assert len(scores) == len(THEMES) and not any(s.is_match for s in scores)


def test_title_counts_as_text():
    with_title = classify_article("It was announced on Monday.", THEMES, title="Lawmakers draft AI regulation")
    assert max(with_title, key=lambda s: s.score).theme == "AI ethics"


def test_theme_suggestions_from_a_source_article():
    html = ("<html><head><title>Why people lean on AI</title></head><body><article><h1>Why people lean on AI"
            "</h1>" + "".join(f"<p>{p}</p>" for p in (
                "Loneliness is rising. Many lonely adults now talk to an AI companion every day.",
                "An AI companion remembers birthdays, and companion apps promise emotional support.",
                "Researchers who study loneliness warn that social isolation harms health.",
                "Older adults in care homes use robotic pets; care homes report calmer residents.",
                "Loneliness among older adults is common, and AI companion makers court them.",
                "Critics want regulation of companion apps and more transparency from their makers.",
                "Regulation, they say, should protect lonely users.",
            )) + "</article></body></html>")
    suggested = extract_theme_suggestions(html, "http://site.example/why-people-lean-on-ai/")
    assert 1 <= len(suggested) <= 6
    keywords = {k.lower() for t in suggested for k in t.keywords}
    assert "loneliness" in keywords and "ai companion" in keywords
    names = [t.name.casefold() for t in suggested]
    assert len(names) == len(set(names))
    for t in suggested:  # each suggestion is a valid theme for the config
        assert t.keywords and len(t.description.split()) >= 3


BAD_THEMES = {
    "empty keywords": ('keywords = []', "needs keywords"),
    "blank keywords": ('keywords = ["  ", ""]', "needs keywords"),
    "missing description": (None, "needs a description"),
    "duplicate names": ("duplicate", "defined twice"),
}


@pytest.mark.parametrize("case", list(BAD_THEMES))
def test_bad_themes_config_is_a_clear_error(case):
    change, message = BAD_THEMES[case]
    theme = ('  [[sources.themes]]\n  name = "AI ethics"\n'
             '  description = "Ethical questions raised by AI systems."\n  keywords = ["ethics"]\n')
    if change is None:
        theme = theme.replace('  description = "Ethical questions raised by AI systems."\n', "")
    elif change == "duplicate":
        theme = theme + theme.replace("AI ethics", "ai ETHICS")
    else:
        theme = theme.replace('keywords = ["ethics"]', change)
    text = f'[[sources]]\nname = "s"\nseeds = ["https://news.example/a/"]\n\n{theme}'
    with pytest.raises(ConfigError) as e:
        load_settings_text(text, "themes.toml")
    assert message in str(e.value) and str(e.value).startswith("themes.toml:")


def test_another_static_model_can_be_chosen(tmp_path):
    import shutil

    import numpy as np

    from extractors.themes._model import SHIPPED_MODEL_DIR, _load_published, load_embedder

    folder = tmp_path / "my-static-model"
    shutil.copytree(SHIPPED_MODEL_DIR, folder)
    scores = classify_article(ON_THEME["AI companionship"], THEMES, model=str(folder))
    assert scores[0].classifier == f"{CLASSIFIER_NAME}[my-static-model]"
    assert scores[0].classifier_version == load_classifier().version  # same files, same digest
    assert scores[0].score == pytest.approx(classify_article(ON_THEME["AI companionship"], THEMES)[0].score)
    # the path taken for published model2vec models ("minishlab/potion-base-8M"), here on a local folder
    via_model2vec = _load_published(str(folder))
    np.testing.assert_allclose(via_model2vec.embed(["AI companion"]), load_embedder(None).embed(["AI companion"]),
                               atol=1e-3)


def test_example_texts_shape_the_theme_and_urls_are_ignored():
    sport = "The striker scored twice as the club won the cup final in extra time."
    theme = Theme("Club news", "News about the football club and its players.", ("club", "players"))
    with_examples = dataclasses.replace(theme, examples=(
        "The midfielder scored a late winner and the fans celebrated the cup victory.",
        "https://news.example/a-linked-example/",  # URLs are for people; the classifier skips them
    ))
    plain = classify_article(sport, (theme,))[0]
    shaped = classify_article(sport, (with_examples,))[0]
    assert shaped.evidence["similarity"] > plain.evidence["similarity"]
    url_only = dataclasses.replace(theme, examples=("https://news.example/a-linked-example/",))
    assert classify_article(sport, (url_only,))[0].score == pytest.approx(plain.score)


def test_keywords_match_inflections_and_count():
    text = "Regulators fear over-reliance. Overreliance on companion apps worries ethicists; an AI companion's memory."
    themes = (Theme("t", "A theme about something specific.", ("over-reliance", "companion app", "AI companion",
                                                                 "regulation")),)
    found = {k["keyword"]: k["count"] for k in classify_article(text, themes)[0].evidence["keywords"]}
    assert found == {"over-reliance": 2, "companion app": 1, "AI companion": 1}


def test_threshold_argument_sets_the_default_for_themes_without_their_own():
    text = ON_THEME["AI companionship"]
    assert not classify_article(text, THEMES, threshold=99.0)[0].is_match
    own = (dataclasses.replace(THEMES[0], threshold=0.0), *THEMES[1:])
    assert classify_article(text, own, threshold=99.0)[0].is_match
