"""Introspection: the standard queries of tools pass at the defaults, hostile ones are bounded."""

from __future__ import annotations

import itertools

import pytest
from graphql import get_introspection_query

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.settings import Settings
from tests.conftest import GraphQLCall, make_settings

OPTIONS = (
    "descriptions",
    "specified_by_url",
    "directive_is_repeatable",
    "schema_description",
    "input_value_deprecation",
)


def _type_ref(levels: int) -> str:
    inner = "kind name"
    for _ in range(levels):
        inner = f"kind name ofType {{ {inner} }}"
    return inner


# What GraphiQL 3.x sends: graphql-js 16's getIntrospectionQuery({ inputValueDeprecation: true,
# schemaDescription: true }), 9 levels of ofType, as operation "IntrospectionQuery".
GRAPHIQL = (
    """
    query IntrospectionQuery {
      __schema {
        description
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types { ...FullType }
        directives {
          name
          description
          isRepeatable
          locations
          args(includeDeprecated: true) { ...InputValue }
        }
      }
    }
    fragment FullType on __Type {
      kind
      name
      description
      specifiedByURL
      fields(includeDeprecated: true) {
        name
        description
        args(includeDeprecated: true) { ...InputValue }
        type { ...TypeRef }
        isDeprecated
        deprecationReason
      }
      inputFields(includeDeprecated: true) { ...InputValue }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
      isDeprecated
      deprecationReason
    }
    fragment TypeRef on __Type { """
    + _type_ref(9)
    + " }"
)


def _every_option_combination() -> list[str]:
    out = []
    for flags in itertools.product((False, True), repeat=len(OPTIONS)):
        out.append(get_introspection_query(**dict(zip(OPTIONS, flags, strict=True))))
    return out


@pytest.mark.parametrize("query", [GRAPHIQL, *_every_option_combination()])
async def test_standard_introspection_passes_at_the_default_limits(
    gql: GraphQLCall, upstream: Emulator, query: str
) -> None:
    result = await gql(query)
    assert result.errors == []
    types = {t["name"] for t in result.data["__schema"]["types"]}
    assert {"Query", "Mutation", "Deal", "Person", "__Type"} <= types
    assert upstream.log.entries == []


class TestTightLimits:
    """Limits far below what introspection itself uses (depth 14, ~400 tokens)."""

    @pytest.fixture
    def settings(self) -> Settings:
        """Depth 4 and 120 tokens: the introspection query is deeper and longer."""
        return make_settings(max_depth=4, max_query_tokens=120)

    async def test_introspection_passes_while_data_queries_are_refused(
        self, gql: GraphQLCall
    ) -> None:
        assert (await gql(GRAPHIQL)).errors == []
        deep = "{ deal(dealId: 54321) { person { organization { deals { results { id } } } } } }"
        assert (await gql(deep)).codes() == ["QUERY_TOO_COMPLEX"]
        wide = "{ " + " ".join(f"f{i}: __typename" for i in range(60)) + " }"
        tokens = await gql(wide)
        assert tokens.codes() == ["QUERY_TOO_COMPLEX"]
        assert "tokens limit" in tokens.errors[0]["message"]


HOSTILE = {
    "deep ofType": '{ __type(name: "Deal") { fields { type { ' + _type_ref(30) + " } } } }",
    "__schema aliased": "{ "
    + " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(20))
    + " }",
    "__type fanned out": "{ "
    + " ".join(f't{i}: __type(name: "Deal") {{ name }}' for i in range(25))
    + " }",
    "nested field lists": "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",  # noqa: E501
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
async def test_hostile_introspection_is_refused(
    gql: GraphQLCall, upstream: Emulator, name: str
) -> None:
    result = await gql(HOSTILE[name])
    assert result.data is None
    # graphql-core's own MaxIntrospectionDepthRule refuses nested field lists in validation
    expected = "BAD_USER_INPUT" if name == "nested field lists" else "QUERY_TOO_COMPLEX"
    assert result.codes() == [expected], result.errors
    assert upstream.log.entries == []
