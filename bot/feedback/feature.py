"""“Something is wrong here” under each service card: one tap on a reason saves an anonymous
report, and the person may add a short note in their own words.

The report row holds no user id. While the note is awaited, the user's dialogue state holds the
report's id; the next text or button of this feature removes it (``/delete`` removes the state).
"""

from __future__ import annotations

from sqlmodel import Session

from bot.core.dialogue import choices, state
from bot.core.dialogue.common import menu_option, say
from bot.core.features import Turn
from bot.core.messages import Option, Reply
from bot.feedback import store
from bot.feedback.reasons import LABELS, parse
from bot.storage.models import User
from services_catalog.queries import service_view
from services_catalog.views import CourseView, ServiceView

PREFIX = "fb"
STATE_KEY = "feedback"
MAX_VALUE_BYTES = 64
DONE = f"{PREFIX}:done"
CANCEL = f"{PREFIX}:no"


def button(*parts: str) -> str | None:
    """A button value of this feature, or None when it would not fit the 64-byte limit."""
    value = ":".join((PREFIX, *parts))
    return value if len(value.encode()) <= MAX_VALUE_BYTES else None


class FeedbackFeature:
    name = PREFIX
    commands: tuple[str, ...] = ()

    def service_options(self, turn: Turn, service: ServiceView) -> list[Option]:
        value = button("new", service.id)
        return [Option("⚠️ " + turn.t.gettext("Something is wrong here"), value)] if value else []

    def course_options(self, turn: Turn, course: CourseView) -> list[Option]:
        return []

    async def on_command(self, turn: Turn, command: str, args: str) -> list[Reply]:
        return []

    def forget_user(self, session: Session, user: User) -> None:
        """Nothing to delete: reports carry no user id, so none of them is anyone's."""

    async def on_button(self, turn: Turn, value: str) -> list[Reply]:
        _expect_note(turn, None)
        match value.removeprefix(f"{PREFIX}:").split(":"):
            case ["new", service_id]:
                return [self._ask_reason(turn, service_id)]
            case ["why", reason, service_id] if parse(reason) is not None:
                return [self._save(turn, reason, service_id)]
            case ["done"]:
                return [say(turn, turn.t.gettext("Thank you for your help!"), [menu_option(turn)])]
            case ["no"]:
                return [say(turn, turn.t.gettext("Okay, nothing was sent."), [menu_option(turn)])]
        text = turn.t.gettext("Sorry, that button no longer works.")
        return [say(turn, text, [menu_option(turn)])]

    async def on_text(self, turn: Turn, text: str) -> list[Reply] | None:
        """The optional note, taken only while the question for it is the last thing shown."""
        report_id = (state.get(turn.user, STATE_KEY) or {}).get("report")
        asked = DONE in {value for _, value in choices.shown(turn.user)}
        _expect_note(turn, None)
        if not isinstance(report_id, int) or not asked:
            return None
        t = turn.t
        if store.add_note(turn.session, report_id, text):
            answer = t.gettext("Thank you, your note was added.")
        else:
            answer = t.gettext("Sorry, the note could not be added.")
        return [say(turn, answer, [menu_option(turn)])]

    def _ask_reason(self, turn: Turn, service_id: str) -> Reply:
        t = turn.t
        view = service_view(turn.session, service_id, turn.lang, turn.clock.now().date())
        if view is None:
            return self._gone(turn)
        options = [
            Option(t.gettext(text), value)
            for reason, text in LABELS.items()
            if (value := button("why", reason.value, view.id))
        ]
        options.append(Option(t.gettext("Cancel"), CANCEL))
        question = t.gettext("What is wrong with “{title}”?").format(title=view.title)
        return say(turn, question, options)

    def _save(self, turn: Turn, reason: str, service_id: str) -> Reply:
        t = turn.t
        view = service_view(turn.session, service_id, turn.lang, turn.clock.now().date())
        found = parse(reason)
        if view is None or found is None:
            return self._gone(turn)
        report = store.add(turn.session, view.id, found, turn.clock.now().date())
        if report is None:
            text = t.gettext(
                "Thank you! “{title}” was already reported several times today, so the "
                "integration office will check it."
            ).format(title=view.title)
            return say(turn, text, [menu_option(turn)])
        assert report.id is not None
        _expect_note(turn, report.id)
        text = "\n\n".join(
            (
                t.gettext(
                    "Thank you! I have passed this on to the integration office, which will "
                    "check “{title}”. Your report is anonymous."
                ).format(title=view.title),
                t.gettext(
                    "If you like, write a short note now, for example the new address or phone "
                    "number. Please do not write your name."
                ),
            )
        )
        return say(turn, text, [Option(t.gettext("No note, thanks"), DONE), menu_option(turn)])

    def _gone(self, turn: Turn) -> Reply:
        text = turn.t.gettext("Sorry, this service is no longer listed.")
        return say(turn, text, [menu_option(turn)])


def _expect_note(turn: Turn, report_id: int | None) -> None:
    """Remember (or forget, with None) the report a typed note belongs to."""
    if report_id is None:
        if state.get(turn.user, STATE_KEY) is not None:
            state.update(turn.user, feature=None, **{STATE_KEY: None})
    else:
        state.update(turn.user, feature=PREFIX, **{STATE_KEY: {"report": report_id}})
