"""Warm-ups: a to-many field's loader call, started for a whole level before it resolves.

A to-many field is declared as its warm-up (`schema.fields.to_many`): the call
`warm(context, parent, **arguments)` its resolver is made from, and whose answer is the field's
value (the resolver returns it once the links under it are loaded). The prefetch of the parent
level starts it for every parent alongside the level's to-one links, so the level's lists and
links take one upstream round. The answer is then taken once: by the executor, which completes a
finished one in place (`answer`), or by the resolver (`warmed`); the upstream sees one call
either way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

from graphql import (
    FieldNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInt,
    GraphQLString,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.types.arguments import StrawberryArgument

from pipedrive_graphql.context import Context
from pipedrive_graphql.execution.eager import Started
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION

T = TypeVar("T")
# (context, parent record, the field's arguments by Python name) -> the field's value
Warm = Callable[..., Awaitable[object]]
WARM = "warm"  # the key of a field's warm-up in its Strawberry metadata
Given = tuple[tuple[str, Any], ...]  # the arguments that are not None, sorted: part of the key
_WARMABLE = (GraphQLInt, GraphQLString, GraphQLBoolean)


def warm_of(field: GraphQLField) -> Warm | None:
    """The warm-up declared on a to-many field, if any."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    warm = (getattr(definition, "metadata", None) or {}).get(WARM)
    return warm if callable(warm) else None


def warm_arguments(
    field: GraphQLField, node: FieldNode, variables: VariableValues | None
) -> dict[str, Any] | None:
    """The arguments the field's resolver receives, by Python name; None unless all are
    Int, String, Boolean or enum values (or null), or when they are invalid (the resolver
    reports that). Strawberry's enum types coerce to the Python enum member, as the resolver
    receives it.
    """
    try:
        values = get_argument_values(field, node, variables)
    except GraphQLError:
        return None
    arguments: dict[str, Any] = {}
    for name, value in values.items():
        argument = field.args[name]
        definition = (argument.extensions or {}).get(STRAWBERRY_DEFINITION)
        if not isinstance(definition, StrawberryArgument):
            return None
        kind = get_named_type(argument.type)
        if value is not None and kind not in _WARMABLE and not isinstance(kind, GraphQLEnumType):
            return None  # floats, input objects: not worth keying here
        arguments[definition.python_name] = value
    return arguments


def given(arguments: dict[str, Any]) -> Given:
    """The part of a warm-up's key that the arguments make."""
    return tuple(sorted((name, value) for name, value in arguments.items() if value is not None))


def _key(warm: Callable[..., Awaitable[Any]], record: object, arguments: Given) -> Hashable:
    return (warm, id(record), arguments)


def start(
    ctx: Context,
    warm: Warm,
    records: Sequence[object],
    arguments: dict[str, Any],
    group: Started,
) -> list[asyncio.Future[object]]:
    """Start `warm` for every record in `group`, remembered for whoever takes the answer.

    A record whose warm-up is already started (the same list selected twice, or a resolver
    prefetching a level its parent's prefetch did) keeps that one.
    """
    started: list[asyncio.Future[object]] = []
    key_arguments = given(arguments)
    for record in records:
        try:
            key = _key(warm, record, key_arguments)
            task = ctx.warm_ups.get(key)
            if task is None:
                task = group.start(warm(ctx, record, **arguments))
        except TypeError:  # an argument it does not take or cannot key: the resolver alone runs
            break
        ctx.warm_ups[key] = task
        started.append(task)
    return started


def answer(ctx: Context, warm: Warm, record: object, arguments: Given) -> object | None:
    """The value a finished warm-up answered, taken; None when there is none to take.

    An unfinished, failed or empty warm-up is left to the resolver, which reports it its way.
    """
    key = _key(warm, record, arguments)
    task = ctx.warm_ups.get(key)
    if task is None or not task.done() or task.cancelled() or task.exception() is not None:
        return None
    value: object = task.result()
    if value is not None:
        del ctx.warm_ups[key]
    return value


async def warmed(
    ctx: Context, warm: Callable[..., Awaitable[T]], record: object, **arguments: Any
) -> T:
    """What `warm(ctx, record, **arguments)` answers: the call the prefetch started, if it did.

    The answer (or the error) of the started call is used once, so the upstream sees one call
    whether or not the prefetch started it.
    """
    started = ctx.warm_ups.pop(_key(warm, record, given(arguments)), None)
    if started is not None:
        return cast("T", await started)
    return await warm(ctx, record, **arguments)
