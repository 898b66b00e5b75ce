"""Work that may start only once a turn's transaction committed: sending to other chats.

Network I/O inside a transaction holds the database lock for as long as the network takes; on
SQLite every other person's turn would wait. So a step that sends is noted on the session and
the dialogue runs it on the event loop after the commit, never after a rollback. A step may
complete the reply it belongs to with what only the send can tell (sent or not), and one that
writes again does so in a short transaction of its own, off the event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel import Session

Step = Callable[[], Awaitable[None]]
_KEY = "wegweiser_after_commit"


def after_commit(session: Session, step: Step) -> None:
    """Run ``step`` once ``session`` committed; it is dropped if the session rolls back."""
    session.info.setdefault(_KEY, []).append(step)


def take(session: Session) -> list[Step]:
    """The steps noted on ``session``, in order; the session forgets them."""
    return session.info.pop(_KEY, [])
