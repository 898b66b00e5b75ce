"""/start, the language and region questions, deep links: what a newcomer sees first."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Wegweiser
from bot.core.events import ConversationStarted
from bot.core.messages import Kind
from bot.lotsen.models import ReferralCode
from bot.lotsen.payload import build_payload
from bot.settings import LANGUAGES
from services_catalog.db import session_scope
from tests.core.conftest import Chat


async def test_start_without_language_asks_in_every_language(app: Wegweiser) -> None:
    chat = Chat(app, language_code="it")
    text = await chat.start()
    assert "Bitte wählen Sie Ihre Sprache." in text
    assert "يرجى اختيار لغتك." in text
    assert "Будь ласка, виберіть свою мову." in text
    assert chat.labels == [
        "Deutsch", "English", "العربية", "فارسی", "Українська", "Русский", "Türkçe", "Polski",
        "Einfache Sprache", "پښتو", "Kurmancî", "کوردی", "ትግርኛ", "Soomaali", "Français",
    ]  # fmt: skip


async def test_language_then_region_then_menu(app: Wegweiser) -> None:
    chat = Chat(app)
    await chat.start()
    text = await chat.say("3")  # العربية
    assert "مرحباً! أنا Wegweiser" in text
    assert chat.replies[-1].lang == "ar"
    assert chat.labels == ["Koblenz", "Rostock"]
    text = await chat.say("2")
    assert "مدينتك: Rostock." in text
    assert "دورات اللغة الألمانية" in chat.labels  # the topic menu, in Arabic
    assert chat.labels[-1] == "🆘 أرقام الطوارئ"


async def test_client_language_is_used_and_region_can_be_typed(app: Wegweiser) -> None:
    chat = Chat(app, language_code="uk-UA")
    text = await chat.start()
    assert "Вітаю! Я Wegweiser" in text
    assert "Де ви живете?" in text
    text = await chat.say("rostok")
    assert "Ваше місто: Rostock." in text


async def test_typed_language_name_is_understood(app: Wegweiser) -> None:
    chat = Chat(app)
    await chat.start()
    text = await chat.say("turkce")
    assert "Merhaba! Ben Wegweiser." in text


async def test_language_can_be_changed_with_a_command(chat: Chat) -> None:
    await chat.start()
    await chat.press("core:region:rostock")
    text = await chat.say("/language")
    assert len(chat.labels) == len(LANGUAGES)
    text = await chat.say("8")
    assert "Język: Polski." in text
    assert "W czym mogę pomóc?" in text


async def test_region_can_be_changed(chat: Chat) -> None:
    await chat.start()
    await chat.press("core:region:rostock")
    await chat.say("/region")
    text = await chat.say("1")
    assert "Ihr Ort: Koblenz." in text


async def test_first_message_without_start_is_answered(app: Wegweiser) -> None:
    chat = Chat(app, language_code="de")
    text = await chat.say("Deutschkurs")
    assert "Wo wohnen Sie?" in text
    text = await chat.say("Rostock")
    assert "Integrationskurse der Volkshochschule" in text  # the waiting topic, answered


async def test_start_is_counted_with_its_referral_code(app: Wegweiser) -> None:
    seen: list[object] = []
    app.events.subscribe(seen.append)
    with session_scope(app.engine) as session:
        session.add(
            ReferralCode(
                code="k7m2qp",
                label="Café International",
                region="rostock",
                lang="ar",
                created_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )
    chat = Chat(app, language_code="de")
    text = await chat.start(build_payload(referral_code="k7m2qp"))
    assert "مرحباً! أنا Wegweiser" in text  # the code's language wins over the client's
    assert "دورات اللغة الألمانية" in chat.labels  # region preset: straight to the menu
    assert ConversationStarted("ar", "rostock", "k7m2qp") in seen


async def test_deep_link_opens_a_topic(app: Wegweiser) -> None:
    chat = Chat(app)
    payload = build_payload(lang="en", region="rostock", topic="language_course")
    text = await chat.start(payload)
    assert "Hello! I am Wegweiser." in text
    assert "Integration courses at the adult education centre" in text


async def test_deep_link_opens_a_service_card(app: Wegweiser) -> None:
    chat = Chat(app)
    text = await chat.start(build_payload(lang="en", service_id="rostock-psz"))
    assert "Psychosocial centre (PSZ)" in text
    assert "Help with stress and trauma." in text


async def test_unknown_payload_is_a_normal_start(app: Wegweiser) -> None:
    chat = Chat(app, language_code="en")
    text = await chat.start("Rnosuchcode")
    assert "Hello! I am Wegweiser." in text


async def test_start_typed_as_text_with_payload(app: Wegweiser) -> None:
    chat = Chat(app)
    text = await chat.say("/start " + build_payload(lang="tr", region="koblenz"))
    assert "Merhaba! Ben Wegweiser." in text
    assert chat.replies[0].lang == "tr"
    await chat.send(Kind.START, payload=None)
    assert "Hangi konuda yardıma ihtiyacınız var?" in chat.text
