"""Analysts' labels reach stored articles: `themewire themes label` then `themewire reprocess` re-scores
the source's articles with the labelled ones as examples of their theme."""

from __future__ import annotations

import json

from dbquery import query as _rows
from flows.cli import main
from flows.sample import sample_config_text, serve_sample_site


def test_a_label_then_reprocess_moves_the_theme_toward_the_labelled_article(prefect_engine, tmp_path, capsys):
    db = tmp_path / "themewire.duckdb"
    with serve_sample_site() as site:
        config = tmp_path / "themewire.toml"
        config.write_text(sample_config_text(site.base_url), encoding="utf-8")
        assert main(["ingest", "--config", str(config), "--db", str(db)]) == 0
    source, theme = _rows(db, "SELECT source, theme FROM article_themes ORDER BY theme LIMIT 1")[0]
    # the article least like the theme: labelling it on-theme must pull the theme toward it
    article, before = _rows(db, "SELECT article_id, evidence FROM article_themes WHERE theme = ? "
                                "ORDER BY json_extract(evidence, '$.similarity')::DOUBLE LIMIT 1", theme)[0]
    assert main(["themes", "label", "--config", str(config), "--db", str(db), "--source", source,
                 "--article", article, "--theme", theme, "--yes"]) == 0
    assert _rows(db, "SELECT article_id, theme, on_theme FROM theme_labels") == [(article, theme, True)]
    capsys.readouterr()
    assert main(["reprocess", "--config", str(config), "--db", str(db)]) == 0
    after = _rows(db, "SELECT evidence FROM article_themes WHERE article_id = ? AND theme = ?", article, theme)[0][0]
    assert json.loads(after)["similarity"] > json.loads(before)["similarity"] + 0.02
