"""Writes that link to nothing are refused, as Pipedrive refuses them: a 400 from the strict
emulator, BAD_USER_INPUT from the server, and nothing written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.conftest import GraphQLCall

MISSING = 999_999


def _writes(upstream: Emulator) -> list[tuple[str, str, int, Any]]:
    return [(e.method, e.path, e.status, e.body) for e in upstream.log.entries if e.method != "GET"]


async def test_a_note_on_a_deal_that_does_not_exist_is_refused(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    notes_before = len(list(upstream.store.all("notes")))
    result = await gql(f'mutation {{ createNote(content: "lost", dealId: {MISSING}) {{ id }} }}')
    assert result.codes() == ["BAD_USER_INPUT"]
    assert "Deal not found" in result.errors[0]["message"]
    assert result.data == {"createNote": None}
    assert _writes(upstream) == [
        ("POST", "/api/v1/notes", 400, {"content": "lost", "deal_id": MISSING})
    ]
    assert len(list(upstream.store.all("notes"))) == notes_before


WRITES = [
    ("addPerson", f'addPerson(name: "Orphan", orgId: {MISSING})', "organizations", "org_id"),
    ("addPerson", f'addPerson(name: "Orphan", ownerId: {MISSING})', "users", "owner_id"),
    ("updatePerson", f"updatePerson(personId: 12345, orgId: {MISSING})", "organizations", "org_id"),
    ("createDeal", f'createDeal(title: "Orphan", personId: {MISSING})', "persons", "person_id"),
    ("createDeal", f'createDeal(title: "Orphan", orgId: {MISSING})', "organizations", "org_id"),
    ("createDeal", f'createDeal(title: "Orphan", stageId: {MISSING})', "stages", "stage_id"),
    ("updateDeal", f"updateDeal(dealId: 54321, personId: {MISSING})", "persons", "person_id"),
    ("createNote", f'createNote(content: "x", personId: {MISSING})', "persons", "person_id"),
    ("createNote", f'createNote(content: "x", orgId: {MISSING})', "organizations", "org_id"),
    ("createActivity", f'createActivity(subject: "x", dealId: {MISSING})', "deals", "deal_id"),
    (
        "createActivity",
        f'createActivity(subject: "y", orgId: {MISSING})',
        "organizations",
        "org_id",
    ),
    ("addOrganization", f'addOrganization(name: "x", ownerId: {MISSING})', "users", "owner_id"),
]


@pytest.mark.parametrize(("field", "call", "table", "key"), WRITES)
async def test_every_write_checks_its_references(
    gql: GraphQLCall, upstream: Emulator, field: str, call: str, table: str, key: str
) -> None:
    assert upstream.store.get(table, MISSING) is None
    tables = ("persons", "deals", "notes", "activities", "organizations")
    before = {t: len(list(upstream.store.all(t))) for t in tables}
    person_before = upstream.store.get("persons", 12345)
    deal_before = upstream.store.get("deals", 54321)
    result = await gql(f"mutation {{ {call} {{ id }} }}")
    assert result.codes() == ["BAD_USER_INPUT"]
    assert (result.data or {}).get(field) is None  # a nullable result, or data null
    assert result.errors[0]["path"] == [field]
    [(method, _, status, body)] = _writes(upstream)
    assert (method, status, body[key]) in {("POST", 400, MISSING), ("PATCH", 400, MISSING)}
    assert {t: len(list(upstream.store.all(t))) for t in before} == before
    assert upstream.store.get("persons", 12345) == person_before
    assert upstream.store.get("deals", 54321) == deal_before


async def test_a_deleted_record_is_no_target(gql: GraphQLCall, upstream: Emulator) -> None:
    upstream.store.update("persons", 12345, {"is_deleted": True})
    result = await gql('mutation { createNote(content: "x", personId: 12345) { id } }')
    assert result.codes() == ["BAD_USER_INPUT"]
    assert _writes(upstream)[0][2] == 400
    result = await gql('mutation { createNote(content: "x", orgId: 67890) { id orgId } }')
    assert result.errors == []
    assert result.data["createNote"]["orgId"] == 67890
    assert _writes(upstream)[0][2] == 200


V2_BODIES = [
    ("/api/v2/activities", {"subject": "Call", "deal_id": MISSING}),
    ("/api/v2/activities", {"subject": "Call", "org_id": MISSING}),
    ("/api/v2/activities", {"subject": "Call", "owner_id": MISSING}),
    ("/api/v2/activities", {"subject": "Call", "participants": [{"person_id": MISSING}]}),
    ("/api/v2/organizations", {"name": "Orphan Ltd", "owner_id": MISSING}),
    ("/api/v2/deals", {"title": "Orphan", "pipeline_id": MISSING}),
    ("/api/v2/deals", {"title": "Orphan", "owner_id": MISSING}),
]


@pytest.mark.parametrize(("path", "body"), V2_BODIES)
async def test_the_emulator_refuses_v2_writes_to_nothing(path: str, body: dict[str, Any]) -> None:
    emulator = Emulator(EmulatorConfig(dataset="demo", strict=True))
    table = path.rsplit("/", 1)[1]
    before = len(list(emulator.store.all(table)))
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        refused = await http.post(path, json=body, headers={"x-api-token": "t"})
        assert refused.status_code == 400
        assert refused.json()["success"] is False
        assert "not found" in refused.json()["error"]
        assert len(list(emulator.store.all(table))) == before
        # the same body naming a live record is accepted
        live = {k: v for k, v in body.items() if k not in ("participants",)}
        for key in ("deal_id", "org_id", "owner_id", "pipeline_id"):
            if key in live:
                live[key] = {"deal_id": 54321, "org_id": 67890}.get(key, 1)
        if "participants" in body:
            live["participants"] = [{"person_id": 12345, "primary": True}]
        accepted = await http.post(path, json=live, headers={"x-api-token": "t"})
        assert accepted.status_code == 200, accepted.text
        assert len(list(emulator.store.all(table))) == before + 1
