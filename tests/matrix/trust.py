"""How a current client decides whom to trust, checked independently of the bot's code.

The bot signs with pycryptodome; these checks use PyNaCl (libsodium) and canonical JSON of their
own, so a bug in the bot's signing cannot hide behind the same bug in the test.
``CarefulPerson`` behaves like Element with "exclude insecure devices" (MSC4153): it encrypts
only for devices that their owner's self-signing key signed, and shows only messages from them.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

import nacl.encoding
import nacl.exceptions
import nacl.signing
from nio import Event, LocalProtocolError, MatrixRoom

from tests.matrix.people import Person
from tests.servers.synapse import SynapseServer


def _canonical(payload: dict[str, Any]) -> bytes:
    signed = {k: v for k, v in payload.items() if k not in ("signatures", "unsigned")}
    return json.dumps(signed, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _b64(value: str) -> bytes:
    return nacl.encoding.Base64Encoder.decode(value + "=" * (-len(value) % 4))


def signed_by(payload: dict[str, Any], user_id: str, public: str) -> bool:
    """Whether ``payload`` carries a valid signature of ``user_id``'s ed25519 key ``public``."""
    signature = payload.get("signatures", {}).get(user_id, {}).get(f"ed25519:{public}")
    if signature is None:
        return False
    try:
        nacl.signing.VerifyKey(_b64(public)).verify(_canonical(payload), _b64(signature))
    except (nacl.exceptions.BadSignatureError, ValueError):
        return False
    return True


def only_key(section: dict[str, Any]) -> str:
    (public,) = section["keys"].values()
    return public


@dataclass
class CrossSigning:
    """A user's keys as ``/keys/query`` shows them to anyone."""

    user_id: str
    master: str | None
    self_signing: str | None
    self_signing_valid: bool  # the self-signing key is signed by the master key
    devices: dict[str, dict[str, Any]]

    def device_signed(self, device_id: str) -> bool:
        device = self.devices.get(device_id)
        return bool(
            device is not None
            and self.self_signing
            and self.self_signing_valid
            and signed_by(device, self.user_id, self.self_signing)
        )


def cross_signing(synapse: SynapseServer, token: str, user_id: str) -> CrossSigning:
    answer = synapse.client_request(
        token, "POST", "/_matrix/client/v3/keys/query", {"device_keys": {user_id: []}}
    )
    master = answer.get("master_keys", {}).get(user_id)
    ssk = answer.get("self_signing_keys", {}).get(user_id)
    master_public = only_key(master) if master else None
    ssk_public = only_key(ssk) if ssk else None
    return CrossSigning(
        user_id=user_id,
        master=master_public,
        self_signing=ssk_public,
        self_signing_valid=bool(ssk and master_public and signed_by(ssk, user_id, master_public)),
        devices=answer.get("device_keys", {}).get(user_id, {}),
    )


class CarefulPerson(Person):
    """A person whose client excludes insecure devices."""

    async def connect(self) -> None:
        await super().connect()
        self.dropped: list[Event] = []

    def _trust_cross_signed(self, room_id: str, user_id: str) -> None:
        """Trust exactly the devices signed by their owner's self-signing key; exclude the rest.

        When that changes, the room key is renewed, as clients do, so it reaches only them."""
        keys = cross_signing(self.server, self.client.access_token, user_id)
        changed = False
        for device in self.client.device_store.active_user_devices(user_id):
            signed = keys.device_signed(device.id)
            if signed and not self.client.olm.is_device_verified(device):
                self.client.unblacklist_device(device)
                self.client.verify_device(device)
                changed = True
            elif not signed and not self.client.olm.is_device_blacklisted(device):
                self.client.unverify_device(device)
                self.client.blacklist_device(device)
                changed = True
        if changed:
            self.client.olm.outbound_group_sessions.pop(room_id, None)

    async def _ensure_trust(self, room_id: str) -> None:
        others = [
            user_id for user_id in self.client.rooms[room_id].users if user_id != self.user_id
        ]
        self.client.users_for_key_query.update(others)
        with contextlib.suppress(LocalProtocolError):  # the sync loop queried them already
            await self.client.keys_query()
        for user_id in others:
            self._trust_cross_signed(room_id, user_id)

    def room_key_reached(self, room_id: str, user_id: str, device_id: str) -> bool:
        session = self.client.olm.outbound_group_sessions.get(room_id)
        return session is not None and (user_id, device_id) in session.users_shared_with

    async def send_content(self, room_id: str, content: dict[str, Any]) -> str:
        await self._ensure_trust(room_id)
        return await self._send(room_id, content, ignore_unverified_devices=False)

    async def _on_message(self, room: MatrixRoom, event: Event) -> None:
        if event.sender == self.bot_id and not getattr(event, "verified", False):
            self.dropped.append(event)  # shown as "sent from an insecure device": hidden
            return
        await super()._on_message(room, event)
