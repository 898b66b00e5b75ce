"""Whom the bot listens to, for the cases one test homeserver cannot produce: people from other
servers inside rooms the bot is in (the rooms are nio's own room model, as a sync fills it)."""

from __future__ import annotations

from nio import MatrixRoom, RoomCreateEvent

from bot.adapters.matrix.senders import creators_of, listens_to
from bot.settings import Settings

SETTINGS = Settings(_env_file=None, matrix_allowed_homeservers=["stadt.de"])


def coordination_room(levels: dict[str, int]) -> MatrixRoom:
    room = MatrixRoom("!koordination:stadt.de", "@wegweiser:stadt.de")
    for user_id, level in levels.items():
        room.add_member(user_id, None, None)
        room.power_levels.users[user_id] = level
    return room


def test_eve_from_another_server_is_ignored_in_a_direct_chat_and_a_coordination_room() -> None:
    direct = MatrixRoom("!chat:stadt.de", "@wegweiser:stadt.de")
    direct.add_member("@amal:stadt.de", None, None)
    direct.add_member("@eve:evil.org", None, None)
    assert listens_to(SETTINGS, direct, "@amal:stadt.de", coordination=False)
    assert not listens_to(SETTINGS, direct, "@eve:evil.org", coordination=False)

    room = coordination_room({"@koordination:stadt.de": 100, "@eve:evil.org": 100})
    assert listens_to(SETTINGS, room, "@koordination:stadt.de", coordination=True)
    assert not listens_to(SETTINGS, room, "@eve:evil.org", coordination=True)
    # a look-alike server name is another server
    assert not listens_to(SETTINGS, direct, "@eve:stadt.de.evil.org", coordination=False)


def test_in_a_coordination_room_the_power_level_decides_and_leaving_ends_it() -> None:
    room = coordination_room({"@a:stadt.de": 50, "@b:stadt.de": 49})
    assert listens_to(SETTINGS, room, "@a:stadt.de", coordination=True)
    assert not listens_to(SETTINGS, room, "@b:stadt.de", coordination=True)
    assert listens_to(SETTINGS, room, "@b:stadt.de", coordination=False)  # a direct chat
    stricter = SETTINGS.model_copy(update={"matrix_coordinator_power_level": 100})
    assert not listens_to(stricter, room, "@a:stadt.de", coordination=True)
    room.remove_member("@a:stadt.de")
    assert not listens_to(SETTINGS, room, "@a:stadt.de", coordination=True)


def test_creators_of_version_12_rooms_are_coordinators_older_rooms_use_power_levels() -> None:
    def create(version: str, additional: list) -> RoomCreateEvent:
        source = {
            "type": "m.room.create",
            "event_id": "$create",
            "sender": "@gruender:stadt.de",
            "origin_server_ts": 0,
            "state_key": "",
            "content": {"room_version": version, "additional_creators": additional},
        }
        event = RoomCreateEvent.from_dict(source)
        assert isinstance(event, RoomCreateEvent)
        return event

    assert creators_of(create("12", ["@zweite:stadt.de", 7])) == {
        "@gruender:stadt.de",
        "@zweite:stadt.de",
    }
    assert creators_of(create("10", ["@zweite:stadt.de"])) == frozenset()
    room = coordination_room({"@gruender:stadt.de": 0})
    creators = creators_of(create("12", []))
    assert listens_to(SETTINGS, room, "@gruender:stadt.de", True, creators)
    assert not listens_to(SETTINGS, room, "@gruender:stadt.de", True, frozenset())
