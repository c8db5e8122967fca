"""Teasers, the repeated headline and contact lines (extractors/content/_promo.py), on pages of our own:
each removal on its structure, in several languages, with the look-alike that stays."""

from __future__ import annotations

import pytest

from extractors.content import extract_article

PROSE = {
    "en": ["The council approved the new harbour budget on Tuesday after a long debate about ferry subsidies "
           "and the repair of the old stone pier, which has been closed to the public since the spring storms.",
           "Residents who spoke at the meeting asked for a timetable, and the mayor promised that the first "
           "contracts would be signed before the end of the year, with work starting in the early summer.",
           "Opposition members said the plan relied on grants that had not yet been confirmed by the regional "
           "government, and asked for a second vote once the funding was certain and the costs were known.",
           "The harbour master welcomed the decision and said the pier would reopen in stages, starting with "
           "the northern section used by the fishing fleet, then the promenade that visitors use on weekends."],
    "de": ["Der Gemeinderat hat am Dienstag nach langer Debatte den neuen Haushalt für den Hafen beschlossen, "
           "darunter Zuschüsse für die Fähre und die Sanierung der alten Steinmole nach den Frühjahrsstürmen.",
           "Anwohner fragten in der Sitzung nach einem Zeitplan, und der Bürgermeister versprach, dass die ersten "
           "Verträge noch vor Jahresende unterschrieben werden und die Arbeiten im Frühsommer beginnen sollen.",
           "Die Opposition kritisierte, der Plan beruhe auf Fördermitteln, die das Land noch nicht zugesagt habe, "
           "und verlangte eine zweite Abstimmung, sobald die Finanzierung und die Kosten endgültig feststehen.",
           "Der Hafenmeister begrüßte den Beschluss und sagte, die Mole werde abschnittsweise wieder geöffnet, "
           "zuerst der nördliche Teil für die Fischer, danach die Promenade für die Besucher am Wochenende."],
    "fr": ["Le conseil municipal a adopté mardi le nouveau budget du port après un long débat sur les "
           "subventions du bac et la réparation de la vieille jetée de pierre, fermée depuis les tempêtes.",
           "Les habitants présents ont demandé un calendrier, et le maire a promis que les premiers contrats "
           "seraient signés avant la fin de l'année, pour des travaux qui commenceraient au début de l'été.",
           "L'opposition a estimé que le plan reposait sur des subventions que la région n'avait pas encore "
           "confirmées, et a demandé un second vote une fois le financement et les coûts définitivement connus.",
           "Le capitaine du port a salué la décision et annoncé une réouverture de la jetée par étapes, d'abord "
           "la partie nord utilisée par les pêcheurs, puis la promenade que fréquentent les visiteurs."],
    "es": ["El ayuntamiento aprobó el martes el nuevo presupuesto del puerto tras un largo debate sobre las "
           "ayudas al transbordador y la reparación del viejo muelle de piedra, cerrado desde las tormentas.",
           "Los vecinos que hablaron en el pleno pidieron un calendario, y el alcalde prometió que los primeros "
           "contratos se firmarían antes de fin de año y que las obras empezarían a comienzos del verano.",
           "La oposición afirmó que el plan dependía de subvenciones que el gobierno regional aún no había "
           "confirmado, y pidió una segunda votación cuando la financiación y los costes fueran definitivos.",
           "El capitán del puerto celebró la decisión y dijo que el muelle reabriría por fases, primero la parte "
           "norte que usa la flota pesquera y después el paseo que recorren los visitantes los fines de semana."],
}
TITLES = {"en": "Council approves the harbour budget", "de": "Gemeinderat beschließt den Hafenhaushalt",
          "fr": "Le conseil adopte le budget du port", "es": "El ayuntamiento aprueba el presupuesto del puerto"}
TEASERS = {"en": "FERRY FARES TO RISE AGAIN NEXT SPRING", "de": "FÄHRPREISE STEIGEN IM FRÜHJAHR ERNEUT",
           "fr": "LES TARIFS DU BAC AUGMENTERONT AU PRINTEMPS", "es": "LAS TARIFAS DEL FERRY SUBIRÁN EN PRIMAVERA"}
URL = "https://news.example.org/{lang}/2024/05/harbour-budget/"


def _page(lang: str, body: str, h1: str | None = None) -> str:
    title = TITLES[lang]
    return (f"<html lang='{lang}'><head><title>{title} | Harbour News</title>"
            f"<meta property='og:title' content='{title}'></head><body><header><a href='/'>Harbour News</a></header>"
            f"<main><article><h1>{h1 or title}</h1>{body}</article></main><footer>© Harbour News</footer></body></html>")


def _text(lang: str, body: str, h1: str | None = None) -> str:
    return extract_article(_page(lang, body, h1), URL.format(lang=lang)).text


def _ps(paras) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


@pytest.mark.parametrize("lang", sorted(PROSE))
def test_the_headline_repeated_at_the_top_of_the_body_goes_and_the_prose_stays(lang):
    text = _text(lang, _ps(PROSE[lang]))
    assert TITLES[lang] not in text
    assert all(p in text for p in PROSE[lang])


def test_a_first_heading_that_is_not_the_pages_headline_stays():
    text = _text("en", _ps(PROSE["en"]), h1="Budget vote: what was decided")  # an <h1> unlike the title
    assert "Budget vote: what was decided" in text
    text = _text("en", "<h2>What the council decided</h2>" + _ps(PROSE["en"]), h1=TITLES["en"])
    assert "What the council decided" in text


@pytest.mark.parametrize("lang", sorted(PROSE))
def test_a_linked_teaser_title_between_paragraphs_goes_with_its_label(lang):
    p = PROSE[lang]
    teaser = (f"<p><strong>SEE ALSO</strong></p><p><strong><a href='/{lang}/2024/04/ferry-fares/'>{TEASERS[lang]}"
              f"</a></strong></p>")
    text = _text(lang, _ps(p[:2]) + teaser + _ps(p[2:]))
    assert TEASERS[lang] not in text and "SEE ALSO" not in text
    assert all(x in text for x in p)


def test_linked_sentences_quotes_to_other_sites_and_bare_urls_stay():
    p = PROSE["en"]
    sentence = "<p><a href='/en/reports/harbour-2024/'>The full report is published on the council's website.</a></p>"
    shared = ("<p><a href='https://twitter.com/intent/tweet?text=x'>Harbours are the front door of a coastal "
              "town</a></p>")
    source = "<p><a href='https://archive.example.net/pier'>https://archive.example.net/pier</a></p>"
    text = _text("en", _ps(p[:2]) + sentence + shared + _ps(p[2:]) + source + "<p>Filed from the quay.</p>")
    assert "The full report is published on the council's website." in text
    assert "Harbours are the front door of a coastal town" in text
    assert "https://archive.example.net/pier" in text


def test_a_teaser_card_list_near_the_end_goes_and_a_product_list_stays():
    p = PROSE["en"]
    cards = "".join(f"<li><h3><a href='/en/2024/0{i}/story-{i}/'>Harbour story number {i} of the week</a></h3>"
                    f"<h4>A short line about story {i}</h4></li>" for i in range(1, 5))
    text = _text("en", _ps(p) + f"<ul class='cards'>{cards}</ul>")
    assert "Harbour story number 1 of the week" not in text and "A short line about story 2" not in text
    assert all(x in text for x in p)
    products = "".join(f"<li><a href='/en/shop/item-{i}/'>Brass ship lantern model {i}</a></li>" for i in range(1, 5))
    text = _text("en", _ps(p[:3]) + f"<ul>{products}</ul>" + _ps(p[3:]))
    assert "Brass ship lantern model 2" in text


@pytest.mark.parametrize("line", [
    "Write to Jane Doe at jane.doe@news.example.org",
    "Schreiben Sie der Autorin: jane.doe@news.example.org",
    "Suivez la rédaction sur Twitter @harbournews",
    "Toda la cobertura del puerto en https://news.example.org/es/puerto",
])
def test_a_closing_contact_line_goes(line):
    text = _text("en", _ps(PROSE["en"]) + f"<p>{line}</p>")
    assert line not in text and PROSE["en"][-1] in text


def test_a_bare_address_and_a_sentence_giving_one_on_its_way_stay():
    info = ("Further information is available from Anne Althaus at the harbour office, phone 0238 59743 "
            "(althaus@harbour.example.org).")
    bare = "office@harbour.example.org"
    text = _text("en", _ps(PROSE["en"]) + f"<p>{info}</p><p>{bare}</p>")
    assert info in text and bare in text


def test_a_linked_call_to_action_ending_the_body_with_a_colon_goes():
    cta = "<p><a href='https://video.example.com/c/harbournews'>Subscribe to our video channel for more:</a></p>"
    text = _text("en", _ps(PROSE["en"]) + cta)
    assert "Subscribe to our video channel" not in text
    plain = "<p>The council listed three priorities:</p>"  # an unlinked lead-in stays
    assert "The council listed three priorities:" in _text("en", _ps(PROSE["en"]) + plain)
