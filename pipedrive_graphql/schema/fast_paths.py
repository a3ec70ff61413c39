"""Direct resolvers for the hot fields, installed on the built graphql-core schema.

Strawberry wraps every field's resolver (argument conversion, its own `Info`, extensions). A
plain attribute or a to-one link needs none of that, and a 1,000-object result resolves a few
thousand of them, so those fields get a one-call resolver: `getattr` for plain attributes, and
for links the method itself, called with graphql-core's info (they read only `info.context`,
which both kinds of info carry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema
from strawberry.types.field import StrawberryField

from pipedrive_graphql.resolvers.links import LINKS

DEFINITION = "strawberry-definition"  # where Strawberry keeps a field's definition
Resolver = Callable[..., Any]


def _attribute(name: str) -> Resolver:
    def resolve(source: object, info: object) -> object:
        return getattr(source, name)

    return resolve


def _method(function: Callable[[object, object], object]) -> Resolver:
    def resolve(source: object, info: object) -> object:
        return function(source, info)

    return resolve


def _direct(type_name: str, field_name: str, field: GraphQLField) -> Resolver | None:
    definition = (field.extensions or {}).get(DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions:
        return None
    if definition.base_resolver is None:
        return _attribute(definition.python_name)
    function = definition.base_resolver.wrapped_func
    if (type_name, field_name) in LINKS and not definition.arguments:
        if isinstance(function, staticmethod | classmethod):
            return None
        return _method(function)
    return None


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
