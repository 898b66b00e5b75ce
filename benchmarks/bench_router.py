"""How fast the router answers, how long its index takes to build, and how much memory it holds.

The bot routes every free-text message, so routing must stay far below what a user notices; the
index is rebuilt on every catalogue change, so building it must stay well below a second even
with a large catalogue. The index lives as long as the bot, and a rebuild briefly holds the old
and the new one, so its size counts on a small server. Run with ``make bench``; nothing here
asserts a time or a size.
"""

from __future__ import annotations

import gc
import itertools
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from bot.core.lexicon import ROUTED_TOPICS, Lexicon, load_lexicon
from bot.core.router import Router

SERVICES = 5_000
KINDS = ("Beratungsstelle", "Fachdienst", "Treffpunkt", "Sprachcafé", "Welcome Center", "Büro")
PROVIDERS = ("AWO", "Caritas", "Diakonie", "DRK", "Paritätischer", "Stadtverwaltung", "Verein")
PLACES = (
    "Nord",
    "Süd",
    "Altstadt",
    "Hafen",
    "Lütten Klein",
    "Evershagen",
    "Dierkow",
    "Toitenwinkel",
)

MESSAGES = {
    "word": "Kita",
    "typical": "Ich suche eine Wohnung für mich und meine drei Kinder in Rostock",
    "mixed": "Мне нужен Termin bei der Ausländerbehörde, помогите пожалуйста",
    "arabic": "مرحبا، بدي مساعدة بالاوراق والمعاملات عند الجوب سنتر",
    "typos": "ich brauhce einen dolmetscer für meinen termnin beim artz",
    "crisis": "ich suche arbeit aber eigentlich will ich mich umbrignen",
    "unrelated": "wie wird das wetter morgen in rostock, regnet es?",
    "long": "Hallo, ich habe eine Frage zu meinem Brief vom Amt und zur Wohnung. " * 12,
}


def synthetic_services(count: int = SERVICES) -> list[tuple[str, str]]:
    """(topic, title) pairs shaped like a large catalogue's service names and abbreviations."""
    names = itertools.product(KINDS, PROVIDERS, PLACES, range(count))
    entries = []
    for number, (kind, provider, place, serial) in enumerate(itertools.islice(names, count)):
        topic = ROUTED_TOPICS[number % len(ROUTED_TOPICS)]
        entries.append((topic, f"{kind} {provider} {place} {serial}"))
        if number % 10 == 0:
            entries.append((topic, f"BS{serial}"))
    return entries


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def services() -> list[tuple[str, str]]:
    return synthetic_services()


@pytest.fixture(scope="module")
def router(lexicon: Lexicon, services: list[tuple[str, str]]) -> Router:
    return Router.build(lexicon, services)


def test_build_lexicon_only(benchmark: Callable[..., object], lexicon: Lexicon) -> None:
    benchmark(Router.build, lexicon)


def test_build_with_5000_services(
    benchmark: Callable[..., object], lexicon: Lexicon, services: list[tuple[str, str]]
) -> None:
    benchmark(Router.build, lexicon, services)


MIB = 1024 * 1024


def _measure_build(lexicon: Lexicon, services: list[tuple[str, str]]) -> dict[str, float]:
    """Peak memory while building and memory the finished router keeps, in MiB.

    Measured with ``tracemalloc``, which sees the Python objects the index is made of; the
    lexicon and the service list exist before and are not counted.
    """
    gc.collect()
    tracemalloc.start()
    try:
        router = Router.build(lexicon, services)
        gc.collect()
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert router.route("Kita").topic  # the measured index is a working one
    return {"retained_mib": round(retained / MIB, 2), "peak_mib": round(peak / MIB, 2)}


@pytest.mark.parametrize("with_services", [False, True], ids=["lexicon_only", "with_5000_services"])
def test_index_memory(
    benchmark: Any,
    capsys: pytest.CaptureFixture[str],
    lexicon: Lexicon,
    services: list[tuple[str, str]],
    with_services: bool,
) -> None:
    """Reported in ``extra_info`` (kept by ``--benchmark-json``) and printed; the time is traced."""
    extra = services if with_services else []
    sizes = benchmark.pedantic(_measure_build, args=(lexicon, extra), rounds=1)
    benchmark.extra_info.update(sizes, catalogue_entries=len(extra))
    with capsys.disabled():
        print(f"\nrouter index, {len(extra)} catalogue entries: {sizes}")


@pytest.mark.parametrize("kind", MESSAGES)
def test_route(benchmark: Callable[..., object], router: Router, kind: str) -> None:
    benchmark(router.route, MESSAGES[kind])


def test_route_10000_characters(benchmark: Callable[..., object], router: Router) -> None:
    benchmark(router.route, "Wohnung und Arbeit " * 530)
