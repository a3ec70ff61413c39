"""Warm-ups: a to-many field's loader calls, started for a whole level before it resolves.

A to-many field is declared as a `LinkedList` (`schema.fields.to_many`): `call(context,
parent_id, **arguments)` checks the field's arguments and names the loader and the key of one
parent's list. The field's resolver makes that call for its parent; the prefetch of the parent
level makes it for every parent at once (`LinkedList.start`) alongside the level's to-one links,
so the level's lists and links take one upstream round, and the arguments are checked once per
level. Each parent's answer, a loader future, is then taken once: by the executor, which
completes a finished one in place (`answer`), or by the resolver (`warmed`); the loader caches
the key, so the upstream sees one call either way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, Protocol, TypeVar, cast

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
from pipedrive_graphql.datasources.loading.batching import LoaderCall
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION

K = TypeVar("K")
V = TypeVar("V")
WARM = "warm"  # the key of a field's `LinkedList` in its Strawberry metadata
Given = tuple[tuple[str, Any], ...]  # the arguments that are not None, sorted: part of the key
_WARMABLE = (GraphQLInt, GraphQLString, GraphQLBoolean)


class Parent(Protocol):
    """A parent record: its list is filtered by its id."""

    @property
    def id(self) -> int: ...


class LinkedList(Generic[K, V]):
    """A to-many link's loader call, for one parent or for a whole level of them.

    `call(context, parent_id, **arguments)` checks the arguments (BAD_USER_INPUT) and names the
    loader and the key of the parent's list; its parameters after the first two are the
    field's GraphQL arguments. `rekey(key, parent_id)` is that key for another parent: a
    level's keys differ only in the parent's id.
    """

    def __init__(self, call: Callable[..., LoaderCall[K, V]], rekey: Callable[[K, int], K]) -> None:
        """A linked list made by `call`, its key moved to another parent by `rekey`."""
        self.call = call
        self.rekey = rekey

    async def __call__(self, ctx: Context, parent: Parent, **arguments: Any) -> V:
        """The parent's list: what the field's resolver answers without a warm-up."""
        return await self.call(ctx, parent.id, **arguments).load()

    def start(
        self, ctx: Context, parents: Sequence[Parent], **arguments: Any
    ) -> list[asyncio.Future[V]]:
        """Load the list of every parent (one batch): the loader futures, in parent order.

        Raises what `call` raises for the arguments (the same for every parent).
        """
        if not parents:
            return []
        first = self.call(ctx, parents[0].id, **arguments)
        loader, key, rekey = first.loader, first.key, self.rekey
        return [first.load(), *(loader.load(rekey(key, p.id)) for p in parents[1:])]


def warm_of(field: GraphQLField) -> LinkedList[Any, Any] | None:
    """The linked list declared on a to-many field, if any."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    warm = (getattr(definition, "metadata", None) or {}).get(WARM)
    return warm if isinstance(warm, LinkedList) else None


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


def _key(warm: LinkedList[Any, Any], record: object, arguments: Given) -> Hashable:
    return (warm, id(record), arguments)


def start(
    ctx: Context,
    warm: LinkedList[Any, Any],
    records: Sequence[Any],
    arguments: dict[str, Any],
) -> list[asyncio.Future[Any]]:
    """Start the list of every record, remembered for whoever takes the answer.

    A record whose list is already started (the same list selected twice, or a resolver
    prefetching a level its parent's prefetch did) keeps that one. Nothing is started when the
    arguments are refused: each resolver then reports the error for its own field.
    """
    key_arguments = given(arguments)
    try:
        loads = warm.start(ctx, records, **arguments)
    except Exception:  # the resolvers make the same call, and report what it raises
        return []
    warm_ups = ctx.warm_ups
    return [
        warm_ups.setdefault(_key(warm, record, key_arguments), load)
        for record, load in zip(records, loads, strict=True)
    ]


def answer(
    ctx: Context, warm: LinkedList[Any, Any], record: object, arguments: Given
) -> object | None:
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


async def warmed(ctx: Context, warm: LinkedList[Any, V], record: Parent, **arguments: Any) -> V:
    """What `warm(ctx, record, **arguments)` answers: the load the prefetch started, if it did.

    The answer (or the error) of the started load is used once; the loader caches its key, so
    the upstream sees one call whether or not the prefetch started it.
    """
    started = ctx.warm_ups.pop(_key(warm, record, given(arguments)), None)
    if started is not None:
        return cast("V", await started)
    return await warm(ctx, record, **arguments)
