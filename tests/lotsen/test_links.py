"""The links a Lotse shares: Telegram deep link and Matrix link with the first message."""

from __future__ import annotations

from bot.lotsen.links import links_for, matrix_link, telegram_link
from bot.lotsen.payload import build_payload, parse_payload
from bot.settings import Settings


def test_telegram_deep_link_carries_the_payload() -> None:
    payload = build_payload(referral_code="k7m2qp", service_id="rostock-mbe-awo")
    link = telegram_link("@wegweiser_bot", payload)
    assert link == "https://t.me/wegweiser_bot?start=Rk7m2qpSrostock-mbe-awo"
    assert parse_payload(link.split("?start=", 1)[1]).service_id == "rostock-mbe-awo"


def test_matrix_link_opens_the_bot_and_names_the_first_message() -> None:
    settings = Settings(telegram_username=None, matrix_user="@wegweiser:example.org")
    links = links_for(settings, "Rk7m2qp")
    assert links.telegram is None
    assert links.matrix == "https://matrix.to/#/@wegweiser:example.org"
    assert links.matrix_message == "!start Rk7m2qp"
    assert matrix_link(" @bot:matrix.example.org ") == "https://matrix.to/#/@bot:matrix.example.org"


def test_both_links_when_both_bots_are_configured() -> None:
    settings = Settings(telegram_username="wegweiser_bot", matrix_user="@wegweiser:example.org")
    links = links_for(settings, "LarGrostock")
    assert links.telegram == "https://t.me/wegweiser_bot?start=LarGrostock"
    assert links.matrix == "https://matrix.to/#/@wegweiser:example.org"
