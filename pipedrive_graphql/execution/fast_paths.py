"""Direct resolvers for the hot fields, installed on the built graphql-core schema.

Strawberry wraps every field's resolver (argument conversion, its own `Info`, extensions). A
plain attribute or a to-one link needs none of that, and a 1,000-object result resolves a few
thousand of them, so those fields get a one-call resolver: `getattr` for plain attributes, and
for a declared link (`link_of`) its `Link.follow`, which reads only the request's context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import GraphQLField, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema
from strawberry.types.field import StrawberryField

from pipedrive_graphql.context import Context
from pipedrive_graphql.execution.links import Link, link_of
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION

Resolver = Callable[..., Any]
# Metadata key of a field whose resolver already has graphql-core's signature
# (`(source, info, **arguments)`, reading only `info.context`): it is installed as it is.
DIRECT = "direct"


class AttributeRead:
    """A field that is `getattr(source, name)`; the executor may read it without `info`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        """Read attribute `name` of the source object."""
        self.name = name

    def __call__(self, source: object, info: object) -> object:
        """graphql-core's resolver signature."""
        return getattr(source, self.name)


class LinkRead:
    """A declared to-one link; following it needs only the request's context."""

    __slots__ = ("link",)

    def __init__(self, link: Link) -> None:
        """Follow `link`."""
        self.link = link

    def follow(self, context: Context, source: object) -> object:
        """The linked record, None, or an awaitable of either."""
        return self.link.follow(context, source)

    def __call__(self, source: object, info: GraphQLResolveInfo[Context]) -> object:
        """graphql-core's resolver signature."""
        return self.link.follow(info.context, source)


def _direct(field: GraphQLField) -> Resolver | None:
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions:
        return None
    metadata: dict[str, object] = dict(definition.metadata or {})
    direct = metadata.get(DIRECT)
    if callable(direct):
        return cast("Resolver", direct)
    if definition.base_resolver is None:
        return AttributeRead(definition.python_name)
    link = link_of(field)
    if link is None or definition.arguments:
        return None
    return LinkRead(link)


def streamline(schema: GraphQLSchema) -> int:
    """Install direct resolvers where they are safe; returns how many fields changed."""
    changed = 0
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field in graphql_type.fields.values():
            direct = _direct(field)
            if direct is not None:
                field.resolve = direct
                changed += 1
    return changed
