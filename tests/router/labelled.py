"""The labelled messages in ``labelled_<lang>.yaml``, as pytest parameters.

Every interface language the router reads with its own words has a file (Einfache Sprache is
read as German). ``all_cases`` takes the files there are, so that one language's missing file
fails its own test (``test_every_language_has_enough_labelled_messages``), not the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from services_catalog.languages import LANGUAGES as ALL_LANGUAGES
from services_catalog.languages import understood_as

HERE = Path(__file__).parent
LANGUAGES = tuple(lang for lang in ALL_LANGUAGES if understood_as(lang) == lang)


def labelled(lang: str) -> list[dict[str, Any]]:
    """One language's labelled messages; every item has ``text`` and ``topic`` or ``ambiguous``."""
    return yaml.safe_load((HERE / f"labelled_{lang}.yaml").read_text(encoding="utf-8"))


def all_cases(telling_language: bool = False, languages: tuple[str, ...] = LANGUAGES) -> list[Any]:
    """Every labelled message; with ``telling_language`` only those that tell their language."""
    return [
        pytest.param(lang, case, id=f"{lang}-{number:02d}")
        for lang in languages
        if (HERE / f"labelled_{lang}.yaml").is_file()
        for number, case in enumerate(labelled(lang))
        if not telling_language or case.get("lang") != "any"
    ]
