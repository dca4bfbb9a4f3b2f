"""The small query language every backend translates: built once by the query layer
(expand.py), never by an engine's own parser, so no user text is ever parsed as engine syntax."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# the three analysed fields: words of the title, words of everything, characters of everything
TITLE, WORDS, CHARS = "title", "words", "chars"
FILTER_FIELDS = ("lang", "kind", "unit", "theme", "policy", "service", "year")


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    field: str
    texts: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class AllOf:
    must: tuple[Node, ...]
    must_not: tuple[Node, ...] = ()


Node = Union[Term, Phrase, AnyOf, AllOf]  # noqa: UP007 - a runtime alias used before the classes exist


@dataclass(frozen=True)
class Filters:
    """field → allowed values (any of them); fields are combined with AND."""

    values: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, **fields: tuple[str, ...] | list[str] | str | None) -> Filters:
        items = []
        for name, value in fields.items():
            if value in (None, "", (), []):
                continue
            items.append((name, (value,) if isinstance(value, str) else tuple(value)))
        return cls(tuple(sorted(items)))


@dataclass
class Hit:
    key: str
    score: float
    stored: dict = field(default_factory=dict)


def simple(node: Node) -> Node:
    """Flatten one-part groups (keeps backend query trees small)."""
    if isinstance(node, AnyOf) and len(node.parts) == 1 and node.boost == 1.0:
        return simple(node.parts[0])
    if isinstance(node, AllOf) and len(node.must) == 1 and not node.must_not:
        return simple(node.must[0])
    return node
