"""Lexicons of the later languages load like the others; one that is not there yet does not stop
the router, one that is broken is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.lexicon import DEFAULT_DIR, LexiconError, load_lexicon
from bot.core.router import Router
from services_catalog.languages import LAUNCH_LANGUAGES, same_language, understood_as


@pytest.fixture
def launch_only(tmp_path: Path) -> Path:
    for lang in LAUNCH_LANGUAGES:
        shutil.copy(DEFAULT_DIR / f"{lang}.yaml", tmp_path / f"{lang}.yaml")
    return tmp_path


def test_a_missing_later_lexicon_leaves_the_others_working(launch_only: Path) -> None:
    lexicon = load_lexicon(launch_only)
    assert tuple(lexicon.languages) == LAUNCH_LANGUAGES
    result = Router.build(lexicon).route("غواړم آلماني ژبه زده کړم Deutschkurs")
    assert result.topic == "language_course"  # a German word still finds it


def test_a_broken_later_lexicon_is_named(launch_only: Path) -> None:
    (launch_only / "ps.yaml").write_text("topics: [not, a, mapping]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"ps\.yaml: topics"):
        load_lexicon(launch_only)


@pytest.mark.parametrize("lang", ["fr", "ps", "ckb"])
def test_new_lexicons_are_loaded(lang: str) -> None:
    assert lang in load_lexicon().languages


def test_einfache_sprache_has_no_words_of_its_own() -> None:
    assert understood_as("de-simple") == "de" and "de-simple" not in load_lexicon().languages
    assert same_language("de", "de-simple") and not same_language("de", "en")
    assert not same_language(None, "de")
