"""Hot fields bypass Strawberry's resolver wrapper; fields with arguments keep it."""

from __future__ import annotations

from graphql import GraphQLObjectType

from pipedrive_graphql.resolvers.links import LINKS
from pipedrive_graphql.schema import build_schema
from pipedrive_graphql.schema.fast_paths import streamline


def _resolver_module(type_name: str, field_name: str) -> str:
    schema = build_schema()._schema
    graphql_type = schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    resolve = graphql_type.fields[field_name].resolve
    assert resolve is not None
    return str(resolve.__module__)


def test_plain_fields_and_links_get_direct_resolvers() -> None:
    assert _resolver_module("Deal", "title") == "pipedrive_graphql.schema.fast_paths"
    assert _resolver_module("Person", "firstName") == "pipedrive_graphql.schema.fast_paths"
    for type_name, field_name in LINKS:
        assert _resolver_module(type_name, field_name) == "pipedrive_graphql.schema.fast_paths"


def test_fields_with_arguments_keep_strawberrys_resolver() -> None:
    assert _resolver_module("Person", "deals").startswith("strawberry")
    assert _resolver_module("Query", "deal").startswith("strawberry")


def test_streamlining_twice_changes_the_same_fields() -> None:
    schema = build_schema()._schema
    assert streamline(schema) > 200  # every plain attribute and to-one link
