"""Crisis: acute danger is recognised in every language, with typos, and wins over any topic.

Many more crisis messages per language are in ``labelled_<lang>.yaml``; these tests pin down the
rules: crisis beats a topic in the same message, and topic words near danger are no crisis.
"""

from __future__ import annotations

import pytest

from bot.core.lexicon import CRISIS, load_lexicon
from bot.core.router import Router

WITH_A_TOPIC = {
    "de": (
        "Ich brauche einen Deutschkurs aber eigentlich will ich mich umbrigen",
        "language_course",
    ),
    "en": ("i need a doctor, my husband is beating me", "health"),
    "ar": ("بدي شغل بس زوجي عم يضربني", "work"),
    "fa": ("دنبال کار هستم ولی میخوام خودکشی کنم", "work"),
    "uk": ("потрібна квартира, чоловік мене бє", "housing"),
    "ru": ("нужен переводчик, у папы сердечный преступ", "interpreter"),
    "tr": ("kira sözleşmesi lazım ama intihar etmek istiyorum", "housing"),
    "pl": ("szukam pracy, mąż mnie bije", "work"),
}

TYPOS = {
    "de": ["Selbstmort", "ich will mich umbrignen", "er schlägt mihc"],
    "en": ["i want to kil myself", "suicidle", "hes hiting me"],
    "ar": ["بدي انتحار", "زوجي يضربنى", "sayyaret es3af"],
    "fa": ["خودکشي", "ميخوام بميرم", "khodkoshy"],
    "uk": ["самогубсво", "хочу помирти", "він мене бьє"],
    "ru": ["самоубиство", "хочу умиреть", "муж миня бьет"],
    "tr": ["intiar", "olmek istyorum", "kocam beni dövüyo"],
    "pl": ["samobujstwo", "chce umżeć", "maz mnie bjie"],
}

OTHER_WORD_ORDERS = {
    "de": [
        "Mich schlägt mein Mann",
        "Umbringen will ich mich",
        "Leben will ich nicht mehr",
        "ich will tot sein",
    ],
    "en": ["I don't want to be alive anymore", "my husband hits me", "i want to end it all"],
    "ar": ["يضربني زوجي كل يوم", "في خطر انا"],
    "fa": ["میخوام بکشم خودمو", "میزنه منو شوهرم", "زندگی نمیخوام"],
    "uk": ["Жити не хочу", "хочу себе вбити", "мене б'є чоловік", "з собою покінчу"],
    "ru": ["Хочу покончить с собой", "Не хочу жить", "Жить не хочу", "хочу себя убить"],
    "tr": ["öldürmek istiyorum kendimi", "dövüyor beni kocam", "istemiyorum artık yaşamak"],
    "pl": ["Chcę się zabić", "Zabiję się", "Nie chcę żyć", "Żyć nie chcę", "mnie bije mąż"],
}

NEGATION_ELSEWHERE = [
    "Хочу жить в Германии, не в общежитии",
    "Хочу жити в Німеччині, не в гуртожитку",
    "Chcę żyć w Niemczech, nie w ośrodku",
    "I want to be alive, don't worry",
]

NO_CRISIS = [
    ("Beratung nach häuslicher Gewalt", "women"),
    ("Ich suche eine Notunterkunft", "housing"),
    ("emergency shelter for tonight", "housing"),
    ("Angst vor der Zukunft", "psychosocial"),
    ("domestic violence counselling for women", "women"),
    ("ищу женский приют", "women"),
]


@pytest.mark.parametrize("lang", WITH_A_TOPIC)
def test_crisis_wins_over_a_topic_in_the_same_message(router: Router, lang: str) -> None:
    text, topic = WITH_A_TOPIC[lang]
    result = router.route(text)
    assert (result.topic, result.crisis, result.ambiguous) == (CRISIS, True, False)
    assert result.alternatives[0].topic == CRISIS
    assert topic in [match.topic for match in result.alternatives[1:]]


@pytest.mark.parametrize(("lang", "text"), [(lang, text) for lang in TYPOS for text in TYPOS[lang]])
def test_crisis_survives_typos(router: Router, lang: str, text: str) -> None:
    result = router.route(text)
    assert (result.topic, result.crisis) == (CRISIS, True)


@pytest.mark.parametrize(
    ("lang", "text"),
    [(lang, text) for lang in OTHER_WORD_ORDERS for text in OTHER_WORD_ORDERS[lang]],
)
def test_crisis_is_found_in_any_word_order(router: Router, lang: str, text: str) -> None:
    result = router.route(text)
    assert (result.topic, result.crisis, result.lang) == (CRISIS, True, lang)


@pytest.mark.parametrize("text", NEGATION_ELSEWHERE)
def test_a_negation_of_another_word_is_no_crisis(router: Router, text: str) -> None:
    assert not router.route(text).crisis


def test_words_of_a_crisis_phrase_far_apart_are_no_crisis(router: Router) -> None:
    text = "Я хочу найти курс, но жить в общежитии не могу, там шумно и не хочу туда"
    assert router.route(text).crisis is False


@pytest.mark.parametrize(("text", "topic"), NO_CRISIS)
def test_topic_words_near_danger_are_no_crisis(router: Router, text: str, topic: str) -> None:
    result = router.route(text)
    assert (result.topic, result.crisis) == (topic, False)


def test_every_language_has_crisis_phrases() -> None:
    for language in load_lexicon().languages.values():
        assert len(language.crisis) >= 20, language.lang


def test_a_catalogue_entry_under_crisis_signals_a_crisis() -> None:
    router = Router.from_locales(extra=[("crisis", "Hilfetelefon Gewalt gegen Frauen")])
    result = router.route("Nummer vom Hilfetelefon Gewalt gegen Frauen")
    assert (result.topic, result.crisis) == (CRISIS, True)
