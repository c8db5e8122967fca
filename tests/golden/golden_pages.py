"""The golden pages' texts and junk (see build_golden.py). Original text written for this corpus."""

from __future__ import annotations

from build_golden import (AFFILIATE, COMMENTS, COOKIE, DONATION, FILED, FOOT, NEWSLETTER, PAYWALL, PROMO, PROMO_PLAIN,
                          SHARE, TAGS, WRITTEN_BY, bio, ghost, head, plain_article, ps, read_more, related_list,
                          related_twice, wordpress)

LOOK_ADS = "Advertisement revenue fell 12% last quarter, the company said in a filing on Tuesday."
LOOK_READ = "Read more widely, the author argues, and the same pattern shows up in much older studies of isolation."
LOOK_BY = "By 2030, nearly a quarter of adults in large cities may live alone, according to planners."
LOOK_WRITTEN = "Written by hand on cheap paper, the letters were passed between the two friends for a decade."
LOOK_SUB = "Subscribers to the companion app grew by 40 percent in a single year, the firm reported."
LOOK_SHARE = "Share prices of the three biggest chatbot makers rallied after the announcement."
LOOK_OFF = "The bakery offered 20% off for pensioners, a policy that drew long queues every Tuesday morning."
LOOK_COOKIE = "Cookies were the best-selling item at the school fair, raising enough money for a new piano."


def define_pages(page, g) -> None:  # noqa: C901 - one long list of pages
    # 1 WordPress, the source-article pattern --------------------------------------------------------------
    keep = [
        "Maya Okonkwo spent most of last winter talking to a chatbot she had named Juniper.",
        "The app remembered her sister's birthday, asked about her night shifts and never seemed tired.",
        "Researchers who study loneliness say stories like hers are becoming ordinary rather than strange.",
        "A survey of 2,000 adults found that one in five had confided in an AI companion at least once.",
        "Critics worry that constant availability trains people to expect friendship without friction.",
        "Okonkwo now meets two colleagues for a walk every Sunday, and talks to Juniper less often.",
    ]
    rm = read_more("Read More:", "Instagram Changes How It Labels Synthetic Images", "/2024/03/01/instagram-labels/")
    rel = related_twice([("Chipmakers Race to Build Smaller AI Models", "/2024/02/20/chip-race/"),
                         ("Why Voice Assistants Still Mishear Accents", "/2024/02/11/voice-accents/")])
    b = bio("Mara Lindqvist is a technology reporter who covers the social side of software. She lives in Oslo.")
    body = (ps(keep[0], keep[1]) + PROMO[0] + ps(keep[2], LOOK_ADS) + rm[0] + "<h2>Why now</h2>" +
            ps(keep[3], LOOK_READ, keep[4]) + ps(keep[5]) + PROMO[0] + WRITTEN_BY[0] + b[0] + FILED[0] + rel[0])
    html = wordpress(head("Why People Confide in Chatbots", site="Example Tech Daily", author="Mara Lindqvist",
                          date="2024-03-05T09:30:00+01:00", canonical="https://techdaily.example/why-people-confide/"),
                     "Why People Confide in Chatbots", body,
                     byline='<div class="entry-meta">by <a rel="author" href="/author/mara/">Mara Lindqvist</a></div>',
                     after=COMMENTS[0])
    page("wp_chatbot_confide", html, url="https://techdaily.example/why-people-confide/?utm_source=x",
         keep=keep, lookalikes=[LOOK_ADS, LOOK_READ], junk_parts=[PROMO, rm, WRITTEN_BY, b, FILED, rel, COMMENTS],
         meta=dict(title="Why People Confide in Chatbots", author="Mara Lindqvist", published_at="2024-03-05",
                   language="en", site_name="Example Tech Daily",
                   canonical_url="https://techdaily.example/why-people-confide/"),
         links=[("https://techdaily.example/2024/03/01/instagram-labels/", "read_more"),
                ("https://techdaily.example/2024/02/20/chip-race/", "related")])

    # 2 Ghost ----------------------------------------------------------------------------------------------
    keep = [
        "Sleep researchers have long suspected that evening screen use matters less than what we do on screens.",
        "In a twelve-week trial, volunteers who read on a tablet slept about as well as those reading paper books.",
        "The difference appeared only when participants scrolled social feeds in the hour before bed.",
        "Lead author Dr. Priya Raman said the emotional content of feeds seemed to keep people alert.",
        "The team now plans a larger study with teenagers, whose sleep is most easily disrupted.",
    ]
    also = ('<p>ALSO READ: <a href="/blue-light-myths/">Five Blue Light Myths That Refuse to Die</a></p>',
            ["Five Blue Light Myths That Refuse to Die"])
    body = (ps(keep[0], keep[1]) + also[0] + ps(keep[2], LOOK_BY) + AFFILIATE[0] + ps(keep[3]) +
            NEWSLETTER[0] + ps(keep[4]) + SHARE[0])
    html = ghost(head("Screens, Feeds and Sleep", site="The Night Owl", date="2023-11-14T06:00:00Z",
                      extra='<script type="application/ld+json">{"@context":"https://schema.org","@type":"Article",'
                            '"headline":"Screens, Feeds and Sleep","author":{"@type":"Person","name":"Tomás Ferreira"},'
                            '"datePublished":"2023-11-14T06:00:00Z","publisher":{"@type":"Organization",'
                            '"name":"The Night Owl"}}</script>'),
                 "Screens, Feeds and Sleep", body)
    page("ghost_sleep_screens", html, url="https://nightowl.example/screens-feeds-sleep/", keep=keep,
         lookalikes=[LOOK_BY], junk_parts=[also, AFFILIATE, NEWSLETTER, SHARE],
         meta=dict(title="Screens, Feeds and Sleep", author="Tomás Ferreira", published_at="2023-11-14",
                   language="en", site_name="The Night Owl"),
         links=[("https://nightowl.example/blue-light-myths/", "read_more")])

    # 3 newsletter ---------------------------------------------------------------------------------------------
    keep = [
        "Welcome back to the Thursday letter, where we look at one small idea in depth each week.",
        "This week: the quiet return of the public library as a place to spend an afternoon with strangers.",
        "Visits to branch libraries in our region rose for the third year running, mostly on weekday afternoons.",
        "Librarians told us that many regulars come for the company as much as for the books or the wifi.",
        "One branch started a Tuesday puzzle table; within a month it needed a second table.",
    ]
    rel = read_more("Related:", "The Case for Boring Public Spaces", "https://letters.example/p/boring-spaces")
    body = (ps(keep[0], keep[1], keep[2]) + rel[0] + ps(LOOK_WRITTEN, keep[3], keep[4]) + DONATION[0] +
            '<div class="subscription-widget"><p>Subscribe</p></div>' +
            '<p>Thanks for reading! Subscribe for free to receive new posts and support my work.</p>')
    html = plain_article(head("The Library Comeback", site="Thursday Letters", author="Ines Moreau",
                              date="2024-06-13T08:00:00-04:00"), "The Library Comeback", body)
    page("newsletter_library", html, url="https://letters.example/p/the-library-comeback", keep=keep,
         lookalikes=[LOOK_WRITTEN], junk_parts=[rel, DONATION],
         extra_junk=["Subscribe for free to receive new posts"],
         meta=dict(title="The Library Comeback", author="Ines Moreau", published_at="2024-06-13", language="en"),
         links=[("https://letters.example/p/boring-spaces", "read_more")])

    # 4 newspaper with paywall teaser ------------------------------------------------------------------------
    keep = [
        "The city council voted on Monday to keep three neighbourhood pools open through the winter.",
        "The decision reverses a plan, announced in March, to close the pools to save on heating costs.",
        "Residents had collected more than 4,000 signatures, many from older swimmers who use the pools daily.",
    ]
    byline = '<p class="byline">By Jane Okafor, Staff Writer</p>'
    body = ps(*keep) + ps(LOOK_SUB) + PAYWALL[0] + '<p>This article is for subscribers only.</p>'
    html = plain_article(head("Council Keeps Winter Pools Open - The Daily Example", extra=(
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite",'
        '"name":"The Daily Example"},{"@type":"NewsArticle","headline":"Council Keeps Winter Pools Open",'
        '"author":[{"@type":"Person","name":"Jane Okafor, Staff Writer"}],"datePublished":"2024-10-07T17:45:00+02:00",'
        '"isAccessibleForFree":"False"}]}</script>')),
        "Council Keeps Winter Pools Open", body, byline=byline)
    page("newspaper_paywall", html, url="https://dailyexample.example/local/2024/10/07/pools/", keep=keep,
         lookalikes=[LOOK_SUB], junk_parts=[PAYWALL], extra_junk=["By Jane Okafor", "for subscribers only"],
         meta=dict(title="Council Keeps Winter Pools Open", author="Jane Okafor", published_at="2024-10-07",
                   language="en"))

    # 5 AMP --------------------------------------------------------------------------------------------------
    keep = [
        "Community fridges have appeared outside cafés and churches in more than forty towns this year.",
        "Anyone can leave food that is still good, and anyone can take what they need, no questions asked.",
        "Volunteers check the fridges twice a day and throw away anything past its date.",
        "Organisers say the fridges also bring neighbours into conversation with each other.",
    ]
    rm = read_more("Read more:", "How Food Banks Are Changing", "/amp/food-banks-changing")
    body = ps(keep[0], keep[1]) + rm[0] + '<amp-img src="/img/fridge.jpg" width="600" height="400" alt="A fridge"></amp-img>' \
        + ps(keep[2], keep[3]) + COOKIE[0]
    html = ('<!doctype html><html amp lang="en-GB"><head><meta charset="utf-8"><title>The Rise of Community Fridges'
            '</title><link rel="canonical" href="https://goodnews.example/community-fridges/">'
            '<meta property="article:published_time" content="2022-08-19T10:00:00+00:00">'
            '<style amp-custom>body{font-family:sans-serif}</style></head><body>'
            '<amp-consent id="consent" layout="nodisplay"><div class="consent-ui"><p>This site uses cookies. '
            'Accept or reject.</p></div></amp-consent><header><a href="/">Good News</a></header>'
            f'<article><h1>The Rise of Community Fridges</h1>{body}</article>{FOOT}</body></html>')
    page("amp_community_fridges", html, url="https://goodnews.example/community-fridges/amp/", keep=keep,
         junk_parts=[rm, COOKIE], extra_junk=["This site uses cookies"],
         meta=dict(title="The Rise of Community Fridges", published_at="2022-08-19", language="en",
                   canonical_url="https://goodnews.example/community-fridges/"),
         links=[("https://goodnews.example/amp/food-banks-changing", "read_more")])

    # 6 div/br-only page -------------------------------------------------------------------------------------
    keep = [
        "Our allotment society was founded in 1952 by railway workers who wanted to grow their own vegetables.",
        "Today the site has sixty plots, a shared tool shed and a waiting list of almost two years.",
        "Plot holders pay a small yearly fee and agree to keep at least two thirds of the plot in cultivation.",
        "Every September we hold an open day with a produce show, tea and cake.",
    ]
    text = "<br><br>".join([keep[0], keep[1], 'Read more: <a href="/history">Our history in pictures</a>',
                            keep[2], "Hosting 75% off", keep[3], "Tags: allotments, gardening"])
    html = (head("About our allotments") + '<body><div id="wrap"><div class="top"><a href="/">Home</a> | '
            '<a href="/plots">Plots</a></div><div class="txt"><div class="h">About our allotments</div>'
            f'{text}</div><div class="bottom">Contact the secretary</div></div></body></html>')
    page("div_only_allotments", html, url="http://allotments.example/about.html", keep=keep,
         extra_junk=["Our history in pictures", "Hosting 75% off", "Tags: allotments"],
         meta=dict(title="About our allotments", language="en"))

    # 7 German news ------------------------------------------------------------------------------------------
    keep = [
        "Immer mehr ältere Menschen in Deutschland fühlen sich einsam, besonders in den großen Städten.",
        "Eine neue Studie der Universität zeigt, dass fast jeder Fünfte über 70 kaum noch Besuch bekommt.",
        "Viele Kommunen setzen deshalb auf Nachbarschaftstreffs, in denen man sich ohne Anmeldung treffen kann.",
        "In Leipzig etwa gibt es inzwischen zwölf solcher Treffpunkte, die meisten in ehemaligen Ladenlokalen.",
        "Die Forscher empfehlen, solche Angebote dauerhaft zu finanzieren und nicht nur als Projekte.",
    ]
    look_de = "Lesen Sie auch die Stellungnahme des Ministeriums, die am Freitag veröffentlicht wurde."
    rm = read_more("Lesen Sie auch:", "Wie Städte gegen Einsamkeit vorgehen", "/politik/staedte-einsamkeit-100.html")
    rel = related_list("Mehr zum Thema", [("Seniorenheime testen Roboter", "/wissen/roboter-pflege-100.html"),
                                          ("Ehrenamt auf dem Land", "/panorama/ehrenamt-land-100.html")])
    von = ('<p>Von Max Beispiel</p>', ["Von Max Beispiel"])
    nl = ('<p>Newsletter abonnieren: Die wichtigsten Nachrichten jeden Morgen in Ihrem Postfach.</p>',
          ["Newsletter abonnieren"])
    body = von[0] + ps(keep[0], keep[1]) + rm[0] + ps(keep[2], look_de, keep[3], keep[4]) + nl[0] + rel[0]
    html = plain_article(head("Einsamkeit im Alter: Was Städte tun können", lang="de", extra=(
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Einsamkeit im Alter: Was Städte tun '
        'können","datePublished":"2024-02-09T11:20:00+01:00","author":{"@type":"Person","name":"Max Beispiel"},'
        '"publisher":{"@type":"Organization","name":"Beispiel Nachrichten"}}</script>')),
        "Einsamkeit im Alter: Was Städte tun können", body)
    page("de_einsamkeit", html, url="https://nachrichten.example/gesellschaft/einsamkeit-alter-100.html",
         keep=keep, lookalikes=[look_de], junk_parts=[rm, rel, von, nl],
         meta=dict(title="Einsamkeit im Alter: Was Städte tun können", author="Max Beispiel",
                   published_at="2024-02-09", language="de", site_name="Beispiel Nachrichten"),
         links=[("https://nachrichten.example/politik/staedte-einsamkeit-100.html", "read_more"),
                ("https://nachrichten.example/wissen/roboter-pflege-100.html", "related")])

    # 8 German blog in windows-1252 (declared) ----------------------------------------------------------------
    keep = [
        "Gestern habe ich zum ersten Mal Brot mit Sauerteig gebacken, und es ist tatsächlich gelungen.",
        "Der Teig musste über Nacht gehen, weshalb ich früh um sechs in der Küche stand.",
        "Die Kruste war dunkel und knusprig, die Krume weich und ein wenig säuerlich – genau wie beim Bäcker.",
        "Nächste Woche probiere ich eine Variante mit Roggen und Kümmel aus.",
    ]
    spende = ("<p>Gefällt Ihnen dieser Blog? Jetzt spenden und unabhängige Inhalte unterstützen!</p>",
              ["Jetzt spenden"])
    tags = ("<p>Schlagwörter: Brot, Sauerteig, Backen</p>", ["Schlagwörter: Brot"])
    body = ps(keep[0], keep[1], keep[2], keep[3]) + spende[0] + tags[0]
    html = wordpress(head("Mein erstes Sauerteigbrot", lang="de", charset="windows-1252", site="Küchenzeilen",
                          date="2021-04-18T19:02:00+02:00"), "Mein erstes Sauerteigbrot", body,
                     after=COMMENTS[0])
    page("de_blog_cp1252", html, url="https://kuechenzeilen.example/2021/04/18/sauerteig/", keep=keep,
         junk_parts=[spende, tags, COMMENTS], charset="cp1252",
         meta=dict(title="Mein erstes Sauerteigbrot", published_at="2021-04-18", language="de",
                   site_name="Küchenzeilen"))

    # 9 French magazine ---------------------------------------------------------------------------------------
    keep = [
        "Dans les villages de la Creuse, les cafés associatifs rouvrent les uns après les autres.",
        "Gérés par des bénévoles, ils servent aussi de point relais pour le courrier et les médicaments.",
        "« Ici, on vient pour un café et on reste pour la conversation », résume une habitante de 78 ans.",
        "Les collectivités locales financent parfois les travaux, mais le fonctionnement repose sur les adhérents.",
    ]
    look_fr = "Lire aussi les travaux des sociologues sur la vie rurale permet de mieux comprendre ce mouvement."
    a1 = read_more("À lire aussi :", "Les épiceries solidaires gagnent du terrain", "/societe/epiceries-solidaires")
    a2 = read_more("Lire aussi :", "Le retour des bals de village", "/culture/bals-de-village")
    par = ("<p>Par Claire Dubois</p>", ["Par Claire Dubois"])
    nl = ("<p>Inscrivez-vous à notre newsletter pour recevoir nos articles chaque semaine.</p>",
          ["Inscrivez-vous à notre newsletter"])
    ck = ("<p>Ce site utilise des cookies pour mesurer l'audience. Accepter</p>", ["Ce site utilise des cookies"])
    body = par[0] + ps(keep[0], keep[1]) + a1[0] + ps(keep[2], look_fr) + a2[0] + ps(keep[3]) + nl[0] + ck[0]
    html = plain_article(head("Les cafés associatifs redonnent vie aux villages", lang="fr", site="Revue Exemple",
                              author="Claire Dubois", date="2023-05-22T07:30:00+02:00"),
                         "Les cafés associatifs redonnent vie aux villages", body)
    page("fr_cafes_villages", html, url="https://revue.example/societe/cafes-associatifs", keep=keep,
         lookalikes=[look_fr], junk_parts=[a1, a2, par, nl, ck],
         meta=dict(title="Les cafés associatifs redonnent vie aux villages", author="Claire Dubois",
                   published_at="2023-05-22", language="fr", site_name="Revue Exemple"),
         links=[("https://revue.example/societe/epiceries-solidaires", "read_more"),
                ("https://revue.example/culture/bals-de-village", "read_more")])

    # 10 Spanish newspaper -----------------------------------------------------------------------------------
    keep = [
        "Cada vez más jóvenes de Madrid comparten piso con personas mayores a cambio de compañía.",
        "El programa, impulsado por una asociación de vecinos, ya ha formado más de trescientas parejas.",
        "Los estudiantes pagan un alquiler simbólico y se comprometen a cenar con su anfitrión varias veces por semana.",
        "Los responsables aseguran que la soledad de los mayores ha disminuido de forma notable.",
    ]
    look_es = "Por eso, muchos vecinos del barrio se han ofrecido a participar en la próxima edición del programa."
    l1 = read_more("Lee también:", "La soledad no deseada en cifras", "/sociedad/soledad-cifras.html")
    l2 = read_more("Leer más:", "Viviendas intergeneracionales en Europa", "/europa/viviendas-intergeneracionales.html")
    por = ("<p>Por Ana Torres</p>", ["Por Ana Torres"])
    pw = ("<p>Contenido exclusivo para suscriptores. ¿Ya eres suscriptor? Inicia sesión.</p>",
          ["Contenido exclusivo para suscriptores"])
    body = por[0] + ps(keep[0], keep[1]) + l1[0] + ps(keep[2], look_es, keep[3]) + l2[0] + pw[0]
    html = plain_article(head("Jóvenes y mayores comparten piso contra la soledad", lang="es", site="Diario Ejemplo",
                              date="2024-01-28T12:00:00+01:00"),
                         "Jóvenes y mayores comparten piso contra la soledad", body)
    page("es_piso_compartido", html, url="https://diario.example/sociedad/2024/01/28/piso-compartido.html",
         keep=keep, lookalikes=[look_es], junk_parts=[l1, l2, por, pw],
         meta=dict(title="Jóvenes y mayores comparten piso contra la soledad", published_at="2024-01-28",
                   language="es", site_name="Diario Ejemplo"),
         links=[("https://diario.example/sociedad/soledad-cifras.html", "read_more"),
                ("https://diario.example/europa/viviendas-intergeneracionales.html", "read_more")])

    # 11 very long report ------------------------------------------------------------------------------------
    topics = ["transport", "housing", "health care", "schools", "libraries", "parks", "broadband", "policing",
              "waste collection", "water supply", "street lighting", "sports clubs", "museums", "markets",
              "night buses", "cycle lanes", "care homes", "youth centres", "allotments", "public toilets"]
    paras = [f"Section {i + 1} of the review looks at {t}: residents rated the service {3 + i % 3} out of five, "
             f"and the council expects demand for {t} to grow by about {2 + i % 4} percent a year until 2030."
             for i, t in enumerate(topics)]
    paras += [f"Appendix note {i}: figures for {t} were collected in person at {10 + i} sites and checked twice."
              for i, t in enumerate(topics)]
    rm = read_more("Read more:", "Last Year's Review in Full", "/reviews/2022-review")
    rel = related_list("Related articles", [("Council Budget Explained", "/budget-explained"),
                                            ("What Residents Want From Parks", "/parks-survey"),
                                            ("Night Buses Return", "/night-buses")])
    body = ps(*paras[:20]) + rm[0] + ps(*paras[20:]) + rel[0]
    html = wordpress(head("Annual Review of Local Services 2023", site="Civic Example", date="2023-12-01T09:00:00Z"),
                     "Annual Review of Local Services 2023", body)
    page("long_services_review", html, url="https://civic.example/reviews/2023-review", keep=paras[::3] + [paras[-1]],
         junk_parts=[rm, rel],
         meta=dict(title="Annual Review of Local Services 2023", published_at="2023-12-01", language="en"),
         links=[("https://civic.example/reviews/2022-review", "read_more"),
                ("https://civic.example/parks-survey", "related")])

    # 12 tables, code, blockquote ----------------------------------------------------------------------------
    keep = [
        "Counting words in a text file is a classic first exercise, and it still teaches a lot.",
        "The script below reads a file, splits it on whitespace and prints the ten most common words.",
        "counts = Counter(open(path).read().split())",
        "On our sample of three novels the script ran in well under a second:",
        "Moby-Dick", "215,830",
        "As one reviewer put it, the best programs are the ones you can read aloud.",
    ]
    table = ('<table><thead><tr><th>Book</th><th>Words</th><th>Seconds</th></tr></thead><tbody>'
             '<tr><td>Moby-Dick</td><td>215,830</td><td>0.21</td></tr><tr><td>Emma</td><td>160,996</td><td>0.15</td></tr>'
             '</tbody></table>')
    code = ('<pre><code>from collections import Counter\n\ndef top_words(path):\n'
            '    counts = Counter(open(path).read().split())\n    return counts.most_common(10)\n</code></pre>')
    quote = "<blockquote><p>As one reviewer put it, the best programs are the ones you can read aloud.</p></blockquote>"
    body = ps(keep[0], keep[1]) + code + ps(keep[3]) + table + quote + AFFILIATE[0] + SHARE[0]
    html = ghost(head("Counting Words in Python", site="Code Notes", author="Lena Fischer",
                      date="2020-09-03T15:00:00+00:00"), "Counting Words in Python", body)
    page("tables_code_quote", html, url="https://codenotes.example/counting-words/", keep=keep,
         junk_parts=[AFFILIATE, SHARE],
         meta=dict(title="Counting Words in Python", author="Lena Fischer", published_at="2020-09-03", language="en"))

    # 13 listicle --------------------------------------------------------------------------------------------
    items = [("Join a walking group", "Walking groups meet at fixed times, so nobody has to organise anything."),
             ("Volunteer once a month", "A monthly shift at a food bank is small enough to keep up for years."),
             ("Take a class", "Evening classes put the same people in a room every week, which is how friendships start."),
             ("Say yes to the second invitation", "The first invitation is polite; the second one means they want you there."),
             ("Call instead of texting", "A ten-minute call carries tone and warmth that a message cannot.")]
    body = ps("Making friends as an adult is hard, but it is a skill that can be practised.")
    for i, (h, t) in enumerate(items, 1):
        body += f"<h2>{i}. {h}</h2><p>{t}</p>"
        if i == 2:
            body += read_more("Read more:", "The Science of Weak Ties", "/weak-ties")[0] + PROMO_PLAIN[0]
    html = wordpress(head("5 Ways to Make Friends as an Adult", site="Everyday Example", date="2024-04-02"),
                     "5 Ways to Make Friends as an Adult", body, after=COMMENTS[0])
    page("listicle_friends", html, url="https://everyday.example/make-friends-adult/",
         keep=[t for _, t in items] + [f"{i}. {h}" for i, (h, _) in enumerate(items, 1)],
         junk_parts=[PROMO_PLAIN, COMMENTS], extra_junk=["The Science of Weak Ties"],
         meta=dict(title="5 Ways to Make Friends as an Adult", published_at="2024-04-02", language="en"),
         links=[("https://everyday.example/weak-ties", "read_more")])

    # 14 liveblog --------------------------------------------------------------------------------------------
    entries = [("09:05", "Polls have opened in all 42 wards; turnout at the first stations looks steady."),
               ("10:40", "Queues are reported at two polling stations near the university."),
               ("12:15", "The electoral office says turnout reached 21% by noon, slightly above last time."),
               ("14:30", "A polling station in the harbour district briefly closed after a power cut."),
               ("16:50", "Power is back and the harbour station has reopened, with voting extended by an hour.")]
    body = ""
    for t, e in entries:
        body += f'<div class="live-entry"><p><time>{t}</time></p><p>{e}</p><p>Advertisement</p></div>'
    html = plain_article(head("Live: Local Election Day", site="City Live", extra=(
        '<script type="application/ld+json">{"@type":"LiveBlogPosting","headline":"Live: Local Election Day",'
        '"datePublished":"2024-05-02T08:00:00+01:00"}</script>')), "Live: Local Election Day", body)
    page("liveblog_election", html, url="https://citylive.example/live/election-day", keep=[e for _, e in entries],
         extra_junk=["Advertisement"],
         meta=dict(title="Live: Local Election Day", published_at="2024-05-02", language="en"))

    # 15 Portuguese, no declared language -------------------------------------------------------------------
    keep = [
        "Em Lisboa, um grupo de vizinhos transformou um terreno abandonado numa horta comunitária.",
        "Todos os sábados de manhã, cerca de trinta pessoas aparecem para plantar, regar e conversar.",
        "A iniciativa começou durante a pandemia e hoje tem uma lista de espera para novos canteiros.",
        "Os legumes são divididos entre os participantes e uma parte é doada a uma cantina social.",
    ]
    lt = read_more("Leia também:", "Hortas urbanas crescem no Porto", "/cidades/hortas-porto")
    body = ps(keep[0], keep[1]) + lt[0] + ps(keep[2], keep[3])
    html = plain_article(head("Horta comunitária junta vizinhos em Lisboa", lang="").replace(' lang=""', ""),
                         "Horta comunitária junta vizinhos em Lisboa", body)
    page("pt_horta_comunitaria", html, url="https://jornal.example/cidades/horta-lisboa", keep=keep,
         junk_parts=[lt], meta=dict(title="Horta comunitária junta vizinhos em Lisboa", language="pt"),
         links=[("https://jornal.example/cidades/hortas-porto", "read_more")])

    # 16 Italian ---------------------------------------------------------------------------------------------
    keep = [
        "A Bologna le biblioteche di quartiere restano aperte fino a mezzanotte il venerdì.",
        "L'esperimento, partito in primavera, ha attirato soprattutto studenti e giovani lavoratori.",
        "Il comune valuterà i dati a dicembre prima di decidere se estendere gli orari ad altre sedi.",
    ]
    la = read_more("Leggi anche:", "Le piazze tornano a riempirsi", "/cronaca/piazze")
    body = ps(keep[0]) + la[0] + ps(keep[1], keep[2])
    html = plain_article(head("Biblioteche aperte fino a mezzanotte", lang="it-IT", date="2023-10-06T10:00:00+02:00"),
                         "Biblioteche aperte fino a mezzanotte", body)
    page("it_biblioteche", html, url="https://cronaca.example/bologna/biblioteche-mezzanotte", keep=keep,
         junk_parts=[la], meta=dict(title="Biblioteche aperte fino a mezzanotte", published_at="2023-10-06",
                                    language="it"),
         links=[("https://cronaca.example/cronaca/piazze", "read_more")])

    # 17 lines repeated across the source's pages --------------------------------------------------------------
    keep = [
        "The harbour ferry will run a reduced timetable from November while two boats are repaired.",
        "Commuters will have a boat every forty minutes instead of every twenty during the morning peak.",
        "The operator apologised and said the repairs should be finished before the spring timetable starts.",
    ]
    rep = ["The Example Gazette is reader-funded and independent since 1887.",
           "Got a story? Email the newsroom at tips@gazette.example"]
    body = ps(keep[0], keep[1], rep[0], keep[2], rep[1])
    html = plain_article(head("Ferry Timetable Cut for Repairs", site="The Example Gazette"),
                         "Ferry Timetable Cut for Repairs", body)
    page("repeated_source_lines", html, url="https://gazette.example/2024/10/30/ferry-timetable", keep=keep,
         extra_junk=rep, repeated=[" ".join(r.lower().split()) for r in rep],
         meta=dict(title="Ferry Timetable Cut for Repairs", published_at="2024-10-30", language="en"))

    # 18 look-alikes ---------------------------------------------------------------------------------------------
    looks = [LOOK_ADS, LOOK_READ, LOOK_BY, LOOK_WRITTEN, LOOK_SUB, LOOK_SHARE, LOOK_OFF, LOOK_COOKIE,
             "Related research from the same laboratory points in a similar direction, the authors note.",
             "Tags on the old museum exhibits were rewritten in plain language last spring."]
    keep = ["Market analysts spent the week arguing about what the numbers really mean for the industry."]
    html = plain_article(head("A Week of Confusing Numbers", site="Market Example"), "A Week of Confusing Numbers",
                         ps(keep[0], *looks))
    page("lookalikes_market", html, url="https://market.example/analysis/confusing-numbers", keep=keep,
         lookalikes=looks, meta=dict(title="A Week of Confusing Numbers", language="en"))

    # 19 German text under a template's wrong lang="en" ------------------------------------------------------
    keep = [
        "Der Verein hat im vergangenen Jahr mehr als hundert Bänke in der Innenstadt aufgestellt.",
        "Die Bänke sollen vor allem älteren Menschen helfen, die auf dem Weg zum Einkaufen eine Pause brauchen.",
        "Nach Angaben des Vereins werden sie auch von Familien und Schülern gern genutzt.",
    ]
    html = plain_article(head("Mehr Bänke für die Innenstadt", lang="en-US"), "Mehr Bänke für die Innenstadt",
                         ps(*keep))
    page("de_wrong_lang_decl", html, url="https://verein.example/aktuelles/baenke", keep=keep,
         meta=dict(title="Mehr Bänke für die Innenstadt", language="de"))

    # 20 implausible dates: a future JSON-LD date loses to the meta tag ------------------------------------
    keep = [
        "The observatory will open its roof terrace to the public on clear Friday evenings this autumn.",
        "Volunteers will bring telescopes and explain what visitors are looking at.",
        "Entry is free, but places are limited to forty people per evening.",
    ]
    html = plain_article(head("Stargazing Evenings Return", date="2024-09-12T18:00:00+00:00", extra=(
        '<script type="application/ld+json">{"@type":"Article","headline":"Stargazing Evenings Return",'
        '"datePublished":"2031-01-01T00:00:00Z"}</script>')), "Stargazing Evenings Return", ps(*keep))
    page("dates_future_rejected", html, url="https://observatory.example/news/stargazing", keep=keep,
         now="2024-10-01T00:00:00+00:00",
         meta=dict(title="Stargazing Evenings Return", published_at="2024-09-12", language="en",
                   date_source="meta"))

    # 21 cookie, share, follow widgets inside the body -------------------------------------------------------
    keep = [
        "The repair café meets on the first Saturday of every month in the church hall on Mill Street.",
        "Volunteers fix lamps, toasters, bicycles and clothes, and show owners how to do it themselves.",
        "Last year they saved more than 600 items from the bin, weighing almost two tonnes in total.",
    ]
    follow = ("<p>Follow us on Instagram and Facebook</p>", ["Follow us on Instagram"])
    body = COOKIE[0] + ps(keep[0], keep[1]) + SHARE[0] + ps(keep[2], LOOK_SHARE, LOOK_COOKIE) + follow[0] + TAGS[0]
    html = wordpress(head("Repair Café Celebrates Five Years", site="Town Example", date="2024-07-06T12:00:00+01:00"),
                     "Repair Café Celebrates Five Years", body)
    page("widgets_repair_cafe", html, url="https://town.example/news/repair-cafe-five-years", keep=keep,
         lookalikes=[LOOK_SHARE, LOOK_COOKIE], junk_parts=[COOKIE, SHARE, follow, TAGS],
         meta=dict(title="Repair Café Celebrates Five Years", published_at="2024-07-06", language="en"))

    # 22 author box and "You may also like" ------------------------------------------------------------------
    keep = [
        "Choirs for people who cannot sing have become one of the fastest-growing hobbies in the region.",
        "Nobody auditions, nobody has to read music, and the only rule is that everyone turns up.",
        "Members say the hour of singing leaves them calmer and more connected than any app.",
    ]
    about = ('<h3>About the author</h3><p>Sam Patel writes about music, community and the joy of doing things badly.</p>',
             ["Sam Patel writes about music"])
    rel = related_list("You may also like", [("Why Amateur Orchestras Are Booming", "/amateur-orchestras"),
                                             ("The Return of the Village Band", "/village-band")])
    body = ps(*keep) + about[0] + rel[0]
    html = wordpress(head("The Choir for People Who Can't Sing", site="Culture Example", author="Sam Patel",
                          date="2019-03-15T10:00:00Z"), "The Choir for People Who Can't Sing", body)
    page("author_box_choir", html, url="https://culture.example/2019/03/15/choir/", keep=keep,
         junk_parts=[about, rel],
         meta=dict(title="The Choir for People Who Can't Sing", author="Sam Patel", published_at="2019-03-15",
                   language="en"),
         links=[("https://culture.example/amateur-orchestras", "related")])

    # 23 windows-1252 without a declaration (the encoding comes from the HTTP header) ---------------------------
    keep = [
        "L’hiver dernier, la mairie a ouvert une salle chauffée où chacun peut venir lire ou jouer aux cartes.",
        "Près de cent personnes y passent chaque semaine, selon les bénévoles qui l’animent.",
        "« C’est devenu notre salon à tous », dit un retraité qui y vient presque tous les après-midi.",
    ]
    html = ('<html><head><title>Une salle chauffée pour tous</title></head><body><div class="page"><h1>Une salle '
            f'chauffée pour tous</h1>{ps(*keep)}<p>Lire aussi : <a href="/solidarite">Les bénévoles de la ville'
            '</a></p></div></body></html>')
    page("fr_cp1252_undeclared", html, url="https://mairie.example/actualites/salle-chauffee", keep=keep,
         extra_junk=["Les bénévoles de la ville"], charset="cp1252", encoding="windows-1252",
         meta=dict(title="Une salle chauffée pour tous", language="fr"),
         links=[("https://mairie.example/solidarite", "read_more")])
