"""Messages outside a person's own turn: requests put before the coordination, answers relayed.

The coordination reads in its own language (``WEGWEISER_INTERPRETER_COORDINATION_LANGUAGE``);
a person reads answers in theirs, with the coordination's words passed on unchanged.
"""

from __future__ import annotations

from bot.core.dialogue import buttons
from bot.core.messages import Option, Reply, Span, Style
from bot.i18n import Translator
from bot.interpreter.models import InterpreterRequest, ReplyKind
from bot.interpreter.texts import facts, summary

PREFIX = "itp"
MIGRATION_COUNSELLING = "migration_counselling"


def how_to_answer(reference: str, t: Translator) -> str:
    """The commands, written with "/" (the Matrix adapter shows them as "!accept" there)."""
    return "\n".join(
        [
            t.gettext("Answer with:"),
            f"/accept {reference} " + t.gettext("<message for the person>"),
            f"/decline {reference} " + t.gettext("<reason>"),
            f"/ask {reference} " + t.gettext("<question>"),
        ]
    )


def _to_coordination(
    heading: str, request: InterpreterRequest, lines: list[str], t: Translator
) -> Reply:
    body = "\n".join([*facts(request, t), *lines])
    return Reply(spans=[Span(heading, Style.BOLD), Span("\n" + body)], lang=t.lang)


def announcement(request: InterpreterRequest, t: Translator) -> Reply:
    heading = "🆕 " + t.gettext("New interpreter request {reference}").format(
        reference=request.reference
    )
    return _to_coordination(heading, request, ["", how_to_answer(request.reference, t)], t)


def raised_again(request: InterpreterRequest, t: Translator) -> Reply:
    heading = "⏰ " + t.gettext("Still without an answer: interpreter request {reference}").format(
        reference=request.reference
    )
    return _to_coordination(heading, request, ["", how_to_answer(request.reference, t)], t)


def answer_from_person(request: InterpreterRequest, text: str, t: Translator) -> Reply:
    heading = "💬 " + t.gettext("The person answered your question about {reference}:").format(
        reference=request.reference
    )
    return _to_coordination(heading, request, ["", f"«{text}»"], t)


def withdrawn(request: InterpreterRequest, t: Translator) -> Reply:
    heading = "↩️ " + t.gettext(
        "Request {reference} was withdrawn. No interpreter is needed any more."
    ).format(reference=request.reference)
    return _to_coordination(heading, request, [], t)


def list_option(t: Translator) -> Option:
    return Option(t.gettext("My interpreter requests"), f"{PREFIX}:list")


def menu_option(t: Translator) -> Option:
    return Option("🏠 " + t.gettext("Menu"), buttons.value(buttons.MENU))


def relayed(request: InterpreterRequest, kind: str, text: str, t: Translator) -> Reply:
    """An answer of the coordination, for the person, in the person's language."""
    about = summary(request, t)
    reference = request.reference
    words = [t.gettext("Their message:") + f"\n«{text}»"] if text else []
    options: list[Option] = []
    if kind == ReplyKind.ACCEPTED:
        lines = [
            "✅ "
            + t.gettext(
                "Good news: the interpreter pool accepted your request {reference} ({about})."
            ).format(reference=reference, about=about),
            *words,
        ]
        options = [list_option(t)]
    elif kind == ReplyKind.QUESTION:
        lines = [
            "❓ "
            + t.gettext(
                "The interpreter pool has a question about your request {reference} ({about})."
            ).format(reference=reference, about=about),
            f"«{text}»",
        ]
        options = [
            Option(t.gettext("Answer the question"), f"{PREFIX}:ans:{reference}"),
            Option(t.gettext("Withdraw the request"), f"{PREFIX}:wd:{reference}"),
        ]
    elif kind == ReplyKind.DECLINED:
        lines = [
            t.gettext(
                "Sorry, the interpreter pool cannot take your request {reference} ({about})."
            ).format(reference=reference, about=about),
            *([t.gettext("Reason:") + f"\n«{text}»"] if text else []),
            t.gettext("The migration counselling (MBE) can help you look for other ways."),
        ]
        options = [_counselling_option(t), _pool_option(request, t)]
    elif kind == ReplyKind.EXPIRED:
        lines = [
            t.gettext(
                "Your request {reference} ({about}) got no answer in time, so I closed it. "
                "Please contact the interpreter pool directly."
            ).format(reference=reference, about=about)
        ]
        options = [_pool_option(request, t)]
    elif kind == ReplyKind.ARRIVED:
        lines = [
            t.gettext(
                "Your request {reference} ({about}) has reached the interpreter pool's "
                "coordination. I will tell you here as soon as they answer."
            ).format(reference=reference, about=about)
        ]
        options = [list_option(t)]
    elif kind == ReplyKind.UNDELIVERED:
        lines = [
            t.gettext(
                "Sorry, your request {reference} ({about}) could not be delivered to the "
                "interpreter pool's coordination, so I closed it. Please contact the pool "
                "in another way."
            ).format(reference=reference, about=about)
        ]
        options = [_pool_option(request, t), _counselling_option(t)]
    else:
        lines = [
            t.gettext("The interpreter pool closed your request {reference} ({about}).").format(
                reference=reference, about=about
            ),
            *words,
        ]
    return Reply.text("\n\n".join(lines), t.lang, [*options, menu_option(t)])


def _counselling_option(t: Translator) -> Option:
    return Option(
        t.gettext("Migration counselling (MBE)"),
        buttons.value(buttons.TOPIC, MIGRATION_COUNSELLING),
    )


def _pool_option(request: InterpreterRequest, t: Translator) -> Option:
    return Option(
        "📞 " + t.gettext("Contact the pool"),
        buttons.value(buttons.SERVICE, request.pool_service_id),
    )
