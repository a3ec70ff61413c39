"""Fields Pipedrive sends only when asked, or from another object, as a real account gives them:
each test asserts the value and the requests that reached the strict emulator."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall


def _gets(upstream: Emulator, path: str) -> list[dict[str, str]]:
    return [e.query for e in upstream.log.entries if e.method == "GET" and e.path == path]


async def test_cc_email_is_asked_for_when_selected(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql("{ organization(orgId: 67890) { name ccEmail } }")
    assert result.errors == []
    assert result.data["organization"] == {
        "name": "Acme Corp",
        "ccEmail": "emulated-company+org67890@pipedrivemail.com",
    }
    assert _gets(upstream, "/api/v2/organizations/67890") == [{"include_fields": "smart_bcc_email"}]


async def test_cc_email_through_a_batch_and_not_asked_when_not_selected(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = "{ persons(limit: 60) { results { organization { id ccEmail } } } }"
    result = await gql(query)
    assert result.errors == []
    orgs = [p["organization"] for p in result.data["persons"]["results"] if p["organization"]]
    assert len({o["id"] for o in orgs}) > 10
    assert all(o["ccEmail"] == f"emulated-company+org{o['id']}@pipedrivemail.com" for o in orgs)
    [batch] = _gets(upstream, "/api/v2/organizations")
    assert batch["include_fields"] == "smart_bcc_email"
    assert "include_fields" not in _gets(upstream, "/api/v2/persons")[0]
    result = await gql("{ persons(limit: 60) { results { organization { id name } } } }")
    assert result.errors == []
    assert all("include_fields" not in q for q in _gets(upstream, "/api/v2/organizations"))


async def test_mail_body_in_lists_only_when_selected(gql: GraphQLCall, upstream: Emulator) -> None:
    query = "{ deal(dealId: 54321) { mailMessages { results { id body } } } }"
    result = await gql(query)
    assert result.errors == []
    assert result.data["deal"]["mailMessages"]["results"] == [
        {
            "id": 11111,
            "body": "<p>Hi John, please find the Enterprise License proposal attached.</p>",
        }
    ]
    [listed] = _gets(upstream, "/api/v1/deals/54321/mailMessages")
    assert listed["include_body"] == "1"
    result = await gql("{ deal(dealId: 54321) { mailMessages { results { id subject } } } }")
    assert result.errors == []
    assert "include_body" not in _gets(upstream, "/api/v1/deals/54321/mailMessages")[0]


async def test_mail_message_deal_and_organization_come_from_its_thread(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ mailMessage(mailMessageId: 11111) {
      dealId orgId personId deal { id title } organization { id name } } }"""
    result = await gql(query)
    assert result.errors == []
    assert result.data["mailMessage"] == {
        "dealId": 54321,
        "orgId": 67890,
        "personId": 12345,
        "deal": {"id": 54321, "title": "Acme Corp - Enterprise License"},
        "organization": {"id": 67890, "name": "Acme Corp"},
    }
    # one thread call serves dealId, orgId, deal and organization
    assert len(_gets(upstream, "/api/v1/mailbox/mailThreads/11111")) == 1
    assert _gets(upstream, "/api/v1/mailbox/mailMessages/11111") == [{"include_body": "1"}]


async def test_mail_of_a_person_gets_deals_from_threads_once_each(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    person = next(
        pid
        for pid in range(1, 101)
        if sum(pid in m["_person_ids"] for m in upstream.store.all("mail_messages")) >= 2
    )
    query = (
        f"{{ person(personId: {person}) "
        "{ mailMessages(limit: 10) { results { id dealId deal { id } } } } }"
    )
    result = await gql(query)
    assert result.errors == []
    messages = result.data["person"]["mailMessages"]["results"]
    expected = {
        m["id"]: m["_deal_id"]
        for m in upstream.store.all("mail_messages")
        if person in m["_person_ids"]
    }
    assert {m["id"]: m["dealId"] for m in messages} == expected
    assert all(m["deal"]["id"] == m["dealId"] for m in messages)
    threads = [e.path for e in upstream.log.entries if "/mailThreads/" in e.path]
    assert sorted(threads) == sorted(f"/api/v1/mailbox/mailThreads/{i}" for i in expected)


async def test_conversion_without_owner_says_whose_deals(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ pipelineConversion(pipelineId: 1, from: "2024-01-01", to: "2026-12-31") {
      userId wonRate } }"""
    result = await gql(query)
    assert result.errors == []
    assert result.data["pipelineConversion"]["userId"] == 1  # the user behind the token
    [stats] = _gets(upstream, "/api/v1/pipelines/1/conversion_statistics")
    assert "user_id" not in stats
    assert len(_gets(upstream, "/api/v1/users/me")) == 1
    query = """{ pipelineConversion(pipelineId: 1, from: "2024-01-01", to: "2026-12-31",
      ownerId: 2) { userId } }"""
    result = await gql(query)
    assert result.data["pipelineConversion"] == {"userId": 2}
    assert _gets(upstream, "/api/v1/pipelines/1/conversion_statistics")[0]["user_id"] == "2"
    assert _gets(upstream, "/api/v1/users/me") == []


async def test_root_deals_lists_archived_deals_on_request(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    archived = sorted(d["id"] for d in upstream.store.all("deals") if d["is_archived"])
    assert archived
    result = await gql("{ deals(archived: true) { results { id isArchived } hasMore } }")
    assert result.errors == []
    assert result.data["deals"] == {
        "results": [{"id": i, "isArchived": True} for i in archived],
        "hasMore": False,
    }
    assert [e.path for e in upstream.log.entries] == ["/api/v2/deals/archived"]
    result = await gql("{ deals(limit: 500) { results { id } } }")
    assert not {d["id"] for d in result.data["deals"]["results"]} & set(archived)


async def test_person_activities_are_those_they_lead(gql: GraphQLCall, upstream: Emulator) -> None:
    # activity 9 has person 64 as a second (not primary) participant
    nine = upstream.store.get("activities", 9)
    assert nine is not None
    assert {"person_id": 64, "primary": False} in nine["participants"]
    result = await gql("{ person(personId: 64) { activities(limit: 100) { results { id } } } }")
    assert result.errors == []
    ids = {a["id"] for a in result.data["person"]["activities"]["results"]}
    assert 9 not in ids
    led = {
        a["id"]
        for a in upstream.store.all("activities")
        if a["person_id"] == 64 and not a["is_deleted"]
    }
    assert ids == led
    assert _gets(upstream, "/api/v2/activities")[0]["person_id"] == "64"
    intro = await gql('{ __type(name: "Person") { fields { name description } } }')
    described = {f["name"]: f["description"] for f in intro.data["__type"]["fields"]}
    assert "primary participant" in described["activities"]


async def test_url_title_is_marked_as_not_pipedrives(gql: GraphQLCall, upstream: Emulator) -> None:
    query = '{ __type(name: "Pipeline") { fields(includeDeprecated: true) { name isDeprecated } } }'
    result = await gql(query)
    flags = {f["name"]: f["isDeprecated"] for f in result.data["__type"]["fields"]}
    assert flags["urlTitle"] is True
    assert upstream.log.entries == []


async def test_an_organization_without_address(gql: GraphQLCall, upstream: Emulator) -> None:
    stored = upstream.store.get("organizations", 2)
    assert stored is not None
    assert stored["address"]["value"] is None  # the v2 object with null parts, not null
    result = await gql("{ organization(orgId: 2) { id address } }")
    assert result.errors == []
    assert result.data["organization"] == {"id": 2, "address": None}
    assert [e.path for e in upstream.log.entries] == ["/api/v2/organizations/2"]
