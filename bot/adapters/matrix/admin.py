"""What an admin does with the bot's cross-signing identity: look, save, restore, reset.

These run while the bot may be stopped (or on another machine for the recovery file); they read
the store and talk to the homeserver with the stored device's access token, never with the
device's encryption store, so they cannot disturb a running bot's sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.adapters.matrix.cross_signing import (
    NETWORK_ERRORS,
    CrossSigningError,
    KeysApi,
    publish_and_sign,
)
from bot.adapters.matrix.identity import (
    Identity,
    IdentityFileError,
    fingerprint,
    identity_path,
    stored_identity,
)
from bot.adapters.matrix.session import store_directory
from bot.adapters.matrix.state import STATE_FILE, AdapterState
from bot.settings import Settings


class AdminError(RuntimeError):
    """A step an admin asked for cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Status:
    user_id: str | None
    device_id: str | None
    fingerprint: str | None  # of the keys in the store
    published_fingerprint: str | None  # of the master key the homeserver shows (None: unknown)
    cross_signed: bool | None  # None: the homeserver could not be asked
    problem: str | None = None


def _store(settings: Settings) -> Path:
    return store_directory(settings)


def _state(settings: Settings) -> AdapterState | None:
    store = _store(settings)
    return AdapterState.load(store) if (store / STATE_FILE).exists() else None


def _api(settings: Settings, state: AdapterState | None) -> KeysApi | None:
    token = settings.matrix_access_token or (state.access_token if state else None)
    if not settings.matrix_homeserver or not token:
        return None
    return KeysApi(settings.matrix_homeserver, token)


async def status(settings: Settings) -> Status:
    state = _state(settings)
    user_id = (state.user_id if state else None) or settings.matrix_user
    device_id = state.device_id if state else None
    try:
        identity = stored_identity(_store(settings))
    except IdentityFileError as error:
        return Status(user_id, device_id, None, None, None, str(error))
    local = identity.fingerprint if identity else None
    api = _api(settings, state)
    if api is None or not user_id or not device_id:
        return Status(user_id, device_id, local, None, None, "the bot has not logged in yet")
    try:
        published = await api.published(user_id, device_id)
    except (CrossSigningError, *NETWORK_ERRORS) as error:
        return Status(user_id, device_id, local, None, None, f"homeserver: {error}")
    return Status(
        user_id,
        device_id,
        local,
        fingerprint(published.master_public) if published.master_public else None,
        published.device_cross_signed(user_id),
    )


def export_recovery(settings: Settings, target: Path) -> Identity:
    """Copy the keys out of the store into a new file (never over an existing one)."""
    identity = stored_identity(_store(settings))
    if identity is None:
        raise AdminError("the store holds no cross-signing keys yet; start the bot once first")
    if target.exists():
        raise AdminError(f"{target} exists already; choose a new file name")
    identity.write(target)
    return identity


def restore(settings: Settings, source: Path) -> Identity:
    """Put the keys of a recovery file into the store; the next start signs the new device."""
    try:
        identity = Identity.read(source)
    except IdentityFileError as error:
        raise AdminError(str(error)) from error
    if settings.matrix_user and identity.user_id != settings.matrix_user:
        raise AdminError(
            f"{source} holds the keys of {identity.user_id}, not of {settings.matrix_user}"
        )
    current = stored_identity(_store(settings))
    if current is not None and current.master != identity.master:
        raise AdminError(
            "the store holds other cross-signing keys; move "
            f"{identity_path(_store(settings))} away first if you really mean to replace them"
        )
    identity.write(identity_path(_store(settings)))
    return identity


async def reset(settings: Settings) -> Identity:
    """A new identity for the bot, published (password confirmation) and signing its device.

    The old keys stay next to the new ones as ``cross-signing.json.replaced``."""
    state = _state(settings)
    api = _api(settings, state)
    user_id = (state.user_id if state else None) or settings.matrix_user
    device_id = state.device_id if state else None
    if api is None or not user_id or not device_id:
        raise AdminError("start the bot once (it logs in and creates its device) before a reset")
    identity = Identity.generate(user_id)
    path = identity_path(_store(settings))
    old = stored_identity(_store(settings)) if path.exists() else None
    if old is not None:
        old.write(path.with_name(path.name + ".replaced"))
    identity.write(path)
    try:
        await publish_and_sign(api, identity, device_id, settings.matrix_password, replace=True)
    except (CrossSigningError, *NETWORK_ERRORS) as error:
        if old is not None:
            old.write(path)
        else:
            path.unlink()
        raise AdminError(f"the homeserver did not take the new identity: {error}") from error
    return identity
