"""The estimate prices what a field really reaches: `/deals/archived` at its own price, and a
mail thread read once however many of its fields are selected. Estimate and cost are compared
with the calls the strict emulator saw."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall


def _calls(upstream: Emulator) -> list[tuple[str, int]]:
    return [(e.path, e.token_cost) for e in upstream.log.entries]


async def test_archived_deals_are_estimated_at_what_a_page_costs(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql("{ deals(archived: true, limit: 100) { results { id isArchived } } }")
    assert result.errors == []
    deals = result.data["deals"]["results"]
    assert deals
    assert all(d["isArchived"] for d in deals)
    assert _calls(upstream) == [("/api/v2/deals/archived", 20)]
    cost = result.extensions["cost"]
    assert cost["pipedriveTokens"] == 20
    assert cost["estimate"] == {"upstreamCalls": 1, "pipedriveTokens": 20}
    # not archived: the ordinary list at 10 tokens, estimated so
    result = await gql("{ deals(archived: false, limit: 100) { results { id } } }")
    assert _calls(upstream) == [("/api/v2/deals", 10)]
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 1, "pipedriveTokens": 10}


async def test_a_mail_thread_is_charged_once_for_all_its_fields(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ mailMessage(mailMessageId: 11111) {
      dealId deal { title } orgId organization { name } } }"""
    result = await gql(query)
    assert result.errors == []
    assert result.data["mailMessage"] == {
        "dealId": 54321,
        "deal": {"title": "Acme Corp - Enterprise License"},
        "orgId": 67890,
        "organization": {"name": "Acme Corp"},
    }
    assert _calls(upstream) == [
        ("/api/v1/mailbox/mailMessages/11111", 2),
        ("/api/v1/mailbox/mailThreads/11111", 20),
        ("/api/v2/deals/54321", 1),
        ("/api/v2/organizations/67890", 1),
    ]
    cost = result.extensions["cost"]
    assert cost["pipedriveTokens"] == 24
    assert cost["estimate"] == {"upstreamCalls": 4, "pipedriveTokens": 24}


async def test_thread_fields_alone_cost_the_thread_only(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql("{ mailMessage(mailMessageId: 11111) { dealId orgId } }")
    assert result.errors == []
    assert result.data["mailMessage"] == {"dealId": 54321, "orgId": 67890}
    assert [path for path, _ in _calls(upstream)] == [
        "/api/v1/mailbox/mailMessages/11111",
        "/api/v1/mailbox/mailThreads/11111",
    ]
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 2, "pipedriveTokens": 22}
