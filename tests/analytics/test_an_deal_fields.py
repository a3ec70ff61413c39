"""Deal probability, weighted value, rotting and ages against figures computed from the records."""

from __future__ import annotations

from datetime import timedelta

from pipedrive_graphql.emulator import Emulator
from tests.analytics import an_expected as exp
from tests.analytics.an_dataset import DEALS, NOW
from tests.conftest import GraphQLCall

FIELDS = "id probability weightedValue isRotten rottenSince daysInStage ageDays stageChangeTime"


async def test_every_deal_matches_its_records(gql: GraphQLCall) -> None:
    aliases = " ".join(f"d{d['id']}: deal(dealId: {d['id']}) {{ {FIELDS} }}" for d in DEALS
                       if not d["is_deleted"])  # fmt: skip
    result = await gql(f"{{ {aliases} }}")
    assert result.errors == []
    for deal in exp.live():
        got = result.data[f"d{deal['id']}"]
        since = exp.rotten_since(deal)
        entered = exp.when(deal["stage_change_time"] or deal["add_time"])
        end = exp.when(deal["close_time"]) if deal.get("close_time") else NOW
        assert got["probability"] == exp.probability(deal), deal["id"]
        assert got["weightedValue"] == exp.weighted(deal), deal["id"]
        assert got["isRotten"] is (since is not None), deal["id"]
        assert got["rottenSince"] == (since.strftime("%Y-%m-%dT%H:%M:%SZ") if since else None)
        assert got["daysInStage"] == (end - entered) // timedelta(days=1), deal["id"]
        assert got["ageDays"] == (end - exp.when(deal["add_time"])) // timedelta(days=1)
        assert got["stageChangeTime"] == deal["stage_change_time"]


async def test_rotting_boundaries_and_probability_rules(gql: GraphQLCall) -> None:
    query = "{ a: deal(dealId: 1) { isRotten rottenSince } b: deal(dealId: 4) { isRotten }"
    query += " c: deal(dealId: 3) { rottenSince } e: deal(dealId: 5) { isRotten }"
    query += (
        " f: deal(dealId: 13) { probability weightedValue } g: deal(dealId: 2) { weightedValue } }"
    )
    result = await gql(query)
    data = result.data
    assert data["a"] == {"isRotten": True, "rottenSince": "2025-03-11T00:00:00Z"}
    assert data["b"] == {"isRotten": False}  # exactly at the threshold: not yet rotten
    assert data["c"] == {"rottenSince": "2025-03-06T00:00:00Z"}  # add_time when never moved
    assert data["e"] == {"isRotten": False}  # the stage does not rot
    assert data["f"] == {"probability": None, "weightedValue": 5000.0}  # pipeline: off
    assert data["g"] == {"weightedValue": 500.0}  # own 25 % beats the stage's 40 %


async def test_deal_figures_cost_only_the_reference_lists(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql("{ deal(dealId: 1) { probability isRotten daysInStage } }")
    paths = sorted(e.path for e in upstream.log.entries)
    assert paths == ["/api/v2/deals/1", "/api/v2/pipelines", "/api/v2/stages"]
    assert result.extensions["cost"]["pipedriveTokens"] == 1 + 5 + 5
