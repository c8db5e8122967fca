"""`extract_theme_suggestions` / `themewire themes suggest`: themes an operator can paste as they are:
valid config, one-sentence descriptions, keywords that occur in the article, no verb phrases and
nothing taken from teaser links to other articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.config import load_settings_text
from extractors.themes import extract_theme_suggestions
from flows.cli.themes import format_toml

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "source-article.txt"

PAGE = """<html><head><title>Community gardens feed a city</title></head><body><article>
<h1>Community gardens feed a city</h1>
<p>Community gardens now cover forty plots across the city, and volunteers say the community gardens help
neighbours to alleviate stress after work. Raised beds, compost bins and rainwater barrels line each plot.</p>
<p>Read more: Celebrity chefs open rooftop cocktail bars downtown</p>
<p>Food security is the main goal: the gardens grow vegetables for food banks, and food security experts
say urban farming can supplement incomes. Urban farming also teaches children where vegetables come from.</p>
<p>Volunteers want more community gardens, more compost bins and more urban farming in schools, because
food security matters to families on low incomes. Rainwater barrels cut water bills for every plot.</p>
<p>Celebrity chefs open rooftop cocktail bars downtown</p>
<p>Celebrity chefs open rooftop cocktail bars downtown</p>
</article></body></html>"""


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[\s\-]+", " ", text.lower()).split())


def _pasted(themes):
    """The suggestions pasted under a [[sources]] entry, as an operator would: must load as they are."""
    config = '[[sources]]\nname = "s"\nseeds = ["https://news.example/"]\n\n' + format_toml(themes, "test")
    return load_settings_text(config).sources[0].themes


def _check_pasteable(themes, text: str) -> None:
    assert themes and _pasted(themes) == themes
    assert len({t.name.casefold() for t in themes}) == len(themes)
    flat = _flat(text)
    for t in themes:
        assert t.description.endswith(".") and ". " not in t.description[:-1], t.description
        for k in t.keywords:
            assert _flat(k) in flat, (t.name, k)  # as written in the article (a comma would break it)


def test_suggestions_from_an_own_page_skip_teasers_and_verb_phrases():
    themes = extract_theme_suggestions(PAGE, "https://garden.example/gardens/")
    text = re.sub(r"<[^>]+>", " ", PAGE)
    _check_pasteable(themes, text)
    words = {w for t in themes for k in (t.name, *t.keywords) for w in k.lower().split()}
    assert not words & {"celebrity", "chefs", "cocktail", "rooftop"}  # from the teaser link, not the article
    keywords = {k.lower() for t in themes for k in t.keywords}
    assert not {"alleviate stress", "supplement incomes"} & keywords
    assert {"community gardens", "food security", "urban farming"} <= keywords


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is beside the checkout")
def test_suggestions_from_the_seed_article_paste_without_editing():
    text = SEED.read_text(encoding="utf-8")
    themes = extract_theme_suggestions(text, "http://local.invalid/source-article.txt")
    _check_pasteable(themes, text)
    names = {t.name for t in themes}
    assert "AI companionship" in names
    keywords = {k.lower() for t in themes for k in t.keywords}
    assert "relationships intimacy" not in keywords  # "relationships, intimacy": two items of a list
    assert not any(k.startswith(("alleviate ", "provide ", "prevent ", "treat ")) for k in keywords)
    assert not any("challenges of ai" in k for k in keywords)  # only in teaser links to other articles
