"""The keyword files: complete for every language, and clear errors when one is malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.lexicon import (
    ROUTED_TOPICS,
    WEAK_WEIGHT,
    Lexicon,
    LexiconError,
    Sense,
    load_language,
    load_lexicon,
)
from bot.settings import LANGUAGES, LAUNCH_LANGUAGES

GOOD = """
function_words: [ich, "no", "on"]
not_topic: [hallo, wie geht es]
topics:
{topics}
crisis: [ich will sterben]
negations: [nicht]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "de.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def good_topics(**override: str) -> str:
    lines = {topic: f"  {topic}: [{topic} word]" for topic in ROUTED_TOPICS}
    lines.update(override)
    return "\n".join(lines.values())


def test_every_language_has_words_for_every_topic() -> None:
    lexicon = load_lexicon()
    assert tuple(lexicon.languages)[: len(LAUNCH_LANGUAGES)] == LAUNCH_LANGUAGES
    assert set(lexicon.languages) <= set(LANGUAGES) - {"de-simple"}  # read as German
    for language in lexicon.languages.values():
        assert tuple(language.topics) == ROUTED_TOPICS
        for topic, phrases in language.topics.items():
            assert len(phrases) >= 15, (language.lang, topic)
        assert language.crisis and language.function_words and language.not_topic


def test_weak_phrases_count_half(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.format(topics=good_topics(work="  work: [Job, ~Stelle]")))
    entries = dict(Lexicon(languages={"de": load_language(path, "de")}).topic_entries())
    assert entries["Job"] == Sense("work", "de")
    assert entries["Stelle"] == Sense("work", "de", WEAK_WEIGHT)
    assert entries["wie geht es"] == Sense(None, "de")  # small talk claims its words


def test_plain_words_stay_text(tmp_path: Path) -> None:
    lexicon = load_language(write(tmp_path, GOOD.format(topics=good_topics())), "de")
    assert {"no", "on"} <= lexicon.function_words  # YAML 1.1 would read booleans


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.format(topics=good_topics(work="  wrok: [Job]")), "unknown topics ['wrok']"),
        (GOOD.format(topics=good_topics(work="  work: []")), "topics.work: expected a non-empty"),
        (GOOD.format(topics=good_topics(work="  work: [Job, [x]]")), "topics.work[1]"),
        (GOOD.format(topics=good_topics()) + "extra: [x]\n", "unknown keys ['extra']"),
        (GOOD.format(topics=good_topics()).replace("crisis: [ich will sterben]", ""), "crisis"),
        (
            GOOD.format(topics=good_topics()).replace("negations: [nicht]", ""),
            "negations: expected a list of words",
        ),
        (
            GOOD.format(topics=good_topics()).replace("[nicht]", "[nicht mehr]"),
            "negations[0]: expected one word",
        ),
        ("- just a list\n", "expected a mapping at the top"),
        ("topics: [unclosed\n", "not valid YAML"),
    ],
)
def test_malformed_files_are_refused_with_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(LexiconError, match=r"de\.yaml") as error:
        load_language(write(tmp_path, text), "de")
    assert message in str(error.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=r"de\.yaml: cannot be read"):
        load_lexicon(tmp_path)
