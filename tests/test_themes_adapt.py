"""Adapting theme scores to a source: z-scoring against its own stored articles once there are enough,
and analysts' labels (theme_labels via `themewire themes label`) joining a theme's centroid."""

from __future__ import annotations

import dataclasses

import pytest

from extractors.config import Theme, load_settings_text
from extractors.themes import classify_article
from extractors.themes.classify import (DEFAULT_SOURCE_THRESHOLD, DEFAULT_THRESHOLD, MIN_SOURCE_ARTICLES,
                                        load_classifier)
from factories import BASE_TIME, make_page
from flows.cli import main
from warehouse import RunInfo, Warehouse, article_id_for, open_reader

THEMES = (Theme("Football", "Football clubs, matches, players and transfers.", ("football", "striker", "league")),
          Theme("Cooking", "Recipes, cooking and what to eat.", ("recipe", "oven", "dinner")))
SPORT = "The striker scored twice as the club won the league match in extra time."
# a source whose articles are all about football: against them, a football story is ordinary
HISTORY = tuple(f"Match report {i}: the striker and the league leaders, football transfers and the coach."
                for i in range(MIN_SOURCE_ARTICLES))

CONFIG = """
[[sources]]
name = "sample"
seeds = ["https://news.example/"]

  [[sources.themes]]
  name = "AI companionship"
  description = "People forming emotional relationships with AI companions, chatbots and virtual partners."
  keywords = ["AI companion", "chatbot", "virtual partner"]

  [[sources.themes]]
  name = "Loneliness"
  description = "How lonely people are, who is isolated and why."
  keywords = ["loneliness", "lonely", "isolated"]
"""


def test_enough_stored_articles_make_the_source_its_own_background():
    shipped = classify_article(SPORT, THEMES)[0]
    own = classify_article(SPORT, THEMES, history=HISTORY)[0]
    assert own.evidence["calibration"] == f"source:{MIN_SOURCE_ARTICLES}"
    assert shipped.evidence["calibration"] == "background"
    assert own.classifier_version == load_classifier().version + "+src" != shipped.classifier_version
    # the football source's articles are all football: a football story is far less surprising there
    assert own.score < shipped.score - 1.0
    # its own default threshold (source z runs lower); an explicit threshold still wins
    assert own.evidence["threshold"] == DEFAULT_SOURCE_THRESHOLD
    assert shipped.evidence["threshold"] == DEFAULT_THRESHOLD
    assert classify_article(SPORT, THEMES, history=HISTORY, threshold=3.0)[0].evidence["threshold"] == 3.0


MIXED = tuple(f"Match report {i}: the striker scored and the league leaders won; football fans and the coach."
              if i % 2 else f"Recipe {i}: roast the vegetables in the oven and serve them for dinner with bread."
              for i in range(2 * MIN_SOURCE_ARTICLES))


def test_the_source_s_most_confident_articles_pull_themes_without_examples():
    from extractors.themes._background import source_background
    from extractors.themes._model import normalise
    from extractors.themes._score import prepare

    clf = load_classifier()
    bg = source_background(clf.embedder, MIXED)
    plain = prepare(clf.embedder, THEMES, bg, clf.params)
    trained = prepare(clf.embedder, THEMES, bg, clf.params, self_train=True)
    football_articles = normalise(bg.docs[1::2].mean(axis=0))
    assert trained.centroids[0] @ football_articles > plain.centroids[0] @ football_articles + 0.01
    # a theme that has examples (configured or labelled) is left as its examples made it
    with_examples = (dataclasses.replace(THEMES[0], examples=("The striker signed for the league champions.",)),
                     THEMES[1])
    assert (prepare(clf.embedder, with_examples, bg, clf.params, self_train=True).centroids[0]
            == prepare(clf.embedder, with_examples, bg, clf.params).centroids[0]).all()
    # through classify_article: the source's history is what triggers it
    text = "Match report: the striker scored and the league leaders won the football match."
    assert (classify_article(text, THEMES, history=MIXED)[0].evidence["similarity"]
            > classify_article(text, THEMES)[0].evidence["similarity"])


def test_too_few_stored_articles_keep_the_shipped_background():
    few = classify_article(SPORT, THEMES, history=HISTORY[:MIN_SOURCE_ARTICLES - 1])[0]
    assert few.score == pytest.approx(classify_article(SPORT, THEMES)[0].score)
    assert few.classifier_version == load_classifier().version


@pytest.fixture()
def stored(tmp_path):
    """A warehouse with three stored articles of source 'sample' and the config naming its themes."""
    db = tmp_path / "tw.duckdb"
    cfg = tmp_path / "themewire.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    pages = [make_page(i, themes=("AI companionship", "Loneliness")) for i in range(3)]
    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME))
        wh.load_pages("r1", "sample", pages)
        wh.publish()
    ids = [article_id_for(p.article.canonical_url) for p in pages]
    return db, cfg, ids


def _labels(db):
    con = open_reader(db)
    try:
        return con.execute("SELECT article_id, theme, on_theme, labelled_by FROM theme_labels "
                           "ORDER BY article_id, theme").fetchall()
    finally:
        con.close()


def test_label_command_records_a_label_and_a_new_one_replaces_it(stored, capsys):
    db, cfg, ids = stored
    args = ["themes", "label", "--config", str(cfg), "--db", str(db), "--source", "sample",
            "--article", ids[0], "--theme", "Loneliness", "--by", "ana"]
    assert main([*args, "--yes"]) == 0
    assert "1 label(s) recorded" in capsys.readouterr().out
    assert _labels(db) == [(ids[0], "Loneliness", True, "ana")]
    assert main([*args, "--no"]) == 0
    assert _labels(db) == [(ids[0], "Loneliness", False, "ana")]


def test_label_file_writes_good_rows_and_names_the_bad_ones(stored, tmp_path, capsys):
    db, cfg, ids = stored
    f = tmp_path / "labels.csv"
    f.write_text("article_id,theme,label\n"
                 f"{ids[0]},AI companionship,yes\n{ids[1]},Loneliness,no\n"
                 "no-such-article,Loneliness,yes\n"
                 f"{ids[2]},Gardening,yes\n", encoding="utf-8")
    code = main(["themes", "label", "--config", str(cfg), "--db", str(db), "--source", "sample", "--file", str(f)])
    err = capsys.readouterr().err
    assert code == 2
    assert "no stored article 'no-such-article'" in err and "has no theme 'Gardening'" in err
    assert {(a, t, y) for a, t, y, _ in _labels(db)} == {(ids[0], "AI companionship", True),
                                                          (ids[1], "Loneliness", False)}


def test_a_malformed_label_file_is_a_usage_error(stored, tmp_path, capsys):
    db, cfg, _ = stored
    f = tmp_path / "labels.csv"
    f.write_text("article_id,theme,label\nx,Loneliness,maybe\n", encoding="utf-8")
    assert main(["themes", "label", "--config", str(cfg), "--db", str(db), "--source", "sample",
                 "--file", str(f)]) == 2
    assert "line 2" in capsys.readouterr().err
    assert _labels(db) == []


def test_labels_and_stored_articles_reach_the_classifier_of_a_run(stored):
    from flows.run import adapted_theme_set

    db, cfg, ids = stored
    settings = load_settings_text(CONFIG)
    source = settings.sources[0]
    assert main(["themes", "label", "--config", str(cfg), "--db", str(db), "--source", "sample",
                 "--article", ids[1], "--theme", "Loneliness", "--yes"]) == 0
    with Warehouse.open(db) as wh:
        ts = adapted_theme_set(settings, wh, source)
    lonely = next(t for t in ts.themes if t.name == "Loneliness")
    companion = next(t for t in ts.themes if t.name == "AI companionship")
    assert len(lonely.examples) == 1 and "Article 1." in lonely.examples[0]
    assert companion == source.themes[0]  # no labels: unchanged
    assert len(ts.history) == 3 and all(h.startswith("Story ") for h in ts.history)
    # the labelled example moves the theme: the article it came from now scores higher on it
    text = make_page(1).article.text
    before = classify_article(text, source.themes)[1]
    after = classify_article(text, ts.themes)[1]
    assert after.evidence["similarity"] > before.evidence["similarity"]
