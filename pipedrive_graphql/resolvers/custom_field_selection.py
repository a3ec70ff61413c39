"""Which custom field values an operation reads, so lists ask Pipedrive for those only.

When every `customFields`/`customField` selection on a type (Deal, Person, Organization) names its
fields (`names`, `keys`, `name` or `key`), that entity's lists and `ids=` batches send
`custom_fields=<keys>` (the spec allows at most 15 keys; beyond that, or when any selection asks
for all fields, nothing is sent and Pipedrive returns every value). An operation without custom
field selections changes nothing and costs no definitions call. A name or list too long is
refused here, before any upstream call (`check_names`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    value_from_ast_untyped,
    visit,
)

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.custom_field_records import MAX_SELECTED_KEYS, Entity
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.custom_field_names import check_names
from pipedrive_graphql.resolvers.custom_fields import definition

FIELD_NAMES = frozenset({"customFields", "customField"})
NAMING_ARGUMENTS = frozenset({"names", "keys", "name", "key"})
ENTITY_OF_TYPE: Mapping[str, Entity] = {
    "Deal": "deal",
    "Person": "person",
    "Organization": "organization",
}


class _Wanted:
    """Names and keys asked for on one entity type; `every` once a selection names none."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.keys: set[str] = set()
        self.every = False
        # as the client spelled them, for the check that runs before a mutation
        self.given: dict[tuple[str, str], None] = {}

    def add(self, field: FieldNode, variables: dict[str, Any]) -> None:
        given = False
        for argument in field.arguments or ():
            name = argument.name.value
            value = (
                value_from_ast_untyped(argument.value, variables)
                if name in NAMING_ARGUMENTS
                else None
            )
            if value is None:
                continue
            items = value if isinstance(value, list) else [value]
            check_names(name, items)
            if name in ("names", "name"):
                self.names.update(str(item).strip().casefold() for item in items)
            else:
                self.keys.update(str(item) for item in items)
            kind = "name" if name in ("names", "name") else "key"
            self.given.update(((kind, str(item)), None) for item in items)
            given = True
        if not given:
            self.every = True


class _Collector(Visitor):
    def __init__(self, type_info: TypeInfo, variables: dict[str, Any]) -> None:
        super().__init__()
        self.type_info = type_info
        self.variables = variables
        self.wanted: dict[Entity, _Wanted] = {}

    def enter_field(self, node: FieldNode, *_: object) -> None:
        if node.name.value not in FIELD_NAMES:
            return
        parent = self.type_info.get_parent_type()
        entity = ENTITY_OF_TYPE.get(get_named_type(parent).name) if parent else None
        if entity is not None:
            self.wanted.setdefault(entity, _Wanted()).add(node, self.variables)


def select_custom_fields(
    ctx: Context,
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
) -> Mapping[Entity, _Wanted]:
    """Make the request's client send `custom_fields=` for entities whose fields are named.

    Returns what the document names per entity, for `refuse_unknown_names`.
    """
    source = document.loc.source.body if document.loc is not None else None
    if source is not None and "customField" not in source:
        return {}  # the common case, without walking the document
    type_info = TypeInfo(schema)
    collector = _Collector(type_info, dict(variables or {}))
    visit(document, TypeInfoVisitor(type_info, collector))
    named = {entity: w for entity, w in collector.wanted.items() if not w.every}
    if not named:
        return collector.wanted

    async def keys_for(entity: Entity) -> str | None:
        wanted = named.get(entity)
        if wanted is None:
            return None
        definitions = await ctx.loaders.custom_fields.of(entity)
        keys = [
            d.key
            for d in definitions.fields
            if d.key in wanted.keys or d.name.casefold() in wanted.names
        ]
        if not keys or len(keys) > MAX_SELECTED_KEYS:
            return None
        return ",".join(keys)

    ctx.client.custom_field_selection = keys_for
    return collector.wanted


async def refuse_unknown_names(
    ctx: Context, wanted: Mapping[Entity, _Wanted]
) -> ExecutionResult | None:
    """A refusal naming the first unknown name or key the document selects, or None.

    Run before a mutation: a write whose result selects an unknown field would otherwise be
    sent and succeed while its answer carried an error, and a client retrying it would write
    twice. Checked first, nothing is sent.
    """
    try:
        for entity, selected in wanted.items():
            for kind, given in selected.given:
                if kind == "name":
                    await definition(ctx, entity, name=given, key=None)
                else:
                    await definition(ctx, entity, name=None, key=given)
    except BadUserInputError as error:
        return ExecutionResult(None, [GraphQLError(error.message, original_error=error)])
    return None
