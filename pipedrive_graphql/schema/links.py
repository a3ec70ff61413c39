"""Schema side of to-one links and list prefetching (see `resolvers.links`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from pipedrive_graphql.context import Context
from pipedrive_graphql.resolvers.links import LinkedRecord, prefetch, selected
from pipedrive_graphql.schema.common import Info

R = TypeVar("R")
T = TypeVar("T")


def link(ctx: Context, value: LinkedRecord[R], wrap: Callable[[R], T]) -> T | None:
    """The GraphQL object of a to-one link: now when loaded, else an awaitable.

    graphql-core awaits an awaitable a resolver returns, so a sync resolver may hand one over;
    the cast states what the field resolves to, which is what Strawberry reads.
    """
    if isinstance(value, asyncio.Future):
        return cast("T | None", _when_loaded(ctx, value, wrap))
    return None if value is None else _wrapped(ctx, value, wrap)


def _wrapped(ctx: Context, record: R, wrap: Callable[[R], T]) -> T:
    key = (type(record), getattr(record, "id", id(record)))
    found = ctx.objects.get(key)
    if found is None:
        found = ctx.objects[key] = wrap(record)
    return cast("T", found)


async def _when_loaded(
    ctx: Context, future: asyncio.Future[R | None], wrap: Callable[[R], T]
) -> T | None:
    record = await future
    return None if record is None else _wrapped(ctx, record, wrap)


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


async def prefetch_one(info: Info, type_name: str, record: object | None) -> None:
    """Before one object resolves, load the to-one links selected on it."""
    if record is None:
        return
    selections = [inner for field in info.selected_fields for inner in field.selections]
    await prefetch(info.context, type_name, [record], selections)
