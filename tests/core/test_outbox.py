"""Messages the user did not just ask for go through the adapter of their platform."""

from __future__ import annotations

import pytest

from bot.core.messages import Reply
from bot.core.outbox import NoTransport, Outbox
from bot.core.ports import DeliveryError


class Recorder:
    def __init__(self, platform: str, fail: bool = False) -> None:
        self.platform = platform
        self.fail = fail
        self.sent: list[tuple[str, str]] = []

    async def send(self, chat_id: str, reply: Reply) -> None:
        if self.fail:
            raise DeliveryError("blocked")
        self.sent.append((chat_id, reply.plain_text))


async def test_each_platform_gets_its_own_messages() -> None:
    outbox = Outbox()
    telegram, matrix = Recorder("telegram"), Recorder("matrix")
    outbox.register(telegram)
    outbox.register(matrix)
    await outbox.send("matrix", "!room", Reply.text("Kurs morgen"))
    assert matrix.sent == [("!room", "Kurs morgen")]
    assert telegram.sent == []
    assert outbox.platforms == {"telegram", "matrix"}


async def test_a_platform_not_running_is_reported() -> None:
    outbox = Outbox()
    outbox.register(Recorder("telegram"))
    outbox.unregister("telegram")
    with pytest.raises(NoTransport):
        await outbox.send("telegram", "42", Reply.text("hi"))


async def test_delivery_errors_pass_through() -> None:
    outbox = Outbox()
    outbox.register(Recorder("telegram", fail=True))
    with pytest.raises(DeliveryError):
        await outbox.send("telegram", "42", Reply.text("hi"))
