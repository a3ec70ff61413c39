"""How a field is declared: everything about it, once, where the type declares it.

A GraphQL type here is read straight from the frozen record it describes (the resolvers return
records, not copies), so a field is one of three things:

- a plain attribute of the record (`strawberry.field(description=…)`), read with `getattr`;
  a field whose name differs from the record's is a property on the record;
- a to-one link (`to_one`): the record attribute holding the id and the by-id loader; it is
  prefetched for a whole list level and followed without a coroutine (`execution`);
- a to-many link (`to_many`): the list's loader call (`execution.LinkedList`), whose
  parameters are the field's arguments; the resolver and the warm-up that makes the call for
  the whole parent level with its to-one links (`execution.warm`) are both made from it, so
  they cannot take different arguments;
- any other field with a resolver (`resolved`, `resolved_method`, `mutation`): the resolver.

Each names the price of the Pipedrive calls it implies (`pricing`), which the pre-flight
estimate reads.

`tests/schema/test_gql_fields.py` fails when a field with a resolver has no price.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry
from aiodataloader import DataLoader

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.loaders import Loaders
from pipedrive_graphql.datasources.pipedrive.records import OffsetPage
from pipedrive_graphql.execution import Link, LinkedList, prefetched_page, warmed
from pipedrive_graphql.execution.links import LINK
from pipedrive_graphql.execution.warm import WARM, Parent
from pipedrive_graphql.pricing import PRICE, Price

Info = strawberry.Info[Context, None]
F = TypeVar("F", bound=Callable[..., Any])
_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD
# the resolver's own parameters, annotated with objects, not names: Strawberry reads the
# resolver's annotations in `load`'s module, which need not import these
_PARENT = inspect.Parameter("parent", _POSITIONAL, annotation=strawberry.Parent[object])
_INFO = inspect.Parameter("info", _POSITIONAL, annotation=Info)


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


def to_many(load: LinkedList[Any, OffsetPage[Any]], price: Price, description: str) -> Any:
    """A to-many link: `load.call(context, parent_id, **arguments)` is the list's loader call;
    its parameters after the first two are the field's arguments (names, annotated types with
    their descriptions, defaults, order). The class annotation is the field's type (a page
    type).

    The parent level's prefetch makes the call for every parent with the level's to-one links
    (its warm-up, `execution.warm`); the resolver made here takes that call's answer, or makes
    the call itself when none was started, and returns the page once the links under it are
    loaded. Both are `load`, so they take the same arguments and load the same key.
    """

    async def resolve(parent: Parent, info: Info, **arguments: Any) -> OffsetPage[Any]:
        page = await warmed(info.context, load, parent, **arguments)
        return await prefetched_page(info, page)

    signature = inspect.signature(load.call)
    _context, _parent_id, *arguments = signature.parameters.values()
    resolve.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[_PARENT, _INFO, *arguments], return_annotation=inspect.Signature.empty
    )
    # Strawberry reads the arguments' annotations in the call's module
    resolve.__module__ = load.call.__module__
    resolve.__name__ = resolve.__qualname__ = load.call.__name__
    return strawberry.field(
        resolver=resolve, description=description, metadata={PRICE: price, WARM: load}
    )


def resolved(
    resolver: Callable[..., Any], price: Price, description: str, *, name: str | None = None
) -> Any:
    """A field computed by `resolver`, which takes `strawberry.Parent[Record]` (or nothing),
    `info` and the field's arguments and returns records; the class annotation is its type.
    """
    return strawberry.field(
        resolver=resolver, name=name, description=description, metadata={PRICE: price}
    )


def mutation(resolver: Callable[..., Any], price: Price, description: str) -> Any:
    """A write: as `resolved`, on the Mutation root."""
    return strawberry.mutation(resolver=resolver, description=description, metadata={PRICE: price})


def resolved_method(description: str, price: Price) -> Callable[[F], F]:
    """`resolved` as a method decorator, for types the schema builds itself (not records)."""
    return cast(
        "Callable[[F], F]", strawberry.field(description=description, metadata={PRICE: price})
    )
