"""The catalogue's read API for the bot and the CLI: views in one language, active entries only.

"Active" means not retired and not past its valid-until date (many offers end with their funding);
``today`` can be injected so that tests do not depend on the calendar.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise

from sqlmodel import Session, col, select

from services_catalog.models import (
    CatalogueRevision,
    Course,
    InterpreterPool,
    OwnerKind,
    Provider,
    Region,
    Service,
    ServiceTopic,
    Topic,
)
from services_catalog.places import postcode_point
from services_catalog.suggest import quoted, valid_choices
from services_catalog.texts import Localizer, load_texts
from services_catalog.views import Address, CourseView, PoolView, ServiceView

_PARENTHESISED = re.compile(r"\(\s*([^()]*?)\s*\)")
_MAX_CAPITALS = 5


def _is_active(service: Service, today: date) -> bool:
    return service.retired_at is None and (
        service.valid_until is None or service.valid_until >= today
    )


def _service_views(
    session: Session, services: Sequence[Service], lang: str | None
) -> list[ServiceView]:
    """Views of many services with a fixed number of queries."""
    if not services:
        return []
    ids = [service.id for service in services]
    regions = {region.id: region for region in session.exec(select(Region))}
    provider_ids = {s.provider_id for s in services if s.provider_id}
    providers = {
        p.id: p for p in session.exec(select(Provider).where(col(Provider.id).in_(provider_ids)))
    }
    topics: dict[str, list[str]] = defaultdict(list)
    for link in session.exec(
        select(ServiceTopic)
        .where(col(ServiceTopic.service_id).in_(ids))
        .order_by(col(ServiceTopic.topic_slug))
    ):
        topics[link.service_id].append(link.topic_slug)
    pools = set(
        session.exec(
            select(InterpreterPool.service_id).where(col(InterpreterPool.service_id).in_(ids))
        )
    )
    texts = load_texts(session, OwnerKind.SERVICE, ids)
    views = []
    for service in services:
        region = regions[service.region_id]
        provider = providers.get(service.provider_id or "")
        own = texts[service.id]
        local = Localizer(lang)
        views.append(
            ServiceView(
                id=service.id,
                region_slug=region.slug,
                topics=tuple(topics[service.id]),
                title=local.pick(own["title"], "title") or service.id,
                description=local.pick(own["description"], "description"),
                provider_name=provider.name if provider else None,
                cost=local.pick(own["cost"], "cost"),
                target_notes=local.pick(own["target_notes"], "target_notes"),
                min_age=service.min_age,
                max_age=service.max_age,
                women_only=service.women_only,
                languages=tuple(service.languages or ()),
                phone=service.phone,
                email=service.email,
                website=service.website,
                online_counselling=service.online_counselling,
                address=Address(
                    street=service.street,
                    postcode=service.postcode,
                    city=service.city,
                    district=service.district,
                    latitude=service.latitude,
                    longitude=service.longitude,
                    approximate=postcode_point(service.postcode),
                ),
                opening_hours=service.opening_hours,
                opening_hours_note=local.pick(own["opening_hours_note"], "opening_hours_note"),
                appointment_needed=service.appointment_needed,
                barrier_free=service.barrier_free,
                source=service.source,
                verified=service.verified,
                valid_until=service.valid_until,
                is_interpreter_pool=service.id in pools,
                fallback_fields=frozenset(local.fallbacks),
                timezone=region.timezone,
                state=region.state,
                appointment_url=service.appointment_url,
                temporarily_closed=bool(service.temporarily_closed),
                closed_until=service.closed_until,
                provider_website=provider.website if provider else None,
                nationwide=region.nationwide,
            )
        )
    return views


def services_for(
    session: Session,
    region_slug: str | None,
    topic: str,
    lang: str | None,
    today: date | None = None,
) -> list[ServiceView]:
    """Active services for a topic (in one region, or all when ``region_slug`` is None).

    Services whose staff speak ``lang`` come first, then by title, so the most helpful card leads.
    """
    today = today or date.today()
    query = (
        select(Service)
        .join(ServiceTopic, col(ServiceTopic.service_id) == col(Service.id))
        .where(ServiceTopic.topic_slug == topic)
    )
    if region_slug is not None:
        query = query.join(Region, col(Region.id) == col(Service.region_id)).where(
            Region.slug == region_slug
        )
    services = [s for s in session.exec(query) if _is_active(s, today)]
    views = _service_views(session, services, lang)
    return sorted(views, key=lambda v: (lang not in v.languages, v.title.casefold(), v.id))


def nationwide_for(
    session: Session,
    region_slug: str | None,
    topics: Sequence[str],
    lang: str | None,
    today: date | None = None,
) -> list[ServiceView]:
    """The nationwide layer's active services for any of ``topics``, in the order of the topics,
    without those the region switched off (``nationwide_off``)."""
    region = region_by_slug(session, region_slug) if region_slug else None
    off = set(region.nationwide_off or []) if region else set()
    layers = session.exec(select(Region.slug).where(col(Region.nationwide).is_(True))).all()
    found: dict[str, ServiceView] = {}
    for topic in topics:
        for slug in layers:
            for view in services_for(session, slug, topic, lang, today=today):
                if view.id not in off:
                    found.setdefault(view.id, view)
    return list(found.values())


def service_view(
    session: Session, service_id: str, lang: str | None, today: date | None = None
) -> ServiceView | None:
    """One active service, or None when it does not exist, is retired or has expired."""
    service = session.get(Service, service_id)
    if service is None or not _is_active(service, today or date.today()):
        return None
    return _service_views(session, [service], lang)[0]


def _address(data: dict | None) -> Address | None:
    if not data:
        return None
    fields = ("street", "postcode", "city", "district", "latitude", "longitude")
    return Address(**{key: data.get(key) for key in fields})


def _course_views(
    session: Session, courses: Sequence[Course], lang: str | None
) -> list[CourseView]:
    if not courses:
        return []
    services = {
        s.id: s
        for s in session.exec(
            select(Service).where(col(Service.id).in_({c.service_id for c in courses}))
        )
    }
    regions = {region.id: region for region in session.exec(select(Region))}
    texts = load_texts(session, OwnerKind.COURSE, [course.id for course in courses])
    views = []
    for course in courses:
        region = regions[services[course.service_id].region_id]
        own = texts[course.id]
        local = Localizer(lang)
        views.append(
            CourseView(
                id=course.id,
                service_id=course.service_id,
                region_slug=region.slug,
                timezone=region.timezone,
                kind=course.kind,
                level=course.level,
                title=local.pick(own["title"], "title") or course.id,
                start_date=course.start_date,
                end_date=course.end_date,
                weekdays=tuple(course.weekdays or ()),
                session_start=course.session_start,
                session_end=course.session_end,
                location=_address(course.location),
                seats_total=course.seats_total,
                seats_free=course.seats_free,
                registration_deadline=course.registration_deadline,
                childcare=course.childcare,
                cost=local.pick(own["cost"], "cost"),
                instruction_language=course.instruction_language,
                example=course.example,
                source=course.source,
                fallback_fields=frozenset(local.fallbacks),
            )
        )
    return views


def courses_for_service(
    session: Session, service_id: str, lang: str | None, today: date | None = None
) -> list[CourseView]:
    """The service's courses that are not retired and not over, earliest start first."""
    today = today or date.today()
    service = session.get(Service, service_id)
    if service is None or not _is_active(service, today):
        return []
    courses = [
        course
        for course in session.exec(
            select(Course).where(Course.service_id == service_id, col(Course.retired_at).is_(None))
        )
        if course.end_date is None or course.end_date >= today
    ]
    courses.sort(key=lambda c: (c.start_date is None, c.start_date or today, c.id))
    return _course_views(session, courses, lang)


def with_childcare(session: Session, service_ids: Iterable[str], today: date) -> set[str]:
    """Which of the services have a current course with childcare, in one query."""
    ids = set(service_ids)
    if not ids:
        return set()
    query = select(Course.service_id, Course.end_date).where(
        col(Course.service_id).in_(ids),
        col(Course.childcare).is_(True),
        col(Course.retired_at).is_(None),
    )
    return {
        service_id
        for service_id, end_date in session.exec(query)
        if end_date is None or end_date >= today
    }


def course_view(session: Session, course_id: str, lang: str | None) -> CourseView | None:
    """One course that is not retired, or None."""
    course = session.get(Course, course_id)
    if course is None or course.retired_at is not None:
        return None
    return _course_views(session, [course], lang)[0]


def regions(session: Session) -> list[Region]:
    """The places a person can live in: every region but the nationwide layer."""
    query = select(Region).where(col(Region.nationwide).is_(False)).order_by(col(Region.name))
    return list(session.exec(query))


def region_by_slug(session: Session, slug: str) -> Region | None:
    """A place a person can live in; the nationwide layer is none."""
    query = select(Region).where(Region.slug == slug, col(Region.nationwide).is_(False))
    return session.exec(query).first()


def any_region(session: Session, slug: str) -> Region | None:
    """A region or the nationwide layer, for admins."""
    return session.exec(select(Region).where(Region.slug == slug)).first()


class UnknownSlug(LookupError):
    """A region or topic someone typed (in a command, on a link) that the catalogue lacks."""


def require_region(session: Session, slug: str) -> Region:
    """The region, or ``UnknownSlug`` naming the known ones, so a typo is easy to mend."""
    region = any_region(session, slug)
    if region is None:
        known = list(session.exec(select(Region.slug)))
        raise UnknownSlug(f"Unknown region {quoted(slug)}; {valid_choices(slug, known)}")
    return region


def require_known(session: Session, *, region: str | None = None, topic: str | None = None) -> None:
    """``UnknownSlug`` for the first of ``region`` and ``topic`` given that the catalogue lacks."""
    if region is not None:
        require_region(session, region)
    if topic is not None and session.get(Topic, topic) is None:
        known = list(session.exec(select(Topic.slug)))
        raise UnknownSlug(f"Unknown topic {quoted(topic)}; {valid_choices(topic, known)}")


def topic_names(session: Session, lang: str | None) -> dict[str, str]:
    """Topic slug -> name in ``lang`` (German when a name is missing), in the fixed order."""
    slugs = list(session.exec(select(Topic.slug).order_by(col(Topic.position))))
    texts = load_texts(session, OwnerKind.TOPIC, slugs)
    names = {}
    for slug in slugs:
        names[slug] = Localizer(lang).pick(texts[slug]["name"], "name") or slug
    return names


def catalogue_revision(session: Session) -> int:
    """A number that grows with every catalogue change, so caches know when to rebuild."""
    revision = session.get(CatalogueRevision, 1)
    return revision.revision if revision else 0


def _is_acronym(word: str) -> bool:
    """Two to five capitals, at most one small letter between two of them: MBE, BAMF, DaZ.

    Not "GmbH" or "Ipso", which are written like words.
    """
    capitals = sum(letter.isupper() for letter in word)
    return (
        word.isalpha()
        and 2 <= capitals <= _MAX_CAPITALS
        and word[0].isupper()
        and word[-1].isupper()
        and not any(a.islower() and b.islower() for a, b in pairwise(word))
    )


def _abbreviations(title: str) -> set[str]:
    """The abbreviations a title defines: "Jugendmigrationsdienst (JMD)" defines "JMD".

    German titles, and translations that keep the German short form, introduce an abbreviation
    by putting it in parentheses after the long form; an acronym alone in parentheses is therefore
    known to stand for this service. Capitals elsewhere in a title are no such sign: "MY TURN" and
    "IN VIA" are names set in capitals, made of words that messages use every day ("my turn",
    "via"), and "AWO" or "DRK" name the provider, which offers many topics. Other text in
    parentheses ("(Gesundheit)", "(Groß Klein)") explains or locates the service; the router
    already knows topic words and must not route a district name.
    """
    return {inner for inner in _PARENTHESISED.findall(title) if _is_acronym(inner)}


def router_entries(session: Session, today: date | None = None) -> list[tuple[str, str]]:
    """(topic, phrase) pairs from active services' titles in every language and their abbreviations.

    Lets the router recognise "Migrationsberatung für Erwachsene" or its "MBE" as the service's
    topics (see ``_abbreviations`` for which abbreviations count).
    """
    today = today or date.today()
    services = [s for s in session.exec(select(Service)) if _is_active(s, today)]
    ids = [s.id for s in services]
    topics: dict[str, list[str]] = defaultdict(list)
    for link in session.exec(select(ServiceTopic).where(col(ServiceTopic.service_id).in_(ids))):
        topics[link.service_id].append(link.topic_slug)
    texts = load_texts(session, OwnerKind.SERVICE, ids)
    entries: set[tuple[str, str]] = set()
    for service_id in ids:
        for title in texts[service_id]["title"].values():
            phrases = {title.strip(), *_abbreviations(title)}
            for topic in topics[service_id]:
                entries.update((topic, phrase) for phrase in phrases if phrase)
    return sorted(entries)


def pool_for_region(
    session: Session, region_slug: str, lang: str | None, today: date | None = None
) -> PoolView | None:
    """The region's interpreter pool as the chat may show it: languages and rules, no members."""
    today = today or date.today()
    rows = session.exec(
        select(InterpreterPool, Service)
        .join(Service, col(Service.id) == col(InterpreterPool.service_id))
        .join(Region, col(Region.id) == col(Service.region_id))
        .where(Region.slug == region_slug)
        .order_by(col(Service.id))
    )
    for pool, service in rows:
        if not _is_active(service, today):
            continue
        local = Localizer(lang)
        rules = local.pick(
            load_texts(session, OwnerKind.POOL, [pool.service_id])[pool.service_id]["rules"],
            "rules",
        )
        return PoolView(
            service_id=pool.service_id,
            region_slug=region_slug,
            languages=tuple(pool.languages or ()),
            rules=rules,
            coordination_chat=pool.coordination_chat,
            fallback_fields=frozenset(local.fallbacks),
        )
    return None
