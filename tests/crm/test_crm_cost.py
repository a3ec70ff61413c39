"""The pre-flight estimate bounds what each new field really costs upstream."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

FIELDS = {
    "organizations": """{ organizations(ownerId: 2, sortBy: update_time, sortDirection: desc,
        limit: 20) { results { name owner { name } persons(sortBy: add_time) { results { id } }
        deals(status: "open") { results { id } }
        activities(done: false) { results { id } } } } }""",
    "activities": """{ activities(done: false, ownerId: 1, sortBy: due_date, limit: 50)
        { results { subject deal { title } person { name } organization { name } } } }""",
    "deals": """{ deals(status: "open", ownerId: 2, pipelineId: 1, sortBy: update_time,
        updatedSince: "2024-01-01T00:00:00Z", limit: 100) { results { title person { name }
        activities(done: true, sortBy: add_time) { results { id } } } } }""",
    "deals-filter": "{ deals(filterId: 1, limit: 30) { results { id stage { name } } } }",
    "persons": """{ persons(ownerId: 3, orgId: 67890, sortBy: update_time) { results { name
        deals(status: "won", sortDirection: desc) { results { id } } } } }""",
    "persons-deal": "{ persons(dealId: 54321) { results { id } } }",
    "stage-deals": """{ stages(pipelineId: 1) { results { deals(status: "open", ownerId: 2,
        sortBy: update_time, sortDirection: desc) { results { id } } } } }""",
    "pipeline-deals": """{ pipelines { results { deals(status: "lost", limit: 5)
        { results { id } } } } }""",
    "searchOrganizations": """{ searchOrganizations(term: "ac", exactMatch: false,
        fields: ["name"], limit: 10) { results { name owner { name } } } }""",
    "searchPersons": """{ searchPersons(term: "john", fields: ["name", "email"])
        { results { name } } }""",
    "searchDeals": """{ searchDeals(term: "consulting", exactMatch: false, fields: ["title"])
        { results { title } } }""",
    "users": "{ users { results { id name } } }",
    "me": "{ me { id name } }",
    "addOrganization": """mutation { addOrganization(name: "Priced", ownerId: 2)
        { id owner { name } } }""",
    "updateOrganization": 'mutation { updateOrganization(orgId: 67890, name: "P") { id } }',
    "createActivity": """mutation { createActivity(subject: "Priced", dealId: 54321)
        { id deal { title } } }""",
    "updateActivity": 'mutation { updateActivity(activityId: 1, note: "priced") { id } }',
    "markActivityDone": "mutation { markActivityDone(activityId: 1) { done person { name } } }",
    "deletePerson": "mutation { deletePerson(personId: 12345) { id deleted } }",
    "deleteDeal": "mutation { deleteDeal(dealId: 54321) { id deleted } }",
    "deleteOrganization": "mutation { deleteOrganization(orgId: 67890) { id deleted } }",
    "deleteActivity": "mutation { deleteActivity(activityId: 1) { id deleted } }",
    "deleteNote": "mutation { deleteNote(noteId: 98765) { id deleted } }",
}


@pytest.mark.parametrize("query", list(FIELDS.values()), ids=list(FIELDS))
async def test_estimate_bounds_the_real_cost(
    gql: GraphQLCall, upstream: Emulator, query: str
) -> None:
    result = await gql(query)
    assert result.errors == []
    cost = result.extensions["cost"]
    real_tokens = sum(e.token_cost for e in upstream.log.entries)
    assert cost["upstreamRequests"] == len(upstream.log.entries) > 0
    assert cost["pipedriveTokens"] == real_tokens > 0
    assert cost["upstreamRequests"] <= cost["estimate"]["upstreamCalls"]
    assert real_tokens <= cost["estimate"]["pipedriveTokens"]


async def test_each_write_is_priced_at_its_own_token_cost(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql("mutation { deleteNote(noteId: 98765) { id } }")
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 1, "pipedriveTokens": 6}
    result = await gql("mutation { deleteDeal(dealId: 54321) { id } }")
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 1, "pipedriveTokens": 3}
    result = await gql('mutation { addOrganization(name: "X") { id } }')
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 1, "pipedriveTokens": 5}


async def test_search_hits_read_by_single_gets_are_priced_and_said(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql('{ searchOrganizations(term: "Inc", limit: 50) { results { id } } }')
    assert result.errors == []
    hits = len(result.data["searchOrganizations"]["results"])
    assert 1 < hits <= 9  # few enough that single GETs cost fewer tokens than one ids= call
    paths = [e.path for e in upstream.log.entries]
    assert paths[0] == "/api/v2/organizations/search"
    assert sorted(paths[1:]) == sorted(
        f"/api/v2/organizations/{hit['id']}"
        for hit in result.data["searchOrganizations"]["results"]
    )
    cost = result.extensions["cost"]
    assert cost["plan"] == [f"organizations: {hits} single GET(s) instead of ids="]
    assert cost["upstreamRequests"] == 1 + hits <= cost["estimate"]["upstreamCalls"]
    assert cost["estimate"] == {"upstreamCalls": 1 + 9, "pipedriveTokens": 20 + 10}


async def test_deal_hits_are_priced_with_the_archived_read_after_the_ids_list(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql('{ searchDeals(term: "#15", limit: 100) { results { id } } }')
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 1 + 9, "pipedriveTokens": 50}
