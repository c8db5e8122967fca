"""Text patterns of the junk publishers inject into article bodies, in several languages (pure data).

Every pattern is applied to ONE block (a paragraph, heading, list item...) of the extracted body, never to
a sentence inside a longer paragraph, and most only to short blocks: "Advertisement revenue fell 12% last
quarter" or "Read more widely, the author argues..." are sentences and survive (see tests).
"""

from __future__ import annotations

import re

_I = re.I | re.U

# "Read more: <title>" and friends. Needs a separator, ALL-CAPS, or a link covering the rest to count.
READ_MORE_PREFIX = re.compile(
    r"^\W{0,3}(?:read more|read also|also read|read next|more reading|see also|related(?: stor(?:y|ies)|"
    r" articles?| posts?| coverage| reading| content)?|recommended(?: reading| for you)?|more on this(?: topic| story)?|"
    r"lesen sie auch|lesen sie außerdem|lesen sie mehr|auch interessant|das könnte sie auch interessieren|"
    r"mehr zum thema|mehr dazu|weiterlesen|siehe auch|lire aussi|à lire aussi|a lire aussi|lire également|"
    r"à lire également|voir aussi|à voir aussi|sur le même sujet|leer más|lee también|lea también|ver también|"
    r"te puede interesar|noticias relacionadas|leia também|leia mais|veja também|leggi anche|"
    r"potrebbe interessarti|czytaj też|czytaj także|zobacz też|zobacz także|przeczytaj też|lees ook|lees meer|"
    r"le puede interesar|les puede interesar|puedes ver|puede ver|lea más|lesen sie hier|auch lesen|schon gelesen|"
    r"zum weiterlesen|dowiedz się więcej|more|mehr|plus)"
    r"(?=$|[\s:：|»›>\-–—.…!]|\W)", _I)
READ_MORE_SEPARATOR = re.compile(r"^\s*(?:[:：|»›>\-–—…]|\.\.\.|$)")

# Headings that introduce a list of related articles.
RELATED_HEADING = re.compile(
    r"^\W{0,3}(?:related(?: articles?| stories| posts| content| coverage| reading)?|more (?:stories|articles|news|"
    r"from [\w .'-]{1,40}|like this|on this(?: topic)?|to read)|you (?:may|might) (?:also )?like|"
    r"(?:you may|you might) also be interested(?: in)?|recommended(?: for you| reading| stories)?|"
    r"popular (?:posts|stories|articles)|most (?:read|popular)|trending(?: now)?|read next|up next|"
    r"weitere (?:artikel|beiträge|nachrichten|themen)|das könnte sie auch interessieren|mehr zum thema|"
    r"ähnliche (?:artikel|beiträge)|meistgelesen|à lire aussi|sur le même sujet|articles similaires|"
    r"les plus lus|dans la même rubrique|noticias relacionadas|artículos relacionados|te puede interesar|"
    r"lo más leído|más noticias|artigos relacionados|notícias relacionadas|articoli correlati|"
    r"potrebbe interessarti|zobacz także|czytaj także|polecane|contenido relacionado|notas relacionadas|"
    r"noticias relacionadas|schon gelesen|zum weiterlesen|empfohlene beiträge|weitere themen|mehr themen|"
    r"top-themen(?: bei [\w .-]{1,30})?|beiträge aus dem forum|lesen sie auch die folgenden beiträge|"
    r"(?:das|dieses) thema könnte (?:dich|sie) auch interessieren|weitere beiträge(?: aus der kolumne| zum thema)?|"
    r"más sobre [\w .-]{1,30}|vorschau auf den nächsten artikel|more from this author|more in [\w .-]{1,30}|"
    r"read more (?:stories|articles|news)|further reading)\W{0,3}$", _I)

# Short standalone labels that are never article text.
LABELS = frozenset(s.lower() for s in (
    "advertisement", "advertisements", "ad", "ads", "sponsored", "sponsored content", "paid content",
    "promoted", "anzeige", "werbung", "publicité", "publicidad", "pubblicità", "reklama", "publicidade",
    "continue reading", "read more", "weiterlesen", "lire la suite", "leer más", "leia mais", "continua a leggere",
    "share", "share this", "share this article", "share this story", "share this post", "teilen", "partager",
    "compartir", "condividi", "compartilhe", "tweet", "print", "email", "e-mail", "copy link", "copy link to clipboard",
    "comments", "kommentare", "commentaires", "comentarios", "skip to content", "back to top", "nach oben",
    "scroll to continue", "scroll to continue with content", "story continues below advertisement",
    "article continues below", "artikel wird unter der werbung fortgesetzt", "la suite après cette publicité",
    "subscribe", "abonnieren", "s'abonner", "suscríbete", "log in", "sign in", "anmelden", "login",
    "zurück nach oben", "nach oben scrollen", "zurück zur übersicht", "zurück zur listenansicht", "zurück zum newsroom",
    "temas", "themen", "tags", "tagi", "schlagworte", "mots-clés", "vergrößern", "zoom", "enlarge", "image",
))

# "ANZEIGE - ...", "*Werbung. Dieser Beitrag enthält Werbung": ad labels leading a short line
AD_LINE = re.compile(r"^\W{0,2}(?:anzeige|werbung|advertisement|sponsored(?: content| post)?|publicidad|publicité|"
                     r"pubblicità|reklama|promotion|partner content|paid post)\s*[-:–—|.*]", _I)
# photo credits and captions' credit lines
CREDIT_LINE = re.compile(r"^\W{0,2}(?:©|\(?(?:photos?|fotos?|fot\.|bild(?:er)?|image(?: illustrative)?|images?|"
                         r"imagen|imagem|immagine|zdjęcie|photograph|picture|"
                         r"credits?|crédits? photos?|copyright|titelbild|beitragsbild|bildquelle|foto ?credit|"
                         r"photo credit|illustration)\s*[:.©])", _I)
READING_TIME = re.compile(r"^\W{0,2}(?:\d+\s*(?:min(?:ute)?s?\.?|minuten)\s*(?:read|lesezeit|de lecture|de lectura|"
                          r"lesen|reading)|(?:lesezeit|reading time|temps de lecture|tiempo de lectura)\s*:?\s*\d+|"
                          r"ten tekst przeczytasz)", _I)
# a caption that ends with its credit: "Commuters at the station. Photo: Jane Doe / Reuters", "(Photo by X/Getty)"
CREDIT_TAIL = re.compile(
    r"(?:\b(?:photos?|fotos?|images?|imagen|imagem|immagine|bild|photograph|picture|zdjęcie|illustration|"
    r"(?:image|photo|picture) credit|crédit photo|crédits? photos?|bildquelle|quelle)\s?:\s?[^.:]{2,60}|"
    r"\((?:photos?|images?|fotos?|bild)\s?(?:by|von|de|di|:)[^)]{2,60}\)|"
    r"[/|]\s?(?:getty images|reuters|afp|dpa|ap|efe|ansa|pap|shutterstock|picture alliance))\W{0,2}$", _I)
# "This article is part of our series on ...", "Part 3 of 5"
SERIES_LINE = re.compile(
    r"^\W{0,2}(?:this (?:article|story|post|piece|essay) is (?:part|the \w+ (?:part|instal?lment)) of\b|"
    r"part \d+ of \d+\b|teil \d+ (?:von|der serie)|dieser (?:artikel|beitrag|text) ist teil (?:unserer|der|einer)|"
    r"cet article fait partie|este (?:artículo|artigo|texto) (?:forma|faz|es) parte|questo articolo fa parte|"
    r"ten (?:artykuł|tekst) jest częścią)", _I)
# disclaimers and reprint/republish notices (searched in short blocks only)
DISCLAIMER_LINE = re.compile(
    r"^\W{0,2}(?:disclaimer|disclosure|haftungsausschluss|avertissement|aviso legal|descargo de responsabilidad)\s?:|"
    r"^\W{0,2}hinweis: (?:dieser|die|der|das) |"
    r"\b(?:this|the) (?:article|story|post|piece|column|essay) (?:was|is|has been) (?:originally |first )?"
    r"(?:published|republished|reprinted|syndicated) (?:on|at|by|with|under|from)\b|"
    r"\b(?:originally|first) (?:published|appeared) (?:on|at) [A-Z]|republish this (?:article|story)|"
    r"\breprinted (?:with permission|by permission|from)\b|\ball rights reserved\b|alle rechte vorbehalten|"
    r"tous droits réservés|todos los derechos reservados|todos os direitos reservados|tutti i diritti riservati|"
    r"wszelkie prawa zastrzeżone|the views (?:and opinions )?expressed (?:in this|here|are)|"
    r"(?:is|are|does not constitute) not (?:financial|investment|legal|medical) advice|"
    r"\bnot (?:financial|investment) advice\b|stellt keine (?:anlage|rechts|steuer|finanz)beratung dar|"
    r"(?:dieser|der) (?:artikel|beitrag|text) erschien (?:zuerst|ursprünglich)|\berstveröffentlichung\b|"
    r"(?:cet article|ce texte) a (?:été|d'abord été) publié (?:initialement|à l'origine|d'abord|en premier)|"
    r"les opinions exprimées|n'engagent que (?:leur|son) auteur|"
    r"(?:este artículo|este texto) (?:fue|se) (?:publicado|publicó) (?:originalmente|inicialmente|por primera vez)|"
    r"las opiniones expresadas|responsabilidad exclusiva de (?:su|sus) autor|"
    r"questo articolo è stato pubblicato (?:originariamente|per la prima volta)|"
    r"este artigo foi publicado (?:originalmente|inicialmente)", re.I)
# a promo line with a voucher code in capitals: "Use code SAVE20 for 20% off", "mit dem Gutscheincode SOMMER25"
PROMO_CODE = re.compile(r"\b(?i:code|gutscheincode|rabattcode|code promo|código(?: de descuento)?|"
                        r"codice(?: sconto)?|kod(?: rabatowy)?|coupon|voucher)\s+[A-Z0-9]{4,}\b")
# a bio written as one short paragraph: "Jane Doe is a senior reporter covering energy."
BIO_LINE = re.compile(
    r"^[A-ZÀ-Ý][\w'’\-]+(?: [A-ZÀ-Ý][\w'’\-.]+){1,2},? (?:is|was|ist|est|es|é|è|jest|arbeitet|writes|covers|"
    r"schreibt|cubre|couvre)\b.{0,60}\b(?:reporter|journalist|writer|editor|correspondent|columnist|author|"
    r"redakteur(?:in)?|journalistin|korrespondent(?:in)?|autor(?:in)?|journaliste|rédact(?:eur|rice)|"
    r"periodista|redactor(?:a)?|corresponsal|giornalista|jornalista|dziennikarz(?:ka)?|"
    r"politique locale|política local|writes about|schreibt über|covers)", re.U)

DATE_ONLY = re.compile(r"^\W{0,2}\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?:,?\s*\d{1,2}:\d{2}(?:\s*(?:uhr|h|am|pm))?)?\W{0,2}$", _I)

# "Hosting 75% off": short promo lines with a discount, not sentences.
PROMO_LINE = re.compile(
    r"(?:\b\d{1,3}\s?%\s*(?:off|discount|rabatt|reduziert|günstiger|de descuento|de réduction|de remise|"
    r"di sconto|de desconto)\b|\b(?:coupon|promo code|discount code|voucher code|gutscheincode|gutschein|"
    r"code promo|código de descuento|cupón|limited[- ]time offer|deal of the day|black friday|cyber monday|"
    r"buy now|shop now|order now|jetzt kaufen|jetzt bestellen|achetez maintenant|compra ahora|free trial|"
    r"kostenlos testen|essai gratuit|prueba gratis)\b|^(?:save|spare|sparen sie|économisez|ahorra)\s+(?:up to\s+|bis zu\s+|jusqu'à\s+|hasta\s+)?\d)",
    _I)

BYLINE_PREFIX = re.compile(
    r"^\W{0,2}(?:written by|words by|posted by|published by|story by|reporting by|text by|by|von|text:|par|por|"
    r"di|door|autor(?:in)?:|author:|auteur\s?:|redakteur(?:in)?:)\s+", _I)
NAME_TOKEN = re.compile(r"^[A-ZÀ-ÝĀ-Ž][\w'’.\-]*$", re.U)
NAME_JOINERS = frozenset("and und et y e & von van de del der den da di la le du dos das zu".split())
BYLINE_ALLOWED_WORDS = frozenset(
    "staff writer reporter correspondent editor contributor contributing senior chief political tech "
    "technology science business news editor-in-chief columnist updated published on at am um le el de "
    "the and in min read mins minutes redakteur redakteurin redaktion autor autorin journaliste rédacteur "
    "rédactrice periodista redactor redactora mis à jour actualizado aktualisiert veröffentlicht publié "
    "publicado a.m. p.m. am pm utc gmt cet cest est edt pst pdt bst".split())

AUTHOR_BIO_HEADING = re.compile(
    r"^\W{0,2}(?:about the (?:author|writer|contributor)s?|über (?:den autor|die autorin|die autoren)|zum autor|"
    r"zur autorin|à propos de l'auteur|à propos de l’auteur|l'auteur|sobre el autor|sobre la autora|sobre o autor|"
    r"l'autore|o autorze|author bio|meet the author)\W{0,2}$", _I)
BIO_VERBS = re.compile(r"^\s*(?:,|\(|is|was|ist|war|est|était|es|era|é|è|jest|has|hat|a été|writes|schreibt|covers)\b", _I)

NEWSLETTER = re.compile(
    r"sign up (?:for|to) (?:our|the|my)\b.{0,40}newsletter|sign(?:ing)? up (?:to|for) (?:get|receive|our|the latest)|"
    r"never miss (?:the latest|a story|an issue)|sign up here|do you want to be informed|nichts mehr versäumen|"
    r"verpassen sie keine|ne manquez (?:plus )?aucun|subscribe (?:for free |now )?to (?:receive|get) (?:new posts|"
    r"updates|our|the latest)|subscribe for free|subscribe to (?:our|the|my)\b.{0,40}newsletter|"
    r"newsletter sign[- ]?up|get (?:our|the) .{0,40}newsletter|(?:delivered|straight|directly) .{0,20}to your inbox|"
    r"enter your e-?mail|your e-?mail address|newsletter abonnieren|zum newsletter anmelden|"
    r"melden sie sich .{0,40}newsletter|unseren? newsletter|abonnez-vous à (?:notre|la) newsletter|"
    r"inscrivez-vous à (?:notre|la) newsletter|recevez (?:notre|la) newsletter|"
    r"suscr[ií]bete a (?:nuestro|nuestra|la) (?:bolet[ií]n|newsletter)|recibe (?:nuestro|nuestra) (?:bolet[ií]n|newsletter)|"
    r"assine (?:a )?nossa newsletter|iscriviti alla (?:nostra )?newsletter|zapisz się do newslettera|"
    r"no spam\b|unsubscribe (?:at )?any ?time|(?:right|straight|directly) in(?:to)? your inbox|"
    r"subscribe to [\w .'’]{1,40}(?:newsletters?|youtube channel|podcast)|delivered (?:through|to) your (?:letterbox|door)|(?:our|a) free (?:weekly|daily|monthly) (?:e-?mail|newsletter|digest)|"
    r"direkt in ihr (?:postfach|e-mail-postfach)|in ihr postfach|dans votre boîte (?:mail|e-mail|de réception|aux lettres)|"
    r"en tu (?:correo|bandeja de entrada|email)|nella tua (?:casella|inbox)|na sua caixa de (?:entrada|e-mail)", _I)
DONATION = re.compile(
    r"(?:support|fund) (?:our|independent|quality) (?:journalism|reporting|work)|please consider (?:donating|supporting|"
    r"making a (?:donation|contribution)|a donation|subscribing)|make a (?:donation|contribution)|donate (?:now|today)|"
    r"become a (?:member|patron|supporter|subscriber)|\bpatreon\b|buy me a coffee|jetzt spenden|"
    r"unterstützen sie (?:uns|unsere arbeit|unabhängigen journalismus)\b.{0,60}\b(?:spende|abo|mitglied)|spenden sie\b|faites un don|soutenez(?:-nous| notre| le)|"
    r"haz una donaci[oó]n|apoya (?:nuestro|el) periodismo|fa(?:'|i) una donazione|sostieni (?:il nostro|la nostra)|"
    r"wesprzyj nas|consider supporting|we need your help|hazte (?:miembro|socio)|unterstütze [\w-]+ (?:bereits |jetzt )?mit|"
    r"hacer periodismo|hacemos periodismo desde|every contribution|keeps? our newsroom (?:independent|going)|"
    r"readers (?:like you )?(?:fund|support) (?:it|us|our)|von (?:leserinnen und lesern|lesern) finanziert|"
    r"financée? par (?:ses|nos) lecteurs|depende de lectores como", _I)
PAYWALL = re.compile(
    r"subscribe (?:now )?to (?:continue|keep) reading|to continue reading|continue reading with|"
    r"this (?:article|content|story) is (?:only )?(?:available )?(?:exclusively )?(?:for|to) (?:subscribers|members)|"
    r"already a (?:subscriber|member)|subscribers only|for subscribers|premium (?:content|article)|"
    r"(?:sign|log) in to (?:read|continue)|you have reached your (?:free )?(?:article )?limit|unlimited (?:digital )?access|"
    r"dieser (?:artikel|beitrag|inhalt) ist (?:nur |exklusiv )?(?:für|fuer) |jetzt weiterlesen|weiterlesen mit|"
    r"bereits abonnent|exklusiv für abonnenten|plus-artikel|réservé aux abonnés|cet article (?:vous )?est réservé|"
    r"déjà abonné|contenido exclusivo para suscriptores|ya eres suscriptor|solo para suscriptores|"
    r"conteúdo exclusivo para assinantes|já é assinante|riservato agli abbonati|sei già abbonato|pour lire la suite|"
    r"pour accéder en illimité|sie sind (?:aktuell |derzeit )?nicht eingeloggt|eingeloggt sein,? um|"
    r"must be logged in|debes estar registrado", _I)
AFFILIATE = re.compile(
    r"affiliate link|affiliate disclosure|contains? affiliate|we (?:may )?(?:earn|receive|get) (?:a )?(?:small )?"
    r"(?:commission|compensation|share of)|as an amazon associate|affiliate-links?|provisions-links?|\bwerbelinks?\b|"
    r"erhalten wir (?:eine )?provision|liens? affiliés?|liens? d'affiliation|enlaces? de afiliad|link(?:s)? di affiliazione|"
    r"links? de afiliado", _I)
TAGS_LINE = re.compile(
    r"^\W{0,2}(?:(?:filed under|posted in|tagged(?: with| as)?)\b|(?:tags?|topics?|categor(?:y|ies)|"
    r"schlagw(?:ö|oe)rter|schlagworte|stichw(?:ö|oe)rter|themen|kategorien?|étiquettes|mots[- ]clés|thèmes|"
    r"etiquetas|temas|categorías|argomenti|tagi)\s*[:：])", _I)
COOKIE = re.compile(
    r"(?:we|this (?:web)?site|our (?:web)?site) uses? cookies|use of cookies|accept (?:all )?cookies|"
    r"cookie (?:policy|settings|preferences|consent)|diese (?:web)?(?:seite|site) (?:verwendet|nutzt) cookies|"
    r"wir (?:verwenden|nutzen) cookies|cookies? akzeptieren|ce site utilise des cookies|nous utilisons des cookies|"
    r"accepter (?:les|tous les) cookies|este sitio (?:web )?utiliza cookies|utilizamos cookies|"
    r"aceptar (?:todas las )?cookies|questo sito utilizza (?:i )?cookie|ta strona używa (?:plików )?cookie", _I)
SHARE = re.compile(
    r"^\W{0,2}(?:share(?: this)?(?: article| story| post| page)?(?: on| via)?|share on \w+|teilen(?: auf| via)?|"
    r"artikel teilen|diesen artikel teilen|jetzt teilen|partager(?: cet article| sur)?|partagez|compartir(?: en)?|"
    r"comparte|condividi|compartilhe|udostępnij|tweet(?: this)?|pin it|follow us(?: on)?|folgen sie uns|"
    r"suivez-nous|síguenos)\b", _I)
# "Follow The Times on Facebook, Twitter and Instagram.", "Like this story? Share it with a friend!"
FOLLOW_LINE = re.compile(r"^\W{0,2}(?:follow [\w .'’()@-]{1,60} on (?:facebook|twitter|instagram|youtube|linkedin|tiktok|"
                         r"x)\b|like this (?:story|article)\?\s*share it)", _I)
# app and click-here promos: "CLICK HERE TO GET THE FOX NEWS APP", "Download our app"
APP_PROMO = re.compile(r"^\W{0,2}(?:click here to (?:get|download) (?:the|our) [\w .'’]{0,30}app\b|click here to (?:subscribe|sign up)|get [\w .'’]{1,40} (?:on the go|app)\b|"
                       r"download (?:our|the) [\w .'’]{0,30}app\b|jetzt (?:unsere|die) [\w -]{0,30}app|"
                       r"téléchargez (?:notre|l')application|descarga (?:nuestra|la) app)", _I)
COMMENTS = re.compile(
    r"^\W{0,2}(?:\d+\s+(?:comments?|kommentare?|commentaires?|comentarios?|responses?|replies)|leave a (?:comment|reply)|"
    r"post a comment|add a comment|join the (?:conversation|discussion)|comments are closed|(?:show|view|load) comments|"
    r"kommentar schreiben|kommentare(?: \(\d+\))?|keine kommentare|laisser un commentaire|réagir à cet article|"
    r"deja un comentario|deje un comentario|deixe um comentário|lascia un commento|dodaj komentarz|"
    r"you must be logged in to post a comment|comment(?:s)? \(\d+\))", _I)

SENTENCE_END = re.compile(r"[.!?…:;。！？]\W{0,2}$")
WORD = re.compile(r"\w[\w'’\-]*", re.U)

# Cheap substring pre-checks (on the lower-cased block): a box pattern is searched only if one is present.
# Each tuple must contain a substring of every alternative of its pattern.
BOX_TRIGGERS = {
    "paywall": ("subscri", "continue", "member", "premium", "sign in", "log in", "limit", "unlimited", "dieser",
                "la suite", "illimité", "eingeloggt", "logged in", "registrado",
                "weiterlesen", "abonnent", "plus-artikel", "abonné", "réservé", "suscriptor", "assinante", "abbonat"),
    "newsletter": ("newsletter", "inbox", "mail", "bolet", "subscribe", "sign", "never miss", "informed", "spam",
                   "letterbox", "your door",
                   "postfach", "boîte", "correo", "bandeja", "casella", "caixa",
                   "versäumen", "verpassen", "manquez"),
    "donation": ("support", "fund", "please consider", "donat", "help", "every contribution", "newsroom", "finanziert",
                 "financée", "lectores como", "miembro", "socio", "unterstütze", "periodismo", "contribution", "become a", "patreon", "coffee",
                 "spenden", "unterstützen", "faites un don", "soutenez", "donaci", "apoya", "donazione", "sostieni",
                 "wesprzyj"),
    "affiliate": ("affiliat", "commission", "compensation", "share of", "amazon", "provision", "werbelink",
                  "affili", "afiliad", "affiliazione"),
    "cookie": ("cookie",),
}
PROMO_TRIGGERS = ("%", "coupon", "promo", "code", "voucher", "gutschein", "deal", "black friday", "cyber monday",
                  "buy now", "shop now", "order now", "jetzt", "achetez", "compra", "free trial", "kostenlos",
                  "essai", "prueba", "save", "spare", "sparen", "économisez", "ahorra", "cupón", "offer")


def squash_ws(text: str) -> str:
    """Whitespace runs as one space, stripped (str.split() splits on exactly what \\s matches; faster than a regex)."""
    return " ".join(text.split())


def _any_of(substrings) -> re.Pattern[str]:
    """A pattern that finds any of the substrings, i.e. `any(t in text for t in substrings)` in one C call.

    Written as a trie ("co(?:okie|ntinue)"): re tries the branches of an alternation one by one at every
    position, so a flat "cookie|continue|..." of 70 words is no faster than the Python loop; the trie is 3x."""
    def branch(words: list[str]) -> str:
        if "" in words:  # a shorter substring already matches wherever a longer one would
            return ""
        heads: dict[str, list[str]] = {}
        for w in words:
            heads.setdefault(w[0], []).append(w[1:])
        alts = [re.escape(c) + branch(rest) for c, rest in sorted(heads.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return re.compile(branch(sorted(set(substrings))))


BOX_TRIGGER_OF = {kind: _any_of(triggers) for kind, triggers in BOX_TRIGGERS.items()}
BOX_TRIGGER = _any_of(t for triggers in BOX_TRIGGERS.values() for t in triggers)  # any box's trigger
PROMO_TRIGGER = _any_of(PROMO_TRIGGERS)
