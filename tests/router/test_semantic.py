"""The semantic stage as users meet it: indirect danger, words the lexicon lacks, and no crash.

The messages here are the ones newcomers were seen to write and not be understood; they go
through the lexicon and the semantic stage together, as the bot routes them.
"""

from __future__ import annotations

from typing import cast

import pytest

from bot.core.lexicon import CRISIS
from bot.core.router import LEXICON, SEMANTIC, Router
from bot.core.semantic.classifier import Classifier
from bot.core.semantic.embedder import Embedder
from bot.core.semantic.screen import DangerScreen
from bot.core.semantic.stage import SemanticStage
from tests.router.test_odd_input import ODD

DANGER = [
    "muzh menya bjot",
    "bdi mut",
    "jozi yadrobni",
    "someone is hurting my child",
    "ich werde bedroht",
    "Mein Nachbar schlägt seine Kinder",
    "police",
    "Polizei",
    "emergency",
    "طوارئ",
    "Номера экстренной помощи",
    "Numery alarmowe",
    "شماره‌های اضطراری",
    "my little brother fell from the window and he is not moving",
    "ich hab alle meine Schlaftabletten genommen",
]

EXPLICIT = ["طوارئ", "Номера экстренной помощи", "Numery alarmowe", "شماره‌های اضطراری"]

UNDERSTOOD = [
    ("i need house", "housing"),
    ("Yalnız hissediyorum", "psychosocial"),
    ("man komak mekhaham baraye khana", "housing"),
    ("kodakestan", "childcare_school"),
    ("ana bdi 2ja2a", "migration_counselling"),
    ("مکتب برای بچه ام", "childcare_school"),
    ("we don't have a place to live", "housing"),
]

LEGAL = ["Anwalt", "lawyer", "avukat", "адвокат", "prawnik", "وکیل", "محامي"]

HARMLESS = [
    "what's the weather like tomorrow",
    "my phone is broken",
    "Wer hat gestern das Spiel gewonnen?",
    "رمضان كريم",
    "asdfgh",
    "abc def",
]


@pytest.mark.parametrize("text", DANGER)
def test_danger_brings_the_emergency_numbers_first(understanding: Router, text: str) -> None:
    result = understanding.route(text)
    assert result.crisis
    assert result.topic == CRISIS
    assert result.alternatives[0].topic == CRISIS


@pytest.mark.parametrize("text", EXPLICIT)
def test_explicit_danger_is_the_lexicons_decision(understanding: Router, text: str) -> None:
    result = understanding.route(text)
    assert (result.crisis, result.stage) == (True, LEXICON)


@pytest.mark.parametrize(("text", "topic"), UNDERSTOOD)
def test_messages_the_lexicon_misses_get_their_topic(
    understanding: Router, text: str, topic: str
) -> None:
    result = understanding.route(text)
    assert (result.topic, result.crisis, result.ambiguous) == (topic, False, False)


@pytest.mark.parametrize("text", LEGAL)
def test_a_lawyer_leads_to_the_counselling_for_legal_questions(
    understanding: Router, text: str
) -> None:
    result = understanding.route(text)
    assert (result.topic, result.stage) == ("migration_counselling", LEXICON)


def test_a_lawyer_for_an_asylum_case_is_offered_with_residence(understanding: Router) -> None:
    result = understanding.route("I need a lawyer for my asylum case")
    assert {match.topic for match in result.alternatives[:2]} == {
        "residence",
        "migration_counselling",
    }


@pytest.mark.parametrize(
    "text", ["polizeiliches Führungszeugnis beantragen", "zaświadczenie z policji do pracy"]
)
def test_police_in_an_everyday_request_never_hides_the_menu_or_topic(
    understanding: Router, text: str
) -> None:
    """A bare "Polizei" is a call for help, a police certificate is not: the word is left to the
    semantic stage, whose danger is always followed by the topic or the menu."""
    result = understanding.route(text)
    assert not result.crisis or result.stage == SEMANTIC


@pytest.mark.parametrize("text", HARMLESS)
def test_small_talk_and_noise_get_the_menu(understanding: Router, text: str) -> None:
    result = understanding.route(text)
    assert (result.topic, result.crisis) == (None, False)


def test_asking_for_english_is_read_as_english_and_no_topic(understanding: Router) -> None:
    result = understanding.route("English please")
    assert (result.topic, result.crisis, result.lang) == (None, False, "en")


def test_the_stage_that_decided_is_named_with_its_score(understanding: Router) -> None:
    lexical = understanding.route("Ich suche eine Wohnung")
    assert (lexical.topic, lexical.stage, lexical.score) == ("housing", LEXICON, None)
    semantic = understanding.route("kodakestan")
    assert semantic.stage == SEMANTIC
    assert semantic.score is not None and semantic.score >= 0.55


def test_two_clearly_named_needs_stay_a_question(understanding: Router) -> None:
    result = understanding.route("Ich brauche Hilfe bei der Wohnungssuche und Arbeit")
    assert result.ambiguous
    assert {match.topic for match in result.alternatives[:2]} == {"housing", "work"}


def test_a_semantic_danger_keeps_the_topic_that_was_asked(understanding: Router) -> None:
    result = understanding.route("I have pills saved up and tonight I will take them all")
    assert result.crisis and result.stage == SEMANTIC
    assert [match.topic for match in result.alternatives][:1] == [CRISIS]


@pytest.mark.parametrize("text", ODD, ids=range(len(ODD)))
def test_odd_input_never_breaks_the_semantic_stage(understanding: Router, text: str) -> None:
    result = understanding.route(text)
    assert (result.topic, result.crisis) == (None, False)


class _BrokenEmbedder:
    def warm_up(self) -> None:
        pass

    def embed(self, texts: list[str]) -> None:
        raise OSError("model file missing")


def test_without_a_working_model_the_lexicon_still_answers() -> None:
    embedder = cast(Embedder, _BrokenEmbedder())
    stage = SemanticStage(embedder, Classifier.load(), DangerScreen.load())
    router = Router.from_locales(semantic=stage)
    assert router.route("kodakestan").topic is None
    assert router.route("Ich suche eine Wohnung").topic == "housing"
    assert router.route("ich will mich umbringen").crisis
