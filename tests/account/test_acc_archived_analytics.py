"""Analytics leave archived deals out, as Pipedrive's own deal summary and timeline do, read no
archived list for it, and every analytics field says so in its description."""

from __future__ import annotations

from graphql import GraphQLObjectType, get_named_type

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.pricing import Kind, price_of
from pipedrive_graphql.schema import build_schema
from tests.conftest import GraphQLCall

QUERY = """{ pipelineSummary(pipelineId: 1) { open { count } won { count } }
  rottenDeals(pipelineId: 1, limit: 500) { results { id } } }"""


def _live(upstream: Emulator, status: str) -> list[int]:
    return sorted(
        d["id"]
        for d in upstream.store.all("deals")
        if d["pipeline_id"] == 1
        and d["status"] == status
        and not d["is_archived"]
        and not d["is_deleted"]
    )


async def test_archiving_a_deal_takes_it_out_of_the_figures(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    before = await gql(QUERY)
    assert before.errors == []
    rotten = [d["id"] for d in before.data["rottenDeals"]["results"]]
    assert rotten
    opened, won = _live(upstream, "open"), _live(upstream, "won")
    assert before.data["pipelineSummary"] == {
        "open": {"count": len(opened)}, "won": {"count": len(won)},
    }  # fmt: skip
    upstream.store.update("deals", rotten[0], {"is_archived": True})
    upstream.store.update("deals", won[0], {"is_archived": True})
    upstream.log.clear()
    after = await gql(QUERY)
    assert after.errors == []
    assert after.data["pipelineSummary"] == {
        "open": {"count": len(opened) - 1}, "won": {"count": len(won) - 1},
    }  # fmt: skip
    assert rotten[0] not in [d["id"] for d in after.data["rottenDeals"]["results"]]
    paths = {e.path for e in upstream.log.entries}
    assert "/api/v2/deals" in paths
    assert "/api/v2/deals/archived" not in paths


def test_every_analytics_field_says_whether_archived_deals_count() -> None:
    schema = build_schema()._schema
    silent, checked = [], 0
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for name, field in graphql_type.fields.items():
            price = price_of(field)
            if price is None or price.kind is not Kind.SCAN:
                continue
            checked += 1
            result_type = get_named_type(field.type)
            said = f"{field.description} {result_type.description}"
            if "archived deals are not counted" not in said.lower():
                silent.append(f"{type_name}.{name}")
    assert silent == []
    assert checked >= 5  # Pipeline/Stage.summary, pipelineSummary, pipelineForecast, rottenDeals
