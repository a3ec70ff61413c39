"""The new mutations: what reached Pipedrive, what its store holds after, what the server forgot."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator, FaultRule
from tests.conftest import GraphQLCall

from .crm_support import bodies, ordered_ids, sent, visible

ACTIVITY = 1  # demo: person 56, deal 55


async def test_add_organization_sends_only_given_fields(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        """mutation { addOrganization(name: "Globex", ownerId: 2, address: "1 Main St, Springfield")
        { id name ownerId address owner { name } } }"""
    )
    assert result.errors == []
    assert bodies(upstream, "POST", "/api/v2/organizations") == [
        {"name": "Globex", "owner_id": 2, "address": {"value": "1 Main St, Springfield"}}
    ]
    created = result.data["addOrganization"]
    stored = upstream.store.get("organizations", created["id"])
    assert stored is not None
    assert (stored["name"], stored["owner_id"], stored["address"]["value"]) == (
        "Globex", 2, "1 Main St, Springfield",
    )  # fmt: skip
    assert created == {
        "id": stored["id"],
        "name": "Globex",
        "ownerId": 2,
        "address": "1 Main St, Springfield",
        "owner": {"name": "Olga Meyer"},
    }


async def test_update_organization_patches_only_given_fields(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    before = dict(upstream.store.get("organizations", 67890) or {})
    result = await gql('mutation { updateOrganization(orgId: 67890, name: "Acme 2") { id name } }')
    assert result.errors == []
    assert bodies(upstream, "PATCH", "/api/v2/organizations/67890") == [{"name": "Acme 2"}]
    after = upstream.store.get("organizations", 67890)
    assert after is not None
    assert after["name"] == "Acme 2"
    assert after["owner_id"] == before["owner_id"]
    assert after["address"] == before["address"]
    assert result.data["updateOrganization"] == {"id": 67890, "name": "Acme 2"}


async def test_null_where_pipedrive_cannot_clear_is_refused(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql("mutation { updateOrganization(orgId: 67890, address: null) { id } }")
    assert result.codes() == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []


async def test_create_activity_sends_participants_primary_first(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        """mutation { createActivity(subject: "Kick-off", type: "meeting", dueDate: "2026-12-01",
        dueTime: "09:30", duration: "01:00", dealId: 54321, personId: 12345,
        participants: [56, 12345], note: "Agenda", ownerId: 3)
        { id subject type dueDate dueTime duration done deal { id } person { id } } }"""
    )
    assert result.errors == []
    assert bodies(upstream, "POST", "/api/v2/activities") == [
        {
            "subject": "Kick-off",
            "type": "meeting",
            "due_date": "2026-12-01",
            "due_time": "09:30",
            "duration": "01:00",
            "deal_id": 54321,
            "person_id": 12345,
            "participants": [
                {"person_id": 12345, "primary": True},
                {"person_id": 56, "primary": False},
            ],
            "note": "Agenda",
            "owner_id": 3,
        }
    ]
    created = result.data["createActivity"]
    stored = upstream.store.get("activities", created["id"])
    assert stored is not None
    assert (stored["subject"], stored["person_id"], stored["deal_id"], stored["owner_id"]) == (
        "Kick-off", 12345, 54321, 3,
    )  # fmt: skip
    assert created["person"] == {"id": 12345}
    assert created["deal"] == {"id": 54321}
    assert created["done"] is False


async def test_update_activity_and_mark_done(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(
        f"""mutation {{ a: updateActivity(activityId: {ACTIVITY}, subject: "Follow-up")
        {{ subject done }} b: markActivityDone(activityId: {ACTIVITY}) {{ subject done }} }}"""
    )
    assert result.errors == []
    assert bodies(upstream, "PATCH", f"/api/v2/activities/{ACTIVITY}") == [
        {"subject": "Follow-up"},
        {"done": True},
    ]
    assert result.data == {
        "a": {"subject": "Follow-up", "done": False},
        "b": {"subject": "Follow-up", "done": True},
    }
    stored = upstream.store.get("activities", ACTIVITY)
    assert stored is not None
    assert stored["done"] is True
    assert stored["marked_as_done_time"] is not None
    undone = await gql(
        f"mutation {{ markActivityDone(activityId: {ACTIVITY}, done: false) {{ done }} }}"
    )
    assert undone.data == {"markActivityDone": {"done": False}}
    assert bodies(upstream, "PATCH", f"/api/v2/activities/{ACTIVITY}") == [{"done": False}]


@pytest.mark.parametrize(
    ("mutation", "method", "path", "table", "entity_id"),
    [
        ("deletePerson(personId: 12345)", "DELETE", "/api/v2/persons/12345", "persons", 12345),
        ("deleteDeal(dealId: 54321)", "DELETE", "/api/v2/deals/54321", "deals", 54321),
        ("deleteOrganization(orgId: 67890)", "DELETE", "/api/v2/organizations/67890",
         "organizations", 67890),
        (f"deleteActivity(activityId: {ACTIVITY})", "DELETE", f"/api/v2/activities/{ACTIVITY}",
         "activities", ACTIVITY),
        ("deleteNote(noteId: 98765)", "DELETE", "/api/v1/notes/98765", "notes", 98765),
    ],
)  # fmt: skip
async def test_delete_returns_the_id_and_leaves_the_store_without_it(
    gql: GraphQLCall,
    upstream: Emulator,
    mutation: str,
    method: str,
    path: str,
    table: str,
    entity_id: int,
) -> None:
    result = await gql(f"mutation {{ {mutation} {{ id deleted }} }}")
    assert result.errors == []
    assert list(result.data.values()) == [{"id": entity_id, "deleted": True}]
    assert [(e.method, e.path, e.body) for e in upstream.log.entries] == [(method, path, None)]
    stored = upstream.store.get(table, entity_id)
    assert stored is not None  # Pipedrive keeps a deleted record 30 days, marked deleted
    assert stored["active_flag"] is False if table == "notes" else stored["is_deleted"] is True
    again = await gql(f"mutation {{ {mutation} {{ id deleted }} }}")
    assert again.codes() == ["NOT_FOUND"]


async def test_a_deleted_person_leaves_the_list_and_the_requests_cache(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    listed = "{ persons(limit: 500) { results { id } } }"
    first = await gql(listed)
    assert 12345 in [p["id"] for p in first.data["persons"]["results"]]
    # The same person read before and after the delete in one operation: the second read
    # must not be answered from what the first one loaded.
    result = await gql(
        """mutation { a: updateDeal(dealId: 54321, title: "Before") { person { id activeFlag } }
        b: deletePerson(personId: 12345) { id deleted }
        c: updateDeal(dealId: 54321, title: "After") { person { id activeFlag } } }"""
    )
    assert result.errors == []
    assert result.data["a"]["person"] == {"id": 12345, "activeFlag": True}
    assert result.data["b"] == {"id": 12345, "deleted": True}
    # read again, not from the cache: deleted, so left out as an `ids=` batch leaves it out
    assert result.data["c"]["person"] is None
    person_reads = [e.method for e in upstream.log.entries if e.path == "/api/v2/persons/12345"]
    assert person_reads == ["GET", "DELETE", "GET"]
    after = await gql(listed)
    assert [p["id"] for p in after.data["persons"]["results"]] == ordered_ids(
        visible(upstream, "persons")
    )
    assert 12345 not in [p["id"] for p in after.data["persons"]["results"]]


async def test_a_delete_forgets_remembered_cursors_so_offsets_stay_true(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = "query($s: Int) { deals(start: $s, limit: 25) { results { id } } }"
    first = await gql(query, {"s": 0})
    second = await gql(query, {"s": 25})  # remembers the cursor at offset 50
    victim = first.data["deals"]["results"][10]["id"]
    deleted = await gql(f"mutation {{ deleteDeal(dealId: {victim}) {{ deleted }} }}")
    assert deleted.errors == []
    again = await gql(query, {"s": 25})
    assert again.errors == []
    expected = ordered_ids(visible(upstream, "deals"))[25:50]
    assert [d["id"] for d in again.data["deals"]["results"]] == expected
    # the window moved by the one deleted row
    assert expected[:-1] == [d["id"] for d in second.data["deals"]["results"]][1:]


async def test_a_write_that_may_have_applied_is_not_retried_and_says_so(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    rule = FaultRule("/api/v2/organizations", "http_500", method="POST", times=1, after_apply=True)
    upstream.faults.add(rule)
    result = await gql('mutation { addOrganization(name: "Once Only") { id } }')
    assert result.codes() == ["UPSTREAM_UNAVAILABLE"]
    assert result.errors[0]["extensions"]["writeOutcome"] == "unknown"
    assert len(sent(upstream, "POST", "/api/v2/organizations")) == 1
    assert [o["name"] for o in upstream.store.all("organizations")].count("Once Only") == 1


async def test_a_delete_refused_by_the_burst_limit_is_retried_and_applied_once(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    upstream.faults.add(FaultRule("/api/v2/deals/54321", "burst_429", method="DELETE", times=1))
    result = await gql("mutation { deleteDeal(dealId: 54321) { id deleted } }")
    assert result.errors == []
    assert result.data == {"deleteDeal": {"id": 54321, "deleted": True}}
    assert len([e for e in upstream.log.entries if e.method == "DELETE"]) == 2


@pytest.mark.parametrize(
    "write",
    [
        # ten characters each, ISO 8601 but not YYYY-MM-DD: they reached Pipedrive as given
        'createActivity(subject: "Call", type: "call", dueDate: "2026-W49-1") { id }',
        'createDeal(title: "Week", expectedCloseDate: "2026-W49-1") { id }',
        'createActivity(subject: "Call", type: "call", dueDate: "2026-12-01", '
        'dueTime: "09:00\\n") { id }',
    ],
)
async def test_dates_and_times_outside_their_forms_are_refused_before_any_call(
    gql: GraphQLCall, upstream: Emulator, write: str
) -> None:
    result = await gql(f"mutation {{ {write} }}")
    assert result.codes() == ["BAD_USER_INPUT"]
    assert "YYYY-MM-DD" in result.errors[0]["message"] or "HH:MM" in result.errors[0]["message"]
    assert upstream.log.entries == []
