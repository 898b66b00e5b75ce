"""Settings from the environment (prefix ``WEGWEISER_``) or a ``.env`` file.

One place for every knob, so that adapters and commands never read the environment themselves.
"""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from services_catalog.languages import LANGUAGES, LAUNCH_LANGUAGES, SOURCE_LANGUAGE

__all__ = [
    "LANGUAGES",
    "LAUNCH_LANGUAGES",
    "RTL_LANGUAGES",
    "SOURCE_LANGUAGE",
    "Settings",
    "get_settings",
]

RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa", "ps", "ckb"})
"""Written right to left: Arabic, Persian, Pashto and Sorani (all in Arabic script)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEGWEISER_", env_file=".env", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str = ""
    log_level: str = "INFO"
    default_region: str | None = None

    telegram_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_username: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443

    matrix_homeserver: str | None = None
    matrix_user: str | None = None
    matrix_password: str | None = None
    matrix_access_token: str | None = None
    matrix_store: Path | None = None
    matrix_allowed_homeservers: list[str] = []  # every sender's server; empty: all servers
    matrix_coordinator_power_level: int = 50  # who may act in a coordination room (50: moderator)

    interpreter_coordination_chat: str | None = None  # "telegram:<chat id>" or "matrix:<room id>"
    interpreter_coordination_language: str = "de"
    interpreter_remind_hours: int = 24
    interpreter_retention_days: int = 30
    reminder_retention_days: int = 30  # settled reminders and ended courses' subscriptions

    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'wegweiser.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
