"""rottenDeals: the rotting open deals, longest-rotting first, windowed like every list."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.analytics import an_expected as exp
from tests.conftest import GraphQLCall


def _expected(pipeline: int | None = None, owner: int | None = None) -> list[int]:
    rows = []
    for deal in exp.live(status="open"):
        since = exp.rotten_since(deal)
        if since is None or pipeline not in (None, deal["pipeline_id"]):
            continue
        if owner is None or deal["owner_id"] == owner:
            rows.append((since, deal["id"]))
    return [deal_id for _, deal_id in sorted(rows)]


async def test_rotten_deals_in_order_with_windows(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """{ all: rottenDeals(pipelineId: 1) {
                   results { id isRotten } hasMore nextStart dealsScanned }
                 first: rottenDeals(pipelineId: 1, limit: 2) { results { id } hasMore nextStart }
                 rest: rottenDeals(pipelineId: 1, start: 2, limit: 2) {
                   results { id } hasMore nextStart }
                 mine: rottenDeals(pipelineId: 1, ownerId: 2) { results { id } }
                 everywhere: rottenDeals { results { id } } }"""
    result = await gql(query)
    assert result.errors == []
    data = result.data
    expected = _expected(pipeline=1)
    assert expected == [10, 3, 1]  # hand check: rotten since 11 Feb, 6 Mar, 11 Mar
    assert [d["id"] for d in data["all"]["results"]] == expected
    assert all(d["isRotten"] for d in data["all"]["results"])
    assert (data["all"]["hasMore"], data["all"]["nextStart"]) == (False, None)
    assert data["all"]["dealsScanned"] == len(exp.live(pipeline_id=1, status="open"))
    assert data["first"] == {"results": [{"id": 10}, {"id": 3}], "hasMore": True, "nextStart": 2}
    assert data["rest"] == {"results": [{"id": 1}], "hasMore": False, "nextStart": None}
    assert [d["id"] for d in data["mine"]["results"]] == _expected(pipeline=1, owner=2)
    assert [d["id"] for d in data["everywhere"]["results"]] == _expected()
    scans = sorted(
        tuple(sorted(e.query.items())) for e in upstream.log.entries if e.path == "/api/v2/deals"
    )
    assert scans == [
        (("limit", "500"), ("pipeline_id", "1"), ("status", "open")),
        (("limit", "500"), ("status", "open")),
    ]


async def test_rotten_deal_links_resolve_from_the_scan(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        "{ rottenDeals(pipelineId: 1, limit: 1)"
        " { results { id rottenSince stage { id rottenDays } } } }"
    )
    assert result.errors == []
    assert result.data["rottenDeals"]["results"] == [
        {"id": 10, "rottenSince": "2025-02-11T00:00:00Z", "stage": {"id": 11, "rottenDays": 10}}
    ]
    assert not any(e.path.startswith("/api/v2/deals/") for e in upstream.log.entries)


async def test_an_update_restarts_rotting_a_stage_change_is_not_needed(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    # Pipedrive's days_to_rotten counts "deals not updated in this stage": deal 10 was edited
    # yesterday (no stage change), so it is not rotten, whatever its stage entry.
    deal = upstream.store.get("deals", 10)
    assert deal is not None
    assert deal["stage_change_time"] == "2025-02-01T00:00:00Z"
    upstream.store.update("deals", 10, {"update_time": "2025-03-14T09:00:00Z"})
    query = """{ rottenDeals(pipelineId: 1) { results { id isRotten rottenSince } }
                 deal(dealId: 10) { isRotten rottenSince }
                 pipelineSummary(pipelineId: 1) { open { rottenCount } } }"""
    result = await gql(query)
    assert result.errors == []
    assert [d["id"] for d in result.data["rottenDeals"]["results"]] == [3, 1]
    assert result.data["deal"] == {"isRotten": False, "rottenSince": None}
    assert result.data["pipelineSummary"]["open"]["rottenCount"] == 2
    assert {e.path for e in upstream.log.entries} >= {"/api/v2/deals", "/api/v2/deals/10"}
