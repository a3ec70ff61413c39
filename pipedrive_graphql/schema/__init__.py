"""The GraphQL schema: domain types composed into Query and Mutation."""

from __future__ import annotations

import strawberry

from pipedrive_graphql.execution import install
from pipedrive_graphql.pricing import unpriced_fields
from pipedrive_graphql.schema.mutations import Mutation
from pipedrive_graphql.schema.queries import Query
from pipedrive_graphql.schema.subscriptions import Subscription


def build_schema() -> strawberry.Schema:
    """Build the schema (no extensions: the app's own handler adds limits, costs and caches)."""
    schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription)
    check_prices(schema)
    install(schema)
    return schema


class UnpricedFieldError(TypeError):
    """A field with a resolver declares no upstream price: the estimate would miss its calls."""


def check_prices(schema: strawberry.Schema) -> None:
    """Refuse a schema where a field with a resolver has no price (`schema.fields`)."""
    missing = unpriced_fields(schema._schema)
    if missing:
        raise UnpricedFieldError(f"fields with a resolver and no price: {', '.join(missing)}")


__all__ = [
    "Mutation",
    "Query",
    "Subscription",
    "UnpricedFieldError",
    "build_schema",
    "check_prices",
]
