"""Every query limit refuses an over-limit operation before any upstream call."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.settings import Settings
from tests.conftest import GraphQLCall, make_settings


@pytest.fixture
def settings() -> Settings:
    """Small limits, so short queries can cross them."""
    return make_settings(
        max_depth=6,
        max_aliases=3,
        max_query_tokens=400,
        max_upstream_calls=40,
        max_pipedrive_tokens=300,
    )


DEEP = "{ deal(dealId: 54321) { person { organization { deals { results { person { id } } } } } } }"
ALIASED = "{ a: pipelines { results { id } } b: pipelines { results { id } } c: pipelines { results { id } } d: pipelines { results { id } } }"  # noqa: E501
MANY_TOKENS = "{ " + " __typename" * 450 + " }"
# v1 mail messages: a call per person, never one scan (deals or notes would be read with one)
MANY_CALLS = "{ persons(limit: 50) { results { mailMessages(limit: 5) { results { id } } } } }"
MANY_PD_TOKENS = "{ persons(limit: 20) { results { mailMessages(limit: 5) { results { id } } } } }"


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        (DEEP, "depth"),
        (ALIASED, "aliases"),
        (MANY_TOKENS, "tokens"),
        (MANY_CALLS, "upstream calls"),
        (MANY_PD_TOKENS, "Pipedrive tokens"),
    ],
)
async def test_over_limit_is_refused_before_any_upstream_call(
    gql: GraphQLCall, upstream: Emulator, query: str, limit: str
) -> None:
    result = await gql(query)
    assert result.codes() == ["QUERY_TOO_COMPLEX"]
    assert f"the {limit} limit" in result.errors[0]["message"]
    assert result.data is None
    assert upstream.log.entries == []


async def test_query_inside_the_limits_runs_and_reports_its_estimate(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql("{ persons(limit: 10) { results { id organization { name } } } }")
    assert result.errors == []
    estimate = result.extensions["cost"]["estimate"]
    # a persons page (10 tokens) and one organizations ids= batch (10 tokens) at most; the
    # planner may send up to 9 single GETs (1 token each) instead of that batch
    assert estimate == {"upstreamCalls": 10, "pipedriveTokens": 20}
    assert result.extensions["cost"]["pipedriveTokens"] <= estimate["pipedriveTokens"]
    assert len(upstream.log.entries) <= estimate["upstreamCalls"]


async def test_fragments_and_variables_are_priced(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($n: Int) { persons(limit: $n) { ...P } }
      fragment P on PersonList { results {
        mailMessages(limit: 5) { results { id } } deals(limit: 5) { results { id } } } }"""
    over = await gql(query, {"n": 50})
    assert over.codes() == ["QUERY_TOO_COMPLEX"]
    assert upstream.log.entries == []
    under = await gql(query, {"n": 3})
    assert under.errors == []
    # the persons page, a mail call per person, a deals call per person, and the pages of a
    # deals scan that may come first and give up (a known size's pages and one more: 3 for 3
    # persons)
    assert under.extensions["cost"]["estimate"]["upstreamCalls"] == 1 + 3 + 3 + 3


async def test_analytics_fields_are_priced(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """{ pipelineSummary(pipelineId: 1) { open { count } }
      pipelineConversion(pipelineId: 1, from: "2025-01-01", to: "2025-12-31") { wonRate }
      deals(limit: 5) { results { weightedValue isRotten } } }"""
    result = await gql(query)
    assert result.errors == []
    estimate = result.extensions["cost"]["estimate"]
    # one scan page (10) + conversion (40) + a deals page (10) + stages and pipelines lists (5 + 5)
    assert estimate == {"upstreamCalls": 5, "pipedriveTokens": 70}
    assert result.extensions["cost"]["pipedriveTokens"] <= estimate["pipedriveTokens"]


BOUNDED = [
    """{ deals(limit: 100) { results { person { organization { name } }
         stage { pipeline { name } } owner { name } } } }""",
    """{ pipelines { results { id name stages { id name } } }
         deals(limit: 50) { results { stage { name } owner { name } organization { name } } } }""",
    """{ person(personId: 12345) { deals { results { id } } activities { results { id } }
         notes { results { id } } organization { name } mailMessages { results { subject } } } }""",
    """{ searchPersons(term: "john", limit: 10) { results { name organization { name } } } }""",
    """mutation { addPerson(name: "Priced", orgId: 67890) { id organization { name } }
         createDeal(title: "Priced", personId: 12345) { id person { name } stage { name } }
         updateNote(noteId: 98765, content: "priced") { id deal { title } }
         createNote(content: "priced", dealId: 54321) { id }
         updatePerson(personId: 12345, name: "Priced") { id }
         updateDeal(dealId: 54321, title: "Priced") { id owner { name } } }""",
    """{ deals(archived: true, limit: 100) { results { id title } } }""",
    """{ mailMessage(mailMessageId: 11111) {
         dealId deal { title } orgId organization { name } } }""",
    """{ deal(dealId: 54321) { mailMessages(limit: 5) { results { dealId deal { title } } } } }""",
]


@pytest.mark.parametrize("query", BOUNDED)
async def test_estimate_bounds_what_a_query_really_costs(
    gql: GraphQLCall, upstream: Emulator, query: str
) -> None:
    result = await gql(query)
    assert result.errors == []
    cost = result.extensions["cost"]
    assert cost["upstreamRequests"] == len(upstream.log.entries) > 0
    assert cost["upstreamRequests"] <= cost["estimate"]["upstreamCalls"]
    assert cost["pipedriveTokens"] <= cost["estimate"]["pipedriveTokens"]


async def test_comments_count_toward_the_token_limit(gql: GraphQLCall) -> None:
    padded = "#\n" * 450 + "{ __typename }"
    result = await gql(padded)
    assert result.codes() == ["QUERY_TOO_COMPLEX"]
    assert result.errors[0]["extensions"]["limit"] == "tokens"


async def test_a_syntax_error_before_the_token_limit_is_reported_as_one(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    # a syntax error whose text reads like the limit's; the query is nowhere near the limit
    result = await gql('{ "more than 400 tokens" }')
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"].startswith("Syntax Error: Expected Name, found String")
    long_but_broken = "{ ) " + " __typename" * 450 + " }"  # broken at token 2, before the limit
    result = await gql(long_but_broken)
    assert result.codes() == ["BAD_USER_INPUT"]
    assert "Expected Name, found ')'" in result.errors[0]["message"]
    assert upstream.log.entries == []
