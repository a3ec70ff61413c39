"""Each list argument reaches Pipedrive as its own parameter and changes the result as it would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

from .crm_support import Record, carries, matching, ordered_ids, sent, visible

SINCE = "2025-01-01T01:00:00+01:00"  # an offset: Pipedrive gets it in UTC
SINCE_UTC = "2025-01-01T00:00:00Z"
UNTIL = "2025-03-01T00:00:00Z"


@dataclass(frozen=True)
class Case:
    """A root list, one argument, the parameter Pipedrive must get and the rows it returns."""

    name: str
    root: str
    table: str
    argument: str
    params: dict[str, str]
    keep: Callable[[Record], bool] = lambda r: True
    sort: tuple[str, str] = ("id", "asc")


def _open_deals_of_filter_1(r: Record) -> bool:
    return bool(r["status"] == "open")


CASES = [
    Case("deals-status", "deals", "deals", 'status: "won"', {"status": "won"},
         lambda r: r["status"] == "won"),
    Case("deals-owner", "deals", "deals", "ownerId: 2", {"owner_id": "2"},
         lambda r: r["owner_id"] == 2),
    Case("deals-person", "deals", "deals", "personId: 12345", {"person_id": "12345"},
         lambda r: r["person_id"] == 12345),
    Case("deals-org", "deals", "deals", "orgId: 67890", {"org_id": "67890"},
         lambda r: r["org_id"] == 67890),
    Case("deals-pipeline", "deals", "deals", "pipelineId: 2", {"pipeline_id": "2"},
         lambda r: r["pipeline_id"] == 2),
    Case("deals-stage", "deals", "deals", "stageId: 1", {"stage_id": "1"},
         lambda r: r["stage_id"] == 1),
    Case("deals-filter", "deals", "deals", "filterId: 1", {"filter_id": "1"},
         _open_deals_of_filter_1),
    Case("deals-since", "deals", "deals", f'updatedSince: "{SINCE}"',
         {"updated_since": SINCE_UTC}, lambda r: r["update_time"] >= SINCE_UTC),
    Case("deals-until", "deals", "deals", f'updatedUntil: "{UNTIL}"',
         {"updated_until": UNTIL}, lambda r: r["update_time"] < UNTIL),
    Case("deals-sort", "deals", "deals", "sortBy: update_time",
         {"sort_by": "update_time"}, sort=("update_time", "asc")),
    Case("deals-direction", "deals", "deals", "sortDirection: desc",
         {"sort_direction": "desc"}, sort=("id", "desc")),
    Case("persons-owner", "persons", "persons", "ownerId: 3", {"owner_id": "3"},
         lambda r: r["owner_id"] == 3),
    Case("persons-org", "persons", "persons", "orgId: 67890", {"org_id": "67890"},
         lambda r: r["org_id"] == 67890),
    Case("persons-deal", "persons", "persons", "dealId: 54321", {"deal_id": "54321"},
         lambda r: r["id"] == 12345),
    Case("persons-filter", "persons", "persons", "filterId: 3", {"filter_id": "3"},
         lambda r: r["org_id"] is not None),
    Case("persons-since", "persons", "persons", f'updatedSince: "{SINCE}"',
         {"updated_since": SINCE_UTC}, lambda r: r["update_time"] >= SINCE_UTC),
    Case("persons-until", "persons", "persons", f'updatedUntil: "{UNTIL}"',
         {"updated_until": UNTIL}, lambda r: r["update_time"] < UNTIL),
    Case("persons-sort", "persons", "persons", "sortBy: add_time, sortDirection: desc",
         {"sort_by": "add_time", "sort_direction": "desc"}, sort=("add_time", "desc")),
    Case("orgs-owner", "organizations", "organizations", "ownerId: 2", {"owner_id": "2"},
         lambda r: r["owner_id"] == 2),
    Case("orgs-filter", "organizations", "organizations", "filterId: 4", {"filter_id": "4"},
         lambda r: r["owner_id"] == 1),
    Case("orgs-since", "organizations", "organizations", f'updatedSince: "{SINCE}"',
         {"updated_since": SINCE_UTC}, lambda r: r["update_time"] >= SINCE_UTC),
    Case("orgs-until", "organizations", "organizations", f'updatedUntil: "{UNTIL}"',
         {"updated_until": UNTIL}, lambda r: r["update_time"] < UNTIL),
    Case("orgs-sort", "organizations", "organizations",
         "sortBy: update_time, sortDirection: desc",
         {"sort_by": "update_time", "sort_direction": "desc"}, sort=("update_time", "desc")),
    Case("activities-owner", "activities", "activities", "ownerId: 4", {"owner_id": "4"},
         lambda r: r["owner_id"] == 4),
    Case("activities-deal", "activities", "activities", "dealId: 54321", {"deal_id": "54321"},
         lambda r: r["deal_id"] == 54321),
    Case("activities-person", "activities", "activities", "personId: 12345",
         {"person_id": "12345"}, lambda r: r["person_id"] == 12345),
    Case("activities-org", "activities", "activities", "orgId: 67890", {"org_id": "67890"},
         lambda r: r["org_id"] == 67890),
    Case("activities-done", "activities", "activities", "done: false", {"done": "false"},
         lambda r: r["done"] is False),
    Case("activities-filter", "activities", "activities", "filterId: 5", {"filter_id": "5"},
         lambda r: r["type"] == "call"),
    Case("activities-since", "activities", "activities", f'updatedSince: "{SINCE}"',
         {"updated_since": SINCE_UTC}, lambda r: r["update_time"] >= SINCE_UTC),
    Case("activities-until", "activities", "activities", f'updatedUntil: "{UNTIL}"',
         {"updated_until": UNTIL}, lambda r: r["update_time"] < UNTIL),
    Case("activities-sort", "activities", "activities", "sortBy: due_date, sortDirection: asc",
         {"sort_by": "due_date", "sort_direction": "asc"}, sort=("due_date", "asc")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_argument_reaches_pipedrive_and_selects_what_pipedrive_would(
    gql: GraphQLCall, upstream: Emulator, case: Case
) -> None:
    result = await gql(f"{{ {case.root}({case.argument}, limit: 500) {{ results {{ id }} }} }}")
    assert result.errors == []
    calls = sent(upstream, "GET", f"/api/v2/{case.table}")
    assert len(calls) == 1
    assert carries(calls[0], case.params)
    got = [row["id"] for row in result.data[case.root]["results"]]
    expected = ordered_ids(matching(upstream, case.table, case.keep), *case.sort)
    assert got == expected
    assert expected  # the argument selects something ...
    assert expected != ordered_ids(visible(upstream, case.table))  # ... and changes the answer


async def test_values_are_pipedrives_words_in_variables(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """query($status: String, $by: SortBy, $dir: SortDirection) {
      deals(status: $status, sortBy: $by, sortDirection: $dir, limit: 500) { results { id } } }"""
    variables = {"status": "open", "by": "update_time", "dir": "desc"}
    result = await gql(query, variables)
    assert result.errors == []
    expected_params = {"status": "open", "sort_by": "update_time", "sort_direction": "desc"}
    assert carries(sent(upstream, "GET", "/api/v2/deals")[0], expected_params)
    open_deals = matching(upstream, "deals", lambda r: r["status"] == "open")
    expected = ordered_ids(open_deals, "update_time", "desc")
    assert [d["id"] for d in result.data["deals"]["results"]] == expected


async def test_walking_25_at_a_time_with_a_filter_and_a_sort_returns_each_row_once_in_order(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """query($start: Int) { deals(status: "open", sortBy: update_time,
      sortDirection: desc, start: $start, limit: 25) { results { id } hasMore nextStart } }"""
    seen: list[int] = []
    start: int | None = 0
    pages = 0
    upstream.log.clear()
    while start is not None:
        result = await gql(query, {"start": start}, keep_log=True)
        assert result.errors == []
        page = result.data["deals"]
        seen += [d["id"] for d in page["results"]]
        start = page["nextStart"]
        assert page["hasMore"] is (start is not None)
        pages += 1
    expected = ordered_ids(
        matching(upstream, "deals", lambda r: r["status"] == "open"), "update_time", "desc"
    )
    assert seen == expected
    assert len(set(seen)) == len(seen) > 25 * 3
    # Each window resumed from the cursor the previous one left: one request per page.
    assert len(sent(upstream, "GET", "/api/v2/deals")) == pages


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{ deals(status: "closed") { results { id } } }', "status must be one of"),
        ('{ deals(filterId: 1, ownerId: 2) { results { id } } }', "filterId cannot be combined"),
        ('{ persons(updatedSince: "2025-01-01") { results { id } } }', "RFC 3339"),
        # ISO 8601 forms that are not RFC 3339: basic, week date, no seconds, offset without ":"
        ('{ persons(updatedSince: "20250101T000000Z") { results { id } } }', "RFC 3339"),
        ('{ persons(updatedSince: "2025-W01-3T00:00:00Z") { results { id } } }', "RFC 3339"),
        ('{ persons(updatedSince: "2025-01-01T00:00Z") { results { id } } }', "RFC 3339"),
        ('{ persons(updatedUntil: "2025-01-01T00:00:00+0100") { results { id } } }', "RFC 3339"),
        ('{ deals(updatedSince: "２０２５-01-01T00:00:00Z") { results { id } } }', "RFC 3339"),
        # RFC 3339, but past 9999-12-31 once in UTC (an internal error before)
        ('{ deals(updatedSince: "9999-12-31T23:59:59-01:00") { results { id } } }',
         "outside the years 0001 to 9999"),
        ('{ deals(updatedUntil: "9999-12-31T23:59:59.5Z") { results { id } } }',
         "outside the years 0001 to 9999"),
        ('{ pipelineForecast(pipelineId: 1, from: "9999-12-01", to: "9999-12-31", '
         'interval: WEEK) { buckets { periodStart } } }', "the last bucket a date can hold"),
        ('{ activities(updatedSince: "2025-02-01T00:00:00Z", updatedUntil: '
         '"2025-01-01T00:00:00Z") { results { id } } }', "before updatedUntil"),
        ('{ searchOrganizations(term: "ac", fields: ["title"]) { results { id } } }',
         "fields must be some of"),
    ],
)  # fmt: skip
async def test_bad_arguments_are_refused_before_any_call(
    gql: GraphQLCall, upstream: Emulator, query: str, message: str
) -> None:
    result = await gql(query)
    assert result.codes() == ["BAD_USER_INPUT"]
    assert message in result.errors[0]["message"]
    assert upstream.log.entries == []


@pytest.mark.parametrize(
    ("since", "until", "sent_since", "sent_until"),
    [
        # Pipedrive keeps whole seconds: 09:59:59.5 selects what 10:00:00 does, on both bounds
        ("2025-01-01T10:59:59.5+01:00", "2025-03-01T00:00:00.250Z",
         "2025-01-01T10:00:00Z", "2025-03-01T00:00:01Z"),
        # RFC 3339 §5.6: "T" and "Z" may alternatively be lower case; a fraction finer than a
        # microsecond is still past the whole second
        ("2025-01-01t10:00:00z", "2025-03-01t00:59:59.0000001+01:00",
         "2025-01-01T10:00:00Z", "2025-03-01T00:00:00Z"),
    ],
)  # fmt: skip
async def test_update_window_bounds_go_to_pipedrive_in_utc_whole_seconds(
    gql: GraphQLCall,
    upstream: Emulator,
    since: str,
    until: str,
    sent_since: str,
    sent_until: str,
) -> None:
    result = await gql(
        f"""{{ deals(updatedSince: "{since}", updatedUntil: "{until}", limit: 500)
        {{ results {{ id }} }} }}"""
    )
    assert result.errors == []
    call = sent(upstream, "GET", "/api/v2/deals")[0]
    assert carries(call, {"updated_since": sent_since, "updated_until": sent_until})
    window = matching(upstream, "deals", lambda r: sent_since <= r["update_time"] < sent_until)
    assert [d["id"] for d in result.data["deals"]["results"]] == ordered_ids(window)


async def test_a_year_before_1000_keeps_its_four_digits(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    # strftime("%Y") wrote 999, which Pipedrive's RFC 3339 check refuses
    result = await gql('{ deals(updatedSince: "0999-06-01T00:00:00Z") { results { id } } }')
    assert result.errors == []
    call = sent(upstream, "GET", "/api/v2/deals")[0]
    assert carries(call, {"updated_since": "0999-06-01T00:00:00Z"})
    everything = matching(upstream, "deals", lambda r: True)
    assert [d["id"] for d in result.data["deals"]["results"]] == ordered_ids(everything)[:100]
