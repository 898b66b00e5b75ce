"""Every answer leads to someone: next steps on cards without contact, nationwide offers after
local ones, a town's missing topic, places the catalogue lacks, and no loop back to one card."""

from __future__ import annotations

from bot.app import Wegweiser
from tests.core.conftest import Chat


async def _in(app: Wegweiser, town: str, lang: str = "en") -> Chat:
    chat = Chat(app, f"{town}-{lang}", language_code=lang)
    await chat.start()
    await chat.press(f"core:region:{town}")
    return chat


async def test_a_card_without_contact_says_so_and_shows_who_can_be_reached(
    app: Wegweiser,
) -> None:
    chat = await _in(app, "talstadt")
    text = await chat.press("core:topic:interpreter")
    assert text.startswith("Interpreting Talstadt")
    assert "No contact details are known for this offer." in text
    # the provider's contact first, then the town's general counselling, then nationwide
    provider = text.index("Website of the provider: https://verein.talstadt.example")
    general = text.index("General counselling here: Migration counselling Talstadt: +49 6621 1234")
    online = text.index("Online counselling for adults (aged 27 and older): https://erwachsene")
    assert provider < general < online
    assert "Nationwide, by phone or online:" in text
    assert "core:svc:talstadt-mbe" in chat.options
    assert "core:svc:bundesweit-online-erwachsene" in chat.options
    # the only interpreting offer: "other services" would show this very card again
    assert "core:topic:interpreter" not in chat.options


async def test_nationwide_offers_come_after_the_local_ones_and_are_labelled(
    app: Wegweiser,
) -> None:
    chat = await _in(app, "talstadt")
    text = await chat.press("core:topic:work")
    assert text.startswith("Here is who can help in Talstadt:")
    assert text.index("Job advice Talstadt") < text.index("Nationwide, by phone or online:")
    assert "Nationwide job hotline: +49 30 5555 0000" in text
    assert chat.options == [
        "core:svc:talstadt-jobs",
        "core:svc:bundesweit-jobhotline",
        "core:menu",
    ]
    card = await chat.press("core:svc:bundesweit-jobhotline")
    assert "🌐 Nationwide offer, by phone or online" in card
    assert "☎️ +49 30 5555 0000" in card
    # back to the list, which holds another offer
    assert "core:topic:work" in chat.options
    local = await chat.press("core:svc:talstadt-jobs")
    assert "✉️ jobs@talstadt.example" in local
    assert "No contact details" not in local
    assert "Nationwide job hotline: +49 30 5555 0000" in local


async def test_a_region_can_switch_a_nationwide_offer_off(app: Wegweiser) -> None:
    chat = await _in(app, "bergdorf")
    text = await chat.press("core:topic:work")
    assert text.startswith("Job advice Bergdorf")  # one card: nothing else to show
    assert "Nationwide job hotline" not in text
    assert "core:svc:bundesweit-jobhotline" not in chat.options
    assert "core:topic:work" not in chat.options  # "other services" would loop


async def test_a_topic_the_town_lacks_gets_nationwide_help_and_general_counselling(
    app: Wegweiser,
) -> None:
    chat = await _in(app, "bergdorf")
    text = await chat.press("core:topic:recognition")
    assert "Sorry, I do not know a service for this in Bergdorf yet." in text
    # no nationwide offer for the topic: the nationwide general counselling for all ages
    assert "Online counselling for adults (aged 27 and older): https://erwachsene" in text
    assert "Online counselling for young people (aged 12 to 27): https://jugend" in text
    assert chat.options[-2:] == ["core:region", "core:menu"]
    chat = await _in(app, "talstadt")
    text = await chat.press("core:topic:recognition")
    assert "General counselling here: Migration counselling Talstadt: +49 6621 1234" in text
    assert chat.options[0] == "core:svc:talstadt-mbe"


async def test_a_nationwide_layer_is_no_town(app: Wegweiser) -> None:
    chat = Chat(app, "new", language_code="en")
    await chat.start()
    assert "core:region:bundesweit" not in chat.options
    assert "core:region:talstadt" in chat.options
    refused = await chat.press("core:region:bundesweit")
    assert "Bundesweit" not in refused.split("\n")[0]
    assert "core:region:bundesweit" not in chat.options
    await chat.say("Bundesweit")
    assert "Your town: Bundesweit" not in chat.text


async def test_a_place_the_catalogue_lacks_gets_nationwide_offers_and_the_nearest_town(
    app: Wegweiser,
) -> None:
    chat = Chat(app, "far", language_code="en")
    await chat.start()
    text = await chat.say("36199")  # Rotenburg an der Fulda, near Bad Hersfeld (36251)
    assert "Sorry, Wegweiser does not cover this place yet." in text
    assert "The nearest place I know is Talstadt" in text
    assert "Wherever you live, these can help you:" in text
    assert "https://erwachsene.beratung.example" in text
    assert "core:region:talstadt" in chat.options


async def test_a_temporarily_closed_place_is_not_offered_as_open(app: Wegweiser) -> None:
    chat = await _in(app, "talstadt")
    text = await chat.press("core:topic:housing")
    assert "⛔ Temporarily closed until January 15, 2027." in text
    assert "No contact details are known for this offer." in text
    assert "General counselling here: Migration counselling Talstadt" in text


async def test_an_appointment_page_is_a_way_to_a_person(app: Wegweiser) -> None:
    chat = await _in(app, "talstadt")
    text = await chat.press("core:topic:health")
    assert "📅 Book an appointment: https://termine.talstadt.example" in text
    assert "No contact details" not in text
