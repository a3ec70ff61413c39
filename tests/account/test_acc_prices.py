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


async def test_a_deal_link_is_estimated_with_its_archived_fallback(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    """`ids=` leaves the archived deal out and `/deals/archived?ids=` reads it: the estimate, a
    bound, charges that call to every deal link batch (50 tokens; 30 without the fallback)."""
    archived = next(d["id"] for d in upstream.store.all("deals") if d["is_archived"])
    upstream.store.update("notes", 2, {"deal_id": archived})
    result = await gql('{ notes(limit: 100, sort: "id ASC") { results { id deal { id } } } }')
    assert result.errors == []
    assert {n["id"]: n["deal"] for n in result.data["notes"]["results"]}[2] == {"id": archived}
    assert _calls(upstream) == [
        ("/api/v1/notes", 20), ("/api/v2/deals", 10), ("/api/v2/deals/archived", 20),
    ]  # fmt: skip
    cost = result.extensions["cost"]
    assert cost["pipedriveTokens"] == 50
    assert cost["estimate"] == {"upstreamCalls": 10, "pipedriveTokens": 50}
    # a person link has no fallback: the list and one ids= batch
    result = await gql("{ notes(limit: 100) { results { person { id } } } }")
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 10, "pipedriveTokens": 30}


async def test_batched_deal_gets_are_estimated_with_the_fallback(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    """Ten `deal(dealId:)` aliases load as one `ids=` batch (ten single GETs would cost as much),
    and the archived one then costs a `/deals/archived` call; nine go as single GETs."""
    archived = next(d["id"] for d in upstream.store.all("deals") if d["is_archived"])
    ids = [archived, *range(1, 10)]
    aliases = " ".join(f"d{i}: deal(dealId: {deal_id}) {{ id }}" for i, deal_id in enumerate(ids))
    result = await gql(f"{{ {aliases} }}")
    assert result.errors == []
    assert result.data["d0"] == {"id": archived}
    assert _calls(upstream) == [("/api/v2/deals", 10), ("/api/v2/deals/archived", 20)]
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 10, "pipedriveTokens": 30}
    upstream.log.clear()
    result = await gql(f"{{ {aliases.rsplit(' d9:', 1)[0]} }}")
    assert result.errors == []
    assert [path for path, _ in _calls(upstream)] == [f"/api/v2/deals/{i}" for i in ids[:9]]
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 9, "pipedriveTokens": 9}
