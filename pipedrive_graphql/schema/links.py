"""Schema side of to-one links and list prefetching (see `resolvers.links`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.records import OffsetPage
from pipedrive_graphql.resolvers.links import LINKS, Link, linked, prefetch, selected
from pipedrive_graphql.schema.common import Info

R = TypeVar("R")
T = TypeVar("T")


def follow(
    ctx: Context, source: object, type_name: str, field_name: str, wrap: Callable[[Any], T]
) -> T | None:
    """The object a to-one link of `source` points at; `LINKS` names the loader and the key."""
    return follow_link(ctx, source, LINKS[(type_name, field_name)], wrap)


def follow_link(ctx: Context, source: object, link: Link, wrap: Callable[[Any], T]) -> T | None:
    """Now when loaded (each record wrapped once per request), else an awaitable.

    graphql-core awaits an awaitable a resolver returns, so a sync resolver may hand one over;
    the cast states what the field resolves to, which is what Strawberry reads.
    """
    key = getattr(source, link.key)
    if key is None:
        return None
    memo = (link.target, key)
    found = ctx.objects.get(memo)
    if found is not None:
        return cast("T", found)
    value = linked(ctx, link, key)
    if isinstance(value, asyncio.Future):
        return cast("T | None", _when_loaded(ctx, memo, value, wrap))
    if value is None:
        return None
    wrapped = ctx.objects[memo] = wrap(value)
    return wrapped


async def _when_loaded(
    ctx: Context, memo: tuple[str, int], future: asyncio.Future[Any], wrap: Callable[[Any], T]
) -> T | None:
    record = await future
    if record is None:
        return None
    wrapped = ctx.objects[memo] = wrap(record)
    return wrapped


async def prefetch_results(info: Info, type_name: str, records: Sequence[object]) -> None:
    """Before a page resolves, load the to-one links selected under its `results`."""
    if not records:
        return
    selections = [
        inner
        for field in info.selected_fields
        for page_field in selected(field.selections)
        if page_field.name == "results"
        for inner in page_field.selections
    ]
    await prefetch(info.context, type_name, records, selections)


async def prefetched_page(
    info: Info, type_name: str, page: OffsetPage[R], wrap: Callable[[OffsetPage[R]], T]
) -> T:
    """A page's GraphQL list, its selected to-one links loaded for the whole page first."""
    await prefetch_results(info, type_name, page.items)
    return wrap(page)


async def prefetch_one(info: Info, type_name: str, record: object | None) -> None:
    """Before one object resolves, load the to-one links selected on it."""
    if record is None:
        return
    selections = [inner for field in info.selected_fields for inner in field.selections]
    await prefetch(info.context, type_name, [record], selections)
