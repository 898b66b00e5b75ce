"""Who the bot listens to on Matrix: people from the allowed homeservers, and in a coordination
room only its coordinators.

The allow-list applies to every event, not only to invites: anyone on any server can join or be
invited into a room the bot is in, and what they write must not reach the conversation. In an
interpreter pool's coordination room, acting on requests (``!accept`` and the rest) changes what a
person is told, so only members with the power level the admin configured may do it. Since room
version 12 the room's creators stand above every power level and are not listed in
``m.room.power_levels``, so they come from ``m.room.create``.
"""

from __future__ import annotations

from nio import MatrixRoom, RoomCreateEvent

from bot.settings import Settings

# Room versions in which the creators have unlimited power (MSC4289).
CREATORS_PRIVILEGED = frozenset({"12", "org.matrix.hydra.11"})


def creators_of(event: RoomCreateEvent) -> frozenset[str]:
    """Who created the room with unlimited power; nobody in older room versions."""
    if event.room_version not in CREATORS_PRIVILEGED:
        return frozenset()
    additional = event.source.get("content", {}).get("additional_creators", [])
    extra = (
        {user for user in additional if isinstance(user, str)}
        if isinstance(additional, list)
        else set()
    )
    return frozenset({event.sender, *extra})


def homeserver_of(user_id: str) -> str:
    """``@name:server.org`` → ``server.org`` (a port stays part of the name)."""
    return user_id.partition(":")[2]


def server_allowed(settings: Settings, user_id: str) -> bool:
    allowed = settings.matrix_allowed_homeservers
    return not allowed or homeserver_of(user_id) in allowed


def is_coordinator(
    settings: Settings, room: MatrixRoom | None, user_id: str, creators: frozenset[str]
) -> bool:
    """A member of the coordination room with at least the configured power level."""
    if room is None or user_id not in room.users:
        return False
    if user_id in creators:
        return True
    return room.power_levels.get_user_level(user_id) >= settings.matrix_coordinator_power_level


def listens_to(
    settings: Settings,
    room: MatrixRoom | None,
    user_id: str,
    coordination: bool,
    creators: frozenset[str] = frozenset(),
) -> bool:
    """Whether a message from ``user_id`` in this room may reach the conversation."""
    if not server_allowed(settings, user_id):
        return False
    return not coordination or is_coordinator(settings, room, user_id, creators)
