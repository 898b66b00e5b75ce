"""Publish the bot's cross-signing identity and sign its device, on top of matrix-nio.

At every start, after the device keys are uploaded and before any invite is accepted, the bot
makes sure that the homeserver holds its master and self-signing keys and that its device
carries the self-signing key's signature. The first start creates the identity; later starts and
a new device (lost store, keys restored from the recovery file) reuse it. A store without keys for
an account that already has an identity is never silently given a new one: that is a reset,
which an admin decides (``wegweiser matrix reset``), because people's clients warn about it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from canonicaljson import encode_canonical_json
from Crypto.Signature import eddsa
from unpaddedbase64 import decode_base64

from bot.adapters.matrix.identity import Identity, identity_path, stored_identity

log = logging.getLogger(__name__)

KEYS_PREFIX = "/_matrix/client/v3/keys"
RATE_LIMIT_RETRIES = 5
REQUEST_TIMEOUT_SECONDS = 60
NETWORK_ERRORS = (aiohttp.ClientError, OSError, asyncio.TimeoutError)


class CrossSigningError(RuntimeError):
    """The identity could not be published or the device could not be signed."""


def _dict(value: Any) -> dict[str, Any]:
    """What the homeserver sent where an object belongs, or nothing: never trusted blindly."""
    return value if isinstance(value, dict) else {}


def verifies(public: str, payload: dict[str, Any], signature: str) -> bool:
    """Whether ``signature`` by ``public`` covers ``payload`` (for the status check)."""
    signed = {k: v for k, v in payload.items() if k not in ("signatures", "unsigned")}
    try:
        key = eddsa.import_public_key(decode_base64(public))
        eddsa.new(key, "rfc8032").verify(encode_canonical_json(signed), decode_base64(signature))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Published:
    """What the homeserver shows everyone about the bot's keys (``/keys/query``)."""

    master: dict[str, Any] | None
    self_signing: dict[str, Any] | None
    device: dict[str, Any] | None

    @staticmethod
    def _key(section: dict[str, Any] | None) -> str | None:
        keys = _dict(_dict(section).get("keys"))
        key = next(iter(keys.values()), None) if len(keys) == 1 else None
        return key if isinstance(key, str) else None

    @property
    def master_public(self) -> str | None:
        return self._key(self.master)

    @property
    def self_signing_public(self) -> str | None:
        return self._key(self.self_signing)

    def device_cross_signed(self, user_id: str) -> bool:
        """The device is signed by a self-signing key that the master key signed."""
        master, ssk = self.master_public, self.self_signing_public
        if not master or not ssk or self.self_signing is None or self.device is None:
            return False
        ssk_by_master = _dict(_dict(self.self_signing.get("signatures")).get(user_id))
        device_by_ssk = _dict(_dict(self.device.get("signatures")).get(user_id))
        return verifies(
            master, self.self_signing, str(ssk_by_master.get(f"ed25519:{master}", ""))
        ) and verifies(ssk, self.device, str(device_by_ssk.get(f"ed25519:{ssk}", "")))


class KeysApi:
    """The three key endpoints matrix-nio does not offer, with the device's access token."""

    def __init__(self, homeserver: str, access_token: str) -> None:
        self._homeserver = homeserver.rstrip("/")
        self._headers = {"Authorization": f"Bearer {access_token}"}

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(headers=self._headers, timeout=timeout) as http:
            for _ in range(RATE_LIMIT_RETRIES):
                async with http.post(f"{self._homeserver}{path}", json=body) as response:
                    try:
                        answer = await response.json(content_type=None)
                    except ValueError as error:  # a proxy's error page, not the homeserver
                        raise CrossSigningError(f"{path}: {response.status}, not JSON") from error
                    answer = answer if isinstance(answer, dict) else {}
                    if response.status != 429:
                        return response.status, answer
                wait_ms = answer.get("retry_after_ms", 1000)
                await asyncio.sleep(
                    min(float(wait_ms), 60_000) / 1000 if isinstance(wait_ms, int) else 1
                )
        raise CrossSigningError(f"{path}: the homeserver kept refusing (rate limit)")

    async def published(self, user_id: str, device_id: str) -> Published:
        status, answer = await self._post(f"{KEYS_PREFIX}/query", {"device_keys": {user_id: []}})
        if status != 200:
            raise CrossSigningError(f"/keys/query refused: {status} {answer.get('errcode')}")
        device = _dict(_dict(answer.get("device_keys")).get(user_id)).get(device_id)
        return Published(
            master=_dict(_dict(answer.get("master_keys")).get(user_id)) or None,
            self_signing=_dict(_dict(answer.get("self_signing_keys")).get(user_id)) or None,
            device=_dict(device) or None,
        )

    async def upload_identity(self, identity: Identity, password: str | None) -> None:
        """Publish the keys; the homeserver asks for the password when they replace others."""
        path = f"{KEYS_PREFIX}/device_signing/upload"
        body = identity.published_keys()
        status, answer = await self._post(path, body)
        if status == 401 and "flows" in answer:
            if not password:
                raise CrossSigningError(
                    "the homeserver asks for the account password to replace the bot's "
                    "cross-signing keys; set WEGWEISER_MATRIX_PASSWORD"
                )
            auth = {
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": identity.user_id},
                "password": password,
                "session": answer.get("session"),
            }
            status, answer = await self._post(path, {**body, "auth": auth})
        if status != 200:
            raise CrossSigningError(
                f"cross-signing upload refused: {status} {answer.get('errcode')}"
            )

    async def upload_signature(self, user_id: str, key_id: str, signed: dict[str, Any]) -> None:
        body = {user_id: {key_id: signed}}
        status, answer = await self._post(f"{KEYS_PREFIX}/signatures/upload", body)
        if status != 200 or answer.get("failures"):
            raise CrossSigningError(f"signature upload refused: {status} {answer}")


async def publish_and_sign(
    api: KeysApi, identity: Identity, device_id: str, password: str | None, replace: bool = False
) -> Published:
    """Make the homeserver hold ``identity`` and ``device_id`` signed by it.

    Refuses to replace a different published identity unless ``replace`` is set (a reset)."""
    user_id = identity.user_id
    published = await api.published(user_id, device_id)
    if published.master_public != identity.master.public:
        if published.master_public is not None and not replace:
            raise CrossSigningError(
                "the homeserver holds another cross-signing identity for the bot than the store; "
                "restore the recovery file (wegweiser matrix restore) or reset the identity "
                "(wegweiser matrix reset)"
            )
        await api.upload_identity(identity, password)
        published = await api.published(user_id, device_id)
    elif published.self_signing_public != identity.self_signing.public:
        await api.upload_identity(identity, password)
        published = await api.published(user_id, device_id)
    if published.device is None:
        raise CrossSigningError("the homeserver has no keys for the bot's device")
    if not published.device_cross_signed(user_id):
        await api.upload_signature(user_id, device_id, identity.sign_device(published.device))
        published = await api.published(user_id, device_id)
    return published


async def ensure_cross_signed(
    api: KeysApi, store: Path, user_id: str, device_id: str, password: str | None
) -> Published:
    """At start: reuse the stored identity, or create one for an account that has none."""
    identity = stored_identity(store)
    if identity is None:
        published = await api.published(user_id, device_id)
        if published.master_public is not None:
            raise CrossSigningError(
                "the store has no cross-signing keys but the account has an identity; "
                "restore the recovery file (wegweiser matrix restore) or reset the identity "
                "(wegweiser matrix reset)"
            )
        identity = Identity.generate(user_id)
        identity.write(identity_path(store))  # before publishing: published keys are never lost
        log.warning(
            "created the bot's cross-signing identity; save a recovery file now with "
            "`wegweiser matrix export-recovery` and keep it safe"
        )
    elif identity.user_id != user_id:
        raise CrossSigningError("the store's cross-signing keys belong to another Matrix account")
    published = await publish_and_sign(api, identity, device_id, password)
    log.info("the bot's device is cross-signed (master key %s)", identity.fingerprint)
    return published
