"""Loading a level's to-one links before the level resolves, then the next level's.

The links to load are read from the selection and the fields' declared links (`link_of`),
walking the graphql-core types, so no type is named here and a new link is prefetched as soon
as it is declared.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TypeVar

import strawberry
from graphql import GraphQLObjectType, get_named_type
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.records import OffsetPage
from pipedrive_graphql.execution.links import Link, link_of

R = TypeVar("R")
Info = strawberry.Info[Context, None]


def selected(selections: Sequence[Selection]) -> list[SelectedField]:
    """The fields of a selection set, with fragments flattened."""
    out: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            out.append(selection)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            out.extend(selected(selection.selections))
    return out


async def prefetch(
    ctx: Context,
    parent_type: GraphQLObjectType,
    records: Sequence[object],
    selections: Sequence[Selection],
) -> None:
    """Load every to-one link the selection asks for, for a whole level, then the next level.

    Failures are left in the loaders' futures: the field that reads one reports the error.
    """
    if not records:
        return
    pending: list[tuple[Link, GraphQLObjectType, SelectedField, asyncio.Future[list[object]]]] = []
    for field in selected(selections):
        definition = parent_type.fields.get(field.name)
        link = None if definition is None else link_of(definition)
        if link is None or definition is None:
            continue
        keys = link.keys(list(records))
        target = get_named_type(definition.type)
        if keys and isinstance(target, GraphQLObjectType):
            pending.append((link, target, field, link.loader(ctx.loaders).load_many(keys)))
    if not pending:
        return
    loaded = await asyncio.gather(*(future for *_, future in pending), return_exceptions=True)
    deeper = [
        prefetch(ctx, target, [r for r in result if r is not None], field.selections)
        for (_, target, field, _), result in zip(pending, loaded, strict=True)
        if not isinstance(result, BaseException) and field.selections
    ]
    await asyncio.gather(*deeper)


def _returned_type(info: Info) -> GraphQLObjectType | None:
    named = get_named_type(info._raw_info.return_type)
    return named if isinstance(named, GraphQLObjectType) else None


async def prefetched_page(info: Info, page: OffsetPage[R]) -> OffsetPage[R]:
    """The page, once the to-one links selected under its `results` are loaded for all of it."""
    page_type = _returned_type(info)
    results = None if page_type is None else page_type.fields.get("results")
    item_type = None if results is None else get_named_type(results.type)
    if not page.items or not isinstance(item_type, GraphQLObjectType):
        return page
    selections = [
        inner
        for field in info.selected_fields
        for page_field in selected(field.selections)
        if page_field.name == "results"
        for inner in page_field.selections
    ]
    await prefetch(info.context, item_type, page.items, selections)
    return page


async def prefetched_one(info: Info, record: R) -> R:
    """The record, once the to-one links selected on it are loaded."""
    object_type = _returned_type(info)
    if record is None or object_type is None:
        return record
    selections = [inner for field in info.selected_fields for inner in field.selections]
    await prefetch(info.context, object_type, [record], selections)
    return record
