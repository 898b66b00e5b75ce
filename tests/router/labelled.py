"""The labelled messages in ``labelled_<lang>.yaml``, as pytest parameters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).parent
LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr", "pl")


def labelled(lang: str) -> list[dict[str, Any]]:
    """One language's labelled messages; every item has ``text`` and ``topic`` or ``ambiguous``."""
    return yaml.safe_load((HERE / f"labelled_{lang}.yaml").read_text(encoding="utf-8"))


def all_cases(telling_language: bool = False) -> list[Any]:
    """Every labelled message; with ``telling_language`` only those that tell their language."""
    return [
        pytest.param(lang, case, id=f"{lang}-{number:02d}")
        for lang in LANGUAGES
        for number, case in enumerate(labelled(lang))
        if not telling_language or case.get("lang") != "any"
    ]
