"""Pipeline.summary and Stage.summary against figures computed from the dataset records."""

from __future__ import annotations

from typing import Any

from pipedrive_graphql.emulator import Emulator
from tests.analytics import an_expected as exp
from tests.analytics.an_dataset import NOW
from tests.conftest import GraphQLCall

TOTALS = "byCurrency { currency count value weightedValue }"
OPEN = f"open {{ count rottenCount {TOTALS} computedAt source dealsScanned }}"
CLOSED = f"count {TOTALS} computedAt source dealsScanned"
SUMMARY = f"periodFrom periodTo {OPEN} won {{ {CLOSED} }} lost {{ {CLOSED} }}"


def _closed(status: str, pipeline: int, start: str, end: str, stage: int | None = None) -> Any:
    deals = [
        d
        for d in exp.live(pipeline_id=pipeline, status=status)
        if exp.in_period(d.get(f"{status}_time"), start, end)
        and (stage is None or d["stage_id"] == stage)
    ]
    return {"count": len(deals), "byCurrency": exp.per_currency(deals)}


async def test_pipeline_summary_over_a_period(gql: GraphQLCall, upstream: Emulator) -> None:
    query = f"""{{ pipelines {{ results {{ id
        summary(from: "2025-02-01", to: "2025-03-15") {{ {SUMMARY} }} }} }} }}"""
    result = await gql(query)
    assert result.errors == []
    for pipe in result.data["pipelines"]["results"]:
        pid, summary = pipe["id"], pipe["summary"]
        open_deals = exp.live(pipeline_id=pid, status="open")
        assert summary["periodFrom"] == "2025-02-01"
        assert summary["open"]["count"] == len(open_deals)
        assert summary["open"]["rottenCount"] == sum(
            1 for d in open_deals if exp.rotten_since(d) is not None
        )
        assert summary["open"]["byCurrency"] == exp.per_currency(open_deals)
        assert summary["open"]["computedAt"] == NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert summary["open"]["source"] == "deal scan"
        assert summary["open"]["dealsScanned"] == len(open_deals)
        for status in ("won", "lost"):
            part = summary[status]
            assert {k: part[k] for k in ("count", "byCurrency")} == _closed(
                status, pid, "2025-02-01", "2025-03-15"
            )
    # sanity on the hand-built data: pipeline 1 won 1 and lost 1 deal in the period
    sales = result.data["pipelines"]["results"][0]["summary"]
    assert (sales["won"]["count"], sales["lost"]["count"], sales["open"]["rottenCount"]) == (
        1,
        1,
        3,
    )
    # each currency stays separate: pipeline 1 has open USD, EUR and GBP deals
    assert [c["currency"] for c in sales["open"]["byCurrency"]] == ["EUR", "GBP", "USD"]
    closed_scans = [e for e in upstream.log.entries if e.query.get("status") == "won,lost"]
    assert {e.query["updated_since"] for e in closed_scans} == {"2025-02-01T00:00:00Z"}


async def test_summary_without_period_counts_every_closed_deal(gql: GraphQLCall) -> None:
    result = await gql(
        f"{{ stages(pipelineId: 1) {{ results {{ id summary {{ {SUMMARY} }} }} }} }}"
    )
    assert result.errors == []
    for stage in result.data["stages"]["results"]:
        sid, summary = stage["id"], stage["summary"]
        open_deals = [d for d in exp.live(pipeline_id=1, status="open") if d["stage_id"] == sid]
        assert summary["periodFrom"] is None
        assert summary["open"]["count"] == len(open_deals)
        assert summary["open"]["byCurrency"] == exp.per_currency(open_deals)
        for status in ("won", "lost"):
            expected = _closed(status, 1, "0000-01-01", "9999-12-31", stage=sid)
            assert {k: summary[status][k] for k in ("count", "byCurrency")} == expected


async def test_stage_summaries_share_one_scan(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql("{ stages(pipelineId: 1) { results { summary { open { count } } } } }")
    assert result.errors == []
    scans = [e for e in upstream.log.entries if e.path == "/api/v2/deals"]
    assert [(e.query["pipeline_id"], e.query["status"]) for e in scans] == [("1", "open")]


async def test_open_only_selection_never_scans_closed_deals(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    await gql("{ pipelines { results { summary { open { count } } } } }")
    statuses = {e.query.get("status") for e in upstream.log.entries if e.path == "/api/v2/deals"}
    assert statuses == {"open"}


async def test_bad_period_is_bad_user_input_before_any_call(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        '{ stages(pipelineId: 1) { results { summary(from: "March") { open { count } } } } }'
    )
    assert "BAD_USER_INPUT" in result.codes()
    assert [e.path for e in upstream.log.entries] == ["/api/v2/stages"]


async def test_root_pipeline_summary_and_unknown_pipeline(gql: GraphQLCall) -> None:
    result = await gql(
        "{ pipelineSummary(pipelineId: 2) { open { count } }"
        " missing: pipelineSummary(pipelineId: 99) { open { count } } }"
    )
    assert result.data["pipelineSummary"]["open"]["count"] == len(
        exp.live(pipeline_id=2, status="open")
    )
    assert result.data["missing"] is None
    assert result.codes() == ["NOT_FOUND"]


def _insert_open_deals(
    upstream: Emulator, pipeline_id: int, stage_id: int, deals: tuple[tuple[int, float, str], ...]
) -> None:
    """Open deals `(id, value, currency)` in one stage, with no probability of their own."""
    for deal_id, value, currency in deals:
        upstream.store.insert(
            "deals",
            {"id": deal_id, "title": f"T{deal_id}", "value": value, "currency": currency,
             "pipeline_id": pipeline_id, "stage_id": stage_id, "status": "open",
             "probability": None, "add_time": "2025-03-01T00:00:00Z",
             "update_time": "2025-03-14T00:00:00Z"},
        )  # fmt: skip


async def test_totals_keep_each_currencys_minor_unit(gql: GraphQLCall, upstream: Emulator) -> None:
    # ISO 4217: the Kuwaiti dinar has 3 decimals, the yen none
    _insert_open_deals(
        upstream, 2, 20, ((901, 1.234, "KWD"), (902, 2.345, "KWD"), (903, 1500, "JPY"))
    )
    result = await gql(f"{{ pipelineSummary(pipelineId: 2) {{ open {{ {TOTALS} }} }} }}")
    assert result.errors == []
    rows = {r["currency"]: r for r in result.data["pipelineSummary"]["open"]["byCurrency"]}
    # pipeline 2 turns probability off: weighted value is the full value
    assert rows["KWD"] == {"currency": "KWD", "count": 2, "value": 3.579, "weightedValue": 3.579}
    assert rows["JPY"]["value"] == 1500
    [scan] = [e.query for e in upstream.log.entries if e.path == "/api/v2/deals"]
    assert scan["pipeline_id"] == "2"


async def test_a_deals_weighted_value_keeps_its_currencys_minor_unit(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    # stage 10 of pipeline 1 has probability 10: 2.345 KWD weighs 0.235 at the dinar's 3 decimals
    # (it was 0.23450000000000004); 1501 JPY weighs 150 yen; 0.07 USD weighs 0.01
    _insert_open_deals(
        upstream, 1, 10, ((904, 2.345, "KWD"), (905, 1501, "JPY"), (906, 0.07, "USD"))
    )
    query = "{ deals(stageId: 10, limit: 500) { results { id weightedValue } } }"
    result = await gql(query)
    assert result.errors == []
    weighted = {d["id"]: d["weightedValue"] for d in result.data["deals"]["results"]}
    assert (weighted[904], weighted[905], weighted[906]) == (0.235, 150.0, 0.01)


async def test_a_summary_period_in_the_wrong_order_is_refused_before_any_call(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        '{ pipelineSummary(pipelineId: 1, from: "2026-01-01", to: "2025-01-01")'
        " { open { count } } }"
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == "from must not be after to"
    assert upstream.log.entries == []
