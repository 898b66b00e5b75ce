"""/start: a greeting, the language (each named in its own script), the region, then the menu.

The language choice lists the languages the user's region offers first (its catalogue file may
name them); every other interface language follows and works the same.

A deep link's payload may preset language, region, topic or service, and carry the referral code
of the Integrationslotse who shared it (counted anonymously, once per person: the codes a person
opened stay in their state only for that, and ``/delete`` removes them). The
payload is read by whichever feature is a ``StartResolver``; the core knows no link format.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.dialogue import buttons, menu, services, state
from bot.core.dialogue.common import say
from bot.core.dialogue.languages import by_region, native_name
from bot.core.dialogue.regions import ask_region
from bot.core.events import ConversationStarted
from bot.core.features import Feature, StartPreset, StartResolver, Turn
from bot.core.messages import Option, Reply
from bot.i18n import translator
from services_catalog.queries import region_by_slug

PENDING_SERVICE = "svc:"


def offered_languages(turn: Turn) -> list[str]:
    """Every interface language, those of the user's region first."""
    slug = turn.user.region_slug
    region = region_by_slug(turn.session, slug) if slug else None
    return by_region(region.languages or [] if region else [])


def language_options(codes: Sequence[str]) -> list[Option]:
    return [Option(native_name(code), buttons.value(buttons.LANGUAGE, code)) for code in codes]


def ask_language(turn: Turn) -> Reply:
    """The question in every language, since we do not know which one the user reads."""
    state.update(turn.user, **{"await": "language"})
    codes = offered_languages(turn)
    lines = dict.fromkeys(
        translator(code).gettext("Please choose your language.") for code in codes
    )
    return say(turn, "\n".join(lines), language_options(codes))


def greeting(turn: Turn) -> str:
    return turn.t.gettext(
        "Hello! I am Wegweiser. I help you find counselling and support where you live, "
        "in your language. What I store and how to delete it: /privacy"
    )


def resume(turn: Turn, features: Sequence[Feature], pending: str) -> list[Reply]:
    """Show what was asked for before a question came in between: a topic or ``svc:<id>``."""
    if pending.startswith(PENDING_SERVICE):
        state.update(turn.user, pending=None)
        return services.show_service(turn, features, pending.removeprefix(PENDING_SERVICE))
    return services.show_topic(turn, features, pending)


def next_step(turn: Turn, features: Sequence[Feature]) -> list[Reply]:
    """Whatever is still missing (language, region), then what was waiting, or the menu."""
    user = turn.user
    if not user.language:
        return [ask_language(turn)]
    pending = state.get(user, "pending")
    if not user.region_slug and not (pending and pending.startswith(PENDING_SERVICE)):
        return [ask_region(turn)]
    state.update(user, **{"await": None})
    if pending:
        return resume(turn, features, pending)
    return [menu.menu(turn)]


def start(turn: Turn, features: Sequence[Feature], payload: str) -> list[Reply]:
    """Greet, apply a deep link's presets, and ask for whatever is still missing."""
    user = turn.user
    state.clear_flow(user)
    preset = _preset(turn, features, payload)
    if preset.lang:
        set_language(turn, preset.lang)
    if preset.region:
        user.region_slug = preset.region
    referral = _first_use(turn, preset.referral_code)
    turn.events.publish(ConversationStarted(user.language, user.region_slug, referral))
    if preset.service_id:
        state.update(user, pending=PENDING_SERVICE + preset.service_id)
    elif preset.topic:
        state.update(user, pending=preset.topic)
    if not user.language:
        return [ask_language(turn)]
    return [say(turn, greeting(turn)), *next_step(turn, features)]


MAX_REFERRALS_KEPT = 20


def _first_use(turn: Turn, code: str | None) -> str | None:
    """The referral code when this person opens its link for the first time, else None.

    A Lotse's link counts people, not how often one person taps it again.
    """
    used = state.get(turn.user, "referred") or []
    if code is None or code in used:
        return None
    state.update(turn.user, referred=[*used, code][-MAX_REFERRALS_KEPT:])
    return code


def _preset(turn: Turn, features: Sequence[Feature], payload: str) -> StartPreset:
    """The presets of the first feature that understands ``payload``; none for a plain start."""
    if payload:
        for feature in features:
            if isinstance(feature, StartResolver):
                found = feature.resolve_start(turn, payload)
                if found is not None:
                    return found
    return StartPreset()


def set_language(turn: Turn, lang: str) -> None:
    """Switch the user's language; the rest of this turn answers in it."""
    turn.user.language = lang
    turn.t = translator(lang)


def choose_language(turn: Turn, features: Sequence[Feature], lang: str) -> list[Reply]:
    """A language picked from the menu: a greeting for newcomers, a short confirmation else."""
    newcomer = turn.user.region_slug is None
    set_language(turn, lang)
    first = (
        greeting(turn)
        if newcomer
        else turn.t.gettext("Language: {language}.").format(language=native_name(lang))
    )
    return [say(turn, first), *next_step(turn, features)]


def choose_region(turn: Turn, features: Sequence[Feature], slug: str) -> list[Reply]:
    region = region_by_slug(turn.session, slug)
    if region is None:
        return [ask_region(turn)]
    turn.user.region_slug = region.slug
    state.update(turn.user, **{"await": None})
    first = say(turn, turn.t.gettext("Your town: {region}.").format(region=region.name))
    return [first, *next_step(turn, features)]
