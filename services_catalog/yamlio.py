"""YAML as the catalogue files use it: dates and times stay text for the validator to check.

PyYAML follows YAML 1.1, which would silently read ``12:45`` as the number 765 and turn an
impossible date into a crash instead of an error message; duplicate keys would silently drop data.
Anchors and aliases are refused: a few hundred bytes of nested aliases expand to gigabytes (an
"alias bomb"), and catalogue files have no need for them. Nesting is capped for the same reason:
the loader and the validator recurse, and a deeply nested file must be an error, not a crash.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node

_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_INT = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
)
MAX_DEPTH = 20  # a region file needs six levels; the rest is headroom


def _resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, regexp) for tag, regexp in entries if tag not in (_INT, _TIMESTAMP)]
        if first in "-+0123456789":
            kept.append((_INT, _PLAIN_INT))
        resolvers[first] = kept
    return resolvers


class CatalogueLoader(yaml.SafeLoader):
    """Safe loading without sexagesimal numbers, timestamps, aliases and deep nesting, refusing
    duplicate keys."""

    yaml_implicit_resolvers = _resolvers()

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or (
            isinstance(event, NodeEvent) and event.anchor is not None
        ):
            raise ComposerError(
                None,
                None,
                "anchors and aliases (&name, *name) are not allowed: write each value out",
                event.start_mark,
            )
        if self._depth >= MAX_DEPTH:
            raise ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable):
                    raise ConstructorError(
                        None, None, "a key must be a plain name", key_node.start_mark
                    )
                if key in seen:
                    raise ConstructorError(
                        None, None, f"the key '{key}' appears twice", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


class CatalogueDumper(yaml.SafeDumper):
    """Writes what ``CatalogueLoader`` reads back unchanged, with dates unquoted."""

    yaml_implicit_resolvers = _resolvers()

    def ignore_aliases(self, data: Any) -> bool:
        return True  # the loader refuses aliases, so repeated values are written out


def load(text: str) -> Any:
    return yaml.load(text, Loader=CatalogueLoader)  # a SafeLoader subclass


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=CatalogueDumper, allow_unicode=True, sort_keys=False, width=100)
