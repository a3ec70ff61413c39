"""Each Mutation run with the seed's example variables: the result and the exact request body."""

from __future__ import annotations

from typing import Any

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

ADD_PERSON = """mutation($name: String!, $email: String, $phone: String, $orgId: Int,
  $ownerId: Int, $visibleTo: Int) {
  addPerson(name: $name, email: $email, phone: $phone, orgId: $orgId, ownerId: $ownerId,
    visibleTo: $visibleTo) { id name email phone orgId organization { name } } }"""
UPDATE_PERSON = """mutation($personId: Int!, $name: String, $email: String, $phone: String,
  $orgId: Int, $ownerId: Int) {
  updatePerson(personId: $personId, name: $name, email: $email, phone: $phone, orgId: $orgId,
    ownerId: $ownerId) { id name email phone orgId emails { value primary label } } }"""
CREATE_DEAL = """mutation($title: String!, $value: Float, $currency: String, $personId: Int,
  $orgId: Int, $stageId: Int, $status: String, $expectedCloseDate: String) {
  createDeal(title: $title, value: $value, currency: $currency, personId: $personId, orgId: $orgId,
    stageId: $stageId, status: $status, expectedCloseDate: $expectedCloseDate) {
    id title value currency status stageId personId expectedCloseDate person { name } } }"""
UPDATE_DEAL = """mutation($dealId: Int!, $title: String, $value: Float, $status: String,
  $lostReason: String, $expectedCloseDate: String) {
  updateDeal(dealId: $dealId, title: $title, value: $value, status: $status,
    lostReason: $lostReason, expectedCloseDate: $expectedCloseDate) {
    id title value status wonTime } }"""
CREATE_NOTE = """mutation($content: String!, $dealId: Int, $personId: Int, $orgId: Int,
  $pinnedToDealFlag: Boolean, $pinnedToPersonFlag: Boolean, $pinnedToOrganizationFlag: Boolean) {
  createNote(content: $content, dealId: $dealId, personId: $personId, orgId: $orgId,
    pinnedToDealFlag: $pinnedToDealFlag, pinnedToPersonFlag: $pinnedToPersonFlag,
    pinnedToOrganizationFlag: $pinnedToOrganizationFlag) {
    id content dealId pinnedToDealFlag deal { id } } }"""
UPDATE_NOTE = """mutation($noteId: Int!, $content: String, $pinnedToDealFlag: Boolean) {
  updateNote(noteId: $noteId, content: $content, pinnedToDealFlag: $pinnedToDealFlag) {
    id content pinnedToDealFlag } }"""


def _writes(upstream: Emulator) -> list[tuple[str, str, Any]]:
    return [(e.method, e.path, e.body) for e in upstream.log.entries if e.method != "GET"]


async def test_add_person(gql: GraphQLCall, upstream: Emulator) -> None:
    variables = {
        "name": "Jane Smith",
        "email": "jane.smith@acme.com",
        "phone": "+1-555-987-6543",
        "orgId": 67890,
    }
    result = await gql(ADD_PERSON, variables)
    assert result.errors == []
    person = result.data["addPerson"]
    assert (person["name"], person["email"], person["phone"]) == (
        "Jane Smith",
        "jane.smith@acme.com",
        "+1-555-987-6543",
    )
    assert person["organization"] == {"name": "Acme Corp"}
    assert _writes(upstream) == [
        (
            "POST",
            "/api/v2/persons",
            {
                "name": "Jane Smith",
                "org_id": 67890,
                "emails": [{"value": "jane.smith@acme.com", "primary": True, "label": "work"}],
                "phones": [{"value": "+1-555-987-6543", "primary": True, "label": "work"}],
            },
        )
    ]


async def test_update_person_sends_only_given_fields(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(
        UPDATE_PERSON, {"personId": 12345, "phone": "+1-555-123-4567", "orgId": 67890}
    )
    assert result.errors == []
    person = result.data["updatePerson"]
    assert person["phone"] == "+1-555-123-4567"
    assert person["email"] == "john@acme.com"
    [(method, path, body)] = _writes(upstream)
    assert (method, path) == ("PATCH", "/api/v2/persons/12345")
    assert body == {
        "org_id": 67890,
        "phones": [{"value": "+1-555-123-4567", "primary": True, "label": "work"}],
    }


async def test_update_person_email_keeps_secondary_emails(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(UPDATE_PERSON, {"personId": 12345, "email": "john.doe@acme.com"})
    assert result.errors == []
    emails = result.data["updatePerson"]["emails"]
    assert emails == [
        {"value": "john.doe@acme.com", "primary": True, "label": "work"},
        {"value": "john.doe@home.example", "primary": False, "label": "home"},
    ]
    [(_, _, body)] = _writes(upstream)
    assert body == {"emails": emails}


async def test_null_clears_where_pipedrive_allows(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(UPDATE_DEAL, {"dealId": 54321, "lostReason": None})
    assert result.errors == []
    assert _writes(upstream) == [("PATCH", "/api/v2/deals/54321", {"lost_reason": None})]


async def test_null_where_pipedrive_refuses_is_bad_user_input(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    """Pipedrive's spec has no null `org_id` on a person: the upstream 400 comes back as-is."""
    result = await gql(UPDATE_PERSON, {"personId": 12345, "orgId": None})
    assert result.codes() == ["BAD_USER_INPUT"]
    assert "org_id" in result.errors[0]["message"]
    assert _writes(upstream) == [("PATCH", "/api/v2/persons/12345", {"org_id": None})]


async def test_null_title_is_refused_before_any_call(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(UPDATE_DEAL, {"dealId": 54321, "title": None})
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.data == {"updateDeal": None}
    assert upstream.log.entries == []


async def test_create_deal(gql: GraphQLCall, upstream: Emulator) -> None:
    variables = {
        "title": "Enterprise License Agreement",
        "value": 50000,
        "currency": "USD",
        "personId": 12345,
        "stageId": 1,
        "expectedCloseDate": "2024-06-30",
    }
    result = await gql(CREATE_DEAL, variables)
    assert result.errors == []
    deal = result.data["createDeal"]
    assert deal["title"] == "Enterprise License Agreement"
    assert (deal["value"], deal["currency"], deal["stageId"]) == (50000.0, "USD", 1)
    assert deal["expectedCloseDate"] == "2024-06-30"
    assert deal["person"] == {"name": "John Doe"}
    assert _writes(upstream) == [
        (
            "POST",
            "/api/v2/deals",
            {
                "title": "Enterprise License Agreement",
                "value": 50000.0,
                "currency": "USD",
                "person_id": 12345,
                "stage_id": 1,
                "expected_close_date": "2024-06-30",
            },
        )
    ]


async def test_update_deal_status_won_verbatim(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(UPDATE_DEAL, {"dealId": 54321, "status": "won", "value": 75000})
    assert result.errors == []
    deal = result.data["updateDeal"]
    assert (deal["status"], deal["value"]) == ("won", 75000.0)
    assert deal["wonTime"] is not None
    assert _writes(upstream) == [
        ("PATCH", "/api/v2/deals/54321", {"value": 75000.0, "status": "won"})
    ]


async def test_create_note_pins_as_number(gql: GraphQLCall, upstream: Emulator) -> None:
    content = (
        "Had a productive call with the customer. "
        "They're interested in upgrading to the enterprise plan."
    )
    result = await gql(CREATE_NOTE, {"content": content, "dealId": 54321, "pinnedToDealFlag": True})
    assert result.errors == []
    note = result.data["createNote"]
    assert (note["dealId"], note["pinnedToDealFlag"]) == (54321, True)
    assert note["deal"] == {"id": 54321}
    assert _writes(upstream) == [
        ("POST", "/api/v1/notes", {"content": content, "deal_id": 54321, "pinned_to_deal_flag": 1})
    ]


async def test_update_note(gql: GraphQLCall, upstream: Emulator) -> None:
    content = (
        "Updated: Customer confirmed they want to proceed with the enterprise plan. "
        "Contract sent for review."
    )
    result = await gql(UPDATE_NOTE, {"noteId": 98765, "content": content})
    assert result.errors == []
    assert result.data["updateNote"]["content"] == content
    assert result.data["updateNote"]["pinnedToDealFlag"] is True
    assert _writes(upstream) == [("PUT", "/api/v1/notes/98765", {"content": content})]


async def test_mutation_then_read_sees_the_write(gql: GraphQLCall, upstream: Emulator) -> None:
    """The loaders are cleared by a write, so a later field in the request reads fresh data."""
    query = """mutation { updateDeal(dealId: 54321, title: "Renamed") { id }
      second: updateDeal(dealId: 54321, value: 1) { title value } }"""
    result = await gql(query)
    assert result.errors == []
    assert result.data["second"] == {"title": "Renamed", "value": 1.0}


async def test_a_later_field_of_the_same_mutation_sees_an_earlier_write(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    mutation = """mutation {
      before: updateDeal(dealId: 54321, value: 1) { person { name } }
      rename: updatePerson(personId: 12345, name: "Johnny Doe") { name }
      after: updateDeal(dealId: 54321, value: 2) { person { name } }
    }"""
    result = await gql(mutation)
    assert result.errors == []
    assert result.data["before"]["person"]["name"] == "John Doe"
    assert result.data["rename"]["name"] == "Johnny Doe"
    assert result.data["after"]["person"]["name"] == "Johnny Doe"
    stored = upstream.store.get("persons", 12345)
    assert stored is not None
    assert stored["name"] == "Johnny Doe"
