"""Title selection: the first <h1> stands for the title only where the page's <title> agrees with it."""

from __future__ import annotations

import pytest

from extractors.content import extract_article

PARAS = "".join(f"<p>{t}</p>" for t in (
    "The harbour authority approved a plan to dredge the eastern channel before the summer season begins.",
    "Fishermen had complained for years that silt made the channel dangerous at low tide for larger boats.",
    "The work will take about six weeks and will be paid for from the port's maintenance budget this year."))
URL = "https://www.portnews.example/news/dredging"


def page(title: str | None, h1: str | None, head: str = "") -> str:
    title_el = f"<title>{title}</title>" if title is not None else ""
    h1_el = f"<h1>{h1}</h1>" if h1 is not None else ""
    return f"<html><head>{title_el}{head}</head><body>{h1_el}<article>{PARAS}</article></body></html>"


@pytest.mark.parametrize("title,h1,expected", [
    # an <h1> the <title> does not hold is a section's, the site's or a box's heading
    ("Babies Who Eat Peanuts Early May Avoid Allergy", "Allergies Health Center",
     "Babies Who Eat Peanuts Early May Avoid Allergy"),
    ("Daring Fireball: Colophon", "About This Site", "Daring Fireball: Colophon"),
    # a short <h1> inside the <title> is its site's name, not the headline
    ("Outside the web: standalone WebAssembly binaries using Emscripten · V8", "V8",
     "Outside the web: standalone WebAssembly binaries using Emscripten · V8"),
    # the <title> holding the <h1> (with the site after it): the <h1>
    ("Harbour dredging approved for the eastern channel | Port News", "Harbour dredging approved for the eastern channel",
     "Harbour dredging approved for the eastern channel"),
    ("On Recent Controversial Events - Bradley M. Kuhn ( Brad ) ( bkuhn )", "On Recent Controversial Events",
     "On Recent Controversial Events"),
    # no <title>: the <h1>
    (None, "Harbour dredging approved", "Harbour dredging approved"),
])
def test_h1_stands_for_the_title_only_where_the_title_element_agrees(title, h1, expected):
    assert extract_article(page(title, h1), URL).title == expected


def test_og_title_still_comes_before_h1_and_title_element():
    head = '<meta property="og:title" content="Channel to be dredged before summer">'
    art = extract_article(page("Port News home", "Latest news", head), URL)
    assert art.title == "Channel to be dredged before summer"
