"""To-one links: the loader that serves one, its key, and following it without a coroutine.

A link resolver that returns the record itself, not an awaitable, lets graphql-core complete
the whole list it belongs to synchronously; `prefetch` loads a level's links before the level
resolves, so on the common path no coroutine or task is made per linked object.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from aiodataloader import DataLoader
from graphql import GraphQLField

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.loaders import Loaders
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION

R = TypeVar("R")

LinkedRecord: TypeAlias = R | asyncio.Future[R | None] | None
LINK = "link"  # the key of a field's link in its Strawberry metadata


def load_link(loader: DataLoader[int, R | None], key: int | None) -> LinkedRecord[R]:
    """The linked record when the loader already has it, else its pending future."""
    if key is None:
        return None
    future = loader.load(key)
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return future


@dataclass(frozen=True, slots=True)
class Link:
    """A to-one link: the record attribute holding the id, and the by-id loader to ask."""

    key: str
    loader: Callable[[Loaders], DataLoader[int, Any]]

    def follow(self, context: Context, source: object) -> object:
        """The linked record now when loaded, else an awaitable of it (or None)."""
        value = load_link(self.loader(context.loaders), getattr(source, self.key))
        if isinstance(value, asyncio.Future):
            return _when_loaded(value)
        return value

    def keys(self, records: list[object]) -> list[int]:
        """The distinct ids a level of records links to, sorted."""
        key = self.key
        return sorted({k for r in records if (k := getattr(r, key, None)) is not None})


async def _when_loaded(future: asyncio.Future[object]) -> object:
    return await future


def link_of(field: GraphQLField) -> Link | None:
    """The link declared on a field (`schema.fields.to_one`), if any."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    link = (getattr(definition, "metadata", None) or {}).get(LINK)
    return link if isinstance(link, Link) else None
