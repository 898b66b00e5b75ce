"""The dialogue's front door: one incoming message in, the replies out.

Order matters and is the same for every message: numbered replies to the options last shown,
then crisis words (even in the middle of another question), a feature's open flow, a short reply
that names one of the options last shown, the question the bot is waiting for, a town the
message names, and finally the topic the router found (with the other needs it named) — or the
menu. Crisis detection also runs once before everything else and on its own, so a failure
anywhere later still gives a person in danger the emergency numbers.
Each message is answered in one short database transaction in a worker thread; sends to other
chats wait for its commit (``bot.core.after_commit``). Nothing of its text is stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from sqlalchemy import Engine, inspect

from bot.clock import Clock
from bot.core import after_commit, sanitise
from bot.core.dialogue import (
    buttons,
    choices,
    commands,
    languages,
    menu,
    numbers,
    onboarding,
    regions,
    services,
    state,
    text,
    users,
)
from bot.core.dialogue.common import menu_option, say
from bot.core.dialogue.emergency import emergency_reply
from bot.core.dialogue.ranking import Asked
from bot.core.dialogue.routing import RouterIndex
from bot.core.events import ConversationStarted, Event, EventBus, Subscriber
from bot.core.features import Feature, Turn
from bot.core.lexicon import CRISIS
from bot.core.messages import GeoPoint, Incoming, Kind, Option, Reply
from bot.core.normalise import normalise
from bot.core.router import ALTERNATIVE_THRESHOLD, SEMANTIC, RouteResult
from bot.i18n import translator
from bot.settings import LANGUAGES
from services_catalog.db import session_scope
from services_catalog.languages import same_language
from services_catalog.models import Region
from services_catalog.queries import region_by_slug
from services_catalog.topics import TOPIC_SLUGS

log = logging.getLogger(__name__)

TURN_WORKERS = 8
"""Turns answered at once on PostgreSQL. SQLite has one writer at a time, and its busy waits
back off in steps of up to 100 ms, so there one worker answers turn after turn."""

LOANWORD_LANGUAGES = frozenset({"de", "en"})
"""Everyone writes "Jobcenter" or "Termin": a switch to these needs a longer message."""


class TurnEvents(EventBus):
    """A turn's events, handed to the real bus only after the turn's transaction committed.

    Subscribers that write (monitoring counters) then never wait for the turn's own database
    lock, and an answer that failed and was rolled back counts nothing.
    """

    def __init__(self, bus: EventBus) -> None:
        super().__init__()
        self._bus = bus
        self._pending: list[Event] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self._bus.subscribe(subscriber)

    def publish(self, event: Event) -> None:
        self._pending.append(event)

    def flush(self) -> None:
        for event in self._pending:
            self._bus.publish(event)
        self._pending.clear()


@dataclass(frozen=True)
class _Answered:
    replies: list[Reply]
    after_commit: list[after_commit.Step]


@dataclass(frozen=True)
class Route:
    """What a message asks for: a topic (or two to choose from), its details, a town it names."""

    topic: str | None
    second: str | None
    asked: Asked
    town: Region | None = None


class Dialogue:
    """Implements ``bot.core.ports.Conversation`` for every platform."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        events: EventBus,
        features: Sequence[Feature],
        routers: RouterIndex,
        default_region: str | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._events = events
        self._features = features
        self._routers = routers
        self._default_region = default_region
        workers = 1 if engine.dialect.name == "sqlite" else TURN_WORKERS
        self._workers = ThreadPoolExecutor(workers, thread_name_prefix="turn")

    def _feature(self, name: str) -> Feature | None:
        return next((feature for feature in self._features if feature.name == name), None)

    async def handle(self, message: Incoming) -> list[Reply]:
        """Answer off the event loop, then send what had to wait for the commit.

        A turn's database work runs in a worker thread, so a turn waiting for SQLite's write
        lock never stalls other people's turns; sends to other chats run here afterwards.
        """
        message = sanitise.incoming(message)
        loop = asyncio.get_running_loop()
        answered = await loop.run_in_executor(self._workers, self._answer_off_loop, message)
        for step in answered.after_commit:
            try:
                await step()
            except Exception:
                log.exception("a step after a %s message's commit failed", message.kind)
        return answered.replies

    def _answer_off_loop(self, message: Incoming) -> _Answered:
        """Crisis detection first and on its own: whatever fails later, danger gets the numbers."""
        danger = self._danger(message)
        known: dict[str, str] = {}  # the user's language, once the turn has read it
        try:
            return asyncio.run(self._turn(message, known))
        except Exception:
            log.exception("could not answer a %s message on %s", message.kind, message.platform)
            fallback = users.language_from_code(message.language_code) or "en"
            own = known.get("lang")
            if danger is not None:
                return _Answered(self._emergency(danger, own, fallback), [])
            t = translator(own or fallback)
            text = t.gettext("Sorry, something went wrong on my side. Please try again.")
            return _Answered([Reply.text(text, t.lang)], [])

    def _danger(self, message: Incoming) -> RouteResult | None:
        if message.kind != Kind.TEXT:
            return None
        try:
            router = self._routers.latest
            if router is None:
                with session_scope(self._engine) as session:
                    router = self._routers.router(session)
            return router.crisis(text.clean(message.text))
        except Exception:
            log.exception("crisis detection failed")
            return None

    async def _turn(self, message: Incoming, known: dict[str, str]) -> _Answered:
        """The answer in one transaction; its events and sends only after the commit."""
        events = TurnEvents(self._events)
        with session_scope(self._engine) as session:
            user, created = users.load_or_create(
                session,
                platform=message.platform,
                platform_user_id=message.user_id,
                chat_id=message.chat_id,
                language_code=message.language_code,
                now=self._clock.now(),
                default_region=self._default_region,
            )
            lang = user.language or users.language_from_code(message.language_code) or "en"
            if user.language:
                known["lang"] = user.language
            turn = Turn(message, user, session, translator(lang), self._clock, events)
            if created and message.kind != Kind.START and not self._is_start(message):
                events.publish(ConversationStarted(user.language, user.region_slug, None))
            replies = await self._answer(turn)
            if not inspect(user).deleted:
                choices.remember(user, replies[-1].options if replies else [])
        events.flush()
        return _Answered(replies, after_commit.take(session))

    @staticmethod
    def _is_start(message: Incoming) -> bool:
        found = text.command(text.clean(message.text)) if message.kind == Kind.TEXT else None
        return found is not None and found[0] == "start"

    async def _answer(self, turn: Turn) -> list[Reply]:
        message = turn.message
        match message.kind:
            case Kind.START:
                return onboarding.start(turn, self._features, message.payload or "")
            case Kind.BUTTON:
                return await self._button(turn, message.button or "")
            case Kind.LOCATION if message.location is not None and self._awaits_region(turn):
                return self._region_at(turn, message.location)
            case Kind.LOCATION if message.location is not None:
                found = services.nearest(turn, self._features, message.location)
                intro = turn.t.gettext(
                    "Thank you. Please choose a topic first, then send your location again "
                    "to see the nearest services."
                )
                return found or [menu.menu(turn, intro)]
            case Kind.TEXT:
                return await self._text(turn, message.text)
            case _:
                return [self._unsupported(turn)]

    @staticmethod
    def _awaits_region(turn: Turn) -> bool:
        return state.get(turn.user, "await") == "region" or not turn.user.region_slug

    def _region_at(self, turn: Turn, point: GeoPoint) -> list[Reply]:
        """A location shared to answer "Where do you live?"."""
        place = regions.place_at(turn, point)
        if isinstance(place, Region):
            return onboarding.choose_region(turn, self._features, place.slug)
        return regions.unknown_place(turn, place)

    def _unsupported(self, turn: Turn) -> Reply:
        return say(
            turn,
            turn.t.gettext(
                "Sorry, I can only read text. Please write in a few words what you need."
            ),
            [menu_option(turn)],
        )

    async def _text(self, turn: Turn, raw: str) -> list[Reply]:
        user = turn.user
        cleaned = text.clean(raw)
        if not text.has_words(cleaned):
            if not user.language:
                return [onboarding.ask_language(turn)]
            intro = turn.t.gettext("Please write in a few words what you need, or choose a topic.")
            return [menu.menu(turn, intro)]
        found_command = text.command(cleaned)
        if found_command is not None:
            return await self._command(turn, *found_command)
        numbered = choices.by_number(user, cleaned)
        if numbered is not None:
            return await self._button(turn, numbered)
        # The whole turn runs in a worker thread, so reading meaning never blocks the event loop.
        result = self._routers.router(turn.session).route(cleaned, lang_hint=user.language)
        if result.crisis:
            return self._crisis(turn, result)
        feature = self._feature(state.get(user, "feature") or "")
        if feature is not None:
            answer = await feature.on_text(turn, cleaned)
            if answer is not None:
                return answer
        typed = choices.by_words(user, cleaned, new_request=result.topic is not None)
        if typed is not None:
            return await self._button(turn, typed)
        waiting = state.get(user, "await")
        state.update(user, **{"await": None})
        if waiting:
            answer = self._awaited(turn, waiting, cleaned, result)
            if answer is not None:
                return answer
        if not user.language:
            if result.lang not in LANGUAGES:
                state.update(user, pending=result.topic if not result.ambiguous else None)
                return [onboarding.ask_language(turn)]
            onboarding.set_language(turn, result.lang or "en")
        town = regions.named_in(turn.session, cleaned)
        route = Route(result.topic, self._second(result), self._asked(cleaned, result), town)
        offer = self._switch_offer(turn, result, cleaned, route)
        if offer is not None:
            return [offer]
        return self._route(turn, route)

    def _awaited(
        self, turn: Turn, waiting: str, cleaned: str, result: RouteResult
    ) -> list[Reply] | None:
        """The answer to the question the bot asked, or None when the text is something else."""
        user = turn.user
        if waiting == "age":
            age = numbers.age_answer(cleaned)
            pending = state.get(user, "pending")
            if age is None:
                # Only a clear new request leaves the question; anything else asks once more.
                if pending and result.topic is None:
                    return [services.ask_age_again(turn, pending)]
                return None
            user.age = age
            return onboarding.resume(turn, self._features, pending) if pending else None
        if waiting == "language":
            lang = languages.match(cleaned)
            return onboarding.choose_language(turn, self._features, lang) if lang else None
        if waiting == "region":
            place = regions.place_of(turn, cleaned)
            if isinstance(place, Region):
                if result.topic and not result.ambiguous and not state.get(user, "pending"):
                    state.update(user, pending=result.topic)  # "Koblenz, I need a job"
                return onboarding.choose_region(turn, self._features, place.slug)
            # A postcode outside every region, or neither a place nor a topic: most likely a
            # place not covered yet.
            if place is not None or result.topic is None:
                return regions.unknown_place(turn, place)
            return None
        return None

    @staticmethod
    def _second(result: RouteResult) -> str | None:
        if result.ambiguous and len(result.alternatives) > 1:
            return result.alternatives[1].topic
        return None

    @staticmethod
    def _asked(cleaned: str, result: RouteResult) -> Asked:
        """What the message asked beyond its topic: its words, a stated age, other topics."""
        others = tuple(
            match.topic
            for match in result.alternatives
            if match.topic not in (result.topic, CRISIS)
            and match.confidence >= ALTERNATIVE_THRESHOLD
        )
        return Asked(tuple(normalise(cleaned).split()), numbers.stated_age(cleaned), others)

    def _route(self, turn: Turn, route: Route) -> list[Reply]:
        """A town first (switch or set), then the topic: its services, or which topic is meant."""
        user, topic, asked = turn.user, route.topic, route.asked
        town = route.town
        if town is not None and town.slug != user.region_slug:
            if user.region_slug:
                return [regions.offer_switch(turn, town, topic)]
            user.region_slug = town.slug
            said = turn.t.gettext("Your town: {region}.").format(region=town.name)
            return [say(turn, said), *self._route(turn, replace(route, town=None))]
        if topic is None:
            return [menu.fallback(turn)]
        second = route.second
        if second is not None and second != topic:
            covering = services.covering(turn, topic, second)
            if covering is None:
                question = menu.ambiguous(turn, topic, second)
                rest = [other for other in asked.topics if other not in (topic, second)]
                if rest:
                    menu.also_mentioned(turn, question, rest)
                return [question]
            # One service serves both: show its topic, ranked by the other one too.
            other = second if covering == topic else topic
            return services.show_topic(
                turn, self._features, covering, replace(asked, topics=(other,))
            )
        replies = services.show_topic(turn, self._features, topic, asked)
        others = [other for other in asked.topics if other != topic]
        if others and replies and not state.get(user, "await"):
            menu.also_mentioned(turn, replies[-1], others)
        return replies

    def _switch_offer(
        self, turn: Turn, result: RouteResult, cleaned: str, route: Route
    ) -> Reply | None:
        """Offer to continue in the language the user writes in, once per language."""
        current, written = turn.lang, result.lang
        if not written or same_language(written, current) or written not in LANGUAGES:
            return None
        if written in (state.get(turn.user, "kept") or []):
            return None
        if text.word_count(cleaned) < (3 if written in LOANWORD_LANGUAGES else 2):
            return None
        # Topics and a town wait behind the offer; the message's words are not kept.
        kept: dict[str, str | list[str] | None] = {"topic": route.topic, "second": route.second}
        kept["others"] = list(route.asked.topics)
        if route.town is not None:
            kept["town"] = route.town.slug
        state.update(turn.user, route={key: value for key, value in kept.items() if value})
        theirs = translator(written)
        name = languages.native_name(written)
        options = [
            Option(name, buttons.value(buttons.SWITCH, written)),
            Option(turn.t.gettext("No, keep my language"), buttons.value(buttons.KEEP, written)),
        ]
        question = theirs.gettext("Shall I answer in this language from now on?")
        return Reply.text(question, lang=written, options=options)

    def _crisis(self, turn: Turn, result: RouteResult) -> list[Reply]:
        """The emergency numbers; after a danger only the semantic stage saw, what was asked
        still follows (the topic, or the menu): meaning can mistake a harmless message."""
        state.clear_flow(turn.user)
        replies = self._emergency(result, turn.user.language, turn.lang)
        if result.stage == SEMANTIC:
            asked = result.alternatives[1].topic if len(result.alternatives) > 1 else None
            follow = self._route(turn, Route(asked, None, Asked())) if asked else [menu.menu(turn)]
            replies += follow
        return replies

    @staticmethod
    def _emergency(result: RouteResult, own: str | None, fallback: str) -> list[Reply]:
        """Emergency numbers in the language written, and in the user's own when it differs."""
        written = result.lang if result.lang in LANGUAGES else None
        if same_language(written, own):
            written = own  # German read for someone who reads Einfache Sprache
        langs = list(dict.fromkeys(lang for lang in (written, own) if lang)) or [fallback]
        replies = [emergency_reply(translator(lang)) for lang in langs]
        replies[-1].options.append(
            Option("🏠 " + translator(langs[-1]).gettext("Menu"), buttons.value(buttons.MENU))
        )
        return replies

    async def _command(self, turn: Turn, name: str, args: str) -> list[Reply]:
        if name != "start":
            state.update(turn.user, **{"await": None})
        match name:
            case "start":
                return onboarding.start(turn, self._features, args)
            case "help":
                return [commands.help_text(turn)]
            case "menu":
                state.clear_flow(turn.user)
                return [menu.menu(turn)]
            case "language":
                return [onboarding.ask_language(turn)]
            case "region":
                return [regions.ask_region(turn)]
            case "privacy":
                return [commands.privacy(turn)]
            case "delete":
                return [commands.confirm_delete(turn)]
        for feature in self._features:
            if name in feature.commands:
                return await feature.on_command(turn, name, args)
        if name == "reminders":
            return [commands.no_reminders(turn)]
        return [commands.unknown_command(turn)]

    async def _button(self, turn: Turn, value: str) -> list[Reply]:
        parsed = buttons.parse(value)
        if parsed is None:
            feature = self._feature(value.partition(":")[0])
            if feature is None:
                return [self._stale(turn)]
            return await feature.on_button(turn, value) or [self._stale(turn)]
        action, argument = parsed
        features, user = self._features, turn.user
        match action:
            case buttons.LANGUAGE if argument in LANGUAGES:
                return onboarding.choose_language(turn, features, argument)
            case buttons.LANGUAGE:
                return [onboarding.ask_language(turn)]
            case buttons.REGION if argument:
                return onboarding.choose_region(turn, features, argument)
            case buttons.REGION:
                return [regions.ask_region(turn)]
            case buttons.MENU:
                state.clear_flow(user)
                return [menu.menu(turn)]
            case buttons.TOPIC if argument in TOPIC_SLUGS:
                return services.show_topic(turn, features, argument)
            case buttons.SERVICE if argument:
                return services.show_service(turn, features, argument)
            case buttons.COURSES if argument:
                return services.course_dates(turn, features, argument)
            case buttons.WHERE if argument:
                return services.where(turn, argument)
            case buttons.SWITCH | buttons.KEEP if argument in LANGUAGES:
                return self._after_offer(turn, action, argument)
            case buttons.DELETE:
                return [commands.delete(turn, features)]
            case buttons.KEEP_DATA:
                return [commands.kept(turn)]
            case buttons.EMERGENCY:
                reply = emergency_reply(turn.t, [menu_option(turn)])
                return [reply]
        return [self._stale(turn)]

    def _after_offer(self, turn: Turn, action: str, lang: str) -> list[Reply]:
        route = state.get(turn.user, "route") or {}
        state.update(turn.user, route=None)
        if action == buttons.SWITCH:
            onboarding.set_language(turn, lang)
        else:
            kept = state.get(turn.user, "kept") or []
            state.update(turn.user, kept=sorted({*kept, lang}))
        town = region_by_slug(turn.session, route.get("town") or "")
        others = tuple(topic for topic in route.get("others") or [] if topic in TOPIC_SLUGS)
        asked = Asked(topics=others)
        return self._route(turn, Route(route.get("topic"), route.get("second"), asked, town))

    def _stale(self, turn: Turn) -> Reply:
        return menu.menu(
            turn, turn.t.gettext("Sorry, this button no longer works. Here is the menu.")
        )
