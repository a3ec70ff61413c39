"""How a field is declared: everything about it, once, where the type declares it.

A GraphQL type here is read straight from the frozen record it describes (the resolvers return
records, not copies), so a field is one of three things:

- a plain attribute of the record (`strawberry.field(description=…)`), read with `getattr`;
  a field whose name differs from the record's is a property on the record;
- a to-one link (`to_one`): the record attribute holding the id and the by-id loader; it is
  prefetched for a whole list level and followed without a coroutine (`execution`);
- a field with a resolver (`resolved`, `resolved_method`, `mutation`): the resolver and the
  price of the Pipedrive calls it implies (`pricing`), which the pre-flight estimate reads;
  a to-many link also names its loader call (`warm`) so it starts with the parent level's
  to-one links.

`tests/schema/test_gql_fields.py` fails when a field with a resolver has no price.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry
from aiodataloader import DataLoader

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.loaders import Loaders
from pipedrive_graphql.execution import Link
from pipedrive_graphql.execution.links import LINK
from pipedrive_graphql.execution.warm import WARM, Warm
from pipedrive_graphql.pricing import PRICE, Price

Info = strawberry.Info[Context, None]
F = TypeVar("F", bound=Callable[..., Any])


def to_one(
    key: str,
    loader: Callable[[Loaders], DataLoader[int, Any]],
    price: Price,
    description: str,
) -> Any:
    """A to-one link: the record's `key` attribute is the id `loader` loads.

    The field's type is the class annotation (the linked GraphQL type, usually optional).
    """
    link = Link(key, loader)

    def follow(parent: strawberry.Parent[object], info: Info) -> object:
        return link.follow(info.context, parent)

    return strawberry.field(
        resolver=follow, description=description, metadata={LINK: link, PRICE: price}
    )


def resolved(
    resolver: Callable[..., Any],
    price: Price,
    description: str,
    *,
    name: str | None = None,
    warm: Warm | None = None,
) -> Any:
    """A field computed by `resolver`, which takes `strawberry.Parent[Record]` (or nothing),
    `info` and the field's arguments and returns records; the class annotation is its type.

    `warm(context, parent, **arguments)`, for a to-many link, is the loader call the resolver
    makes: the parent level's prefetch starts it for every parent with its to-one links.
    """
    metadata: dict[str, object] = {PRICE: price}
    if warm is not None:
        metadata[WARM] = warm
    return strawberry.field(
        resolver=resolver, name=name, description=description, metadata=metadata
    )


def mutation(resolver: Callable[..., Any], price: Price, description: str) -> Any:
    """A write: as `resolved`, on the Mutation root."""
    return strawberry.mutation(resolver=resolver, description=description, metadata={PRICE: price})


def resolved_method(description: str, price: Price) -> Callable[[F], F]:
    """`resolved` as a method decorator, for types the schema builds itself (not records)."""
    return cast(
        "Callable[[F], F]", strawberry.field(description=description, metadata={PRICE: price})
    )
