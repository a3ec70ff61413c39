"""Filters on linked lists, the search options, organizations search, users and me."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

from .crm_support import carries, matching, ordered_ids, sent


async def test_stage_deals_take_status_owner_and_sort_as_one_scan(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ stages(pipelineId: 1) { results { id deals(status: "open", ownerId: 2,
      sortBy: update_time, sortDirection: desc) { results { id } } } } }"""
    result = await gql(query)
    assert result.errors == []
    calls = sent(upstream, "GET", "/api/v2/deals")
    stages = result.data["stages"]["results"]
    assert len(stages) > 2
    # One scan for every stage, carrying every filter but the stage itself.
    assert calls == [
        {
            "status": "open",
            "owner_id": "2",
            "sort_by": "update_time",
            "sort_direction": "desc",
            "limit": "500",
        }
    ]
    open_of_2 = matching(upstream, "deals", lambda r: r["status"] == "open" and r["owner_id"] == 2)
    for stage in stages:
        rows = [r for r in open_of_2 if r["stage_id"] == stage["id"]]
        got = [d["id"] for d in stage["deals"]["results"]]
        assert got == ordered_ids(rows, "update_time", "desc")


async def test_person_deals_and_activities_take_filters(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ person(personId: 12345) {
      deals(status: "open", sortBy: add_time, sortDirection: desc) { results { id } }
      activities(done: true, sortBy: due_date, updatedSince: "2024-01-01T00:00:00Z")
        { results { id } } } }"""
    result = await gql(query)
    assert result.errors == []
    deal_calls = sent(upstream, "GET", "/api/v2/deals")
    assert carries(
        deal_calls[0],
        {"person_id": "12345", "status": "open", "sort_by": "add_time", "sort_direction": "desc"},
    )
    activity_calls = sent(upstream, "GET", "/api/v2/activities")
    assert carries(
        activity_calls[0],
        {
            "person_id": "12345",
            "done": "true",
            "sort_by": "due_date",
            "updated_since": "2024-01-01T00:00:00Z",
        },
    )
    person = result.data["person"]
    deals = matching(upstream, "deals", lambda r: r["person_id"] == 12345 and r["status"] == "open")
    assert [d["id"] for d in person["deals"]["results"]] == ordered_ids(deals, "add_time", "desc")
    acts = matching(upstream, "activities", lambda r: r["person_id"] == 12345 and r["done"])
    assert [a["id"] for a in person["activities"]["results"]] == ordered_ids(acts, "due_date")


async def test_organization_deals_and_persons_take_filters(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ organization(orgId: 67890) {
      deals(status: "won", ownerId: 1) { results { id } }
      persons(sortBy: update_time, sortDirection: desc) { results { id } } } }"""
    result = await gql(query)
    assert result.errors == []
    deal_call = sent(upstream, "GET", "/api/v2/deals")[0]
    assert carries(deal_call, {"org_id": "67890", "status": "won", "owner_id": "1"})
    person_call = sent(upstream, "GET", "/api/v2/persons")[0]
    assert carries(person_call, {"org_id": "67890", "sort_by": "update_time"})
    org = result.data["organization"]
    won = matching(
        upstream, "deals", lambda r: r["org_id"] == 67890 and r["status"] == "won"
        and r["owner_id"] == 1,
    )  # fmt: skip
    assert [d["id"] for d in org["deals"]["results"]] == ordered_ids(won)
    people = matching(upstream, "persons", lambda r: r["org_id"] == 67890)
    assert [p["id"] for p in org["persons"]["results"]] == ordered_ids(
        people, "update_time", "desc"
    )


async def test_search_organizations_with_exact_match_and_fields(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    org = upstream.store.get("organizations", 67890)
    assert org is not None
    name = org["name"]
    prefix = name[:4]
    loose = await gql(
        "query($t: String!) { searchOrganizations(term: $t) { results { id name } } }",
        {"t": prefix},
    )
    assert loose.errors == []
    loose_ids = [o["id"] for o in loose.data["searchOrganizations"]["results"]]
    assert 67890 in loose_ids
    exact = await gql(
        """query($t: String!) { searchOrganizations(term: $t, exactMatch: true,
        fields: ["name"]) { results { id name } } }""",
        {"t": prefix},
    )
    assert exact.errors == []
    call = sent(upstream, "GET", "/api/v2/organizations/search")[0]
    assert carries(call, {"term": prefix, "exact_match": "true", "fields": "name"})
    # A prefix is not an exact match of any name: Pipedrive answers nothing.
    assert exact.data["searchOrganizations"]["results"] == []
    whole = await gql(
        """query($t: String!) { searchOrganizations(term: $t, exactMatch: true,
        fields: ["name"]) { results { id } } }""",
        {"t": name},
    )
    assert [o["id"] for o in whole.data["searchOrganizations"]["results"]] == [
        o["id"] for o in upstream.store.all("organizations") if o["name"] == name
    ]


async def test_person_and_deal_search_take_exact_match_and_fields(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    person = upstream.store.get("persons", 12345)
    assert person is not None
    email = person["emails"][0]["value"]
    result = await gql(
        """query($e: String!) { searchPersons(term: $e, exactMatch: true, fields: ["email"])
        { results { id } } searchDeals(term: "zzzz-none", fields: ["title"], exactMatch: false)
        { results { id } } }""",
        {"e": email},
    )
    assert result.errors == []
    assert [p["id"] for p in result.data["searchPersons"]["results"]] == [12345]
    persons_call = sent(upstream, "GET", "/api/v2/persons/search")[0]
    assert carries(persons_call, {"exact_match": "true", "fields": "email"})
    deals_call = sent(upstream, "GET", "/api/v2/deals/search")[0]
    assert carries(deals_call, {"exact_match": "false", "fields": "title"})


async def test_users_and_me(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql("{ users { results { id name } } me { id name } }")
    assert result.errors == []
    expected = sorted((u["id"], u["name"]) for u in upstream.store.all("users"))
    assert sorted((u["id"], u["name"]) for u in result.data["users"]["results"]) == expected
    me_id = upstream.store.company["me_user_id"]
    assert result.data["me"]["id"] == me_id
    assert sorted(e.path for e in upstream.log.entries) == ["/api/v1/users", "/api/v1/users/me"]
