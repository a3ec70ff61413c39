"""A whole reference list of unknown length does not decide alone that an operation is refused.

Before the server has read an account's stages, the estimate counts a stage list as 100
stages; an operation refused only because of that reads the list (once: the resolver then
uses that read) and is priced with the real length. Without that, the same query was refused
while the list was not in memory and ran once another query had read it.
"""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

_STAGES_WITH_LINKED_DEALS = """{ stages { results { name deals { results {
    title person { name } organization { name } } } } } }"""


async def test_a_cold_stage_query_runs_priced_by_the_account_s_stages(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(_STAGES_WITH_LINKED_DEALS)
    assert result.errors == []
    names = [stage["name"] for stage in result.data["stages"]["results"]]
    assert names == [s["name"] for s in sorted(upstream.store.all("stages"), key=_order)]
    assert upstream.log.count("/api/v2/stages") == 1  # read for the estimate, used by the field
    estimate = result.extensions["cost"]["estimate"]
    assert len(upstream.log.entries) <= estimate["upstreamCalls"] <= 200
    assert upstream.log.total_tokens() <= estimate["pipedriveTokens"]
    # the same query once the list is in memory: the same estimate, without the early read
    again = await gql(_STAGES_WITH_LINKED_DEALS)
    assert again.errors == []
    assert again.extensions["cost"]["estimate"] == estimate
    assert upstream.log.count("/api/v2/stages") == 0


async def test_a_query_refused_whatever_the_length_reads_nothing(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    # 500 persons' mail messages (v1: a call per person, never a scan) are over the limit
    # whatever the stage list and the deal collection hold: neither is read
    result = await gql(
        "{ stages { results { deals { results { id } } } } "
        "persons(limit: 500) { results { mailMessages { results { id } } } } }"
    )
    assert result.codes() == ["QUERY_TOO_COMPLEX"]
    assert upstream.log.entries == []


def _order(stage: dict[str, object]) -> tuple[int, int]:
    pipeline, order = stage["pipeline_id"], stage["order_nr"]
    assert isinstance(pipeline, int)
    assert isinstance(order, int)
    return (pipeline, order)
