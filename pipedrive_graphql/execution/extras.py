"""Which upstream extras an operation needs: `include_fields` names and mail bodies.

Pipedrive sends some fields only when a read asks for them (v2 `include_fields`, v1
`include_body=1`). A field declares that need in its Strawberry metadata (`UPSTREAM_NEED`);
before execution the operation's selection (fragments included) is walked once and the
request's loaders ask for exactly what is selected. The walk is cached per parsed document.
"""

from __future__ import annotations

from collections import OrderedDict

from graphql import DocumentNode, FieldNode, GraphQLSchema, TypeInfo, TypeInfoVisitor, Visitor
from graphql.language import visit
from strawberry.types.field import StrawberryField

from pipedrive_graphql.datasources.pipedrive.extras import (
    UPSTREAM_NEED,
    UpstreamExtras,
    UpstreamNeed,
    extras_of,
)
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION

_CACHE_SIZE = 512
_cache: OrderedDict[int, tuple[DocumentNode, UpstreamExtras]] = OrderedDict()


class _Needs(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.found: list[UpstreamNeed] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        field = self.type_info.get_field_def()
        definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION) if field else None
        if isinstance(definition, StrawberryField) and definition.metadata:
            need = definition.metadata.get(UPSTREAM_NEED)
            if need is not None:
                self.found.append(need)


def upstream_extras(schema: GraphQLSchema, document: DocumentNode) -> UpstreamExtras:
    """The extras every field selected anywhere in `document` needs (cached per document)."""
    cached = _cache.get(id(document))
    if cached is not None and cached[0] is document:
        _cache.move_to_end(id(document))
        return cached[1]
    type_info = TypeInfo(schema)
    needs = _Needs(type_info)
    visit(document, TypeInfoVisitor(type_info, needs))
    extras = extras_of(needs.found)
    _cache[id(document)] = (document, extras)
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return extras
