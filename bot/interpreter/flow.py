"""The steps to a request: which language, what kind of appointment, when, then the pool's rules.

Each step's choices live in the button values (``itp:when:<language>:<kind>:<when>``), so an old
message's buttons keep working and numbered replies work too; only typed answers (another
language, a date) need a note in the user's state.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.dialogue import buttons, state
from bot.core.dialogue.common import menu_option, say
from bot.core.dialogue.regions import ask_region
from bot.core.features import Turn
from bot.core.messages import Option, Reply
from bot.i18n import N_
from bot.interpreter.dates import local_day
from bot.interpreter.models import InterpreterRequest, Kind, When
from bot.interpreter.notices import PREFIX
from bot.interpreter.texts import KIND_ICONS, facts, kind_name, language_name
from bot.settings import LANGUAGES, SOURCE_LANGUAGE
from services_catalog.languages import same_language
from services_catalog.queries import pool_for_region, region_by_slug
from services_catalog.views import PoolView

INTERPRETER_TOPIC = "interpreter"
MIGRATION_COUNSELLING = "migration_counselling"
STATE_KEY = PREFIX
WHEN_LABELS = {
    When.THIS_WEEK: N_("This week"),
    When.NEXT_WEEK: N_("Next week"),
    When.OPEN: N_("Not fixed yet"),
}


def pool(turn: Turn) -> PoolView | None:
    region = turn.user.region_slug
    if not region:
        return None
    return pool_for_region(turn.session, region, turn.lang, today=turn.clock.now().date())


def region_name(turn: Turn) -> str:
    region = region_by_slug(turn.session, turn.user.region_slug or "")
    return region.name if region else (turn.user.region_slug or "")


def expect(turn: Turn, step: str | None, **values: str) -> None:
    """Note (or forget, with None) which typed answer the flow waits for."""
    if step is None:
        state.update(turn.user, feature=None, **{STATE_KEY: None})
    else:
        state.update(turn.user, feature=PREFIX, **{STATE_KEY: {"step": step, **values}})


def expected(turn: Turn) -> dict[str, str]:
    return state.get(turn.user, STATE_KEY) or {}


def no_pool(turn: Turn) -> list[Reply]:
    t = turn.t
    if not turn.user.region_slug:
        state.update(turn.user, pending=INTERPRETER_TOPIC)
        return [ask_region(turn)]
    text = t.gettext(
        "Sorry, I do not know an interpreter pool in {region}. "
        "The migration counselling (MBE) can help you find an interpreter."
    ).format(region=region_name(turn))
    return [say(turn, text, [counselling_option(turn), menu_option(turn)])]


def counselling_option(turn: Turn) -> Option:
    return Option(
        turn.t.gettext("Migration counselling (MBE)"),
        buttons.value(buttons.TOPIC, MIGRATION_COUNSELLING),
    )


def contact_option(turn: Turn, found: PoolView) -> Option:
    return Option(
        "📞 " + turn.t.gettext("Contact the pool"),
        buttons.value(buttons.SERVICE, found.service_id),
    )


def _offered_languages(turn: Turn, found: PoolView) -> list[str]:
    """The pool's languages, the user's own first; every interface language but German (and
    Einfache Sprache) when it names none."""
    offered = list(found.languages) or [
        c for c in LANGUAGES if not same_language(c, SOURCE_LANGUAGE)
    ]
    if turn.lang in offered:
        offered.remove(turn.lang)
        offered.insert(0, turn.lang)
    return offered


def ask_language(turn: Turn) -> list[Reply]:
    found = pool(turn)
    if found is None:
        return no_pool(turn)
    expect(turn, None)
    t = turn.t
    if found.languages:
        names = t.list([language_name(code, t) for code in found.languages])
        text = t.gettext(
            "For which language do you need an interpreter? "
            "The interpreter pool in {region} has interpreters for: {languages}."
        ).format(region=region_name(turn), languages=names)
    else:
        text = t.gettext(
            "For which language do you need an interpreter? The interpreter pool in {region} "
            "has not told me its languages; its coordination will tell you if it can help."
        ).format(region=region_name(turn))
    options = [
        Option(language_name(code, t), f"{PREFIX}:lang:{code}")
        for code in _offered_languages(turn, found)
    ]
    options += [Option(t.gettext("Another language"), f"{PREFIX}:other"), menu_option(turn)]
    return [say(turn, text, options)]


def ask_typed_language(turn: Turn) -> list[Reply]:
    expect(turn, "lang")
    text = turn.t.gettext("Please write the name of the language, for example “Tigrinya”.")
    return [say(turn, text, [menu_option(turn)])]


def not_covered(turn: Turn, found: PoolView, code: str) -> list[Reply]:
    """Said plainly, with the ways that are left."""
    t = turn.t
    text = t.gettext(
        "Sorry, the interpreter pool in {region} has no interpreters for {language}. "
        "You can ask the pool directly whether they know someone, "
        "or ask the migration counselling (MBE) for help."
    ).format(region=region_name(turn), language=language_name(code, t, native=False))
    options = [
        contact_option(turn, found),
        counselling_option(turn),
        Option(t.gettext("Choose another language"), f"{PREFIX}:new"),
        menu_option(turn),
    ]
    return [say(turn, text, options)]


def choose_language(turn: Turn, code: str) -> list[Reply]:
    found = pool(turn)
    if found is None:
        return no_pool(turn)
    if found.languages and code not in found.languages:
        return not_covered(turn, found, code)
    t = turn.t
    options = [
        Option(f"{KIND_ICONS[kind]} {kind_name(kind, t)}", f"{PREFIX}:kind:{code}:{kind.value}")
        for kind in Kind
    ]
    options.append(menu_option(turn))
    return [say(turn, t.gettext("What kind of appointment is it?"), options)]


def ask_when(turn: Turn, code: str, kind: str, intro: str | None = None) -> list[Reply]:
    t = turn.t
    today = local_day(turn.clock.now())
    base = f"{PREFIX}:when:{code}:{kind}"
    options = [
        Option(t.gettext("Today"), f"{base}:{today.isoformat()}"),
        Option(t.gettext("Tomorrow"), f"{base}:{(today + timedelta(days=1)).isoformat()}"),
        *[
            Option(t.gettext(label), f"{base}:{choice.value}")
            for choice, label in WHEN_LABELS.items()
        ],
        Option(t.gettext("Another day"), f"{PREFIX}:date:{code}:{kind}"),
        menu_option(turn),
    ]
    question = t.gettext("When is the appointment?")
    return [say(turn, f"{intro}\n{question}" if intro else question, options)]


def ask_date(turn: Turn, code: str, kind: str) -> list[Reply]:
    expect(turn, "date", lang=code, kind=kind)
    text = turn.t.gettext("Please write the day of the appointment, for example 12.03.")
    return [say(turn, text, [menu_option(turn)])]


def draft(
    turn: Turn, found: PoolView, code: str, kind: str, when: str
) -> InterpreterRequest | None:
    """The request the choices describe (not stored yet), or None for a day already past."""
    today = local_day(turn.clock.now())
    when_date, when_choice = parse_when(when)
    if kind not in set(Kind) or (when_date is None and when_choice is None):
        return None
    if when_date is not None and when_date < today:
        return None
    return InterpreterRequest(
        reference="",
        user_id=turn.user.id or 0,
        pool_service_id=found.service_id,
        language=code,
        kind=kind,
        when_date=when_date,
        when_choice=when_choice,
        created_at=turn.clock.now(),
    )


def passed(turn: Turn, code: str, kind: str) -> list[Reply]:
    """An old "Today" button, or a typed day that has gone by: ask again."""
    return ask_when(turn, code, kind, turn.t.gettext("This day has passed. Please choose again."))


def parse_when(when: str) -> tuple[date | None, str | None]:
    if when in set(When):
        return None, when
    try:
        return date.fromisoformat(when), None
    except ValueError:
        return None, None


def summary(turn: Turn, code: str, kind: str, when: str, can_send: bool) -> list[Reply]:
    """The request as it would go out, the pool's rules, and what happens next."""
    found = pool(turn)
    if found is None:
        return no_pool(turn)
    request = draft(turn, found, code, kind, when)
    if request is None:
        return passed(turn, code, kind)
    t = turn.t
    lines = [t.gettext("Your request:"), *facts(request, t), ""]
    if found.rules:
        lines += [t.gettext("How the pool works: {rules}").format(rules=found.rules)]
        if "rules" in found.fallback_fields and turn.lang != SOURCE_LANGUAGE:
            lines.append(
                t.gettext("Some text is shown in German because there is no translation yet.")
            )
        lines.append("")
    contact = contact_option(turn, found)
    if not can_send:
        lines.append(
            t.gettext("The pool takes requests directly. Please contact them with these details.")
        )
        return [say(turn, "\n".join(lines), [contact, menu_option(turn)])]
    lines.append(
        t.gettext(
            "Shall I send this request to the pool's coordination? They get only these three "
            "facts and a reference code, not your name. I will pass their answer on to you here."
        )
    )
    options = [
        Option("✅ " + t.gettext("Send the request"), f"{PREFIX}:send:{code}:{kind}:{when}"),
        contact,
        Option(t.gettext("Cancel"), f"{PREFIX}:cancel"),
    ]
    return [say(turn, "\n".join(lines), options)]
