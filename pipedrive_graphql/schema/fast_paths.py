"""Direct resolvers for the hot fields, installed on the built graphql-core schema.

Strawberry wraps every field's resolver (argument conversion, its own `Info`, extensions). A
plain attribute or a to-one link needs none of that, and a 1,000-object result resolves a few
thousand of them, so those fields get a one-call resolver: `getattr` for plain attributes, and
for links `follow_link` — what the link methods call — with the link and the target type's
`from_record` looked up once here (it reads only `info.context`, which graphql-core's info
carries too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    get_named_type,
)
from strawberry.types.field import StrawberryField

from pipedrive_graphql.context import Context
from pipedrive_graphql.resolvers.links import LINKS, Link
from pipedrive_graphql.schema.links import follow_link

DEFINITION = "strawberry-definition"  # where Strawberry keeps a field's definition
Resolver = Callable[..., Any]


def _attribute(name: str) -> Resolver:
    def resolve(source: object, info: object) -> object:
        return getattr(source, name)

    return resolve


def _link(link: Link, wrap: Callable[[Any], object]) -> Resolver:
    def resolve(source: object, info: GraphQLResolveInfo[Context]) -> object:
        return follow_link(info.context, source, link, wrap)

    return resolve


def _direct(type_name: str, field_name: str, field: GraphQLField) -> Resolver | None:
    definition = (field.extensions or {}).get(DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions:
        return None
    if definition.base_resolver is None:
        return _attribute(definition.python_name)
    link = LINKS.get((type_name, field_name))
    if link is None or definition.arguments:
        return None
    target = get_named_type(field.type).extensions.get(DEFINITION)
    origin = getattr(target, "origin", None)
    wrap = getattr(origin, "from_record", None)
    return _link(link, wrap) if callable(wrap) else None


def streamline(schema: GraphQLSchema) -> int:
    """Install direct resolvers where they are safe; returns how many fields changed."""
    changed = 0
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            direct = _direct(type_name, field_name, field)
            if direct is not None:
                field.resolve = direct
                changed += 1
    return changed
