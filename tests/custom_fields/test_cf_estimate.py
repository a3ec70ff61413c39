"""The estimate of custom field reads: one batched load per linked collection and record level.

A value's links (`user`, `person`, `organization`) and the `text` of a link-type value load
through the by-id loaders, one batch per collection for every value of a record level. The
estimate charges each collection once per level; which collection a `text` needs is in the
account's definitions, read after the estimate, so a single value's text is charged the most
any one collection could cost, and a list of values' text every collection.
"""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall
from tests.custom_fields.cf_support import calls

# The benchmark's query: 100 deals, three custom fields, one of them person-type.
THREE_FIELDS = """{ deals(limit: 100) { results { id title value
  budget: customField(name: "Budget") { text number currency }
  region: customField(name: "Region") { text }
  contact: customField(name: "Technical contact") { text person { id name } } } } }"""


async def test_three_fields_on_100_deals(gql: GraphQLCall, upstream: Emulator) -> None:
    cold = await gql(THREE_FIELDS)
    assert cold.errors == []
    # deals (1 call, 10 tokens), deal field definitions (1, 10), then one level of values:
    # persons named by the accessor (up to 9 single GETs or one ids= call: 9, 10) and the two
    # collections the other texts may need, users (9 GETs or the list: 9, 20) and organizations
    # (9, 10); before, each alias's text was charged its own link (38 calls)
    assert cold.extensions["cost"]["estimate"] == {"upstreamCalls": 29, "pipedriveTokens": 60}
    assert calls(upstream) == {
        "GET /api/v2/dealFields": 1,
        "GET /api/v2/deals": 1,
        "GET /api/v2/persons": 1,  # the contact's text and person: one ids= batch
    }
    assert (
        cold.extensions["cost"]["upstreamRequests"],
        cold.extensions["cost"]["pipedriveTokens"],
    ) == (3, 30)
    warm = await gql(THREE_FIELDS)
    assert warm.extensions["cost"]["estimate"] == {"upstreamCalls": 29, "pipedriveTokens": 60}
    assert calls(upstream) == {"GET /api/v2/deals": 1, "GET /api/v2/persons": 1}


async def test_one_plain_field_text_is_charged_one_collection(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql('{ deals(limit: 100) { results { customField(name: "Region") { text } } } }')
    # deals, definitions, and the one collection Region's text could need at most (9, 20)
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 11, "pipedriveTokens": 40}
    assert calls(upstream) == {"GET /api/v2/dealFields": 1, "GET /api/v2/deals": 1}


async def test_every_value_text_stays_within_the_estimate(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    """Every set value's text on 100 deals loads users, persons and organizations."""
    await gql('{ deal(dealId: 54321) { customField(name: "Region") { text } } }')  # definitions
    result = await gql("{ deals(limit: 100) { results { customFields { text } } } }")
    assert result.errors == []
    cost = result.extensions["cost"]
    assert calls(upstream) == {
        "GET /api/v2/deals": 1,
        "GET /api/v1/users/1": 1, "GET /api/v1/users/2": 1,
        "GET /api/v1/users/3": 1, "GET /api/v1/users/4": 1,
        "GET /api/v2/persons": 1,
        "GET /api/v2/organizations": 1,
    }  # fmt: skip
    real_tokens = upstream.log.total_tokens()
    assert (cost["upstreamRequests"], real_tokens) == (7, 38)
    # before, the texts were charged one link (30 tokens): fewer than the 38 really spent
    assert real_tokens <= cost["estimate"]["pipedriveTokens"]
    assert cost["estimate"] == {"upstreamCalls": 29, "pipedriveTokens": 60}
