"""Each Query field run with the seed's example variables: the result and the upstream calls."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall


def _names_id(call: tuple[str, dict[str, str]], entity_id: int) -> bool:
    """Whether a by-id call asked for `entity_id`, via `ids=` or the path."""
    path, query = call
    return str(entity_id) in query.get("ids", "").split(",") or path.endswith(f"/{entity_id}")


def _calls(upstream: Emulator, prefix: str) -> list[tuple[str, dict[str, str]]]:
    return [(e.path, e.query) for e in upstream.log.entries if e.path.startswith(prefix)]


async def test_search_persons(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($term: String!, $start: Int, $limit: Int) {
      searchPersons(term: $term, start: $start, limit: $limit) {
        results { id name email emails { value primary label } } hasMore nextStart } }"""
    result = await gql(query, {"term": "john@acme.com", "limit": 10})
    assert result.errors == []
    page = result.data["searchPersons"]
    assert page["results"][0]["id"] == 12345
    assert page["results"][0]["email"] == "john@acme.com"
    assert {"value": "john.doe@home.example", "primary": False, "label": "home"} in page["results"][
        0
    ]["emails"]
    search = _calls(upstream, "/api/v2/persons/search")
    assert len(search) == 1
    assert search[0][1]["term"] == "john@acme.com"
    # hits are hydrated in one batch through the by-id loader (`ids=`, or a GET for one hit)
    hydrate = [c for c in _calls(upstream, "/api/v2/persons") if c[0] != "/api/v2/persons/search"]
    assert len(hydrate) == 1
    assert _names_id(hydrate[0], 12345)


async def test_person(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($personId: Int!) { person(personId: $personId) {
      id name firstName lastName email phone orgId ownerId addTime updateTime activeFlag
      phones { value primary label } } }"""
    result = await gql(query, {"personId": 12345})
    assert result.errors == []
    person = result.data["person"]
    assert person["name"] == "John Doe"
    assert (person["firstName"], person["lastName"]) == ("John", "Doe")
    assert person["phone"] == "+1 555 0100"
    assert person["orgId"] == 67890
    assert person["activeFlag"] is True
    assert person["addTime"] == "2025-03-03T10:00:00Z"
    calls = _calls(upstream, "/api/v2/persons")
    assert len(calls) == 1
    assert _names_id(calls[0], 12345)


async def test_persons(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($start: Int, $limit: Int) { persons(start: $start, limit: $limit) {
      results { id } hasMore nextStart } }"""
    result = await gql(query, {"start": 0, "limit": 50})
    assert result.errors == []
    page = result.data["persons"]
    ids = [p["id"] for p in page["results"]]
    assert len(ids) == 50
    assert ids == sorted(ids)
    assert page["hasMore"] is True
    assert page["nextStart"] == 50
    calls = _calls(upstream, "/api/v2/persons")
    assert len(calls) == 1
    assert calls[0][1]["limit"] == "50"


async def test_person_activities(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($personId: Int!, $start: Int, $limit: Int, $done: Boolean) {
      personActivities(personId: $personId, start: $start, limit: $limit, done: $done) {
        results { id subject done dueDate dueTime duration type } hasMore nextStart } }"""
    result = await gql(query, {"personId": 12345, "done": False, "limit": 25})
    assert result.errors == []
    results = result.data["personActivities"]["results"]
    assert {a["id"] for a in results} >= {70001, 70002}
    assert all(a["done"] is False for a in results)
    listed = [q for p, q in _calls(upstream, "/api/v2/activities") if p == "/api/v2/activities"]
    assert len(listed) == 1
    assert listed[0]["person_id"] == "12345"
    assert listed[0]["done"] == "false"


async def test_search_deals(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($term: String!, $limit: Int) { searchDeals(term: $term, limit: $limit) {
      results { id title value currency status } hasMore nextStart } }"""
    result = await gql(query, {"term": "Enterprise License", "limit": 20})
    assert result.errors == []
    ids = [d["id"] for d in result.data["searchDeals"]["results"]]
    assert 54321 in ids
    search = _calls(upstream, "/api/v2/deals/search")
    assert len(search) == 1
    assert search[0][1]["term"] == "Enterprise License"


async def test_deal(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($dealId: Int!) { deal(dealId: $dealId) {
      id title value currency status stageId pipelineId personId orgId ownerId
      expectedCloseDate wonTime lostTime closeTime lostReason addTime updateTime } }"""
    result = await gql(query, {"dealId": 54321})
    assert result.errors == []
    deal = result.data["deal"]
    assert deal["title"] == "Acme Corp - Enterprise License"
    assert (deal["value"], deal["currency"], deal["status"]) == (50000.0, "USD", "open")
    assert deal["expectedCloseDate"] == "2025-09-30"
    calls = _calls(upstream, "/api/v2/deals")
    assert len(calls) == 1
    assert _names_id(calls[0], 54321)


async def test_deals(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($start: Int, $limit: Int) { deals(start: $start, limit: $limit) {
      results { id title } hasMore nextStart } }"""
    result = await gql(query, {"start": 0, "limit": 50})
    assert result.errors == []
    assert len(result.data["deals"]["results"]) == 50
    assert result.data["deals"]["nextStart"] == 50
    calls = _calls(upstream, "/api/v2/deals")
    assert len(calls) == 1
    assert calls[0][1]["limit"] == "50"


async def test_notes(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($dealId: Int, $sort: String, $limit: Int) {
      notes(dealId: $dealId, sort: $sort, limit: $limit) {
        results { id content dealId pinnedToDealFlag addTime } hasMore nextStart } }"""
    result = await gql(query, {"dealId": 54321, "sort": "add_time DESC", "limit": 25})
    assert result.errors == []
    results = result.data["notes"]["results"]
    assert [n["id"] for n in results][:2] == [98766, 98765]
    assert results[1]["pinnedToDealFlag"] is True
    assert results[1]["addTime"] == "2025-03-04T09:00:00Z"
    calls = _calls(upstream, "/api/v1/notes")
    assert len(calls) == 1
    params = calls[0][1]
    assert (params["deal_id"], params["sort"], params["limit"]) == ("54321", "add_time DESC", "25")


async def test_note(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($noteId: Int!) { note(noteId: $noteId) {
      id content userId dealId personId orgId leadId pinnedToDealFlag pinnedToPersonFlag
      pinnedToOrganizationFlag addTime updateTime } }"""
    result = await gql(query, {"noteId": 98765})
    assert result.errors == []
    note = result.data["note"]
    assert note["content"] == "<p>John asked for a volume discount.</p>"
    assert (note["dealId"], note["personId"], note["orgId"]) == (54321, 12345, 67890)
    assert _calls(upstream, "/api/v1/notes") == [("/api/v1/notes/98765", {})]


async def test_pipelines(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """{ pipelines { results {
      id name urlTitle orderNr active dealProbability addTime updateTime } } }"""
    result = await gql(query, {})
    assert result.errors == []
    pipelines = result.data["pipelines"]["results"]
    first = next(p for p in pipelines if p["id"] == 1)
    assert first["active"] is True
    assert first["urlTitle"] == first["name"].lower().replace(" ", "-")
    assert [p for p, _ in _calls(upstream, "/api/")] == ["/api/v2/pipelines"]


async def test_stages(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($pipelineId: Int) { stages(pipelineId: $pipelineId) { results {
      id name pipelineId orderNr activeFlag dealProbability rottenFlag rottenDays } } }"""
    result = await gql(query, {"pipelineId": 1})
    assert result.errors == []
    stages = result.data["stages"]["results"]
    assert stages
    assert {s["pipelineId"] for s in stages} == {1}
    assert 1 in {s["id"] for s in stages}
    assert [p for p, _ in _calls(upstream, "/api/")] == ["/api/v2/stages"]


async def test_mail_message(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($mailMessageId: Int!) { mailMessage(mailMessageId: $mailMessageId) {
      id subject snippet body from { email name } to { email name } cc { email } bcc { email }
      mailThreadId messageTime hasAttachments read draft } }"""
    result = await gql(query, {"mailMessageId": 11111})
    assert result.errors == []
    mail = result.data["mailMessage"]
    assert mail["subject"] == "Enterprise License proposal"
    assert mail["from"] == [{"email": "sales@emulated.example", "name": "Sales Team"}]
    assert mail["to"] == [{"email": "john@acme.com", "name": "John Doe"}]
    assert mail["hasAttachments"] is True
    assert mail["draft"] is False
    assert mail["messageTime"] == "2025-03-06T08:00:00Z"
    calls = _calls(upstream, "/api/v1/mailbox")
    assert [p for p, _ in calls] == ["/api/v1/mailbox/mailMessages/11111"]


async def test_organization(gql: GraphQLCall, upstream: Emulator) -> None:
    query = """query($orgId: Int!) { organization(orgId: $orgId) {
      id name ownerId address ccEmail activeFlag addTime updateTime } }"""
    result = await gql(query, {"orgId": 99999})
    assert result.errors == []
    org = result.data["organization"]
    assert (org["id"], org["name"], org["ownerId"]) == (99999, "Globex Corporation", 2)
    assert org["activeFlag"] is True
    calls = _calls(upstream, "/api/v2/organizations")
    assert len(calls) == 1
    assert _names_id(calls[0], 99999)
