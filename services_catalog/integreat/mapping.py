"""The admin's mapping from Integreat's categories (and POIs, title words) to Wegweiser topics.

Integreat's categories are free names per instance, Wegweiser's topics a fixed list, so only a
person can say which is which: nothing is guessed, and a location the mapping does not reach is
listed instead of imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services_catalog import yamlio
from services_catalog.models import CourseKind
from services_catalog.readers import read_text
from services_catalog.records import CatalogueError, InvalidCatalogue, TopicSlug, validation_errors

Topics = Annotated[list[TopicSlug], Field(min_length=1)]


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    categories: dict[str, Topics] = {}  # category name in German -> topics
    pois: dict[int, Topics] = {}  # POI id -> topics, overrides the category
    keywords: dict[str, Topics] = {}  # a word in the German title -> topics
    courses: dict[str, CourseKind] = {}  # a word in a recurring event's German title -> kind

    def topics_for(self, poi_id: int, category: str | None, title: str) -> list[str]:
        """The POI's own entry, else its category's, else every title word's, else none."""
        if poi_id in self.pois:
            return list(self.pois[poi_id])
        if category is not None and category in self.categories:
            return list(self.categories[category])
        folded = title.casefold()
        found: list[str] = []
        for word, topics in self.keywords.items():
            if word.casefold() in folded:
                found.extend(topic for topic in topics if topic not in found)
        return found

    def course_kind(self, title: str) -> CourseKind | None:
        folded = title.casefold()
        matching = (kind for word, kind in self.courses.items() if word.casefold() in folded)
        return next(matching, None)


def read_mapping(path: Path) -> Mapping:
    """The mapping file, checked; raises ``InvalidCatalogue`` naming file, entry and field."""
    if not path.is_file():
        raise InvalidCatalogue([CatalogueError(str(path), "", "", "no such file")])
    errors: list[CatalogueError] = []
    text = read_text(path, errors)
    if text is None:
        raise InvalidCatalogue(errors)
    try:
        data = yamlio.load(text) or {}
    except yaml.YAMLError as error:
        raise InvalidCatalogue(
            [CatalogueError(path.name, "", "", f"not valid YAML: {error}")]
        ) from None
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        raise InvalidCatalogue(validation_errors(path.name, "mapping", error)) from None
