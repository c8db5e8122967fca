"""Boilerplate boxes: generated article pages with injected boxes, scored on what survives extraction.

    .venv/bin/python bench/eval_boxes.py                      # the held-out split (templates 12-23, seed 2)
    .venv/bin/python bench/eval_boxes.py --split tune         # the split the rules were tuned on (0-11, seed 1)
    .venv/bin/python bench/eval_boxes.py --split all --show   # both, listing every surviving string
    .venv/bin/python bench/eval_boxes.py --write DIR          # also write the pages (DIR/NAME.html + .json)

Pages: 24 page structures (WordPress, Ghost, Substack-like, news CMS, blogs, AMP-ish, div-only, <br>-only,
table layout; with and without semantic classes) in en/de/fr/es, each with generated article prose that
includes look-alike sentences ("Subscribers to the service rose 12%", "The comments section of the
report..."), and boxes of every kind (newsletter, promo/affiliate, disclaimer/reprint, comments, donation,
table of contents, author bio, caption/credit, series note, related list) whose wording, wrapper tag,
class names (semantic or neutral), heading (present or not) and form (present or not) are drawn at random.
The page's prose and its boxes are placed where real templates put them (between paragraphs, after the
body, in a sidebar).

Reported: injected strings surviving (% and by kind), text recall (share of the prose paragraphs' characters
whose paragraph is in the output), look-alike sentences lost. A string survives when it is found in one
line of the output (strings shorter than 15 characters only when they are the whole line).
tests/test_content_boxes.py runs a small fixed subset against floors.

Measured (`.venv/bin/python bench/eval_boxes.py --split all`; "before" is the clean-up without the box stage
and its short-block rules, i.e. the code this module was written against):

| split | surviving before | surviving now | text recall | look-alikes lost |
|---|---|---|---|---|
| tune (templates 0-11, seed 1) | 199/1203 (16.5%) | 1/1203 (0.1%) | 1.0000 | 0/192 |
| held-out (templates 12-23, seed 2) | 206/1194 (17.3%) | 11/1194 (0.9%) | 1.0000 | 0/192 |
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

KINDS = ("newsletter", "promo", "disclaimer", "comments", "donation", "toc", "bio", "caption", "series", "related")

# ---------------------------------------------------------------- prose
_PROSE = {
    "en": dict(
        subj=["The city council", "The ministry", "Regional officials", "The company", "Researchers at the institute",
              "The union", "Local farmers", "The central bank", "Hospital managers", "The transport authority",
              "Engineers on the project", "The school board"],
        verb=["said on Tuesday that", "announced that", "warned that", "confirmed that", "argued that",
              "reported that", "estimated that"],
        obj=["the new rail line would open {y} months late", "spending on housing had risen by {n}% since {year}",
             "water levels in the reservoir were the lowest in {y} years", "the plan would cost about {n} million euros",
             "{n} jobs could be created in the region", "the pilot scheme had reached {n} households",
             "prices for wheat had fallen for the {ord} month in a row", "the study covered {n} patients in {y} clinics"],
        extra=["Critics said the figures did not include the cost of maintenance.",
               "The decision followed months of talks with residents and business groups.",
               "A final vote is expected before the end of the year.",
               "Similar schemes have been tried in other countries with mixed results.",
               "The opposition called the timetable unrealistic and asked for an independent review.",
               "Officials declined to say how many staff would be needed to run the service.",
               "In the meantime, residents have been told to expect delays on the main roads into the centre.",
               "Data from the last census suggest that the population of the area has grown steadily.",
               "The report was drafted by a panel of economists, engineers and public health experts."],
        look=["Subscribers to the service rose {n}% in the last quarter, the company said.",
              "The comments section of the report lists {n} objections from neighbouring towns.",
              "Donations to the charity fell by {n}% after the tax change, according to its accounts.",
              "Sign-ups for the training programme doubled once the fee was dropped.",
              "The author of the study, a former central bank economist, said the model was cautious.",
              "Membership of the cooperative has grown to {n} farms over the past decade.",
              "Related research from {year} had found a similar pattern in coastal towns.",
              "A photo credit dispute between two agencies delayed the exhibition by a week.",
              "Readers who subscribe to the print edition will receive the supplement free of charge, the publisher said.",
              "The newsletter the council sends to residents will now appear monthly instead of weekly."]),
    "de": dict(
        subj=["Der Stadtrat", "Das Ministerium", "Die Landesregierung", "Das Unternehmen", "Forscher der Universität",
              "Die Gewerkschaft", "Die Bauern der Region", "Die Bundesbank", "Die Klinikleitung", "Der Verkehrsverbund"],
        verb=["teilte am Dienstag mit, dass", "kündigte an, dass", "warnte, dass", "bestätigte, dass", "berichtete, dass"],
        obj=["die neue Bahnstrecke {y} Monate später eröffnet wird", "die Ausgaben für Wohnungen seit {year} um {n} Prozent gestiegen sind",
             "der Pegel des Stausees so niedrig ist wie seit {y} Jahren nicht", "der Plan rund {n} Millionen Euro kosten wird",
             "in der Region {n} Arbeitsplätze entstehen könnten", "das Pilotprojekt {n} Haushalte erreicht hat"],
        extra=["Kritiker bemängelten, dass die Kosten für die Wartung nicht eingerechnet seien.",
               "Der Entscheidung gingen monatelange Gespräche mit Anwohnern und Verbänden voraus.",
               "Eine endgültige Abstimmung wird noch vor Jahresende erwartet.",
               "Die Opposition nannte den Zeitplan unrealistisch und forderte ein unabhängiges Gutachten.",
               "Wie viele Mitarbeiter für den Betrieb nötig sind, wollten die Verantwortlichen nicht sagen.",
               "Nach Angaben des Statistischen Landesamts ist die Bevölkerung der Gegend stetig gewachsen."],
        look=["Die Zahl der Abonnenten des Dienstes stieg im letzten Quartal um {n} Prozent.",
              "Im Kommentarteil des Berichts finden sich {n} Einwände aus den Nachbargemeinden.",
              "Die Spenden an die Stiftung gingen nach der Steueränderung um {n} Prozent zurück.",
              "Der Autor der Studie, ein früherer Ökonom der Bundesbank, hält das Modell für vorsichtig.",
              "Die Genossenschaft zählt inzwischen {n} Mitglieder aus der ganzen Region."]),
    "fr": dict(
        subj=["Le conseil municipal", "Le ministère", "Les autorités régionales", "L'entreprise", "Les chercheurs de l'institut",
              "Le syndicat", "Les agriculteurs de la région", "La banque centrale", "La direction de l'hôpital"],
        verb=["a indiqué mardi que", "a annoncé que", "a averti que", "a confirmé que", "a estimé que"],
        obj=["la nouvelle ligne ouvrira avec {y} mois de retard", "les dépenses de logement ont augmenté de {n} % depuis {year}",
             "le niveau du réservoir est le plus bas depuis {y} ans", "le projet coûtera environ {n} millions d'euros",
             "{n} emplois pourraient être créés dans la région", "le programme pilote a touché {n} foyers"],
        extra=["Les critiques estiment que les chiffres n'incluent pas le coût de l'entretien.",
               "La décision fait suite à des mois de discussions avec les habitants et les commerçants.",
               "Un vote définitif est attendu avant la fin de l'année.",
               "L'opposition a jugé le calendrier irréaliste et réclamé une expertise indépendante.",
               "Les responsables n'ont pas précisé combien d'agents seraient nécessaires."],
        look=["Le nombre d'abonnés au service a progressé de {n} % au dernier trimestre.",
              "La section des commentaires du rapport recense {n} objections des communes voisines.",
              "Les dons à l'association ont reculé de {n} % après la réforme fiscale.",
              "L'auteur de l'étude, ancien économiste de la banque centrale, juge le modèle prudent."]),
    "es": dict(
        subj=["El ayuntamiento", "El ministerio", "Las autoridades regionales", "La empresa", "Los investigadores del instituto",
              "El sindicato", "Los agricultores de la zona", "El banco central", "La dirección del hospital"],
        verb=["afirmó el martes que", "anunció que", "advirtió de que", "confirmó que", "estimó que"],
        obj=["la nueva línea abrirá con {y} meses de retraso", "el gasto en vivienda ha subido un {n} % desde {year}",
             "el nivel del embalse es el más bajo en {y} años", "el plan costará unos {n} millones de euros",
             "se podrían crear {n} empleos en la región", "el programa piloto ha llegado a {n} hogares"],
        extra=["Los críticos señalaron que las cifras no incluyen el coste del mantenimiento.",
               "La decisión llega tras meses de conversaciones con vecinos y comerciantes.",
               "Se espera una votación definitiva antes de final de año.",
               "La oposición calificó el calendario de poco realista y pidió un informe independiente.",
               "Los responsables no quisieron precisar cuántos trabajadores harán falta."],
        look=["Los suscriptores del servicio aumentaron un {n} % en el último trimestre.",
              "La sección de comentarios del informe recoge {n} objeciones de los municipios vecinos.",
              "Las donaciones a la fundación cayeron un {n} % tras el cambio fiscal.",
              "El autor del estudio, antiguo economista del banco central, considera prudente el modelo."]),
}
_ORD = ["second", "third", "fourth", "fifth"]


def _fill(rng: random.Random, s: str) -> str:
    return s.format(n=rng.randint(3, 95), y=rng.randint(2, 14), year=rng.randint(2009, 2022), ord=rng.choice(_ORD))


def _paragraph(rng: random.Random, lang: str) -> str:
    d = _PROSE[lang]
    out = []
    for _ in range(rng.randint(2, 3)):
        out.append(f"{rng.choice(d['subj'])} {rng.choice(d['verb'])} {_fill(rng, rng.choice(d['obj']))}.")
    out += rng.sample(d["extra"], 2)
    rng.shuffle(out)
    return " ".join(out)


# ---------------------------------------------------------------- boxes
_W = {  # wording per language: en has the most variants, the others the common ones
    "newsletter": {
        "en": dict(head=["Sign up for our newsletter", "Get the Morning Briefing", "Never miss a story",
                         "Stay in the loop", "The Weekly Digest", "Enjoying this article?", "Like what you're reading?"],
                   text=["Get the best of our reporting delivered to your inbox every Friday.",
                         "Join 40,000 readers who get our free weekly email.",
                         "One email a week, no spam. Unsubscribe at any time.",
                         "Sign up to get the latest stories straight to your inbox.",
                         "Enter your email address to receive new posts by email."],
                   button=["Subscribe", "Sign up", "Join now"]),
        "de": dict(head=["Newsletter abonnieren", "Bleiben Sie informiert", "Unser Newsletter"],
                   text=["Die wichtigsten Nachrichten jeden Morgen direkt in Ihr Postfach.",
                         "Melden Sie sich jetzt für unseren kostenlosen Newsletter an."],
                   button=["Abonnieren", "Anmelden"]),
        "fr": dict(head=["Inscrivez-vous à notre newsletter", "Restez informé", "Abonnez-vous"],
                   text=["Recevez chaque matin l'essentiel de l'actualité dans votre boîte mail.",
                         "Inscrivez-vous à notre newsletter gratuite."],
                   button=["S'inscrire", "Valider"]),
        "es": dict(head=["Suscríbete a nuestro boletín", "No te pierdas nada"],
                   text=["Recibe cada mañana las noticias más importantes en tu correo.",
                         "Suscríbete a nuestra newsletter gratuita."],
                   button=["Suscribirme", "Enviar"]),
    },
    "donation": {
        "en": dict(head=["Support our journalism", "Support independent reporting", "Become a member",
                         "We need your help", "Can you help us?"],
                   text=["We rely on readers like you. Please consider making a donation today.",
                         "Our reporting is free for everyone because readers fund it. Become a member from $5 a month.",
                         "Every contribution, big or small, keeps our newsroom independent."],
                   button=["Donate now", "Become a member", "Support us"]),
        "de": dict(head=["Unterstützen Sie unabhängigen Journalismus", "Jetzt spenden"],
                   text=["Unsere Arbeit wird von Leserinnen und Lesern finanziert. Unterstützen Sie uns mit einer Spende.",
                         "Werden Sie Mitglied und sichern Sie unsere Recherchen."],
                   button=["Jetzt spenden", "Mitglied werden"]),
        "fr": dict(head=["Soutenez notre journalisme", "Faites un don"],
                   text=["Notre rédaction est financée par ses lecteurs. Soutenez-nous dès 5 euros par mois."],
                   button=["Faire un don", "Je soutiens"]),
        "es": dict(head=["Apoya el periodismo independiente", "Hazte socio"],
                   text=["Nuestro trabajo depende de lectores como tú. Haz una donación hoy."],
                   button=["Donar", "Hazte socio"]),
    },
    "promo": {
        "en": dict(head=["Our pick", "Today's deals", "Sponsored"],
                   text=["This post contains affiliate links. We may earn a commission if you buy through them.",
                         "Deal: the Anker 737 power bank is 30% off at Amazon today.",
                         "Sponsored: Try our partner's VPN free for 30 days.",
                         "Use code SAVE20 for 20% off your first order."],
                   button=["Check price", "Buy now", "Shop now"]),
        "de": dict(head=["Anzeige", "Angebot des Tages"],
                   text=["Dieser Artikel enthält Affiliate-Links. Beim Kauf erhalten wir eine Provision.",
                         "Jetzt 25% Rabatt mit dem Gutscheincode SOMMER25."],
                   button=["Zum Angebot", "Jetzt kaufen"]),
        "fr": dict(head=["Publicité", "Bon plan"],
                   text=["Cet article contient des liens affiliés : nous pouvons toucher une commission.",
                         "Profitez de 30 % de réduction avec le code promo ETE30."],
                   button=["Voir l'offre"]),
        "es": dict(head=["Publicidad", "Oferta"],
                   text=["Este artículo contiene enlaces de afiliados y podemos recibir una comisión.",
                         "Consigue un 20 % de descuento con el código de descuento VERANO."],
                   button=["Ver oferta"]),
    },
    "disclaimer": {
        "en": dict(head=["Disclaimer", "Disclosure"],
                   text=["This article was originally published on The Conversation. Read the original article.",
                         "Republish this article for free under a Creative Commons license.",
                         "The views expressed in this article are the author's own and do not reflect those of the publisher.",
                         "Disclaimer: This content is for informational purposes only and is not financial advice.",
                         "© 2024 Example Media Ltd. All rights reserved. Reprints and permissions."],
                   button=[]),
        "de": dict(head=["Hinweis", "Haftungsausschluss"],
                   text=["Dieser Artikel erschien zuerst bei unserem Partnermedium. Alle Rechte vorbehalten.",
                         "Hinweis: Dieser Beitrag stellt keine Anlageberatung dar."],
                   button=[]),
        "fr": dict(head=["Avertissement"],
                   text=["Cet article a été publié initialement sur le site de notre partenaire. Tous droits réservés.",
                         "Les opinions exprimées dans cet article n'engagent que leur auteur."],
                   button=[]),
        "es": dict(head=["Aviso legal"],
                   text=["Este artículo fue publicado originalmente en el sitio de nuestro socio. Todos los derechos reservados.",
                         "Las opiniones expresadas en este artículo son responsabilidad exclusiva de su autor."],
                   button=[]),
    },
    "comments": {
        "en": dict(head=["{n} Comments", "Comments", "Join the discussion", "Leave a Reply", "Reader comments"],
                   text=["Great piece, I had no idea the line was that far behind schedule.",
                         "I live near the station and nobody asked us anything before the works started.",
                         "Thanks for covering this, the local paper never does.",
                         "The numbers in the third paragraph look off to me, can you check them?"],
                   button=["Post Comment", "Submit"]),
        "de": dict(head=["{n} Kommentare", "Kommentare", "Kommentar schreiben"],
                   text=["Sehr guter Artikel, danke für die Recherche.", "Das hätte man alles früher wissen können."],
                   button=["Kommentar abschicken"]),
        "fr": dict(head=["{n} commentaires", "Commentaires", "Laisser un commentaire"],
                   text=["Merci pour cet article très clair.", "On attend toujours les travaux promis depuis des années."],
                   button=["Publier"]),
        "es": dict(head=["{n} comentarios", "Comentarios", "Deja un comentario"],
                   text=["Muy buen artículo, gracias por la información.", "Esto ya se sabía desde hace meses."],
                   button=["Publicar comentario"]),
    },
    "toc": {
        "en": dict(head=["Contents", "Table of Contents", "In this article", "On this page"],
                   text=["What the plan says", "Who pays for it", "What happens next", "Key numbers at a glance"],
                   button=[]),
        "de": dict(head=["Inhalt", "Inhaltsverzeichnis"], text=["Was der Plan vorsieht", "Wer bezahlt", "Wie es weitergeht"],
                   button=[]),
        "fr": dict(head=["Sommaire", "Dans cet article"], text=["Ce que prévoit le plan", "Qui paie", "La suite"],
                   button=[]),
        "es": dict(head=["Índice", "En este artículo"], text=["Qué dice el plan", "Quién paga", "Qué pasará ahora"],
                   button=[]),
    },
    "bio": {
        "en": dict(head=["About the author", "About the writer", "Meet the author"],
                   text=["Jane Holloway is a senior reporter covering energy and climate. She previously worked at "
                         "the Evening Standard. Follow her on Twitter @jholloway.",
                         "Marc Dupree writes about cities and transport. His first book, Slow Roads, came out in 2021.",
                         "Priya Natarajan is our data editor. Before joining the team she spent six years as an analyst."],
                   button=["View all posts", "Follow"]),
        "de": dict(head=["Über den Autor", "Zur Autorin"],
                   text=["Anna Berger ist Redakteurin im Ressort Wirtschaft und schreibt über Energie und Verkehr.",
                         "Jonas Keller arbeitet seit 2015 als freier Journalist in Leipzig."],
                   button=["Alle Artikel"]),
        "fr": dict(head=["À propos de l'auteur", "L'auteur"],
                   text=["Claire Martin est journaliste au service économie depuis 2018.",
                         "Paul Girard couvre la politique locale et les transports."],
                   button=["Tous ses articles"]),
        "es": dict(head=["Sobre el autor", "Sobre la autora"],
                   text=["Lucía Romero es periodista especializada en economía y vivienda.",
                         "Diego Ortega cubre política local desde 2016."],
                   button=["Ver artículos"]),
    },
    "caption": {
        "en": dict(head=[], text=["Commuters wait on the platform at Central Station. Photo: Jane Doe / Reuters",
                                  "The reservoir in early August. Image credit: NASA/JPL",
                                  "Photo: Tom Baker / AP", "A worker inspects the new line. (Photo by Sam Lee/Getty Images)",
                                  "Image: Example Media", "Farmers at the market on Saturday. Photograph: Ana Ruiz/The Times"],
                   button=[]),
        "de": dict(head=[], text=["Pendler warten am Hauptbahnhof. Foto: Max Huber / dpa", "Bild: Stadtverwaltung",
                                  "Der Stausee Anfang August. Foto: picture alliance"], button=[]),
        "fr": dict(head=[], text=["Des voyageurs attendent sur le quai. Photo : Jean Dupont / AFP",
                                  "Crédit photo : Mairie de Lyon"], button=[]),
        "es": dict(head=[], text=["Viajeros esperan en el andén. Foto: Ana López / EFE", "Imagen: Ayuntamiento de Sevilla"],
                   button=[]),
    },
    "series": {
        "en": dict(head=["Part of a series"],
                   text=["This article is part of our series on the future of public transport.",
                         "This story is part of The Long Commute, a series about how we get to work.",
                         "Part 3 of 5 in our series on water."],
                   button=["Read the whole series"]),
        "de": dict(head=["Serie"], text=["Dieser Artikel ist Teil unserer Serie über die Zukunft des Nahverkehrs."],
                   button=["Alle Teile der Serie"]),
        "fr": dict(head=["Série"], text=["Cet article fait partie de notre série sur l'avenir des transports."],
                   button=["Toute la série"]),
        "es": dict(head=["Serie"], text=["Este artículo forma parte de nuestra serie sobre el futuro del transporte."],
                   button=["Ver la serie"]),
    },
    "related": {
        "en": dict(head=["You'll also love", "Related articles", "You might also like", "More from Politics",
                         "Recommended for you", "Keep reading"],
                   text=["How one town rebuilt its bus network from scratch", "The hidden cost of cheap flights",
                         "Why rents keep rising even as wages stall", "Inside the race to fix the national grid",
                         "Ten years on, what happened to the promised hospital?", "Farmers brace for another dry summer"],
                   button=[]),
        "de": dict(head=["Das könnte Sie auch interessieren", "Mehr zum Thema", "Weitere Artikel"],
                   text=["Wie eine Kleinstadt ihren Busverkehr neu erfand", "Die versteckten Kosten billiger Flüge",
                         "Warum die Mieten weiter steigen", "Landwirte fürchten den nächsten trockenen Sommer"],
                   button=[]),
        "fr": dict(head=["À lire aussi", "Sur le même sujet", "Vous aimerez aussi"],
                   text=["Comment une petite ville a réinventé ses bus", "Le coût caché des vols bon marché",
                         "Pourquoi les loyers continuent de grimper"], button=[]),
        "es": dict(head=["Te puede interesar", "Noticias relacionadas", "También te puede gustar"],
                   text=["Cómo un pueblo reinventó su red de autobuses", "El coste oculto de los vuelos baratos",
                         "Por qué los alquileres siguen subiendo"], button=[]),
    },
}
_SEMANTIC = {
    "newsletter": ["newsletter-signup", "c-newsletter", "nl-box", "subscribe-widget", "mc4wp-form-wrap", "emailSignup",
                   "newsletter"],
    "donation": ["donate-box", "membership-cta", "support-us", "contributions-epic", "c-donation", "patreon-widget"],
    "promo": ["promo-box", "affiliate-disclosure", "sponsored-content", "ad-slot", "c-promo", "deal-box"],
    "disclaimer": ["disclaimer", "republish-notice", "article-disclosure", "copyright", "reprint-info"],
    "comments": ["comments-area", "comments", "disqus_thread", "c-comments", "comment-section"],
    "toc": ["toc", "ez-toc-container", "table-of-contents", "c-toc"],
    "bio": ["author-bio", "about-author", "author-box", "authorBio", "c-author-card", "author-info"],
    "caption": ["wp-caption-text", "caption", "image-credit", "c-figure__caption", "photo-credit"],
    "series": ["series-note", "post-series", "c-series", "series-box"],
    "related": ["related-posts", "jp-relatedposts", "recommended", "c-related", "more-stories", "outbrain-widget"],
}
_NEUTRAL = ["box", "widget widget-3", "c-card", "module", "blk-7", "panel", "wrap", "inner", "mod-b", "cta"]


@dataclass
class Box:
    kind: str
    html: str
    strings: list[str]


def _attr(rng: random.Random, kind: str, semantic: bool) -> str:
    if semantic and rng.random() < 0.75:
        name = rng.choice(_SEMANTIC[kind])
        return f' class="{name}"' if rng.random() < 0.8 else f' id="{name}"'
    return f' class="{rng.choice(_NEUTRAL)}"' if rng.random() < 0.7 else ""


def _heading(rng: random.Random, text: str) -> str:
    tag = rng.choice(["h2", "h3", "h4", "h3", "strong", "p><strong"])
    if tag == "p><strong":
        return f"<p><strong>{escape(text)}</strong></p>"
    if tag == "strong":
        return f"<div><strong>{escape(text)}</strong></div>"
    return f"<{tag}>{escape(text)}</{tag}>"


def _form(rng: random.Random, button: str, comment: bool = False) -> str:
    if comment:
        return (f'<form action="/wp-comments-post.php" method="post"><textarea name="comment"></textarea>'
                f'<input type="text" name="author"><button type="submit">{escape(button)}</button></form>')
    field = rng.choice(['<input type="email" name="email" placeholder="Your email">',
                        '<input type="text" name="EMAIL" placeholder="E-mail">',
                        '<input type="email" id="nl-mail">'])
    return f'<form action="/subscribe" method="post">{field}<button>{escape(button)}</button></form>'


def make_box(rng: random.Random, kind: str, lang: str, semantic: bool) -> Box:
    w = _W[kind][lang]
    tag = rng.choice(["div", "div", "aside", "section"])
    attr = _attr(rng, kind, semantic)
    strings: list[str] = []
    parts: list[str] = []
    use_head = bool(w["head"]) and rng.random() < 0.7
    if kind in ("comments", "toc", "related"):
        use_head = bool(w["head"]) and (rng.random() < 0.8 or not attr)
    if use_head:
        head = rng.choice(w["head"]).format(n=rng.randint(2, 40))
        parts.append(_heading(rng, head))
        strings.append(head)
    if kind == "caption":
        text = rng.choice(w["text"])
        strings.append(text)
        style = rng.randrange(3) if semantic else rng.choice([0, 2])
        img = f'<img src="/img/{rng.randint(1, 999)}.jpg" alt="">'
        if style == 0:
            return Box(kind, f"<figure>{img}<figcaption>{escape(text)}</figcaption></figure>", strings)
        if style == 1:
            return Box(kind, f'<div class="wp-caption">{img}<p{_attr(rng, kind, True)}>{escape(text)}</p></div>', strings)
        return Box(kind, f"<p>{img}<br><em>{escape(text)}</em></p>", strings)
    if kind == "comments":
        items = []
        for t in rng.sample(w["text"], min(len(w["text"]), rng.randint(2, 4))):
            who = rng.choice(["Mike R.", "sarah_k", "J. Olsen", "Anon", "Peter"])
            items.append(f'<li class="{rng.choice(["comment", "c-item", "reply"]) if semantic else "item"}">'
                         f'<div><b>{who}</b> <span>{rng.randint(1, 28)} March 2024 at 10:{rng.randint(10, 59)}</span>'
                         f'</div><p>{escape(t)}</p><a href="#reply">Reply</a></li>')
            strings.append(t)
        parts.append("<ol>" + "".join(items) + "</ol>")
        if rng.random() < 0.6:
            parts.append(_form(rng, rng.choice(w["button"]), comment=True))
    elif kind in ("toc", "related"):
        items = rng.sample(w["text"], min(len(w["text"]), rng.randint(3, 4)))
        if kind == "toc":
            lis = "".join(f'<li><a href="#s{i}">{escape(t)}</a></li>' for i, t in enumerate(items))
        else:
            lis = "".join(f'<li><a href="/{lang}/story/{rng.randint(100, 9999)}">{escape(t)}</a></li>' for t in items)
        lt = rng.choice(["ul", "ol"])
        parts.append(f"<{lt}>{lis}</{lt}>")
        strings += items
    else:
        texts = rng.sample(w["text"], 1 if kind in ("bio", "series") else min(len(w["text"]), rng.randint(1, 2)))
        for t in texts:
            parts.append(f"<p>{escape(t)}</p>")
            strings.append(t)
        if kind == "bio":
            parts.insert(0, f'<img src="/avatars/{rng.randint(1, 99)}.jpg" alt="">')
        if w["button"] and kind == "newsletter" and rng.random() < 0.6:
            parts.append(_form(rng, rng.choice(w["button"])))
        elif w["button"] and rng.random() < 0.6:
            parts.append(f'<a class="{rng.choice(["btn", "button", "cta"])}" href="/{kind}">'
                         f'{escape(rng.choice(w["button"]))}</a>')
    return Box(kind, f"<{tag}{attr}>{''.join(parts)}</{tag}>", strings)


# ---------------------------------------------------------------- page templates
@dataclass
class Template:
    name: str
    semantic: bool
    head: str  # before the body paragraphs ({title}, {date}, {author})
    body_open: str
    body_close: str
    after: str  # after the body ({after} is where boxes after the article go)
    sidebar: bool = False
    br_only: bool = False
    para: str = "<p>{}</p>"


_NAV = ('<header class="site-header"><a href="/">Home</a> <nav><a href="/politics">Politics</a> '
        '<a href="/business">Business</a> <a href="/culture">Culture</a></nav></header>')
_FOOT = '<footer><a href="/about">About</a> <a href="/privacy">Privacy</a> <p>Example Media 2024</p></footer>'

TEMPLATES = [
    Template("wordpress", True, '<h1 class="entry-title">{title}</h1><div class="entry-meta">By {author} · {date}</div>',
             '<div class="entry-content">', "</div>", "{after}", sidebar=True),
    Template("wordpress-classless", False, "<h1>{title}</h1><div>By {author}</div>",
             "<div>", "</div>", "{after}", sidebar=True),
    Template("ghost", True, '<header class="gh-article-header"><h1 class="gh-article-title">{title}</h1></header>',
             '<section class="gh-content gh-canvas">', "</section>", "{after}"),
    Template("substack", True, '<div class="post-header"><h1 class="post-title">{title}</h1>'
             '<h3 class="subtitle">A look at the numbers behind the plan</h3></div>',
             '<div class="available-content"><div class="body markup" dir="auto">', "</div></div>", "{after}"),
    Template("news-cms", True, '<h1 itemprop="headline">{title}</h1><time datetime="2024-03-12">{date}</time>',
             '<div class="story-body__inner" itemprop="articleBody">', "</div>", "{after}", sidebar=True),
    Template("news-cms-classless", False, "<h1>{title}</h1><p>{date}</p>",
             '<div>', "</div>", "<div>{after}</div>", sidebar=True),
    Template("blog", True, '<h1 class="post-title">{title}</h1><p class="byline">Posted by {author}</p>',
             '<div class="post-body">', "</div>", "{after}"),
    Template("blog-classless", False, "<h2>{title}</h2>", "<div>", "</div>", "{after}"),
    Template("amp", True, '<h1 class="amp-title">{title}</h1><amp-img src="/a.jpg" width="600" height="400"></amp-img>',
             '<div class="amp-article-content">', "</div>", "{after}"),
    Template("amp-classless", False, "<h1>{title}</h1>", "<div>", "</div>", "{after}"),
    Template("div-only", False, "<div><h1>{title}</h1></div>", "<div><div>", "</div></div>", "<div>{after}</div>"),
    Template("br-only", False, "<h1>{title}</h1>", "<div>", "</div>", "{after}", br_only=True),
    Template("table-layout", False, '<table><tr><td><h1>{title}</h1>', "<div>", "</div>", "{after}</td></tr></table>"),
    Template("article-tag", True, "<article><h1>{title}</h1><p class=\"meta\">{date}</p>", "<div class=\"body\">",
             "</div>", "{after}</article>"),
    Template("medium-like", True, '<article><div class="pw-post-body"><h1 data-testid="storyTitle">{title}</h1>',
             '<section>', "</section>", "{after}</div></article>"),
    Template("section-body", True, '<main><h1>{title}</h1>', '<section class="article-body">', "</section>",
             "{after}</main>", sidebar=True),
    Template("itemprop-classless", False, "<h1>{title}</h1>", '<div itemprop="articleBody">', "</div>", "{after}"),
    Template("magazine", True, '<div class="hero"><h1 class="headline">{title}</h1><p class="dek">{date}</p></div>',
             '<div class="article__content rich-text">', "</div>", '<div class="article__footer">{after}</div>',
             sidebar=True),
    Template("docs-style", True, '<div class="content"><h1>{title}</h1>', '<div class="markdown-body">', "</div>",
             "{after}</div>"),
    Template("forum-like", False, "<h1>{title}</h1>", '<div id="post-1">', "</div>", "<div>{after}</div>"),
    Template("nested-classless", False, "<div><div><h1>{title}</h1></div></div>", "<div><div><div>",
             "</div></div></div>", "<div><div>{after}</div></div>"),
    Template("joomla", True, '<div class="item-page"><h2 itemprop="headline">{title}</h2>',
             '<div itemprop="articleBody" class="com-content-article__body">', "</div>", "{after}</div>"),
    Template("drupal", True, '<h1 class="page-title"><span>{title}</span></h1>',
             '<div class="field field--name-body field--type-text-with-summary">', "</div>", "{after}",
             sidebar=True),
    Template("span-paras", False, "<h1>{title}</h1>", "<div>", "</div>", "{after}", para="<div>{}</div>"),
]
_TITLES = {"en": "Council approves delayed rail plan", "de": "Stadtrat billigt verspätete Bahnpläne",
           "fr": "Le conseil approuve le projet ferroviaire", "es": "El ayuntamiento aprueba el plan ferroviario"}


@dataclass
class Page:
    name: str
    template: str
    lang: str
    html: str
    prose: list[str]
    look: list[str]
    boxes: list[Box] = field(default_factory=list)


def make_page(rng: random.Random, t: Template, idx: int) -> Page:
    lang = rng.choice(["en", "en", "de", "fr", "es"])
    paras = [_paragraph(rng, lang) for _ in range(rng.randint(5, 8))]
    looks = [_fill(rng, s) for s in rng.sample(_PROSE[lang]["look"], 2)]
    for s in looks:  # a look-alike sentence inside a prose paragraph, or as its own short paragraph
        i = rng.randrange(len(paras))
        if rng.random() < 0.5:
            paras[i] = paras[i] + " " + s
        else:
            paras.insert(i, s)
    kinds = rng.sample(KINDS, rng.randint(4, 6))
    boxes = [make_box(rng, k, lang, t.semantic) for k in kinds]
    inside, after, side = [], [], []
    for b in boxes:
        where = rng.random()
        if b.kind in ("caption", "toc", "promo", "series") and where < 0.8:
            inside.append(b)
        elif b.kind in ("comments", "bio", "related", "disclaimer") and where < 0.85:
            after.append(b)
        elif t.sidebar and where > 0.9:
            side.append(b)
        else:
            (inside if where < 0.5 else after).append(b)
    chunks = [t.para.format(escape(p)) for p in paras] if not t.br_only else [escape(p) for p in paras]
    for b in inside:  # never before the first paragraph, so the article starts with prose
        pos = 1 + rng.randrange(len(chunks))
        if b.kind == "toc":
            pos = 1
        chunks.insert(pos, b.html)
    body = ("<br><br>".join(chunks)) if t.br_only else "".join(chunks)
    if t.br_only:  # boxes are block elements between the <br>-separated paragraphs
        body = body.replace("<br><br><", "<").replace("><br><br>", ">")
    head = t.head.format(title=_TITLES[lang], date="12 March 2024", author="Jane Holloway")
    article = head + t.body_open + body + t.body_close + t.after.format(after="".join(b.html for b in after))
    sidebar = ('<aside class="sidebar">' if t.semantic else "<div>") + "".join(b.html for b in side) + \
        '<ul><li><a href="/a">Archive</a></li><li><a href="/b">Contact</a></li></ul>' + \
        ("</aside>" if t.semantic else "</div>")
    html = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{_TITLES[lang]} | Example</title>'
            f"</head><body>{_NAV}<div class=\"wrap\"><div class=\"main\">{article}</div>{sidebar}</div>{_FOOT}"
            "</body></html>")
    return Page(f"{t.name}-{idx}", t.name, lang, html, paras, looks, boxes)


SPLITS = {"tune": (range(0, 12), 1), "heldout": (range(12, 24), 2), "test": (range(0, 24), 7)}


def make_pages(split: str, per_template: int = 8) -> list[Page]:
    templates, seed = SPLITS[split]
    rng = random.Random(seed)
    return [make_page(rng, TEMPLATES[t], i) for t in templates for i in range(per_template)]


# ---------------------------------------------------------------- scoring
@dataclass
class Score:
    strings: Counter = field(default_factory=Counter)
    survived: Counter = field(default_factory=Counter)
    prose_chars: int = 0
    kept_chars: int = 0
    look_total: int = 0
    look_lost: list[str] = field(default_factory=list)
    prose_lost: list[str] = field(default_factory=list)
    left: list[tuple[str, str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def survival(self) -> float:
        return sum(self.survived.values()) / max(1, sum(self.strings.values()))

    @property
    def recall(self) -> float:
        return self.kept_chars / max(1, self.prose_chars)


def _norm(s: str) -> str:
    return " ".join(s.split())


def survives(s: str, lines: list[str]) -> bool:
    s = _norm(s)
    return any(s == line or (len(s) >= 15 and s in line) for line in lines)


def score_pages(pages: list[Page]) -> Score:
    from extractors.content import extract_article
    from extractors.errors import ExtractionError

    sc = Score()
    for page in pages:
        try:
            text = extract_article(page.html, f"https://example.org/{page.lang}/{page.name}").text
        except ExtractionError as e:
            text = ""
            sc.failed.append(f"{page.name}: {e}")
        lines = [_norm(x) for x in text.splitlines() if x.strip()]
        flat = _norm(text)
        for p in page.prose:
            sc.prose_chars += len(p)
            if _norm(p) in flat:
                sc.kept_chars += len(p)
            else:
                sc.prose_lost.append(f"{page.name}: {p[:100]}")
        for s in page.look:
            sc.look_total += 1
            if _norm(s) not in flat:
                sc.look_lost.append(f"{page.name}: {s}")
        for b in page.boxes:
            for s in b.strings:
                sc.strings[b.kind] += 1
                if survives(s, lines):
                    sc.survived[b.kind] += 1
                    sc.left.append((page.name, b.kind, s))
    return sc


def report(name: str, pages: list[Page], sc: Score, show: bool) -> None:
    print(f"{name}: {len(pages)} pages, {len({p.template for p in pages})} templates, "
          f"{sum(sc.strings.values())} injected strings")
    print(f"  injected strings surviving: {sum(sc.survived.values())} ({100 * sc.survival:.1f}%)")
    print("  by kind: " + ", ".join(f"{k} {sc.survived[k]}/{sc.strings[k]}" for k in KINDS if sc.strings[k]))
    print(f"  text recall: {sc.recall:.4f}   look-alike sentences lost: {len(sc.look_lost)}/{sc.look_total}"
          f"   pages rejected: {len(sc.failed)}")
    if show:
        for page, kind, s in sc.left:
            print(f"    left  {page:<24} {kind:<10} {s}")
        for s in sc.look_lost + sc.prose_lost + sc.failed:
            print(f"    lost  {s}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["tune", "heldout", "all"], default="heldout")
    ap.add_argument("--per-template", type=int, default=8)
    ap.add_argument("--show", action="store_true", help="list surviving strings and lost sentences")
    ap.add_argument("--write", type=Path, help="write the pages and their expectations to this directory")
    args = ap.parse_args()
    for split in (["tune", "heldout"] if args.split == "all" else [args.split]):
        pages = make_pages(split, args.per_template)
        if args.write:
            args.write.mkdir(parents=True, exist_ok=True)
            for p in pages:
                (args.write / f"{p.name}.html").write_text(p.html, "utf-8")
                (args.write / f"{p.name}.json").write_text(json.dumps(
                    dict(prose=p.prose, look=p.look, boxes=[dict(kind=b.kind, strings=b.strings) for b in p.boxes]),
                    ensure_ascii=False, indent=1), "utf-8")
        report(split, pages, score_pages(pages), args.show)


if __name__ == "__main__":
    main()
