"""The bot's cross-signing identity on a real Synapse, checked the way other people's clients
check it (PyNaCl, not the bot's own signing code), across restarts, a lost store and a reset."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app as cli
from bot.settings import Settings
from tests.matrix.people import Person, numbered, text_of
from tests.matrix.trust import CarefulPerson, cross_signing
from tests.servers.synapse import SynapseServer

pytestmark = pytest.mark.synapse


@pytest.fixture
def admin(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Callable:
    """Run `wegweiser matrix …` with the bot's settings, as the admin would on its machine."""
    for name in ("homeserver", "user", "password", "store"):
        monkeypatch.setenv(
            f"WEGWEISER_MATRIX_{name.upper()}", str(getattr(settings, f"matrix_{name}"))
        )
    monkeypatch.setenv("WEGWEISER_DATA_DIR", str(settings.data_dir))

    async def run(*args: str) -> Result:
        return await asyncio.to_thread(CliRunner().invoke, cli, ["matrix", *args])

    return run


def choice(body: str, contains: str) -> str:
    return str(next(n for label, n in numbered(body).items() if contains in label))


async def test_first_start_cross_signs_the_device_and_a_restart_keeps_both(
    wegweiser: Callable, people: Callable, synapse: SynapseServer, settings: Settings, admin
) -> None:
    bot = await wegweiser()
    amal: Person = await people("amal")
    keys = cross_signing(synapse, amal.client.access_token, bot.user_id)
    assert keys.master and keys.self_signing
    assert keys.self_signing_valid and keys.device_signed(bot.device_id)

    stored = settings.matrix_store / "cross-signing.json"
    assert stored.stat().st_mode & 0o777 == 0o600  # the private keys: the bot's user only

    shown = await admin("status")
    assert shown.exit_code == 0, shown.output
    assert f"Device:        {bot.device_id}" in shown.output
    assert "Cross-signed:  yes" in shown.output
    shown_master = shown.output.split("Master key:")[1].splitlines()[0]
    assert shown_master.replace(" ", "") == keys.master  # what people compare to verify the bot

    await bot.stop()
    again = await wegweiser()
    after = cross_signing(synapse, amal.client.access_token, bot.user_id)
    assert again.device_id == bot.device_id
    assert (after.master, after.self_signing) == (keys.master, keys.self_signing)
    assert after.device_signed(bot.device_id)


async def test_a_lost_store_gets_a_new_device_signed_by_the_restored_identity(
    wegweiser: Callable,
    people: Callable,
    synapse: SynapseServer,
    settings: Settings,
    admin,
    tmp_path: Path,
) -> None:
    bot = await wegweiser()
    recovery = tmp_path / "offline" / "wegweiser-recovery.json"
    saved = await admin("export-recovery", str(recovery))
    assert saved.exit_code == 0, saved.output
    assert recovery.stat().st_mode & 0o777 == 0o600
    observer: Person = await people("observer")
    first = cross_signing(synapse, observer.client.access_token, bot.user_id)

    await bot.stop()
    shutil.rmtree(settings.matrix_store)  # the disk is gone; the recovery file was kept offline
    restored = await admin("restore", str(recovery))
    assert restored.exit_code == 0, restored.output
    new = await wegweiser()

    amal: Person = await people("amal", careful=True)
    keys = cross_signing(synapse, amal.client.access_token, bot.user_id)
    assert new.device_id != bot.device_id
    assert keys.master == first.master
    assert keys.device_signed(new.device_id)
    room = await amal.open_direct_chat(new.user_id)
    assert "Deutsch" in text_of(await amal.ask(room, "👋"))  # a careful client talks to it


async def test_without_the_keys_the_identity_is_kept_until_the_admin_resets_it(
    wegweiser: Callable, people: Callable, synapse: SynapseServer, settings: Settings, admin
) -> None:
    bot = await wegweiser()
    amal: Person = await people("amal", careful=True)
    before = cross_signing(synapse, amal.client.access_token, bot.user_id)

    await bot.stop()
    shutil.rmtree(settings.matrix_store)
    lost = await wegweiser()  # starts, but cannot sign its new device with keys it lacks
    keys = cross_signing(synapse, amal.client.access_token, bot.user_id)
    assert keys.master == before.master and not keys.device_signed(lost.device_id)
    shown = await admin("status")
    assert "Cross-signed:  NO" in shown.output and "no keys in the store" in shown.output

    room = await amal.open_direct_chat(lost.user_id)
    await amal.say(room, "Hallo")  # a careful client encrypts it for no device of the bot
    assert not amal.room_key_reached(room, lost.user_id, lost.device_id)

    await lost.stop()
    refused = await admin("reset")  # asks first; no answer means no
    assert refused.exit_code == 1 and "will see that its identity changed" in refused.output
    reset = await admin("reset", "--yes")
    assert reset.exit_code == 0, reset.output
    renewed = cross_signing(synapse, amal.client.access_token, bot.user_id)
    assert renewed.master != before.master and renewed.device_signed(lost.device_id)
    back = await wegweiser()
    assert back.device_id == lost.device_id
    assert "Deutsch" in text_of(await amal.ask(room, "👋"))
    assert amal.room_key_reached(room, back.user_id, back.device_id)


async def test_a_careful_client_has_a_whole_conversation(
    wegweiser: Callable, people: Callable
) -> None:
    bot = await wegweiser()
    olena: CarefulPerson = await people("olena", careful=True)
    room = await olena.open_direct_chat(bot.user_id)

    languages = await olena.ask(room, "👋")
    regions = await olena.ask(room, choice(languages[-1].body, "Українська"))
    menu = await olena.ask(room, choice(regions[-1].body, "Rostock"))
    centre = await olena.ask(room, "Мені потрібна допомога психолога")
    assert "Психосоціальний центр Росток" in text_of(centre)
    assert "0381 222 33 44" in text_of(centre)
    assert all(m.event.verified for m in languages + regions + menu + centre)
    assert olena.dropped == []
