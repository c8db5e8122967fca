"""extract_article: decoding, clean-up rules and their look-alikes, links, metadata, repeated blocks, errors."""

from __future__ import annotations

from collections import Counter

import pytest

from extractors.content._decode import extract_text_from_bytes
from extractors.content import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract_article
from extractors.errors import ExtractionError
from extractors.models import SiteProfile

PARA = [
    "The harbour authority approved a plan to dredge the eastern channel before the summer season begins.",
    "Fishermen had complained for years that silt made the channel dangerous at low tide for larger boats.",
    "The work will take about six weeks and will be paid for from the port's maintenance budget this year.",
    "Local divers will survey the seabed first to make sure no wrecks or cables are disturbed by the dredger.",
]


def page(*blocks: str, head: str = "", lang: str = "en") -> str:
    return (f'<html lang="{lang}"><head><title>Harbour Dredging Approved | Port News</title>{head}</head><body>'
            f'<nav><a href="/">Home</a></nav><article><h1>Harbour Dredging Approved</h1>{"".join(blocks)}'
            "</article><footer>© Port News</footer></body></html>")


def p(text: str) -> str:
    return f"<p>{text}</p>"


def test_version_names_trafilatura():
    assert EXTRACTOR_NAME == "themewire" and "trafilatura-2.3.1" in EXTRACTOR_VERSION


@pytest.mark.parametrize("junk", [
    "Hosting 75% off", "Read More: <a href='/x'>Another Story Entirely</a>", "ALSO READ: <a href='/y'>Yet Another</a>",
    "Related: <a href='/z'>Dredgers of the World</a>", "Written by Olu Adeyemi", "By Olu Adeyemi, Staff Writer",
    "Filed under: Ports, Local", "Tags: harbour, dredging", "Share this article", "Leave a Reply",
    "Advertisement", "Sign up for our newsletter to get the latest port news in your inbox.",
    "We use cookies to give you the best experience. Accept all cookies",
    "Please consider making a donation to support independent journalism.",
    "Subscribe to continue reading.", "This post contains affiliate links.",
    "Lesen Sie auch: <a href='/de'>Häfen im Wandel</a>", "À lire aussi : <a href='/fr'>Les ports bretons</a>",
    "Lee también: <a href='/es'>Puertos de Galicia</a>", "Leia também: <a href='/pt'>Portos</a>",
    "Leggi anche: <a href='/it'>Porti</a>", "ANZEIGE - Jetzt im Hafenshop bestellen", "Foto: Lena Muster / Agentur",
    "5 min read", "12.03.2024", "Le puede interesar: <a href='/es2'>Puertos del norte</a>",
])
def test_junk_block_is_removed(junk):
    text = extract_article(page(p(PARA[0]), p(PARA[1]), p(junk), p(PARA[2]), p(PARA[3])), "https://port.example/a").text
    plain = junk.split("<")[0].strip() or junk
    assert plain.rstrip(":") not in text
    assert all(s in text for s in PARA)


@pytest.mark.parametrize("lookalike", [
    "Advertisement revenue fell 12% last quarter, the company said in a filing on Tuesday.",
    "Read more widely, the author argues, and the same pattern shows up in older studies.",
    "By 2030, nearly a quarter of adults in large cities may live alone, planners say.",
    "By contrast, the western channel has stayed deep enough for every vessel.",
    "Written by hand, the petition collected more than 900 signatures in a week.",
    "Share prices of the dredging company rose after the announcement.",
    "Also read together, the two reports describe a port in slow decline.",
    "Lesen Sie auch die Stellungnahme des Ministeriums, die am Freitag erschien.",
    "The chandlery offered 20% off for members, a policy that drew long queues every Tuesday.",
    "Related research from the same university points in a similar direction.",
    "Anzeigen wegen Betrugs sind im Hafen im vergangenen Jahr um zwölf Prozent gestiegen.",
    "Photos of the flooded quay spread quickly online after the storm on Sunday.",
    "More than 300 boats use the eastern channel every week during the summer months.",
])
def test_lookalike_sentence_survives(lookalike):
    text = extract_article(page(p(PARA[0]), p(lookalike), p(PARA[1]), p(PARA[2])), "https://port.example/a").text
    assert lookalike in text


def test_orphan_related_heading_at_the_end_is_removed_but_a_section_heading_stays():
    html = page(p(PARA[0]), "<h2>Further reading</h2>", p(PARA[1]), p(PARA[2]), p(PARA[3]), p("NOTAS RELACIONADAS"))
    text = extract_article(html, "https://port.example/a").text
    assert "NOTAS RELACIONADAS" not in text
    assert "Further reading" in text


def test_links_by_kind_absolute_and_normalised():
    html = page(p(PARA[0] + ' <a href="/docs/plan.pdf?utm_source=x">the plan</a>'),
                p('Read more: <a href="/2024/01/02/older-story#top">Older Story About Ports</a>'),
                p(PARA[1]), p(PARA[2]), p(PARA[3]),
                '<h3>Related articles</h3><ul><li><a href="/r1">First Related Piece</a></li>'
                '<li><a href="/r2">Second Related Piece</a></li><li><a href="javascript:void(0)">x</a></li></ul>')
    art = extract_article(html, "https://port.example/news/dredging")
    kinds = {(link.url, link.kind) for link in art.links}
    assert ("https://port.example/2024/01/02/older-story", "read_more") in kinds
    assert ("https://port.example/r1", "related") in kinds and ("https://port.example/r2", "related") in kinds
    assert ("https://port.example/docs/plan.pdf", "inline") in kinds
    assert not any("javascript" in link.url for link in art.links)
    assert "Older Story About Ports" not in art.text and "First Related Piece" not in art.text


def test_metadata_title_author_site_canonical_language():
    head = ('<meta property="og:site_name" content="Port News"><meta name="author" content="By Olu Adeyemi | Port News">'
            '<link rel="canonical" href="/news/dredging?utm_campaign=z">')
    art = extract_article(page(*map(p, PARA), head=head, lang="en-GB"), "https://port.example/news/dredging?ref=tw")
    assert art.title == "Harbour Dredging Approved"
    assert art.author == "Olu Adeyemi"
    assert art.site_name == "Port News"
    assert art.canonical_url == "https://port.example/news/dredging"
    assert art.language == "en"


def test_generic_author_is_not_an_author_and_language_detected_without_declaration():
    head = '<meta name="author" content="Staff Writer">'
    html = page(p("Der Hafen wird im Frühjahr ausgebaggert, damit auch größere Schiffe wieder sicher einlaufen können."),
                p("Die Fischer hatten sich seit Jahren über den Schlick in der Fahrrinne beschwert und Abhilfe gefordert."),
                head=head, lang="").replace(' lang=""', "")
    art = extract_article(html, "https://port.example/de")
    assert art.author is None and art.language == "de"


def test_bytes_in_any_encoding_and_invalid_bytes_never_crash():
    text = "Über die Fähre: Grüße aus Köln – " + " ".join(PARA)
    html = page(p(text)).replace("<head>", '<head><meta charset="windows-1252">')
    art = extract_article(html.encode("cp1252"), "https://port.example/a")
    assert "Grüße aus Köln – " in art.text
    assert "Grüße" in extract_article(page(p(text)).encode("cp1252"), "https://port.example/a", encoding="cp1252").text
    broken = page(p(text)).encode("utf-8")[:60] + b"\xff\xfe\x80" + page(p(text)).encode("utf-8")[60:]
    assert "Grüße aus Köln" in extract_article(broken, "https://port.example/a").text
    assert extract_text_from_bytes(b"\xef\xbb\xbfhello")[0] == "hello"
    assert extract_text_from_bytes(b"caf\xe9 au lait")[0].startswith("café")


@pytest.mark.parametrize("html", ["", "   ", "<html><body><nav><a href='/'>Home</a></nav></body></html>",
                                  b"\x00\x01\x02", "<html><body><p>Hi</p></body></html>"])
def test_no_article_raises_extraction_error(html):
    with pytest.raises(ExtractionError) as info:
        extract_article(html, "https://port.example/empty")
    assert info.value.outcome == "extract_failed"


def test_repeated_blocks_across_a_sources_pages_are_removed():
    footer = "Port News is funded by its readers since 1901."
    pages = [page(p(PARA[i % 4]), p(PARA[(i + 1) % 4]), p(footer), p(f"Unique closing line number {i} of this story."))
             for i in range(4)]
    prints = [extract_article(h, f"https://port.example/{i}", profile=SiteProfile(fingerprint=True)).block_prints
              for i, h in enumerate(pages)]
    counts = Counter(b.block_hash for page_prints in prints for b in page_prints)
    template = frozenset(h for h, n in counts.items() if n >= 3)  # the warehouse's rule (TEMPLATE_MIN_PAGES)
    learned = {b.text for page_prints in prints for b in page_prints if b.block_hash in template}
    assert footer.lower() in learned  # and the pages' shared headline; each PARA line is on two pages only
    assert not any(line.lower() in learned for line in PARA) and not any("closing" in t for t in learned)
    text = extract_article(pages[0], "https://port.example/a", profile=SiteProfile(template=template)).text
    assert footer not in text and PARA[0] in text and PARA[1] in text and "Unique closing line number 0" in text


def test_tables_code_and_quotes_are_kept():
    html = page(p(PARA[0]), "<table><tr><th>Depth</th><th>Metres</th></tr><tr><td>Channel</td><td>4.5</td></tr></table>",
                "<pre><code>depth = survey(channel)\nprint(depth)</code></pre>",
                "<blockquote><p>We have waited twenty years for this decision, said the harbour master.</p></blockquote>",
                p(PARA[1]))
    text = extract_article(html, "https://port.example/a").text
    assert "Channel" in text and "4.5" in text and "depth = survey(channel)" in text
    assert "We have waited twenty years" in text


@pytest.mark.parametrize("title,site,expected", [
    ("Harbour Dredging Approved | Port News", "Port News", "Harbour Dredging Approved"),
    ("Port News - Harbour Dredging Approved", "Port News", "Harbour Dredging Approved"),
    ("Harbour Dredging Approved | PORT.example", None, "Harbour Dredging Approved"),
    ("Ferry review - quiet, quick and on time", None, "Ferry review - quiet, quick and on time"),
    ("Port News", "Port News", None),
])
def test_title_site_suffix_is_stripped_but_real_dashes_stay(title, site, expected):
    head = f'<meta property="og:site_name" content="{site}">' if site else ""
    html = (f"<html><head><title>{title}</title>{head}</head><body><article>"
            + "".join(p(x) for x in PARA) + "</article></body></html>")
    assert extract_article(html, "https://port.example/a").title == expected


@pytest.mark.parametrize("text,lang", [
    ("子どもへの虐待をなくすための法律ができて、親が子どもを教育するために体罰を禁止することになりました。", "ja"),
    ("Москва является столицей России и крупнейшим городом страны, где живут миллионы людей.", "ru"),
    ("Los vecinos del barrio se reunieron el martes para hablar de la nueva biblioteca y de sus horarios.", "es"),
])
def test_language_detected_when_not_declared(text, lang):
    html = f"<html><head><title>x</title></head><body><article><p>{text}</p><p>{text}</p></article></body></html>"
    assert extract_article(html, "https://port.example/a").language == lang


def test_text_is_nfc_even_when_the_page_is_nfd():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Die Gurte müssen geprüft werden, bevor die Fahrt beginnt, sagt der Prüfer.")
    text = extract_article(page(p(PARA[0]), p(nfd), p(PARA[1])), "https://port.example/a").text
    assert "Die Gurte müssen geprüft werden" in text and unicodedata.is_normalized("NFC", text)


def test_a_page_of_links_is_not_an_article():
    links = "".join(f'<li><a href="/day/{n}">/day/{n}</a></li>' for n in range(60))
    with pytest.raises(ExtractionError, match="not an article"):
        extract_article(f"<html><body><ul>{links}</ul></body></html>", "http://site.example/calendar/")


def test_a_listicle_of_short_items_with_prose_is_kept():
    items = "".join(f"<li>Tip {n}: walk</li>" for n in range(30))
    article = extract_article(page(p(PARA[0]), p(PARA[1]), f"<ul>{items}</ul>", p(PARA[2])),
                              "http://site.example/tips/")
    assert "Tip 29: walk" in article.text and PARA[2] in article.text
