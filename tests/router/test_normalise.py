"""Each normalising rule on its own: spellings that mean the same compare equal."""

from __future__ import annotations

import pytest

from bot.core.normalise import MAX_CHARS, MAX_TOKENS, clean, normalise


def same(*spellings: str) -> bool:
    return len({normalise(spelling) for spelling in spellings}) == 1


def test_nfkc_folds_compatibility_forms() -> None:
    assert normalise("ＡＢＨ ﬁle") == "abh file"  # fullwidth letters, the fi ligature
    assert normalise("ﻻ") == "لا"  # an Arabic presentation form


def test_arabic_harakat_are_removed() -> None:
    assert normalise("مُحَمَّدٌ") == normalise("محمد")


def test_tatweel_is_removed() -> None:
    assert normalise("كتـــــاب") == normalise("كتاب")


@pytest.mark.parametrize(
    "spellings",
    [
        ("ي", "ی", "ى"),  # Arabic yeh, Persian yeh, alef maksura
        ("ك", "ک"),  # Arabic kaf, Persian keheh
        ("مدرسة", "مدرسه"),  # teh marbuta, heh
        ("أحمد", "إحمد", "آحمد", "احمد"),  # the forms of alef
        ("مسؤول", "مسوول"),  # waw with hamza
    ],
)
def test_arabic_and_persian_letter_variants_are_one(spellings: tuple[str, ...]) -> None:
    assert same(*spellings)


def test_the_arabic_article_is_folded() -> None:
    assert same("الشهادة", "شهادة")
    assert normalise("الم") == "الم"  # too short to carry an article


def test_zero_width_joiners_and_non_joiners_are_removed() -> None:
    assert same("می\u200cخواهم", "میخواهم")
    assert same("Woh\u200bnung", "Woh\u200dnung", "Woh\u2060nung", "Wohnung")


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202a", "\u2066", "\u2069", "\u200f"])
def test_bidi_controls_are_removed(control: str) -> None:
    assert normalise(f"{control}Wohnung{control}") == "wohnung"


def test_other_control_characters_are_removed_and_line_breaks_separate() -> None:
    assert normalise("Woh\x00nung\x07") == "wohnung"
    assert normalise("Wohnung\nArbeit\tKita\r\n") == "wohnung arbeit kita"


@pytest.mark.parametrize("apostrophe", ["'", "’", "‘", "ʼ", "`", "´", "＇"])
def test_apostrophe_variants_are_one(apostrophe: str) -> None:
    assert normalise(f"don{apostrophe}t") == "dont"
    assert normalise(f"б{apostrophe}є") == normalise("бє")


def test_turkish_dotted_and_dotless_i() -> None:
    assert same("İSTANBUL", "istanbul", "ıstanbul")
    assert normalise("IŞIK") == normalise("ışık") == "isik"


def test_arabic_indic_and_persian_digits_become_ascii() -> None:
    assert normalise("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalise("۰۱۲۳۴۵۶۷۸۹") == "0123456789"


def test_case_is_folded() -> None:
    assert same("WOHNUNG", "Wohnung", "wohnung")
    assert same("Straße", "STRASSE", "strasse")


def test_german_umlauts_are_tolerated_typed_or_spelled_out() -> None:
    assert same("Ausländerbehörde", "Auslaenderbehoerde", "auslanderbehorde", "AUSLÄNDERBEHÖRDE")
    assert same("Übersetzer", "Uebersetzer", "ubersetzer")


def test_latin_diacritics_are_stripped() -> None:
    assert normalise("Żółć łódź çalışma") == "zolc lodz calisma"


def test_cyrillic_keeps_its_letters_but_folds_yo() -> None:
    assert normalise("йод їжа") == "йод їжа"
    assert same("ёлка", "елка")


def test_whitespace_and_punctuation_collapse() -> None:
    assert normalise("  Hallo,,,   Welt!!! ¿¡ -- ") == "hallo welt"
    assert normalise("a_b") == "a b"


def test_long_letter_runs_shrink() -> None:
    assert normalise("hilfeeeee pleeease") == "hilfe please"
    assert normalise("112 1000") == "112 1000"  # digits stay as typed


def test_emoji_are_not_words() -> None:
    assert normalise("🏠 Wohnung 👍🏽") == "wohnung"


def test_length_is_bounded() -> None:
    assert len(normalise("wort " * 5_000).split()) == MAX_TOKENS
    assert len(normalise("abcdefghij" * 1_000 + " x")) <= MAX_CHARS
    assert len(normalise(" ".join(["langeswort"] * 80))) <= MAX_CHARS


def test_clean_keeps_what_tells_the_language() -> None:
    assert clean("Ausländerbehörde") == "ausländerbehörde"
    assert clean("İş arıyorum") == "iş arıyorum"
    assert clean("کی\u200cهستی") == "کیهستی"
