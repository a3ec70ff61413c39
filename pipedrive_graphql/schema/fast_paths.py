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
    """A to-one link followed through `follow_link`; it needs only the request's context."""

    __slots__ = ("link", "wrap")

    def __init__(self, link: Link, wrap: Callable[[Any], object]) -> None:
        """Follow `link` and wrap the record with the target type's `from_record`."""
        self.link = link
        self.wrap = wrap

    def follow(self, context: Context, source: object) -> object:
        """The linked object, None, or an awaitable of either."""
        return follow_link(context, source, self.link, self.wrap)

    def __call__(self, source: object, info: GraphQLResolveInfo[Context]) -> object:
        """graphql-core's resolver signature."""
        return follow_link(info.context, source, self.link, self.wrap)


def _direct(type_name: str, field_name: str, field: GraphQLField) -> Resolver | None:
    definition = (field.extensions or {}).get(DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions:
        return None
    if definition.base_resolver is None:
        return AttributeRead(definition.python_name)
    link = LINKS.get((type_name, field_name))
    if link is None or definition.arguments:
        return None
    target = get_named_type(field.type).extensions.get(DEFINITION)
    origin = getattr(target, "origin", None)
    wrap = getattr(origin, "from_record", None)
    return LinkRead(link, wrap) if callable(wrap) else None


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
