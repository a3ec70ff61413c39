"""A write that succeeded is always in the response, even when a sibling mutation failed."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

BOTH = """mutation {
  created: createDeal(title: "Kept visible") { id title }
  missing: updateDeal(dealId: 999999, title: "No such deal") { id title }
}"""


async def test_successful_write_is_visible_beside_a_failed_one(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(BOTH)
    assert result.status == 200
    created = result.data["created"]
    assert created["title"] == "Kept visible"
    assert result.data["missing"] is None
    assert result.codes() == ["NOT_FOUND"]
    assert result.errors[0]["path"] == ["missing"]
    writes = [(e.method, e.path, e.status) for e in upstream.log.entries if e.method != "GET"]
    assert writes == [
        ("POST", "/api/v2/deals", 200),
        ("PATCH", "/api/v2/deals/999999", 404),
    ]
    stored = upstream.store.get("deals", created["id"])
    assert stored is not None
    assert stored["title"] == "Kept visible"
