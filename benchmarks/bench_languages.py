"""Per-language accuracy of the router on the labelled messages (``tests/router/labelled_*``),
and how long routing all of them takes.

Accuracy is printed, never asserted: the tests in ``tests/router`` demand every labelled message
be right; this shows, per language, how far a lexicon change moves a language that is still being
built up (Einfache Sprache is read as German and has no set of its own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.core.lexicon import CRISIS
from bot.core.router import Router, RouteResult
from tests.router.labelled import HERE, LANGUAGES, labelled

Case = dict[str, Any]


def _right(case: Case, result: RouteResult) -> bool:
    if "ambiguous" in case:
        return result.ambiguous
    if case["topic"] == CRISIS:
        return result.crisis
    if case["topic"] is None:
        return result.topic is None and not result.crisis
    return result.topic == case["topic"] and not result.ambiguous and not result.crisis


@pytest.fixture(scope="module")
def cases() -> dict[str, list[Case]]:
    return {
        lang: labelled(lang) for lang in LANGUAGES if (HERE / f"labelled_{lang}.yaml").is_file()
    }


def test_labelled_accuracy_per_language(
    benchmark: Callable[..., Any],
    cases: dict[str, list[Case]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    router = Router.from_locales()
    messages = [case["text"] for found in cases.values() for case in found]
    benchmark(lambda: [router.route(text) for text in messages])
    lines = []
    for lang in LANGUAGES:
        found = cases.get(lang)
        if not found:
            lines.append(f"{lang:>4}  no labelled messages yet")
            continue
        right = sum(_right(case, router.route(case["text"])) for case in found)
        detected = sum(
            router.route(case["text"]).lang == case.get("lang", lang)
            for case in found
            if case.get("lang") != "any"
        )
        told = sum(case.get("lang") != "any" for case in found)
        lines.append(
            f"{lang:>4}  {right}/{len(found)} topics right ({right / len(found):.0%}), "
            f"language told {detected}/{told}"
        )
    benchmark.extra_info["accuracy"] = lines
    with capsys.disabled():
        print("\nRouter accuracy on the labelled messages:\n" + "\n".join(lines))
