"""Language of a page: declared (html lang, meta) checked against a stop-word detector (pure, no model).

The detector counts very frequent function words of each supported language in the first few thousand
characters of the text; for text in a non-Latin script it names the script's main language (ja, ko, zh, ru,
ar, el, he, th, bn, hi, ka, hy). It is small and fast, and good enough to tell the languages we ingest apart; for
anything else the declared language is kept, and 'und' (ISO 639-2 "undetermined") is returned only when
neither a declaration nor a confident detection exists.
"""

from __future__ import annotations

import re
from collections import Counter

_STOP = {
    "en": "the and of to in is that for it with as was on are be this by have from or at not but they which his her",
    "de": "der die und das ist nicht ich sie es ein eine zu den mit sich auf für dem auch wird von im werden bei",
    "fr": "le la les et des est une un du que en dans pour qui pas sur au avec ce il sont plus par elle nous",
    "es": "el la los las y de que en es un una por con para del se no lo al como más pero sus su fue está",
    "it": "il di che è la per un una non sono del della le gli con si da anche come questo ha nel alla più",
    "pt": "o a os as de que não em um uma para com por do da dos das se mais ao é foi como está são",
    "nl": "de het een en van is dat niet op te zijn voor met die ook aan er als bij maar wordt naar",
    "pl": "i w na nie z się że do jest to o jak po dla przez ale od są czy także tym jego być",
    "sv": "och att det som en är på för med av den till inte har om de ett var men kan",
    "da": "og at det er en til på med for af den ikke som har de var et kan men om",
    "cs": "a v se na je že s z do o to jako by ve pro ale jsou jeho které také",
}
_WORDS = {lang: frozenset(ws.split()) for lang, ws in _STOP.items()}
_TOKEN = re.compile(r"[^\W\d_]+", re.U)
_CODE = re.compile(r"^[a-z]{2,3}$")


def normalize_lang(value: str | None) -> str | None:
    """'en-US' / 'de_DE' / 'EN' -> 'en'; None for empty or malformed values."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if _CODE.match(code) and code not in ("und", "mul", "zxx", "xx") else None


# Scripts that (nearly) name a language: (first code point, last code point, language)
_SCRIPTS = (
    (0x3040, 0x30FF, "ja"), (0xAC00, 0xD7AF, "ko"), (0x4E00, 0x9FFF, "zh"), (0x0400, 0x04FF, "ru"),
    (0x0600, 0x06FF, "ar"), (0x0370, 0x03FF, "el"), (0x0590, 0x05FF, "he"), (0x0E00, 0x0E7F, "th"),
    (0x0980, 0x09FF, "bn"), (0x0900, 0x097F, "hi"), (0x10A0, 0x10FF, "ka"), (0x0530, 0x058F, "hy"),
)


def _script_language(text: str) -> str | None:
    """A language from the dominant non-Latin script (kana before Han: Japanese mixes both)."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in text[:3000]:
        if not ch.isalpha():
            continue
        letters += 1
        cp = ord(ch)
        for lo, hi, lang in _SCRIPTS:
            if lo <= cp <= hi:
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not letters or not counts:
        return None
    if counts.get("ja", 0) >= 0.1 * letters:
        return "ja"
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    return lang if n >= 0.5 * letters else None


def detect_language(text: str) -> tuple[str | None, float]:
    """(language, confidence 0..1) from stop words in the first 5000 characters, else from the script."""
    tokens = _TOKEN.findall(text[:5000].lower())
    if len(tokens) < 5:
        script = _script_language(text)
        return (script, 0.5) if script else (None, 0.0)
    counts = Counter(tokens)
    scores = {lang: sum(counts[w] for w in words if w in counts) for lang, words in _WORDS.items()}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 3 or top / len(tokens) < 0.08:
        script = _script_language(text)
        return (script, 0.5) if script else (None, 0.0)
    return best, (top - second) / top


def choose_language(declared: str | None, text: str) -> str:
    """Declared language unless the text clearly says otherwise; detection; else 'und'."""
    detected, confidence = detect_language(text)
    if declared and (detected is None or detected == declared or declared not in _WORDS or confidence < 0.4):
        return declared
    return detected or declared or "und"
