"""/help, /privacy, /reminders, /delete and features plugged into the dialogue."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from bot.app import Wegweiser
from bot.core.dialogue import state
from bot.core.features import Turn
from bot.core.messages import Option, Reply
from bot.storage.models import User
from services_catalog.db import session_scope
from services_catalog.views import CourseView, ServiceView
from tests.core.conftest import Chat


@dataclass
class Notes:
    """A small feature: a button under cards and courses, a command, a one-question flow."""

    name: str = "notes"
    commands: tuple[str, ...] = ("reminders",)
    forgotten: list[str] = field(default_factory=list)

    def service_options(self, turn: Turn, service: ServiceView) -> list[Option]:
        return [Option("Note it", f"notes:service:{service.id}")]

    def course_options(self, turn: Turn, course: CourseView) -> list[Option]:
        return [Option("Remind me", f"notes:course:{course.id}")]

    async def on_command(self, turn: Turn, command: str, args: str) -> list[Reply]:
        return [Reply.text(f"{command}: none yet", turn.lang)]

    async def on_button(self, turn: Turn, value: str) -> list[Reply]:
        state.update(turn.user, feature=self.name)
        return [Reply.text(f"pressed {value}; what should the note say?", turn.lang)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply] | None:
        state.update(turn.user, feature=None)
        return [Reply.text("noted", turn.lang)]

    def forget_user(self, session: Session, user: User) -> None:
        self.forgotten.append(user.platform_user_id)


async def _in_rostock(app: Wegweiser, language_code: str = "en", user_id: str = "u1") -> Chat:
    chat = Chat(app, user_id=user_id, language_code=language_code)
    await chat.start()
    await chat.press("core:region:rostock")
    return chat


async def test_help_lists_the_commands(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "ru")
    text = await chat.say("/help")
    for command in ("/menu", "/language", "/region", "/reminders", "/privacy", "/delete"):
        assert command in text
    assert "Напишите в нескольких словах" in text


async def test_privacy_says_what_is_stored(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "de")
    text = await chat.say("/privacy")
    assert "Ihre Nachrichten speichere ich nicht." in text


async def test_reminders_without_the_feature_is_a_polite_no(app: Wegweiser) -> None:
    app.features.clear()  # a deployment without reminders
    chat = await _in_rostock(app, "pl")
    text = await chat.say("/reminders")
    assert text == "Przypomnienia o kursach nie są tu jeszcze dostępne."


async def test_unknown_command_shows_help(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.say("/frobnicate")
    assert text.startswith("I do not know this command.")
    assert "/privacy" in text


async def test_features_add_buttons_commands_and_flows(app: Wegweiser) -> None:
    notes = Notes()
    app.features[:] = [notes]
    chat = await _in_rostock(app)
    assert await chat.say("/reminders") == "reminders: none yet"
    await chat.press("core:svc:rostock-mbe")
    assert "notes:service:rostock-mbe" in chat.options
    number = chat.options.index("notes:service:rostock-mbe") + 1
    assert (
        await chat.say(str(number))
        == "pressed notes:service:rostock-mbe; what should the note say?"
    )
    assert await chat.say("Tuesday morning") == "noted"
    await chat.press("core:courses:rostock-vhs-kurse")
    assert chat.labels[0] == "Remind me"
    assert chat.options[0] == "notes:course:rostock-vhs-a1-beispiel"


async def test_crisis_wins_over_a_features_flow(app: Wegweiser) -> None:
    app.features[:] = [Notes()]
    chat = await _in_rostock(app)
    await chat.press("notes:service:rostock-mbe")
    text = await chat.say("I want to kill myself")
    assert "0800 111 0 111" in text and "112" in text
    # the half-written note is dropped: the next words are read afresh, not noted
    assert (await chat.say("Tuesday morning")).startswith("Sorry, I did not understand that.")


async def test_a_button_of_a_missing_feature_shows_the_menu(app: Wegweiser) -> None:
    chat = await _in_rostock(app)
    text = await chat.press("gone:whatever")
    assert text.startswith("Sorry, this button no longer works.")


async def test_delete_asks_first_and_can_be_cancelled(app_any_db: Wegweiser) -> None:
    chat = await _in_rostock(app_any_db, "de")
    text = await chat.say("/delete")
    assert "Das kann man nicht rückgängig machen." in text
    assert await chat.say("2") == "Gut, es wurde nichts gelöscht."
    with session_scope(app_any_db.engine) as session:
        assert session.exec(select(User)).one().region_slug == "rostock"


async def test_delete_removes_the_user_and_asks_features_to_forget(app_any_db: Wegweiser) -> None:
    notes = Notes()
    app_any_db.features.append(notes)  # beside the bot's own features
    chat = await _in_rostock(app_any_db, "de", user_id="alice")
    other = await _in_rostock(app_any_db, "en", user_id="bob")
    await chat.say("/delete")
    text = await chat.say("1")
    assert text.startswith("Erledigt: Ich habe alles gelöscht")
    assert notes.forgotten == ["alice"]
    with session_scope(app_any_db.engine) as session:
        assert [user.platform_user_id for user in session.exec(select(User))] == ["bob"]
    # A new message starts from scratch: the language is asked again, not remembered.
    chat.language_code = None
    assert "Please choose your language." in await chat.start()
    assert (await other.say("/menu")).startswith("What do you need help with?")


async def test_no_message_text_is_stored(app_any_db: Wegweiser) -> None:
    chat = await _in_rostock(app_any_db, "en")
    await chat.say("I need a German course near the station")
    await chat.say("MBE")
    with session_scope(app_any_db.engine) as session:
        stored = repr([user.model_dump() for user in session.exec(select(User))])
    assert "station" not in stored
    assert "MBE" not in stored
