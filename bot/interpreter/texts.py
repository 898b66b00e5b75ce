"""How a request reads, for the person in their language and for the coordination in its own.

Both see the same three facts — language, kind of appointment, when — and the reference code.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.dialogue.languages import name_in, native_name
from bot.i18n import N_, Translator
from bot.interpreter.dates import local_day, week_of
from bot.interpreter.models import InterpreterRequest, Kind, When

KIND_LABELS: dict[str, str] = {
    Kind.DOCTOR: N_("Doctor or hospital"),
    Kind.AUTHORITY: N_("Public office"),
    Kind.SCHOOL_KITA: N_("School or Kita"),
    Kind.COUNSELLING: N_("Counselling"),
    Kind.OTHER: N_("Something else"),
}
KIND_ICONS: dict[str, str] = {
    Kind.DOCTOR: "🩺",
    Kind.AUTHORITY: "🏛️",
    Kind.SCHOOL_KITA: "🏫",
    Kind.COUNSELLING: "💬",
    Kind.OTHER: "📌",
}


def language_name(code: str, t: Translator, native: bool = True) -> str:
    """ "Arabisch (العربية)": the name in the reader's language, and in its own when it differs."""
    name = name_in(code, t.lang)
    name = name[:1].upper() + name[1:]
    own = native_name(code)
    if not native or own.casefold() == name.casefold() or own == code:
        return name
    return f"{name} ({own})"


def kind_name(kind: str, t: Translator) -> str:
    return t.gettext(KIND_LABELS.get(kind, KIND_LABELS[Kind.OTHER]))


def when_text(request: InterpreterRequest, t: Translator) -> str:
    if request.when_date is not None:
        return t.date(request.when_date, "full")
    if request.when_choice in (When.THIS_WEEK, When.NEXT_WEEK):
        monday = local_day(request.created_at)
        if request.when_choice == When.NEXT_WEEK:
            monday += timedelta(days=7)
        first, last = week_of(monday)
        days = t.gettext("{start} to {end}").format(
            start=t.date(first, "medium"), end=t.date(last, "medium")
        )
        label = t.gettext("this week") if request.when_choice == When.THIS_WEEK else None
        label = label or t.gettext("next week")
        return f"{label} ({days})"
    return t.gettext("not fixed yet")


def facts(request: InterpreterRequest, t: Translator) -> list[str]:
    """The three facts, one per line."""
    return [
        t.gettext("Language: {language}").format(language=language_name(request.language, t)),
        t.gettext("Appointment: {kind}").format(kind=kind_name(request.kind, t)),
        t.gettext("When: {when}").format(when=when_text(request, t)),
    ]


def summary(request: InterpreterRequest, t: Translator) -> str:
    """One line: "Arabic, doctor or hospital, Tuesday, 3 March 2026"."""
    return ", ".join(
        [
            language_name(request.language, t, native=False),
            kind_name(request.kind, t),
            when_text(request, t),
        ]
    )
