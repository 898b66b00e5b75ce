"""Turn whatever a user typed into lowercase tokens that compare equal when people mean the same.

Users write on cheap phones in eight languages and several keyboards: Persian words with Arabic
letters and the reverse, German without umlauts ("Auslaenderbehoerde", "auslanderbehorde"),
Turkish with or without dotted i, Polish without ogonki. The lexicon and every message go through
the same ``normalise``, so the variants folded here need no lexicon entries. Characters are
mapped with translation tables built once at import, because this runs on every message.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 500
"""Characters of cleaned text that are matched; nobody asks for help in a novel."""

MAX_TOKENS = 60
"""Tokens of cleaned text that are matched, which bounds the work per message."""

_MAX_RAW_CHARS = 4 * MAX_CHARS
"""Raw input read at most: room for invisible characters, yet bounded work on 10,000 chars."""

_APOSTROPHES = "'`´ʹʻʼʽˈ‘’‛′＇"
_ARABIC_MARKS = "\u0640"  # tatweel (kashida); the harakat are combining marks, removed as such
_ARABIC_LETTERS = {
    "ی": "ي",  # Persian yeh
    "ى": "ي",  # alef maksura
    "ئ": "ي",
    "ک": "ك",  # Persian keheh
    "ڪ": "ك",
    "ة": "ه",  # teh marbuta
    "ۀ": "ه",
    "ە": "ه",
    "ھ": "ه",
    "ہ": "ه",
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
}
_LATIN_SPECIAL = {"ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th"}
_INVISIBLE_LETTERS = "\u115f\u1160\u3164\uffa0"  # Hangul fillers, used to fake empty names
_GERMAN_DIGRAPHS = re.compile(r"([aou])e")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_NON_WORD = re.compile(r"[\W_]+")
_SOFT_SIGN = re.compile(r"[ьъ](?=[еєюяї])")
_ARABIC_ARTICLE = "ال"
_MIN_ARTICLE_WORD = 5


def _before_casefold_table() -> dict[int, str | None]:
    """Delete invisible and combining characters; fold letters ``casefold`` would get wrong."""
    table: dict[int, str | None] = {}
    planes = (range(0x10000), range(0xE0000, 0xE0080), range(0x1D173, 0x1D17B))
    for block in planes:
        for code in block:
            category = unicodedata.category(chr(code))
            if category in ("Cf", "Mn", "Me"):
                table[code] = None  # zero-width (non-)joiners, bidi controls, harakat
            elif category == "Cc":
                table[code] = " " if chr(code).isspace() else None
    for char in _ARABIC_MARKS + _INVISIBLE_LETTERS:
        table[ord(char)] = None
    table[ord("İ")] = "i"  # casefold would give "i̇"
    for digit in range(10):
        table[0x0660 + digit] = str(digit)  # Arabic-Indic
        table[0x06F0 + digit] = str(digit)  # Persian
    return table


def _after_casefold_table() -> dict[int, str]:
    """Fold spelling variants: Latin diacritics (not Cyrillic й, ї), Arabic and Persian letters."""
    table: dict[int, str] = {}
    for block in (range(0x00C0, 0x0250), range(0x1E00, 0x1F00)):
        for code in block:
            decomposed = unicodedata.normalize("NFD", chr(code))
            if len(decomposed) > 1 and decomposed[0].isascii() and decomposed[0].isalpha():
                table[code] = decomposed[0].lower()
    for source, target in (_LATIN_SPECIAL | _ARABIC_LETTERS).items():
        table[ord(source)] = target
    table[ord("ı")] = "i"  # dotless i: Turkish users type either
    table[ord("ё")] = "е"
    return table


_APOSTROPHE_TABLE = dict.fromkeys(map(ord, _APOSTROPHES))
_BEFORE_CASEFOLD = _before_casefold_table()
_AFTER_CASEFOLD = _after_casefold_table()


def clean(text: str) -> str:
    """NFKC, invisible and control characters gone, casefolded: still language-specific.

    Language detection looks at this form, because it still has ä, ş, ı, ą, ї and Persian letters.
    """
    # Apostrophes go first: NFKC would turn "´" into a space and a combining accent.
    text = unicodedata.normalize("NFKC", text[:_MAX_RAW_CHARS].translate(_APOSTROPHE_TABLE))
    return text.translate(_BEFORE_CASEFOLD).casefold()


def fold(cleaned: str) -> str:
    """The matching form of ``clean`` output: no Latin diacritics, tokens joined by one space."""
    text = cleaned.translate(_AFTER_CASEFOLD)
    text = _GERMAN_DIGRAPHS.sub(r"\1", text)  # Auslaenderbehoerde → auslanderbehorde
    text = _REPEATS.sub(r"\1", text)  # hilfeeee → hilfe
    text = _SOFT_SIGN.sub("", text)  # бьє, б'є → бє; обьявление, объявление → обявление
    kept: list[str] = []
    length = 0
    for token in _NON_WORD.split(text):
        if not token:
            continue
        if token.startswith(_ARABIC_ARTICLE) and len(token) >= _MIN_ARTICLE_WORD:
            token = token[len(_ARABIC_ARTICLE) :]  # الشهادة and شهادة are one word
        length += len(token) + 1
        if length > MAX_CHARS + 1 or len(kept) == MAX_TOKENS:
            break
        kept.append(token)
    return " ".join(kept)


def normalise(text: str) -> str:
    """The form in which messages and lexicon phrases are compared."""
    return fold(clean(text))
