"""Loading a level's to-one links and to-many lists before the level resolves, then the next's.

The links to load are read from the selection and the fields' declared links (`link_of`),
walking the graphql-core types, so no type is named here and a new link is prefetched as soon
as it is declared. A to-many field's declared warm-up (`warm`) is started for every parent of
the level alongside the to-one loads, so the level's lists and its links take one upstream
round; once they answer, the links under the lists' items are loaded for all the parents' lists
at once, the way a to-one link's target level is. The executor then completes the level with
every value in hand (`executor.PlainFieldExecutor`), or a resolver takes its answer (`warmed`).
"""

from __future__ import annotations

import asyncio
from asyncio import Future
from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

import strawberry
from graphql import FieldNode, GraphQLObjectType, GraphQLOutputType, get_named_type

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.records import OffsetPage
from pipedrive_graphql.execution import warm
from pipedrive_graphql.execution.links import link_of
from pipedrive_graphql.execution.selection import Operation, fields_under, items_under

R = TypeVar("R")
Info = strawberry.Info[Context, None]


def page_item_type(page: GraphQLOutputType) -> GraphQLObjectType | None:
    """The item type of a page type (`DealList` -> `Deal`); None for any other type."""
    page_type = get_named_type(page)
    results = page_type.fields.get("results") if isinstance(page_type, GraphQLObjectType) else None
    item_type = None if results is None else get_named_type(results.type)
    return item_type if isinstance(item_type, GraphQLObjectType) else None


async def prefetch(
    ctx: Context,
    operation: Operation,
    parent_type: GraphQLObjectType,
    records: Sequence[object],
    nodes: Sequence[FieldNode],
) -> None:
    """Load every to-one link and warm every to-many list `nodes` ask for, for a whole level,
    then do the same for the levels under them.

    Failures are left in the loaders' futures and the warm-ups: the field that reads one
    reports the error.
    """
    if not records:
        return
    linked: list[tuple[GraphQLObjectType, list[FieldNode], Awaitable[list[Any]]]] = []
    warming: list[tuple[GraphQLObjectType | None, list[FieldNode], list[Future[object]]]] = []
    for node in nodes:
        definition = parent_type.fields.get(node.name.value)
        if definition is None:
            continue
        warm_up = warm.warm_of(definition)
        arguments = (
            None if warm_up is None else warm.warm_arguments(definition, node, operation.variables)
        )
        if warm_up is not None and arguments is not None:
            started = warm.start(ctx, warm_up, records, arguments)
            items = items_under([node], operation)
            warming.append((page_item_type(definition.type), items, started))
        link = link_of(definition)
        if link is None:
            continue
        keys = link.keys(list(records))
        target = get_named_type(definition.type)
        if keys and isinstance(target, GraphQLObjectType):
            under = fields_under([node], operation)
            linked.append((target, under, link.loader(ctx.loaders).load_many(keys)))
    if not linked and not warming:
        return
    # a failed warm-up is the taker's to report: it finds the same outcome in its future
    warmed = _ended([future for *_, started in warming for future in started])
    loaded: list[Any] = []
    if linked:
        links = asyncio.gather(*(future for *_, future in linked), return_exceptions=True)
        loaded, _ = await asyncio.gather(links, warmed)
    else:
        await warmed
    deeper = [
        prefetch(ctx, operation, target, [r for r in result if r is not None], under)
        for (target, under, _), result in zip(linked, loaded, strict=True)
        if not isinstance(result, BaseException) and under
    ]
    deeper += [
        prefetch(ctx, operation, item_type, _items_of(started), items)
        for item_type, items, started in warming
        if item_type is not None and items
    ]
    await asyncio.gather(*deeper)


async def _ended(started: list[Future[object]]) -> None:
    """Once every warm-up of the level has ended (some may have been started earlier).

    A level's loads are answered by a few batches, each settling all of its futures at once:
    waiting for the first one pending, then the next one still pending, takes a wake-up per
    batch rather than a callback per future.
    """
    for future in started:
        if not future.done():
            await asyncio.wait((future,))


def _items_of(started: list[Future[object]]) -> list[object]:
    pages = [
        future.result()
        for future in started
        if not future.cancelled() and future.exception() is None
    ]
    return [item for page in pages if isinstance(page, OffsetPage) for item in page.items]


def _returned_type(info: Info) -> GraphQLObjectType | None:
    named = get_named_type(info._raw_info.return_type)
    return named if isinstance(named, GraphQLObjectType) else None


async def prefetched_page(info: Info, page: OffsetPage[R]) -> OffsetPage[R]:
    """The page, once the to-one links selected under its `results` are loaded for all of it."""
    raw = info._raw_info
    item_type = page_item_type(raw.return_type)
    if not page.items or item_type is None:
        return page
    operation = Operation.of(raw)
    items = items_under(raw.field_nodes, operation)
    await prefetch(info.context, operation, item_type, page.items, items)
    return page


async def prefetched_one(info: Info, record: R) -> R:
    """The record, once the to-one links selected on it are loaded."""
    object_type = _returned_type(info)
    if record is None or object_type is None:
        return record
    raw = info._raw_info
    operation = Operation.of(raw)
    await prefetch(
        info.context, operation, object_type, [record], fields_under(raw.field_nodes, operation)
    )
    return record
