"""Where a pool's coordination sits: ``"telegram:<chat id>"`` or ``"matrix:<room id>"``.

The catalogue names it per pool; ``WEGWEISER_INTERPRETER_COORDINATION_CHAT`` serves pools that
name none. Only messages from that very chat may act on the pool's requests, so being able to
write there is what makes someone a member of the coordination.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.settings import Settings
from services_catalog.db import session_scope
from services_catalog.models import InterpreterPool


@dataclass(frozen=True)
class ChatAddress:
    platform: str
    chat_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.chat_id}"


def parse(address: str | None) -> ChatAddress | None:
    """The address, or None when it is missing or does not start with a platform's name."""
    platform, _, chat_id = (address or "").strip().partition(":")
    if not platform.isalpha() or not chat_id.strip():
        return None
    return ChatAddress(platform, chat_id.strip())


def chat_of_pool(session: Session, settings: Settings, pool_service_id: str) -> ChatAddress | None:
    """The chat that coordinates this pool's requests, if there is one."""
    pool = session.get(InterpreterPool, pool_service_id)
    own = parse(pool.coordination_chat) if pool is not None else None
    return own or parse(settings.interpreter_coordination_chat)


def pools_of_chat(session: Session, settings: Settings, chat: ChatAddress) -> list[str]:
    """The pools (service ids) a chat coordinates: those naming it, and, when it is the
    settings' chat, every pool that names none."""
    pools = session.exec(select(InterpreterPool)).all()
    fallback = parse(settings.interpreter_coordination_chat) == chat
    return sorted(
        pool.service_id
        for pool in pools
        if (parse(pool.coordination_chat) or (chat if fallback else None)) == chat
    )


def is_coordination_chat(engine: Engine, settings: Settings, platform: str, chat_id: str) -> bool:
    """Whether messages from this chat belong to an interpreter pool's coordination."""
    chat = ChatAddress(platform, chat_id)
    if parse(settings.interpreter_coordination_chat) == chat:
        return True
    with session_scope(engine) as session:
        query = select(InterpreterPool.service_id).where(
            col(InterpreterPool.coordination_chat) == str(chat)
        )
        return session.exec(query).first() is not None
