"""Custom fields of a record: reading them by name or key, and which values a query needs.

Names are matched case-insensitively against the account's definitions; a name or key that is
not found makes the definitions be fetched again (at most once per request and entity) before a
`BAD_USER_INPUT` names the closest existing fields: one error per field of the query, whatever
the number of records, and the field alone is null (or empty).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Iterable, Sequence

from graphql import FieldNode, located_error
from graphql.pyutils import Path

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.custom_field_records import (
    FIELD_PATHS,
    Entity,
    FieldDefinition,
    FieldDefinitions,
)
from pipedrive_graphql.datasources.pipedrive.records import CustomValues, SearchHit
from pipedrive_graphql.errors import BadUserInputError, GatewayError
from pipedrive_graphql.resolvers.custom_field_names import check_names
from pipedrive_graphql.resolvers.custom_field_values import CustomValue
from pipedrive_graphql.resolvers.echo import clip, shown

ENTITIES: tuple[Entity, ...] = tuple(FIELD_PATHS)
# Close matches are searched for this many distinct unknown names per request, no more.
MAX_SUGGESTED_NAMES = 20


def _unknown(
    definitions: FieldDefinitions, name: str | None, key: str | None, *, suggest: bool
) -> BadUserInputError:
    wanted = name if name is not None else key or ""
    names = [d.name for d in definitions.fields]
    close = (
        difflib.get_close_matches(wanted, names, n=3, cutoff=0.4)
        if name is not None and suggest
        else []
    )
    what = f"named {shown(name)}" if name is not None else f"with key {shown(key)}"
    hint = f"; closest: {', '.join(close)}" if close else ""
    return BadUserInputError(
        f"no {definitions.entity} custom field {what}{hint}",
        extensions={"field": clip(wanted), "suggestions": close},
    )


async def definition(
    ctx: Context, entity: Entity, *, name: str | None, key: str | None
) -> FieldDefinition:
    """The field named `name` (case-insensitive) or keyed `key`; BAD_USER_INPUT when none is.

    An unknown name costs one refresh and one close-match search per request; the same name
    again raises the error already built.
    """
    if (name is None) == (key is None):
        raise BadUserInputError("give exactly one of name and key")
    fields = ctx.loaders.custom_fields
    if name is not None:
        check_names("name", [name])
        cache_key: tuple[Entity, str, str] = (entity, "name", name.strip().casefold())
    else:
        assert key is not None
        check_names("key", [key])
        cache_key = (entity, "key", key)
    known_error = fields.unknown.get(cache_key)
    if known_error is not None:
        raise known_error
    definitions = await fields.of(entity)
    found = definitions.find(name=name, key=key)
    if found is None:
        definitions = await fields.refresh(entity)
        found = definitions.find(name=name, key=key)
    if found is None:
        suggest = len(fields.unknown) < MAX_SUGGESTED_NAMES
        error = fields.unknown[cache_key] = _unknown(definitions, name, key, suggest=suggest)
        raise error
    return found


_KEY_IN_MESSAGE = re.compile(r"custom_fields\.([0-9a-f]{40})\"?")


def name_keys_in(ctx: Context, message: str) -> str:
    """`message` with each `custom_fields.<key>` followed by the field's name, where known."""

    def named(match: re.Match[str]) -> str:
        for entity in ENTITIES:
            definitions = ctx.loaders.custom_fields.known(entity)
            found = definitions.by_key.get(match[1]) if definitions is not None else None
            if found is not None:
                return f"{match[0]} (custom field {shown(found.name)})"
        return match[0]

    return _KEY_IN_MESSAGE.sub(named, message)


def report_once(
    ctx: Context, field_nodes: Sequence[FieldNode], path: Path, error: GatewayError
) -> None:
    """Record `error` for this field once per request, at the first path that meets it.

    A list of 100 deals selecting an unknown name gets one error, not 100, and the field
    resolves to null (or an empty list) instead of nulling the records around it.
    """
    node = id(field_nodes[0])
    reported = ctx.loaders.custom_fields.reported
    if node in reported:
        return
    reported.add(node)
    ctx.field_errors.append(located_error(error, field_nodes, path.as_list()))


async def values_of(
    ctx: Context,
    entity: Entity,
    values: CustomValues,
    *,
    names: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
) -> list[CustomValue]:
    """The set custom fields of a record (or those named), in the account's field order."""
    if names is not None:
        check_names("names", names)
    if keys is not None:
        check_names("keys", keys)
    definitions = await ctx.loaders.custom_fields.of(entity)
    chosen: set[str] | None = None
    if names is not None or keys is not None:
        chosen = set()
        for name in names or ():
            chosen.add((await definition(ctx, entity, name=name, key=None)).key)
        for key in keys or ():
            chosen.add((await definition(ctx, entity, name=None, key=key)).key)
        definitions = await ctx.loaders.custom_fields.of(entity)
    return [
        CustomValue(d, values[d.key])
        for d in definitions.fields
        if (chosen is None or d.key in chosen) and values.get(d.key) is not None
    ]


def value_now(
    ctx: Context, entity: Entity, values: CustomValues, *, name: str | None, key: str | None
) -> CustomValue | Awaitable[CustomValue | None] | None:
    """`value_of` without a coroutine when the definitions are at hand (the common case)."""
    definitions = ctx.loaders.custom_fields.known(entity)
    if definitions is not None and (name is None) != (key is None):
        found = definitions.find(name=name, key=key)
        if found is not None:
            raw = values.get(found.key)
            return None if raw is None else CustomValue(found, raw)
    return value_of(ctx, entity, values, name=name, key=key)


def values_now(
    ctx: Context, entity: Entity, values: CustomValues
) -> list[CustomValue] | Awaitable[list[CustomValue]]:
    """Every set field of a record, without a coroutine when the definitions are at hand."""
    definitions = ctx.loaders.custom_fields.known(entity)
    if definitions is None:
        return values_of(ctx, entity, values)
    return [
        CustomValue(d, values[d.key]) for d in definitions.fields if values.get(d.key) is not None
    ]


async def value_of(
    ctx: Context, entity: Entity, values: CustomValues, *, name: str | None, key: str | None
) -> CustomValue | None:
    """One custom field of a record; None when it is not set."""
    found = await definition(ctx, entity, name=name, key=key)
    raw = values.get(found.key)
    return None if raw is None else CustomValue(found, raw)


def remember_search_matches(ctx: Context, entity: Entity, hits: Iterable[SearchHit]) -> None:
    """Keep, for this request, which custom values each search hit matched."""
    matches = ctx.loaders.custom_fields.search_matches
    for hit in hits:
        if hit.matched_custom_values:
            matches[(entity, hit.id)] = hit.matched_custom_values


async def matched_by_search(
    ctx: Context, entity: Entity, record_id: int, values: CustomValues
) -> list[CustomValue]:
    """The custom fields whose values a search of this request matched on this record.

    Pipedrive lists the matched values as strings (`item.custom_fields`), not their keys; a
    field matched when its searchable text is one of them.
    """
    matched = ctx.loaders.custom_fields.search_matches.get((entity, record_id))
    if not matched:
        return []
    return [v for v in await values_of(ctx, entity, values) if v.searchable_text() in matched]
