"""``make eval``: how well the router understands held-out messages it was never trained on.

Prints per-language accuracy, right-topic rate (and how often the right topic was at least one of
the two the bot asks about), danger recall (emergency numbers first), false
alarms and out-of-scope rejection, for the lexicon alone and for both stages together. The
held-out split is chosen by a hash of each message (``bot.core.semantic.corpus``).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable

from bot.core.lexicon import CRISIS
from bot.core.router import Router, RouteResult
from bot.core.semantic import corpus
from bot.core.semantic.classifier import OUT_OF_SCOPE
from bot.core.semantic.stage import shared_stage

Verdict = Callable[[str], RouteResult]


def is_right(label: str, result: RouteResult) -> bool:
    """What the user needs: numbers first for danger, the menu for small talk, else the topic."""
    if label == CRISIS:
        return result.crisis
    if label == OUT_OF_SCOPE:
        return result.topic is None and not result.crisis
    return result.topic == label and not result.ambiguous and not result.crisis


def evaluate(name: str, route: Verdict, examples: list[corpus.Example]) -> dict[str, float]:
    per_lang: dict[str, list[bool]] = defaultdict(list)
    topical, offered, danger, alarms, unrelated = [], [], [], [], []
    crashes = 0
    misses: list[str] = []
    for example in examples:
        try:
            result = route(example.text)
        except Exception:  # a crash is counted and reported, not hidden
            crashes += 1
            continue
        right = is_right(example.label, result)
        per_lang[example.lang].append(right)
        if example.label == CRISIS:
            danger.append(right)
        else:
            alarms.append(result.crisis)
            if example.label == OUT_OF_SCOPE:
                unrelated.append(right)
            else:
                topical.append(right)
                asked = result.ambiguous and example.label in {
                    match.topic for match in result.alternatives[:2]
                }
                offered.append(right or asked)
        if not right:
            misses.append(f"  {example.lang} {example.label:<22} → {_said(result)}: {example.text}")

    def rate(values: list[bool]) -> float:
        return 100.0 * sum(values) / len(values) if values else 0.0

    print(f"\n{name}: {len(examples)} held-out messages, {crashes} crashes")
    print("  " + "  ".join(f"{lang} {rate(v):5.1f}%" for lang, v in sorted(per_lang.items())))
    figures = {
        "right topic": rate(topical),
        "right topic or asked": rate(offered),
        "danger recall": rate(danger),
        "false alarms": rate(alarms),
        "unrelated get the menu": rate(unrelated),
    }
    counts = {
        "right topic": len(topical),
        "right topic or asked": len(offered),
        "danger recall": len(danger),
        "false alarms": len(alarms),
        "unrelated get the menu": len(unrelated),
    }
    for key, value in figures.items():
        print(f"  {key:<24} {value:5.1f}%   (of {counts[key]})")
    if "-v" in sys.argv:
        print("\n".join(misses))
    return figures


def _said(result: RouteResult) -> str:
    if result.crisis:
        return f"crisis ({result.stage})"
    if result.ambiguous:
        return "ambiguous " + "/".join(m.topic for m in result.alternatives[:2])
    return f"{result.topic or 'menu'} ({result.stage})"


def main() -> None:
    examples = corpus.evaluation(corpus.load())
    lexicon = Router.from_locales()
    both = Router.from_locales(semantic=shared_stage())
    evaluate("lexicon alone", lexicon.route, examples)
    started = time.perf_counter()
    evaluate("lexicon + semantic", both.route, examples)
    print(f"  ({(time.perf_counter() - started) * 1000 / len(examples):.1f} ms per message)")


if __name__ == "__main__":
    main()
