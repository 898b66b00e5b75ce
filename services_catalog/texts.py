"""Reading translated catalogue texts: one language, falling back to the German source."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, select

from services_catalog.languages import SOURCE_LANGUAGE
from services_catalog.models import CatalogueText

# owner id -> field -> lang -> text
TextMap = dict[str, dict[str, dict[str, str]]]


def load_texts(session: Session, owner_kind: str, owner_ids: Iterable[str]) -> TextMap:
    """Every text of the given owners in one query, so a list of cards costs one round trip."""
    ids = list(set(owner_ids))
    texts: TextMap = defaultdict(lambda: defaultdict(dict))
    if not ids:
        return texts
    rows = session.exec(
        select(CatalogueText).where(
            CatalogueText.owner_kind == owner_kind, col(CatalogueText.owner_id).in_(ids)
        )
    )
    for row in rows:
        texts[row.owner_id][row.field][row.lang] = row.text
    return texts


class Localizer:
    """Picks one language's text per field and remembers which fields fell back to German."""

    def __init__(self, lang: str | None) -> None:
        self.lang: str = lang or SOURCE_LANGUAGE
        self.fallbacks: set[str] = set()

    def pick(self, by_lang: dict[str, str], field: str) -> str | None:
        if self.lang in by_lang:
            return by_lang[self.lang]
        source = by_lang.get(SOURCE_LANGUAGE)
        if source is not None:
            self.fallbacks.add(field)
        return source
