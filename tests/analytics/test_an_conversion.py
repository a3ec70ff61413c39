"""pipelineConversion: one v1 conversion_statistics call, figures checked against the records."""

from __future__ import annotations

import itertools

from pipedrive_graphql.emulator import Emulator
from tests.analytics import an_expected as exp
from tests.analytics.an_dataset import STAGES
from tests.conftest import GraphQLCall

QUERY = """query($from: String!, $to: String!, $owner: Int) {
  pipelineConversion(pipelineId: 1, from: $from, to: $to, ownerId: $owner) {
    pipelineId periodFrom periodTo wonRate lostRate source computedAt
    stageConversions { fromStageId toStageId conversionRate fromStage { name } toStage { id } }
  }
}"""


def _percent(part: int, whole: int) -> int:
    return int(part * 100 / whole + 0.5) if whole else 0


async def test_conversion_matches_the_emulator_model(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(QUERY, {"from": "2024-01-01", "to": "2025-12-31"})
    assert result.errors == []
    got = result.data["pipelineConversion"]
    # the emulator's documented model: the cohort added in the period; a deal reached every
    # stage up to its current one. Without `ownerId` Pipedrive counts the token's user's deals
    # only ("if omitted, the authorized user will be used"): user 1 behind the test token.
    cohort = [d for d in exp.live(pipeline_id=1, owner_id=1)
              if exp.in_period(d["add_time"], "2024-01-01", "2025-12-31")]  # fmt: skip
    assert len(cohort) < len(exp.live(pipeline_id=1))
    stages = sorted((s for s in STAGES if s["pipeline_id"] == 1), key=lambda s: s["order_nr"])
    reached = [sum(1 for d in cohort if exp.stage(d)["order_nr"] >= s["order_nr"]) for s in stages]
    assert got["stageConversions"] == [
        {"fromStageId": a["id"], "toStageId": b["id"],
         "conversionRate": _percent(reached[i + 1], reached[i]),
         "fromStage": {"name": a["name"]}, "toStage": {"id": b["id"]}}
        for i, (a, b) in enumerate(itertools.pairwise(stages))
    ]  # fmt: skip
    won = sum(1 for d in cohort if d["status"] == "won")
    lost = sum(1 for d in cohort if d["status"] == "lost")
    assert (got["wonRate"], got["lostRate"]) == (
        _percent(won, len(cohort)),
        _percent(lost, len(cohort)),
    )
    assert got["source"] == "pipedrive /pipelines/{id}/conversion_statistics"
    calls = [e for e in upstream.log.entries if "conversion_statistics" in e.path]
    assert [(e.path, e.query, e.token_cost) for e in calls] == [
        ("/api/v1/pipelines/1/conversion_statistics",
         {"start_date": "2024-01-01", "end_date": "2025-12-31"}, 40)
    ]  # fmt: skip
    # the 40 tokens show in extensions.cost, beside the stage lookups of the links
    assert result.extensions["cost"]["pipedriveTokens"] == sum(
        e.token_cost for e in upstream.log.entries
    )


async def test_owner_filter_is_sent_upstream(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(QUERY, {"from": "2024-01-01", "to": "2025-12-31", "owner": 2})
    assert result.errors == []
    assert result.data["pipelineConversion"]["wonRate"] == 0  # owner 2 has one open deal
    call = next(e for e in upstream.log.entries if "conversion_statistics" in e.path)
    assert call.query["user_id"] == "2"


async def test_bad_dates_fail_before_the_call(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(QUERY, {"from": "2025-12-31", "to": "2024-01-01"})
    assert result.codes() == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []
    unknown = await gql(QUERY.replace("pipelineId: 1", "pipelineId: 999"),
                        {"from": "2024-01-01", "to": "2024-02-01"})  # fmt: skip
    assert unknown.codes() == ["NOT_FOUND"]
