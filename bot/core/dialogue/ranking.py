"""Which services of a topic to show first: the ones that fit what the person actually wrote.

"Deutschkurs mit Kinderbetreuung" should lead with the integration course that has childcare,
"Integrationskurs" with the integration course, "a school for my 15-year-old" should not list
offers for other ages, and an offer for a group (women only, certain ages) should not lead for
everyone just because its title comes first in the alphabet. Each service gets a score from
the typed words found in its title (strong) or description (weak), in the user's language or
in German, the other topics the message names that the service also serves, the staff's
languages, and a small step back for offers made for one group that the message did not ask
for (a word that only this offer's title has counts as asking). Equal scores keep the
catalogue's order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz
from sqlmodel import Session

from bot.core.normalise import normalise
from services_catalog.queries import with_childcare
from services_catalog.views import ServiceView

CHILDCARE = "childcare_school"
WOMEN = "women"
MIN_WORD = 4
"""Shorter words ("mit", "for", "في") are in every description."""
MIN_PART = 5
"""A word found inside a longer one counts from this length ("integrationskurs" in
"frauenintegrationskurs"), so that "kurs" does not count in every course."""
SAME_SCORE = 88
"""How alike (0-100) two words must be to count as the same word ("kurs", "kurse")."""
TITLE_WEIGHT = 1.0
DESCRIPTION_WEIGHT = 0.4
TOPIC_WEIGHT = 1.0
LANGUAGE_WEIGHT = 0.5
GROUP_STEP_BACK = 0.5


@dataclass(frozen=True)
class Asked:
    """What one message asked for beyond its topic; its words are never stored.

    ``words`` are its normalised words, ``age`` an age it states (of the writer or of a child),
    ``topics`` the other topics it names.
    """

    words: tuple[str, ...] = ()
    age: int | None = None
    topics: tuple[str, ...] = ()


def fits_age(view: ServiceView, age: int) -> bool:
    return (view.min_age is None or age >= view.min_age) and (
        view.max_age is None or age <= view.max_age
    )


def served(
    session: Session, views: Sequence[ServiceView], topics: Sequence[str], today: date
) -> dict[str, set[str]]:
    """Which of ``topics`` each service also helps with: by its topics, or by what it offers
    (a course with childcare helps parents of small children; a women's offer helps women)."""
    childcare = set()
    if CHILDCARE in topics:
        childcare = with_childcare(session, [view.id for view in views], today)
    return {
        view.id: {
            topic
            for topic in topics
            if topic in view.topics
            or (topic == WOMEN and view.women_only)
            or (topic == CHILDCARE and view.id in childcare)
        }
        for view in views
    }


def _word_fit(word: str, others: Sequence[str]) -> float:
    """1 for the same word, a little less for a plural or a compound that contains it."""
    best = 0.0
    for other in others:
        if other == word:
            return 1.0
        if fuzz.ratio(word, other) >= SAME_SCORE:
            best = max(best, 0.9)
        elif min(len(word), len(other)) >= MIN_PART and (word in other or other in word):
            best = max(best, 0.8)
    return best


def _words(*texts: str | None) -> list[str]:
    return [word for text in texts if text for word in normalise(text).split()]


@dataclass(frozen=True)
class _Fit:
    """How the typed words fit one service: a score, and which words its title has."""

    score: float
    title_words: frozenset[str]


def _text_fit(words: Sequence[str], view: ServiceView, source: ServiceView | None) -> _Fit:
    titles = _words(view.title, source.title if source else None)
    descriptions = _words(
        view.description,
        view.provider_name,
        source.description if source else None,
    )
    score, in_title = 0.0, set()
    for word in words:
        title_fit = _word_fit(word, titles)
        if title_fit > 0:
            in_title.add(word)
        score += max(TITLE_WEIGHT * title_fit, DESCRIPTION_WEIGHT * _word_fit(word, descriptions))
    return _Fit(score, frozenset(in_title))


def _is_for_a_group(view: ServiceView, topic: str, asked: Asked, singled_out: bool) -> bool:
    """An offer for one group of people that the message did not ask about.

    A message with a word only this offer's title has ("Frauen", "Kinderbetreuung") asked for
    it, even when the router read the whole phrase as the topic ("Deutschkurs für Frauen").
    """
    if singled_out:
        return False
    if view.women_only and WOMEN not in (topic, *asked.topics):
        return True
    has_ages = view.min_age is not None or view.max_age is not None
    return has_ages and asked.age is None


def rank(
    session: Session,
    topic: str,
    views: Sequence[ServiceView],
    asked: Asked,
    lang: str,
    today: date,
    source_views: Mapping[str, ServiceView] | None = None,
) -> list[ServiceView]:
    """The services best fitting ``asked`` first; one that a stated age rules out is left out.

    ``source_views`` are the same services in German, so German words typed by someone who
    reads another language are found too.
    """
    if asked.age is not None:
        views = [view for view in views if fits_age(view, asked.age)]
    words = [word for word in asked.words if len(word) >= MIN_WORD and not word.isdigit()]
    sources = source_views or {}
    others = [other for other in asked.topics if other != topic]
    helps = served(session, views, others, today)
    fits = {view.id: _text_fit(words, view, sources.get(view.id)) for view in views}
    titled = Counter(word for fit in fits.values() for word in fit.title_words)
    scores: dict[str, float] = {}
    for view in views:
        fit = fits[view.id]
        singled_out = any(titled[word] == 1 for word in fit.title_words)
        score = fit.score + TOPIC_WEIGHT * len(helps[view.id])
        if lang in view.languages:
            score += LANGUAGE_WEIGHT
        if _is_for_a_group(view, topic, asked, singled_out):
            score -= GROUP_STEP_BACK
        scores[view.id] = score
    order = {view.id: index for index, view in enumerate(views)}
    return sorted(views, key=lambda view: (-scores[view.id], order[view.id]))
