"""Propose themes from a source article: key phrases, grouped by meaning, named and described.

1. Candidate phrases: 1-3 word n-grams of the article that neither start nor end with a stop word.
2. Weight: frequency in the article x rarity in the background sample (idf), favouring 2-3 word phrases.
3. Group: the heaviest phrases that differ in meaning become seeds (static-model embeddings, cosine);
   every other phrase joins its closest seed.
4. The heaviest groups become themes: a multi-word phrase near the top names it, its phrases are the
   keywords, and the description says what the keywords are about. A starting point to edit.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import numpy as np

from ._background import load_texts
from ._model import StaticEmbedder, normalise
from ..config import Theme

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_STOP = frozenset("""
a about above after again against all almost also although always am among an and another any are around
as at away back be became because become becomes been before being below between both but by can cannot
could did do does doing done down during each either else even ever every few first for from further get
gets getting give given go goes going gone got had has have having he her here hers herself him himself his
how however i if in into is it its itself just keep know last least less let like likely made make makes
making many may me might more most much must my myself near need never new next no nor not now of off often
on once one only or other others our ours out over own part per perhaps put rather really said same say says
see seem seems she should since so some something still such take than that the their theirs them
themselves then there these they thing things this those though through thus to too toward under until up
upon us use used uses using very via was way ways we well were what whatever when where whether which while
who whom whose why will with within without would yet you your yours yourself read more share click sign
subscribe newsletter cookies privacy policy advertisement related story stories year years day days time
times today week weeks month months people person percent mr ms dr according told asked including
inside outside across along behind beyond brings bring brought becomes feel feels felt
""".split())


def suggest_themes(html: bytes | str, url: str, emb: StaticEmbedder, *, max_themes: int = 6
                   ) -> tuple[Theme, ...]:
    title, text = _article_text(html, url)
    if title:  # headline case would make every title word look like a name
        title = " ".join(w if w.isupper() else w.lower() for w in title.split())
    phrases = _weighted_phrases(f"{title}.\n{text}" if title else text)[:120]
    if not phrases:
        return ()
    themes: list[Theme] = []
    seen: set[str] = set()
    for group in _groups(phrases, emb, max_groups=2 * max_themes):
        if len(themes) >= max_themes:
            break
        keywords = [p for p, _ in group][:8]
        seed = keywords[0]
        multi = [k for k in keywords[:5] if " " in k and seed.lower() in k.lower()
                 and not any(w in _STOP for w in k.lower().split())]
        name = _name(seed if " " in seed or not multi else multi[0])
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        themes.append(Theme(name=name, description=_description(name, keywords), keywords=tuple(keywords)))
    return tuple(themes)


def _article_text(html: bytes | str, url: str) -> tuple[str | None, str]:
    raw = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    if not re.search(r"<(html|body|p|article|div)\b", raw[:5000], re.IGNORECASE):
        return None, raw  # plain text
    try:
        from ..content.article import extract_article

        art = extract_article(html, url)
        return art.title, art.text
    except Exception:  # no article found, or extraction not available: fall back to visible text
        stripped = re.sub(r"(?is)<(script|style)\b.*?</\1>|<[^>]+>", " ", raw)
        return None, stripped


def _weighted_phrases(text: str) -> list[tuple[str, float]]:
    """(phrase, weight) best first; phrase in its most common surface form."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    continued: Counter[str] = Counter()  # two-word phrases followed by another content word
    text = _drop_teasers(text)
    verbs = _verbs(text)
    for sentence in re.split(r"[.!?;:,\n()\[\]\"“”]+", text):
        words = _WORD.findall(sentence)
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                low = [w.lower().strip("'’") for w in gram]
                if low[0] in _STOP or low[-1] in _STOP or max(len(w) for w in low) < 4:
                    continue
                if n > 1 and (low[0] in _VERB_START or low[0] in verbs or low[0] in _MODIFIER_START):
                    continue  # "provide companionship": a verb phrase, not a topic
                if n == 3 and low[1] in _STOP and low[1] not in ("of", "and", "for", "with", "in"):
                    continue
                if (n == 1 and len(low[0]) < 5) or _ADJECTIVE.search(low[-1]) or low[0].endswith("ly"):
                    continue
                key = " ".join(_singular(w) for w in low)
                counts[key] += 1
                if n == 2 and i + 2 < len(words) and words[i + 2].lower() not in _STOP:
                    continued[key] += 1
                forms[key][" ".join(gram)] += 1
    bg = [t.lower() for t in load_texts()]
    n_bg = len(bg)
    scored = []
    for key, tf in counts.items():
        if tf < 2 and (key.count(" ") != 1 or key.split()[0].endswith(("ing", "ed")) or continued[key]):
            continue  # a one-off phrase is kept only as a plain two-word term, not a fragment ("AI operating")
        df = sum(1 for t in bg if key in t)
        weight = tf * math.log((n_bg + 1) / (df + 1)) * (1.0 + 0.6 * key.count(" "))
        if n_words(key) == 1 and _mostly_capitalised(forms[key]):
            continue  # a name (person, company, place), not a topic
        scored.append((_surface(forms[key]), weight))
    scored.sort(key=lambda pw: -pw[1])
    return _drop_nested(scored)


_TEASER = re.compile(r"(?im)^[ \t]*(?:read more|related|see also|also read|recommended)\b[ \t]*[:\-–]?[ \t]*(.*)$")
_VERB_START = frozenset("""provide provides offer offers help helps create creates build builds find finds show
shows explain explains explained address addresses drive drives driving cause causes lead leads prevent
prevents treat treats reduce reduces improve improves""".split())
_MODIFIER_START = frozenset("overall general growing rising increasing major real".split())


_AFTER_MODAL = re.compile(r"\b(?:to|can|could|may|might|will|would|should|cannot|help|helps)\s+([a-z]+)\b")
_AFTER_DETERMINER = re.compile(r"\b(?:the|a|an|of|their|his|her|our|its|this|that|these|those)\s+([a-z]+)\b")


def _verbs(text: str) -> frozenset[str]:
    """Words the article uses as verbs ("to alleviate", "can supplement") and never after a determiner:
    a phrase starting with one is an action ("alleviate feelings"), not a topic."""
    low = text.lower()
    return frozenset(_AFTER_MODAL.findall(low)) - frozenset(_AFTER_DETERMINER.findall(low))


def _drop_teasers(text: str) -> str:
    """Without "Read more: <headline>" lines nor the other copies of those headlines (related-links
    blocks): they are about other articles."""
    teasers = {m.group(1).strip() for m in _TEASER.finditer(text) if m.group(1).strip()}
    text = _TEASER.sub("", text)
    return "\n".join(line for line in text.split("\n") if line.strip() not in teasers)
_ADJECTIVE = re.compile(r"(?:al|ful|ive|ous|ic|ly|less|able|ible|ish|ed|est|er)$")  # crude: phrases end in nouns


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def n_words(key: str) -> int:
    return key.count(" ") + 1


def _mostly_capitalised(forms: Counter[str]) -> bool:
    caps = sum(c for f, c in forms.items() if f[:1].isupper() and not f.isupper())
    return caps >= 0.8 * sum(forms.values())


def _surface(forms: Counter[str]) -> str:
    """The most common spelling, lower-cased except acronyms (AI, NHS)."""
    best = forms.most_common(1)[0][0]
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in best.split())


def _drop_nested(scored: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Drop a phrase that only ever occurs inside a longer kept phrase with about the same weight."""
    kept: list[tuple[str, float]] = []
    for phrase, w in scored:
        low = phrase.lower()
        if any(low in k.lower() and w <= kw * 1.2 for k, kw in kept):
            continue
        kept.append((phrase, w))
    return kept


def _groups(phrases: list[tuple[str, float]], emb: StaticEmbedder, *, max_groups: int,
            seed_gap: float = 0.55, attach: float = 0.45) -> list[list[tuple[str, float]]]:
    """Seeds: the heaviest phrases that differ in meaning from every earlier seed; every other phrase
    joins the seed it is closest to (if close enough). Groups come out heaviest first."""
    vecs = emb.embed([p for p, _ in phrases])
    seeds: list[int] = []
    for i in range(len(phrases)):
        if len(seeds) >= max_groups:
            break
        if not seeds or float((vecs[seeds] @ vecs[i]).max()) < seed_gap:
            seeds.append(i)
    members: dict[int, list[int]] = {s: [s] for s in seeds}
    seed_vecs = vecs[seeds]
    for i in range(len(phrases)):
        if i in members:
            continue
        sims = seed_vecs @ vecs[i]
        j = int(sims.argmax())
        if sims[j] >= attach:
            members[seeds[j]].append(i)
    groups = [[phrases[i] for i in idx] for idx in members.values()]
    groups.sort(key=lambda g: -sum(w for _, w in g))
    return groups


def _name(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _description(name: str, keywords: list[str]) -> str:
    others = [k for k in keywords if k.lower() not in name.lower() and name.lower() not in k.lower()][:3] \
        or [k for k in keywords if k.lower() != name.lower()][:3]
    if not others:
        return f"Articles about {name.lower() if not name.isupper() else name} and related topics."
    listed = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1]
    return f"Articles about {name[0].lower() + name[1:] if not name.split()[0].isupper() else name}, such as {listed}."
