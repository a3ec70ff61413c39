"""Loading a level's to-one links before the level resolves, then the next level's.

The links to load are read from the selection and the fields' declared links (`link_of`),
walking the graphql-core types, so no type is named here and a new link is prefetched as soon
as it is declared. A to-many field may declare a warm-up (`warm_of`): the same loader call its
resolver will make, started here for every parent of the level alongside the to-one loads, so
the level's lists and its links take one upstream round instead of two; the resolver then finds
the answer in the loader's cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

import strawberry
from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInt,
    GraphQLObjectType,
    GraphQLString,
    get_named_type,
)
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection
from strawberry.utils.str_converters import to_camel_case

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.records import OffsetPage
from pipedrive_graphql.execution.links import Link, link_of
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION

R = TypeVar("R")
T = TypeVar("T")
Info = strawberry.Info[Context, None]
# (context, parent record, the field's arguments by name) -> the load the resolver will await
Warm = Callable[..., Awaitable[object]]
WARM = "warm"  # the key of a field's warm-up in its Strawberry metadata


def warm_of(field: GraphQLField) -> Warm | None:
    """The warm-up declared on a to-many field (`schema.fields.resolved(..., warm=)`), if any."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    warm = (getattr(definition, "metadata", None) or {}).get(WARM)
    return warm if callable(warm) else None


def _scalar_arguments(field: GraphQLField, raw: dict[str, Any]) -> dict[str, Any] | None:
    """The selection's arguments as the resolver receives them (by their Python names); None
    unless all are scalars or enums.

    Strawberry's selection keeps a literal as its source text (`limit: 10` is "10", an enum
    value its name); variables arrive coerced already.
    """
    python_names = _python_names(field)
    typed: dict[str, Any] = {}
    for name, value in raw.items():
        argument = field.args.get(name)
        if argument is None:
            return None
        kind = get_named_type(argument.type)
        key = python_names.get(name, name)
        if value is None or kind in (GraphQLString, GraphQLBoolean):
            typed[key] = value
        elif kind is GraphQLInt and isinstance(value, str | int) and not isinstance(value, bool):
            typed[key] = int(value)
        elif isinstance(kind, GraphQLEnumType):
            typed[key] = kind.parse_value(value) if isinstance(value, str) else value
        else:  # floats, input objects: not worth a conversion here
            return None
    return typed


def _python_names(field: GraphQLField) -> dict[str, str]:
    """GraphQL argument name -> the resolver's parameter name (`sortBy` -> `sort_by`)."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    return {
        argument.graphql_name or to_camel_case(argument.python_name): argument.python_name
        for argument in getattr(definition, "arguments", ())
    }


def _warm_key(warm: Warm, record: object, arguments: dict[str, Any]) -> Hashable:
    given = tuple(sorted((name, value) for name, value in arguments.items() if value is not None))
    return (warm, id(record), given)


def _warm_up(
    ctx: Context, warm: Warm, records: Sequence[object], arguments: dict[str, Any]
) -> list[asyncio.Future[object]]:
    """Start `warm` for every record, remembered for the resolver (`warmed`)."""
    started: list[asyncio.Future[object]] = []
    for record in records:
        try:
            key = _warm_key(warm, record, arguments)
            hash(key)
            task = asyncio.ensure_future(warm(ctx, record, **arguments))
        except TypeError:  # an argument it does not take or cannot key: the resolver alone runs
            break
        ctx.warm_ups[key] = task
        started.append(task)
    return started


async def warmed(
    ctx: Context, warm: Callable[..., Awaitable[T]], record: object, **arguments: Any
) -> T:
    """What `warm(ctx, record, **arguments)` answers: the call the prefetch started, if it did.

    The answer (or the error) of the started call is used once, so the upstream sees one call
    whether or not the prefetch started it.
    """
    started = ctx.warm_ups.pop(_warm_key(warm, record, arguments), None)
    if started is not None:
        return cast("T", await started)
    return await warm(ctx, record, **arguments)


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
    warming: list[asyncio.Future[object]] = []
    for field in selected(selections):
        definition = parent_type.fields.get(field.name)
        if definition is None:
            continue
        warm = warm_of(definition)
        arguments = None if warm is None else _scalar_arguments(definition, field.arguments)
        if warm is not None and arguments is not None:
            warming += _warm_up(ctx, warm, records, arguments)
        link = link_of(definition)
        if link is None:
            continue
        keys = link.keys(list(records))
        target = get_named_type(definition.type)
        if keys and isinstance(target, GraphQLObjectType):
            pending.append((link, target, field, link.loader(ctx.loaders).load_many(keys)))
    if not pending and not warming:
        return
    # a failed warm-up is the resolver's to report: `warmed` hands it the same outcome
    loaded, _ = await asyncio.gather(
        asyncio.gather(*(future for *_, future in pending), return_exceptions=True),
        asyncio.gather(*warming, return_exceptions=True),
    )
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
