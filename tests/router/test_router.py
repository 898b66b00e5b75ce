"""The router's contract with the dialogue: topics, ambiguity, languages, catalogue names."""

from __future__ import annotations

import dataclasses

import pytest

from bot.core.router import Match, Router, RouteResult


def test_results_are_immutable(router: Router) -> None:
    result = router.route("Ich suche eine Wohnung")
    assert result == RouteResult("housing", 1.0, "de", (Match("housing", 1.0),), False, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.topic = "work"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.alternatives[0].confidence = 0.1  # type: ignore[misc]


def test_a_mixed_language_message(router: Router) -> None:
    result = router.route("Мне нужен Termin bei der Ausländerbehörde")
    assert (result.topic, result.lang) == ("residence", "ru")


@pytest.mark.parametrize(
    ("word", "topic"),
    [
        ("Kita", "childcare_school"),
        ("WBS", "housing"),
        ("jobcenter", "work"),
        ("PSZ", "psychosocial"),
        ("BAMF", "residence"),
        ("JMD", "youth_migration"),
        ("DaZ", "childcare_school"),
        ("Dolmetscherin", "interpreter"),
        ("Anerkennung", "recognition"),
        ("Integrationskurs", "language_course"),
    ],
)
def test_single_words_and_abbreviations(router: Router, word: str, topic: str) -> None:
    assert router.route(word).topic == topic


def test_close_topics_are_ambiguous_first_named_first(router: Router) -> None:
    result = router.route("Ich suche eine Wohnung und Arbeit")
    assert result.ambiguous
    assert result.topic == "housing"
    assert [match.topic for match in result.alternatives[:2]] == ["housing", "work"]
    result = router.route("Ich suche Arbeit und eine Wohnung")
    assert [match.topic for match in result.alternatives[:2]] == ["work", "housing"]


def test_a_clear_winner_is_not_ambiguous(router: Router) -> None:
    result = router.route("Ich brauche einen Dolmetscher für den Termin beim Jobcenter")
    assert (result.topic, result.ambiguous) == ("interpreter", False)
    assert result.alternatives[1].topic == "work"
    assert result.alternatives[1].confidence < result.confidence


def test_a_hint_alone_is_not_a_topic(router: Router) -> None:
    assert router.route("Deutsch").topic is None  # the language, or a German, or "in German"
    assert router.route("Ich habe einen Brief").topic is None


@pytest.mark.parametrize("text", ["hello", "Hallo", "مرحبا", "привет", "merhaba", "cześć"])
def test_greetings_are_not_topics(router: Router, text: str) -> None:
    assert router.route(text).topic is None


def test_the_language_hint_breaks_a_tie(router: Router) -> None:
    assert router.route("سلام").lang is None
    assert router.route("سلام", lang_hint="fa").lang == "fa"
    assert router.route("Kita", lang_hint="uk").lang == "uk"
    assert router.route("", lang_hint="tr").lang is None
    assert router.route("Kita", lang_hint="xx").lang is None


def test_the_language_hint_does_not_override_what_is_written(router: Router) -> None:
    assert router.route("Ich suche eine Wohnung", lang_hint="ar").lang == "de"
    assert router.route("Мне нужна квартира", lang_hint="uk").lang == "ru"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("nuzhen perevodchik", "ru"),
        ("3ayez shoghl", "ar"),
        ("man donbale khane hastam", "fa"),
        ("shukayu robotu", "uk"),
        ("Almanca kursuna gitmek istiyorum", "tr"),
        ("Szukam mieszkania", "pl"),
        ("I need a flat", "en"),
    ],
)
def test_romanised_and_latin_script_languages(router: Router, text: str, lang: str) -> None:
    assert router.route(text).lang == lang


def test_catalogue_names_are_understood() -> None:
    extra = [
        ("women", "Frauentreff Lichtblick"),
        ("language_course", "Sprachcafé Weltoffen"),
        ("youth_migration", "Jugendtreff Kompass (JTK)"),
        ("youth_migration", "JTK"),
    ]
    router = Router.from_locales(extra=extra)
    assert router.route("Wo ist der Frauentreff Lichtblik?").topic == "women"
    assert router.route("sprachcafe weltoffen").topic == "language_course"
    assert router.route("JTK").topic == "youth_migration"
    assert router.route("JTK").lang is None  # catalogue names belong to no language


def test_catalogue_abbreviations_spelled_like_common_words_are_left_out() -> None:
    router = Router.from_locales(
        extra=[("language_course", "DIE"), ("migration_counselling", "WIR"), ("work", "IFDM")]
    )
    assert router.route("die Katze schläft").topic is None
    assert router.route("wir sind zu dritt").topic is None
    assert router.route("IFDM").topic == "work"


def test_an_unknown_catalogue_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="migraton_counselling"):
        Router.from_locales(extra=[("migraton_counselling", "MBE")])


def test_routing_leaves_the_index_unchanged(router: Router) -> None:
    first = [router.route(text) for text in ("Wohnung", "Wohnungen", "Mietwohnung", "bdi sakan")]
    again = [router.route(text) for text in ("Wohnung", "Wohnungen", "Mietwohnung", "bdi sakan")]
    assert first == again
