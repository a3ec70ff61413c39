"""pipelineForecast buckets against buckets computed from the dataset records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pipedrive_graphql.emulator import Emulator
from tests.analytics import an_expected as exp
from tests.conftest import GraphQLCall

BUCKET = "periodStart periodEnd count byCurrency { currency count value weightedValue }"
FORECAST = f"pipelineId interval buckets {{ {BUCKET} }} undated {{ {BUCKET} }} source computedAt"


def _months(first: date, last: date) -> list[tuple[date, date]]:
    out, cur = [], first
    while cur <= last:
        nxt = date(cur.year + cur.month // 12, cur.month % 12 + 1, 1)
        out.append((cur, nxt - timedelta(days=1)))
        cur = nxt
    return out


def _bucket(start: str | None, end: str | None, deals: list[dict[str, Any]]) -> dict[str, Any]:
    return {"periodStart": start, "periodEnd": end, "count": len(deals),
            "byCurrency": exp.per_currency(deals)}  # fmt: skip


async def test_monthly_forecast_lists_every_month_and_the_undated(gql: GraphQLCall) -> None:
    args = 'pipelineId: 1, from: "2025-03-01", to: "2025-06-30", interval: MONTH'
    query = f"{{ pipelineForecast({args}) {{ {FORECAST} }} }}"
    result = await gql(query)
    assert result.errors == []
    got = result.data["pipelineForecast"]
    open_deals = exp.live(pipeline_id=1, status="open")
    expected = []
    for first, last in _months(date(2025, 3, 1), date(2025, 6, 30)):
        start, end = first.isoformat(), last.isoformat()
        inside = [d for d in open_deals if start <= (d["expected_close_date"] or "") <= end]
        expected.append(_bucket(first.isoformat(), last.isoformat(), inside))
    assert got["buckets"] == expected
    # hand check: March holds deals 1 and 10; April, May and June one each
    assert [b["count"] for b in got["buckets"]] == [2, 1, 1, 1]
    undated = [d for d in open_deals if d["expected_close_date"] is None]
    assert got["undated"] == _bucket(None, None, undated)
    assert got["interval"] == "MONTH"
    assert got["source"] == "deal scan"


async def test_weekly_and_quarterly_buckets(gql: GraphQLCall) -> None:
    query = """{ w: pipelineForecast(pipelineId: 1, from: "2025-03-17", to: "2025-04-06",
                                     interval: WEEK)
                 { buckets { periodStart periodEnd count } }
                 q: pipelineForecast(pipelineId: 1, interval: QUARTER)
                 { buckets { periodStart periodEnd count } undated { count } } }"""
    result = await gql(query)
    assert result.errors == []
    weeks = result.data["w"]["buckets"]
    # weeks start on Monday: 17 Mar, 24 Mar, 31 Mar 2025
    assert [(b["periodStart"], b["periodEnd"]) for b in weeks] == [
        ("2025-03-17", "2025-03-23"), ("2025-03-24", "2025-03-30"), ("2025-03-31", "2025-04-06")
    ]  # fmt: skip
    dated = [d["expected_close_date"] for d in exp.live(pipeline_id=1, status="open")]
    for b in weeks:
        assert b["count"] == sum(1 for x in dated if x and b["periodStart"] <= x <= b["periodEnd"])
    quarters = result.data["q"]["buckets"]
    assert [b["periodStart"] for b in quarters] == ["2025-01-01", "2025-04-01"]
    assert sum(b["count"] for b in quarters) + result.data["q"]["undated"]["count"] == len(dated)


async def test_forecast_shares_the_summary_scan(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """{ pipelineForecast(pipelineId: 1) { undated { count } }
                 rottenDeals(pipelineId: 1) { results { id } }
                 pipelines { results { id summary { open { count } } } } }"""
    result = await gql(query)
    assert result.errors == []
    scans = [e.query for e in upstream.log.entries if e.path == "/api/v2/deals"]
    assert sorted((q["pipeline_id"], q["status"]) for q in scans) == [("1", "open"), ("2", "open")]


async def test_inverted_range_is_bad_user_input(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(
        '{ pipelineForecast(pipelineId: 1, from: "2025-06-01", to: "2025-01-01")'
        " { undated { count } } }"
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []


async def test_a_range_of_too_many_buckets_is_refused_before_any_call(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    args = 'pipelineId: 1, from: "2020-01-01", to: "2030-12-31", interval: WEEK'
    result = await gql(f"{{ pipelineForecast({args}) {{ undated {{ count }} }} }}")
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == "the range holds more than 400 buckets"
    assert upstream.log.entries == []
    # 400 weeks exactly is still answered
    args = 'pipelineId: 1, from: "2025-01-06", to: "2032-09-05", interval: WEEK'
    answered = await gql(f"{{ pipelineForecast({args}) {{ buckets {{ periodStart }} }} }}")
    assert answered.errors == []
    assert len(answered.data["pipelineForecast"]["buckets"]) == 400
