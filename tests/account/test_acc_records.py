"""Values a real account holds that a kind emulator hid: admins, deleted and archived deals,
empty primary emails. Each test asserts the value and what reached the (strict) emulator."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall


def _gets(upstream: Emulator, path: str) -> list[dict[str, str]]:
    return [e.query for e in upstream.log.entries if e.method == "GET" and e.path == path]


async def test_is_admin_comes_from_access_entries(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql("{ deals(limit: 40) { results { owner { id isAdmin } } } }")
    assert result.errors == []
    admins = {d["owner"]["id"]: d["owner"]["isAdmin"] for d in result.data["deals"]["results"]}
    # user 1 has `access: [{app: global, admin: true}, …]`, the others `admin: false`
    assert admins[1] is True
    assert {uid for uid, admin in admins.items() if not admin} == set(admins) - {1}
    assert any(e.path.startswith("/api/v1/users") for e in upstream.log.entries)
    assert all("is_admin" not in u for u in upstream.store.all("users"))


async def test_a_deleted_deal_says_deleted(gql: GraphQLCall, upstream: Emulator) -> None:
    upstream.store.update("deals", 54321, {"is_deleted": True})
    result = await gql("{ deal(dealId: 54321) { id status } }")
    assert result.errors == []
    assert result.data["deal"] == {"id": 54321, "status": "deleted"}
    assert [e.path for e in upstream.log.entries] == ["/api/v2/deals/54321"]


async def test_links_give_deleted_and_archived_deals_whatever_the_batch_size(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    deleted = next(d["id"] for d in upstream.store.all("deals") if d["is_deleted"])
    archived = next(d["id"] for d in upstream.store.all("deals") if d["is_archived"])
    upstream.store.update("notes", 1, {"deal_id": deleted})
    upstream.store.update("notes", 2, {"deal_id": archived})
    query = """{ notes(limit: 100, sort: "id ASC") {
      results { id dealId deal { id status isArchived } } } }"""
    result = await gql(query)
    assert result.errors == []
    notes = result.data["notes"]["results"]
    assert len({n["dealId"] for n in notes if n["dealId"]}) > 20  # a batch, not single GETs
    by_id = {n["id"]: n for n in notes}
    assert by_id[1]["deal"] == {"id": deleted, "status": "deleted", "isArchived": False}
    assert by_id[2]["deal"]["id"] == archived
    assert by_id[2]["deal"]["isArchived"] is True
    assert all(
        n["deal"] is not None and n["deal"]["id"] == n["dealId"] for n in notes if n["dealId"]
    )
    [listed] = _gets(upstream, "/api/v2/deals")
    assert listed["status"] == "open,won,lost,deleted"
    [from_archive] = _gets(upstream, "/api/v2/deals/archived")
    assert from_archive["ids"] == str(archived)
    assert from_archive["status"] == "open,won,lost,deleted"


async def test_no_archive_call_when_no_id_is_missing(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql("{ notes(limit: 100) { results { dealId deal { id } } } }")
    assert result.errors == []
    assert len(_gets(upstream, "/api/v2/deals")) == 1
    assert _gets(upstream, "/api/v2/deals/archived") == []


async def test_search_hits_on_archived_deals_are_all_returned(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    matching = sorted(d["id"] for d in upstream.store.all("deals") if "Consulting" in d["title"])
    assert len(matching) > 14
    for deal_id in matching[:2]:
        upstream.store.update("deals", deal_id, {"is_archived": True})
    query = '{ searchDeals(term: "Consulting", limit: 12) { results { id isArchived } hasMore } }'
    result = await gql(query)
    assert result.errors == []
    hits = result.data["searchDeals"]
    assert len(hits["results"]) == 12
    assert hits["hasMore"] is True
    archived = {d["id"] for d in hits["results"] if d["isArchived"]}
    [asked] = _gets(upstream, "/api/v2/deals/archived")
    assert set(map(int, asked["ids"].split(","))) == archived


async def test_update_email_on_a_person_whose_primary_is_empty(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    before = upstream.store.get("persons", 66)
    assert before is not None
    assert before["emails"][0] == {
        "value": "",
        "primary": True,
        "label": "work",
    }
    query = """mutation { updatePerson(personId: 66, email: "grace@new.example") {
      email emails { value primary label } } }"""
    result = await gql(query)
    assert result.errors == []
    sent = [e.body for e in upstream.log.entries if e.method == "PATCH"]
    expected = [
        {"value": "grace@new.example", "primary": True, "label": "work"},
        {"value": "grace.meyer66@work30.example", "primary": False, "label": "work"},
        {"value": "grace.meyer66@home.example", "primary": False, "label": "home"},
    ]
    assert sent == [{"emails": expected}]
    assert result.data["updatePerson"] == {"email": "grace@new.example", "emails": expected}


async def test_update_phone_when_no_entry_is_primary(gql: GraphQLCall, upstream: Emulator) -> None:
    phones = [
        {"value": "+1 111", "primary": False, "label": "work"},
        {"value": "+1 222", "primary": False, "label": "mobile"},
    ]
    upstream.store.update("persons", 12345, {"phones": phones})
    result = await gql('mutation { updatePerson(personId: 12345, phone: "+1 333") { phone } }')
    assert result.errors == []
    assert result.data["updatePerson"] == {"phone": "+1 333"}
    [body] = [e.body for e in upstream.log.entries if e.method == "PATCH"]
    assert body == {
        "phones": [
            {"value": "+1 333", "primary": True, "label": "work"},
            {"value": "+1 111", "primary": False, "label": "work"},
            {"value": "+1 222", "primary": False, "label": "mobile"},
        ]
    }


async def test_an_empty_primary_email_is_not_the_email(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql("{ person(personId: 33) { email emails { value primary } } }")
    assert result.errors == []
    assert result.data["person"] == {
        "email": None,
        "emails": [
            {"value": "", "primary": True},
            {"value": "rosa.fischer33@work32.example", "primary": False},
        ],
    }
    assert [e.path for e in upstream.log.entries] == ["/api/v2/persons/33"]


async def test_one_unrepresentable_record_costs_only_itself(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    # GraphQL's Int is 32-bit: a record whose id does not fit is left out and named in the plan
    upstream.store.insert("persons", {"id": 2**31, "name": "Too Big"})
    live = sorted(p["id"] for p in upstream.store.all("persons") if not p["is_deleted"])
    result = await gql("{ persons(limit: 500) { results { id } hasMore } }")
    assert result.errors == []
    assert [p["id"] for p in result.data["persons"]["results"]] == live[:-1]
    assert live[-1] == 2**31
    notes = result.extensions["cost"]["plan"]
    assert any("2147483648" in note for note in notes)
    assert len(_gets(upstream, "/api/v2/persons")) == 1
