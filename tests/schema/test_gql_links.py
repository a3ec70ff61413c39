"""Links resolve through the per-request loaders: counted upstream requests, not one per row."""

from __future__ import annotations

from collections import Counter

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall


def _starting(calls: Counter[str], prefix: str) -> int:
    return sum(n for path, n in calls.items() if path.startswith(prefix))


def _by_path(upstream: Emulator) -> Counter[str]:
    return Counter(e.path for e in upstream.log.entries)


async def test_100_deals_with_their_links(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """{ deals(limit: 100) { results { id personId orgId stageId ownerId
      person { id organization { id name } } organization { id name }
      stage { id pipeline { id name } } owner { id name } } } }"""
    result = await gql(query)
    assert result.errors == []
    deals = result.data["deals"]["results"]
    assert len(deals) == 100
    for deal in deals:
        assert (deal["person"] or {}).get("id") == deal["personId"]
        assert (deal["organization"] or {}).get("id") == deal["orgId"]
        assert deal["stage"]["id"] == deal["stageId"]
        assert deal["owner"]["id"] == deal["ownerId"]
    calls = _by_path(upstream)
    # deals list, persons by ids, organizations by ids (deal and person levels: at most two)
    assert calls["/api/v2/deals"] == 1
    assert calls["/api/v2/persons"] == 1
    assert calls["/api/v2/organizations"] <= 2
    # reference data: the whole list once, or (when cheaper in tokens) one GET per distinct id
    owners = {d["ownerId"] for d in deals}
    pipelines = {d["stage"]["pipeline"]["id"] for d in deals}
    assert _starting(calls, "/api/v1/users") <= max(1, len(owners))
    assert _starting(calls, "/api/v2/pipelines") <= max(1, len(pipelines))
    assert _starting(calls, "/api/v2/stages") <= 1
    assert sum(calls.values()) <= 4 + len(owners) + len(pipelines)  # naive: ~500


async def test_50_persons_with_deals_activities_organization(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ persons(limit: 50) { results { id orgId
      organization { id } deals(limit: 10) { results { id personId } hasMore }
      activities(limit: 10, done: false) { results { id done } } } } }"""
    result = await gql(query)
    assert result.errors == []
    persons = result.data["persons"]["results"]
    assert len(persons) == 50
    for person in persons:
        assert all(d["personId"] == person["id"] for d in person["deals"]["results"])
        assert all(a["done"] is False for a in person["activities"]["results"])
    assert any(p["deals"]["results"] for p in persons)
    calls = _by_path(upstream)
    # one persons list, one organizations batch; per-parent lists are grouped by the loaders
    assert calls["/api/v2/persons"] == 1
    assert calls["/api/v2/organizations"] == 1
    assert calls["/api/v2/deals"] < 50
    assert calls["/api/v2/activities"] < 50
    assert sum(calls.values()) < 20


async def test_pipelines_stages_deals_person(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """{ pipelines { results { id stages { id pipelineId
      deals(limit: 5) { results { id stageId person { id name } } } } } } }"""
    result = await gql(query)
    assert result.errors == []
    for pipeline in result.data["pipelines"]["results"]:
        for stage in pipeline["stages"]:
            assert stage["pipelineId"] == pipeline["id"]
            assert all(d["stageId"] == stage["id"] for d in stage["deals"]["results"])
    calls = _by_path(upstream)
    assert calls["/api/v2/pipelines"] <= 1
    assert calls["/api/v2/stages"] <= 1
    assert calls["/api/v2/persons"] <= 1
    assert sum(calls.values()) < 15


async def test_search_hits_hydrate_in_one_batch(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql('{ searchDeals(term: "Consulting", limit: 50) { results { id title } } }')
    assert result.errors == []
    assert len(result.data["searchDeals"]["results"]) > 1
    calls = _by_path(upstream)
    assert calls == Counter({"/api/v2/deals/search": 1, "/api/v2/deals": 1})


async def test_person_links(gql: GraphQLCall) -> None:
    query = """{ person(personId: 12345) { name organization { name } owner { id }
      deals { results { id } } activities(done: true) { results { subject } }
      notes { results { id } } mailMessages { results { id subject } } } }"""
    result = await gql(query)
    assert result.errors == []
    person = result.data["person"]
    assert person["organization"] == {"name": "Acme Corp"}
    assert person["owner"] == {"id": 1}
    assert {"id": 54321} in person["deals"]["results"]
    assert person["activities"]["results"] == [{"subject": "Kick-off meeting"}]
    assert {"id": 98765} in person["notes"]["results"]
    assert {"id": 11111, "subject": "Enterprise License proposal"} in person["mailMessages"][
        "results"
    ]


async def test_organization_and_mail_links(gql: GraphQLCall) -> None:
    query = """{ organization(orgId: 67890) { owner { id } persons { results { id } }
      deals(status: "open") { results { id status } } activities { results { id } }
      notes { results { id } } }
      mailMessage(mailMessageId: 11111) { deal { id } person { id } organization { id } }
      note(noteId: 98765) { deal { id } person { id } organization { id } user { id } } }"""
    result = await gql(query)
    assert result.errors == []
    org = result.data["organization"]
    assert {"id": 12345} in org["persons"]["results"]
    assert all(d["status"] == "open" for d in org["deals"]["results"])
    assert {"id": 54321, "status": "open"} in org["deals"]["results"]
    assert {"id": 70001} in org["activities"]["results"]
    assert {"id": 98765} in org["notes"]["results"]
    links = {"deal": {"id": 54321}, "person": {"id": 12345}, "organization": {"id": 67890}}
    assert result.data["note"] == {**links, "user": {"id": 1}}
    # GET mailMessages/{id} names no deal or organization: its thread does; the person comes
    # from the parties
    assert result.data["mailMessage"] == links
