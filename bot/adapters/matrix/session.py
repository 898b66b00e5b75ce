"""Log the bot in as the same Matrix device on every start.

A new device on each restart would strand the encryption sessions users already share with the
bot and fill their device lists, so the device id (and, after a password login, the access token)
is kept in the adapter state and reused; nio keeps the device's keys in the same directory.
"""

from __future__ import annotations

import logging
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, LoginResponse, WhoamiResponse

from bot.adapters.matrix.state import AdapterState
from bot.settings import Settings

log = logging.getLogger(__name__)

DEVICE_NAME = "Wegweiser"


class MatrixLoginError(RuntimeError):
    """The homeserver refused the configured credentials."""


def store_directory(settings: Settings) -> Path:
    return settings.matrix_store or settings.data_dir / "matrix"


def new_client(settings: Settings, store: Path) -> AsyncClient:
    """A client that keeps its keys in ``store`` and retries on rate limits and lost connections."""
    config = AsyncClientConfig(
        encryption_enabled=True,
        store_sync_tokens=False,  # the adapter saves the token itself, after answering
        max_limit_exceeded=None,  # honour every M_LIMIT_EXCEEDED with the server's retry time
        max_timeouts=None,  # lost connections: retry with back-off until the server is back
        backoff_factor=0.5,
        max_timeout_retry_wait_time=30,
        request_timeout=60,
    )
    assert settings.matrix_homeserver and settings.matrix_user
    return AsyncClient(
        settings.matrix_homeserver.rstrip("/"),
        settings.matrix_user,
        store_path=str(store),
        config=config,
    )


async def log_in(client: AsyncClient, settings: Settings, state: AdapterState) -> None:
    """Restore the stored device, or log in (access token or password) and store the device."""
    if settings.matrix_access_token:
        client.access_token = settings.matrix_access_token
        whoami = await client.whoami()
        if not isinstance(whoami, WhoamiResponse) or not whoami.device_id:
            raise MatrixLoginError(f"access token refused by the homeserver: {whoami}")
        client.restore_login(whoami.user_id, whoami.device_id, settings.matrix_access_token)
        state.user_id, state.device_id, state.access_token = whoami.user_id, whoami.device_id, None
    elif state.access_token and state.user_id and state.device_id:
        client.restore_login(state.user_id, state.device_id, state.access_token)
    elif settings.matrix_password:
        await password_login(client, settings, state)
    else:
        raise MatrixLoginError(
            "set WEGWEISER_MATRIX_PASSWORD or WEGWEISER_MATRIX_ACCESS_TOKEN for the Matrix bot"
        )
    state.save()
    log.info("logged in to Matrix as device %s", client.device_id)


async def password_login(client: AsyncClient, settings: Settings, state: AdapterState) -> None:
    """Log in with the password, asking for the stored device id so its keys stay valid."""
    if not settings.matrix_password:
        raise MatrixLoginError("the Matrix access token expired and no password is configured")
    client.device_id = state.device_id
    response = await client.login(settings.matrix_password, device_name=DEVICE_NAME)
    if not isinstance(response, LoginResponse):
        raise MatrixLoginError(f"Matrix login failed: {response}")
    state.user_id, state.device_id = response.user_id, response.device_id
    state.access_token = response.access_token
