"""A person reports under a card that an entry is wrong: one tap on a reason, an optional note,
nothing that points back to them, and no button value that was not offered is accepted."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlmodel import Session, select

from bot.app import Wegweiser
from bot.feedback.models import EntryReport
from bot.feedback.store import DAILY_LIMIT, NOTE_LIMIT
from tests.feedback.conftest import NOW, OTHER, SERVICE, at_card


def reports(app: Wegweiser) -> list[EntryReport]:
    with Session(app.engine) as session:
        return list(session.exec(select(EntryReport).order_by(EntryReport.id)))


async def test_a_reason_is_one_tap_and_the_note_is_kept_as_written(app: Wegweiser) -> None:
    chat = await at_card(app)
    await chat.press(chat.option("Something is wrong here"))
    assert "What is wrong with “Migration counselling Rostock”?" in chat.text
    assert list(chat.options)[:5] == [
        "It has moved",
        "It has closed",
        "The phone number is wrong",
        "The opening hours are wrong",
        "Something else",
    ]
    await chat.press(chat.option("phone number"))
    assert "Your report is anonymous" in chat.text
    [saved] = reports(app)
    assert (saved.entry_id, saved.reason, saved.note, saved.day) == (
        SERVICE,
        "phone",
        None,
        NOW.date(),
    )

    assert await chat.say("Neue Nummer: 0381 123 45 67") == "Thank you, your note was added."
    [saved] = reports(app)
    assert saved.note == "Neue Nummer: 0381 123 45 67"


async def test_reports_store_nothing_about_the_person(app: Wegweiser) -> None:
    columns = {c["name"] for c in inspect(app.engine).get_columns("feedback_entry_report")}
    assert columns == {"id", "entry_id", "reason", "note", "day"}
    chat = await at_card(app)
    await chat.press(f"fb:why:closed:{SERVICE}")
    await chat.press("fb:done")
    assert "Thank you for your help" in chat.text
    [saved] = reports(app)
    assert saved.note is None


async def test_the_questions_and_answers_are_in_the_persons_language(app: Wegweiser) -> None:
    chat = await at_card(app, lang="de")
    await chat.press(chat.option("Hier stimmt etwas nicht"))
    assert "Was stimmt bei „Migrationsberatung Rostock“ nicht?" in chat.text
    assert "Die Öffnungszeiten stimmen nicht" in chat.options
    await chat.press(chat.option("Öffnungszeiten"))
    assert "Ihre Meldung ist anonym" in chat.text

    arabic = await at_card(app, "u2", lang="ar")
    await arabic.press(arabic.option("هناك خطأ هنا"))
    assert "رقم الهاتف غير صحيح" in arabic.options


async def test_button_values_that_were_never_offered_change_nothing(app: Wegweiser) -> None:
    chat = await at_card(app)
    for value in (
        f"fb:why:burnt:{SERVICE}",
        "fb:why:moved:no-such-service",
        "fb:new:no-such-service",
        f"fb:why:moved:{SERVICE}:extra",
        "fb:",
    ):
        text = await chat.press(value)
        assert text.startswith("Sorry"), (value, text)
    assert reports(app) == []


async def test_a_note_is_only_taken_right_after_its_question(app: Wegweiser) -> None:
    chat = await at_card(app)
    await chat.press(f"fb:why:moved:{SERVICE}")
    await chat.press("core:menu")
    await chat.say("I need a lawyer for my residence permit")
    assert "your note was added" not in chat.text
    [saved] = reports(app)
    assert saved.note is None

    await chat.press(f"core:svc:{OTHER}")
    await chat.press(f"fb:why:moved:{OTHER}")
    await chat.press(f"core:svc:{SERVICE}")
    await chat.say("Deutschkurs")
    assert all(report.note is None for report in reports(app))


async def test_a_note_is_cleaned_and_capped(app: Wegweiser) -> None:
    chat = await at_card(app)
    await chat.press(f"fb:why:other:{SERVICE}")
    await chat.say("Zieht um\u202e nach\tNeuer Markt 3 " + "x" * 1000)
    [saved] = reports(app)
    assert saved.note is not None
    assert saved.note.startswith("Zieht um nach Neuer Markt 3 x")
    assert "\u202e" not in saved.note
    assert len(saved.note) == NOTE_LIMIT and saved.note.endswith("…")


async def test_a_second_note_does_not_overwrite_the_first(app: Wegweiser) -> None:
    chat = await at_card(app)
    await chat.press(f"fb:why:other:{SERVICE}")
    await chat.say("Closed on Fridays now")
    await chat.say("Deutschkurs")
    [saved] = reports(app)
    assert saved.note == "Closed on Fridays now"
    assert "Deutsch" not in (saved.note or "")


async def test_deleting_ones_data_leaves_the_anonymous_reports(app: Wegweiser) -> None:
    chat = await at_card(app)
    await chat.press(f"fb:why:closed:{SERVICE}")
    await chat.say("/delete")
    await chat.press("core:delete")
    assert "Done: I deleted everything" in chat.text
    assert len(reports(app)) == 1


async def test_nobody_can_flood_an_entry_with_reports(app: Wegweiser) -> None:
    chat = await at_card(app)
    for _ in range(DAILY_LIMIT):
        await chat.press(f"fb:why:hours:{SERVICE}")
    assert "Your report is anonymous" in chat.text
    await chat.press(f"fb:why:hours:{SERVICE}")
    assert "was already reported several times today" in chat.text
    assert len(reports(app)) == DAILY_LIMIT
