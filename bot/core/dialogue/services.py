"""From a topic to the services that fit: the user's region, target group and language.

When services of a topic (or of its age sibling: MBE for adults, JMD for young people) differ in
the ages they serve and the age is unknown, the bot asks for it once and keeps it. Lists are
ordered by what the message asked (``ranking``): its words, an age it states, other topics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.core.dialogue import buttons, cards, reach, state
from bot.core.dialogue.common import distance_text, label, menu_option, say
from bot.core.dialogue.ranking import Asked, fits_age, rank, served
from bot.core.dialogue.reach import AGE_SIBLINGS
from bot.core.dialogue.regions import ask_region
from bot.core.events import CardShown, TopicRequested
from bot.core.features import Feature, Turn
from bot.core.messages import GeoPoint, Option, Reply, Span, Venue
from bot.settings import SOURCE_LANGUAGE
from services_catalog.places import Point, distance_km
from services_catalog.queries import courses_for_service, region_by_slug, service_view, services_for
from services_catalog.views import ServiceView

LANGUAGE_COURSE = "language_course"
MAX_LISTED = 10
COURSES_ON_CARD = 3


def _topic_services(turn: Turn, topic: str, lang: str) -> list[ServiceView]:
    """The topic's services in the user's region, with its age sibling's when ages differ."""
    region, today = turn.user.region_slug, turn.clock.now().date()
    own = services_for(turn.session, region, topic, lang, today=today)
    if topic not in AGE_SIBLINGS:
        return own
    ids = {view.id for view in own}
    siblings = [
        view
        for view in services_for(turn.session, region, AGE_SIBLINGS[topic], lang, today=today)
        if view.id not in ids
    ]
    if len({(view.min_age, view.max_age) for view in own + siblings}) <= 1:
        return own
    return own + siblings


def _candidates(turn: Turn, topic: str, age: int | None) -> list[ServiceView] | None:
    """The topic's services for this user, or None when their age must be asked first.

    Only the age-split topics ask: elsewhere the age that matters may be a child's, so only an
    age the message states (``age``) filters, when the list is ranked.
    """
    views = _topic_services(turn, topic, turn.lang)
    if topic not in AGE_SIBLINGS or len({(view.min_age, view.max_age) for view in views}) <= 1:
        return views
    if age is None:
        return None
    return [view for view in views if fits_age(view, age)]


def _ranked(turn: Turn, topic: str, views: list[ServiceView], asked: Asked) -> list[ServiceView]:
    """The services in the order that fits the message; German texts too for German words."""
    if len(views) < 2:
        return views
    sources = None
    if turn.lang != SOURCE_LANGUAGE and asked.words:
        sources = {view.id: view for view in _topic_services(turn, topic, SOURCE_LANGUAGE)}
    today = turn.clock.now().date()
    return rank(turn.session, topic, views, asked, turn.lang, today, sources)


def covering(turn: Turn, first: str, second: str) -> str | None:
    """Of two topics a message names equally, the one with a service that serves both
    ("Deutschkurs mit Kinderbetreuung": a course with childcare), or None."""
    if not turn.user.region_slug:
        return None
    today = turn.clock.now().date()
    for topic, other in ((first, second), (second, first)):
        views = _topic_services(turn, topic, turn.lang)
        if any(served(turn.session, views, [other], today).values()):
            return topic
    return None


def ask_age(turn: Turn, topic: str) -> Reply:
    state.update(turn.user, **{"await": "age", "pending": topic})
    return say(
        turn,
        turn.t.gettext(
            "Some services here are for certain ages only. How old are you? "
            "Please write a number, for example 25."
        ),
    )


def ask_age_again(turn: Turn, topic: str) -> Reply:
    """The age question once more, for an answer without a readable age; the menu leads out."""
    state.update(turn.user, **{"await": "age", "pending": topic})
    text = turn.t.gettext(
        "Sorry, I could not find an age in this. Please write how old you are, for example 25."
    )
    return say(turn, text, [menu_option(turn)])


def show_topic(
    turn: Turn, features: Sequence[Feature], topic: str, asked: Asked | None = None
) -> list[Reply]:
    """The services for ``topic`` in the user's region: a card when one fits, else a list
    ordered by what the message asked (``asked``)."""
    user = turn.user
    if not user.region_slug:
        state.update(user, pending=topic)
        return [ask_region(turn)]
    asked = asked or Asked()
    age = asked.age if asked.age is not None or topic not in AGE_SIBLINGS else user.age
    views = _candidates(turn, topic, age)
    if views is None:
        return [ask_age(turn, topic)]
    views = _ranked(turn, topic, views, replace(asked, age=age))
    state.update(user, topic=topic, pending=None)
    turn.events.publish(TopicRequested(topic, turn.lang, user.region_slug, len(views)))
    if not views:
        return [no_services(turn, topic)]
    if len(views) == 1 and not reach.nationwide(turn, [topic], age):
        return [card(turn, features, views[0])]
    return [service_list(turn, topic, views, age=age)]


def _region_name(turn: Turn) -> str:
    region = region_by_slug(turn.session, turn.user.region_slug or "")
    return region.name if region else (turn.user.region_slug or "")


def _offer_options(views: Sequence[ServiceView]) -> list[Option]:
    return [Option(label(view.title), buttons.value(buttons.SERVICE, view.id)) for view in views]


def no_services(turn: Turn, topic: str) -> Reply:
    """A topic the region lacks: the region's general counselling and the nationwide offers
    for the topic, then another town."""
    t = turn.t
    text = t.gettext(
        "Sorry, I do not know a service for this in {region} yet. "
        "I have noted anonymously that it is needed."
    ).format(region=_region_name(turn))
    steps = reach.fallback(turn, [topic])
    lines = [text]
    if steps.general or steps.nationwide:
        lines.append(t.gettext("These can help you:"))
    lines += [
        "   ➡️ "
        + t.gettext("General counselling here: {offer}").format(offer=cards.offer_line(view, t))
        for view in steps.general
    ]
    lines += cards.nationwide_lines(steps.nationwide, t)
    options = _offer_options([*steps.general, *steps.nationwide])
    options += [
        Option(t.gettext("Choose another town"), buttons.value(buttons.REGION)),
        menu_option(turn),
    ]
    return say(turn, "\n".join(lines), options)


def _list_line(turn: Turn, view: ServiceView, topic: str, km: float | None) -> str:
    t, lang = turn.t, turn.lang
    line = f"• {cards.title(view, lang)}"
    place = view.address.district or view.address.city
    if place:
        line += f" — {place}"
    if km is not None:
        line += " — " + distance_text(t, km)
    if lang != "de" and lang in view.languages:
        line += " — 🗣️ " + t.gettext("speaks your language")
    if topic == LANGUAGE_COURSE:
        today = turn.clock.now().date()
        for course in courses_for_service(turn.session, view.id, lang, today=today)[:3]:
            line += f"\n   – {cards.course_summary(course, t)}"
    return line


def service_list(
    turn: Turn,
    topic: str,
    views: Sequence[ServiceView],
    distances: Sequence[float | None] = (),
    age: int | None = None,
) -> Reply:
    """The region's services for the topic, then the nationwide ones, each with a button."""
    t = turn.t
    shown = list(views)[:MAX_LISTED]
    kms = list(distances) or [None] * len(shown)
    lines = [t.gettext("Here is who can help in {region}:").format(region=_region_name(turn))]
    lines += [_list_line(turn, view, topic, km) for view, km in zip(shown, kms, strict=False)]
    hint = not distances and any(view.address.point for view in shown)
    nationwide = reach.nationwide(turn, [topic], age)
    lines += cards.nationwide_lines(nationwide, t)
    if any(view.fallback_fields for view in [*shown, *nationwide]) and turn.lang != "de":
        lines.append(cards.german_note(t))
    options = _offer_options([*shown, *nationwide])
    options.append(menu_option(turn))
    reply = say(turn, "\n".join(lines), options)
    reply.location_hint = hint
    return reply


def card(turn: Turn, features: Sequence[Feature], view: ServiceView) -> Reply:
    """The service card with its buttons: map, course dates, the features' own, the way back."""
    t = turn.t
    courses = courses_for_service(turn.session, view.id, turn.lang, today=turn.clock.now().date())
    topic = state.get(turn.user, "topic")
    on_topic = topic in view.topics or (topic and AGE_SIBLINGS.get(topic) in view.topics)
    steps = reach.for_card(turn, view, [topic] if on_topic else view.topics)
    spans = cards.service_card(view, t, turn.clock.now(), steps)
    if courses:
        summaries = [
            f"   – {cards.course_summary(course, t)}" for course in courses[:COURSES_ON_CARD]
        ]
        spans.insert(2, Span("\n📚 " + t.gettext("Next courses:") + "\n" + "\n".join(summaries)))
    options = []
    if view.address.has_coordinates:
        options.append(
            Option("📍 " + t.gettext("Show on map"), buttons.value(buttons.WHERE, view.id))
        )
    if courses:
        options.append(
            Option("📅 " + t.gettext("All course dates"), buttons.value(buttons.COURSES, view.id))
        )
    for feature in features:
        options.extend(feature.service_options(turn, view))
    options += _offer_options([*steps.general, *steps.nationwide])
    if on_topic and _has_others(turn, topic, view):
        options.append(
            Option("↩️ " + t.gettext("Other services"), buttons.value(buttons.TOPIC, topic))
        )
    options.append(menu_option(turn))
    turn.events.publish(CardShown(view.id, turn.lang, view.region_slug))
    return Reply(spans=spans, options=options, lang=turn.lang)


def _has_others(turn: Turn, topic: str, view: ServiceView) -> bool:
    """Whether "Other services" leads anywhere but back to this very card."""
    views = _candidates(turn, topic, turn.user.age)
    if views is None:
        return True
    others = [other for other in views if other.id != view.id]
    return bool(others) or any(
        other.id != view.id for other in reach.nationwide(turn, [topic], turn.user.age)
    )


def show_service(turn: Turn, features: Sequence[Feature], service_id: str) -> list[Reply]:
    view = service_view(turn.session, service_id, turn.lang, today=turn.clock.now().date())
    if view is None:
        return [gone(turn)]
    return [card(turn, features, view)]


def gone(turn: Turn) -> Reply:
    return say(
        turn, turn.t.gettext("Sorry, this offer is no longer available."), [menu_option(turn)]
    )


def course_dates(turn: Turn, features: Sequence[Feature], service_id: str) -> list[Reply]:
    """All current courses of a service in one message; the features' buttons name the course
    by its number, so one list of options serves numbered replies too."""
    t = turn.t
    view = service_view(turn.session, service_id, turn.lang, today=turn.clock.now().date())
    if view is None:
        return [gone(turn)]
    courses = courses_for_service(
        turn.session, service_id, turn.lang, today=turn.clock.now().date()
    )
    back = Option("↩️ " + label(view.title), buttons.value(buttons.SERVICE, view.id))
    if not courses:
        return [
            say(turn, t.gettext("No course dates are known right now."), [back, menu_option(turn)])
        ]
    numbered = len(courses) > 1
    blocks, options = [], []
    for number, course in enumerate(courses, start=1):
        text = cards.course_text(course, t)
        blocks.append(f"{number}) {text}" if numbered else text)
        for feature in features:
            for option in feature.course_options(turn, course):
                suffix = f" ({number})" if numbered else ""
                options.append(Option(option.label + suffix, option.value))
    if any(course.fallback_fields for course in courses) and turn.lang != "de":
        blocks.append(cards.german_note(t))
    options += [back, menu_option(turn)]
    heading = t.gettext("Course dates: {service}").format(service=cards.title(view, turn.lang))
    return [say(turn, heading + "\n\n" + "\n\n".join(blocks), options)]


def where(turn: Turn, service_id: str) -> list[Reply]:
    view = service_view(turn.session, service_id, turn.lang, today=turn.clock.now().date())
    if view is None:
        return [gone(turn)]
    address = cards.address_line(view.address, turn.lang) or ""
    reply = say(turn, f"📍 {cards.title(view, turn.lang)}\n{address}".rstrip(), [menu_option(turn)])
    if view.address.has_coordinates:
        reply.venue = Venue(
            latitude=view.address.latitude or 0.0,
            longitude=view.address.longitude or 0.0,
            title=view.title,
            address=address,
        )
    return [reply]


def _distance_km(point: GeoPoint, view: ServiceView) -> float | None:
    """Distance to the service's place (approximate where only its postcode is known); None for
    services without either."""
    place = view.address.point
    return distance_km(Point(point.latitude, point.longitude), place) if place else None


def nearest(turn: Turn, features: Sequence[Feature], point: GeoPoint) -> list[Reply] | None:
    """The last topic's services, nearest first; None when no topic was chosen yet."""
    topic = state.get(turn.user, "topic")
    if not topic or not turn.user.region_slug:
        return None
    views = _candidates(turn, topic, turn.user.age)
    if views is None:
        return [ask_age(turn, topic)]
    if not views:
        return [no_services(turn, topic)]
    measured = sorted(
        ((view, _distance_km(point, view)) for view in views),
        key=lambda pair: (pair[1] is None, pair[1] or 0.0),
    )
    return [service_list(turn, topic, [view for view, _ in measured], [km for _, km in measured])]
