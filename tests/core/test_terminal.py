"""The terminal adapter: whole conversations as a person sees them, right to left included."""

from __future__ import annotations

import io
from pathlib import Path

from bot.adapters.terminal import TerminalAdapter, render
from bot.app import Wegweiser
from bot.core.dialogue.emergency import emergency_reply
from bot.core.messages import Attachment, Option, Reply, Venue
from bot.i18n import translator

FSI, PDI, LRI = "\u2068", "\u2069", "\u2066"


async def _transcript(app: Wegweiser, lines: list[str], language_code: str | None) -> str:
    output = io.StringIO()
    adapter = TerminalAdapter(app.conversation, output=output, language_code=language_code)
    await adapter.run(lines)
    return output.getvalue()


async def test_a_whole_conversation_in_the_terminal(app: Wegweiser) -> None:
    transcript = await _transcript(app, ["2", "2", "german course", "1", "/delete", "1"], None)
    assert "Please choose your language." in transcript
    assert "1. Deutsch\n2. English\n3. العربية" in transcript.replace(FSI, "").replace(PDI, "")
    assert "> 2\nHello! I am Wegweiser." in transcript
    assert "Your town: Rostock." in transcript
    assert "> german course\nHere is who can help in Rostock:" in transcript
    assert "> 1\nIntegration courses at the adult education centre" in transcript
    assert "1. 📍 Show on map" in transcript
    assert "Done: I deleted everything I stored about you." in transcript


async def test_a_location_can_be_shared_in_the_terminal(app: Wegweiser) -> None:
    lines = ["Rostock", "Deutschkurs", "/location 54.1705, 12.0610"]
    transcript = await _transcript(app, lines, "de")
    after = transcript.split("> /location")[1]
    assert after.index("Sprachcafé") < after.index("Integrationskurse der Volkshochschule")
    assert "weniger als 1 km entfernt" in after


def test_right_to_left_lines_are_isolated_and_numbers_stay_in_order() -> None:
    reply = emergency_reply(translator("ar"), [Option("🏠 القائمة", "core:menu")])
    rendered = render(reply)
    for line in rendered.splitlines():
        assert line.startswith(FSI) and line.endswith(PDI)
    assert f"{LRI}0800 111 0 111{PDI}" in rendered
    assert f"{LRI}116 016{PDI}" in rendered
    assert rendered.splitlines()[-1] == f"{FSI}1. 🏠 القائمة{PDI}"


def test_left_to_right_lines_are_left_alone() -> None:
    rendered = render(emergency_reply(translator("uk")))
    assert FSI not in rendered and LRI not in rendered
    assert "0800 111 0 111" in rendered


def test_venues_and_files(tmp_path: Path) -> None:
    reply = Reply.text("Kurs", "de")
    reply.venue = Venue(54.09, 12.14, "VHS", "Am Kabutzenhof 20a")
    reply.attachment = Attachment("kurs.ics", "text/calendar", b"BEGIN:VCALENDAR")
    rendered = render(reply, tmp_path)
    assert "https://www.openstreetmap.org/?mlat=54.09&mlon=12.14" in rendered
    assert (tmp_path / "kurs.ics").read_bytes() == b"BEGIN:VCALENDAR"
    assert str(tmp_path / "kurs.ics") in rendered


async def test_messages_sent_later_reach_the_terminal(app: Wegweiser) -> None:
    output = io.StringIO()
    adapter = TerminalAdapter(app.conversation, output=output)
    app.outbox.register(adapter)
    await app.outbox.send("terminal", "local", Reply.text("Erinnerung: Kurs morgen", "de"))
    assert output.getvalue() == "Erinnerung: Kurs morgen\n\n"
