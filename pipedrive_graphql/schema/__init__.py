"""The GraphQL schema: domain types composed into Query and Mutation."""

from __future__ import annotations

import strawberry

from pipedrive_graphql.schema.fast_paths import streamline
from pipedrive_graphql.schema.mutations import Mutation
from pipedrive_graphql.schema.queries import Query


def build_schema() -> strawberry.Schema:
    """Build the schema (no extensions: the app's own handler adds limits, costs and caches)."""
    schema = strawberry.Schema(query=Query, mutation=Mutation)
    streamline(schema._schema)
    return schema


__all__ = ["Mutation", "Query", "build_schema"]
