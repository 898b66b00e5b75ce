"""The bot's users: found by platform id, created on first contact, removed completely on /delete.

Only what the dialogue needs is stored (see ``bot.storage.models.User``); no names, no texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, select

from bot.core.dialogue.languages import from_client_code
from bot.core.features import Feature
from bot.storage.models import User
from services_catalog.queries import region_by_slug


def language_from_code(code: str | None) -> str | None:
    """The interface language of a client's language code ("de-AT" → "de"), None for others."""
    return from_client_code(code)


def find(session: Session, platform: str, platform_user_id: str) -> User | None:
    return session.exec(
        select(User).where(User.platform == platform, User.platform_user_id == platform_user_id)
    ).first()


def set_blocked(session: Session, platform: str, chat_id: str, blocked: bool) -> None:
    """Whether the person blocked the bot in that chat; nothing is sent there while they have."""
    query = select(User).where(User.platform == platform, User.chat_id == chat_id)
    for user in session.exec(query):
        user.blocked = blocked


def load_or_create(
    session: Session,
    *,
    platform: str,
    platform_user_id: str,
    chat_id: str,
    language_code: str | None,
    now: datetime,
    default_region: str | None = None,
) -> tuple[User, bool]:
    """The user behind a message and whether they are new; a new one starts with the client's
    language (when Wegweiser speaks it) and the configured default region (when it exists)."""
    user = find(session, platform, platform_user_id)
    if user is not None:
        user.last_seen_at = now
        user.chat_id = chat_id
        return user, False
    region = default_region if default_region and region_by_slug(session, default_region) else None
    user = User(
        platform=platform,
        platform_user_id=platform_user_id,
        chat_id=chat_id,
        language=language_from_code(language_code),
        region_slug=region,
        state={},
        created_at=now,
        last_seen_at=now,
    )
    session.add(user)
    session.flush()
    return user, True


def forget(session: Session, user: User, features: Iterable[Feature]) -> None:
    """Delete everything stored about ``user``: each feature's rows first, then the user."""
    for feature in features:
        feature.forget_user(session, user)
    session.delete(user)
    session.flush()
