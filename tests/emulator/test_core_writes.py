"""POST/PATCH/PUT persist, derive fields, move update_time and are logged."""

from __future__ import annotations

import httpx

from pipedrive_graphql.emulator import Emulator


async def test_post_person_derives_names_and_contacts(
    emulator: Emulator, emulator_client: httpx.AsyncClient
) -> None:
    body = {
        "name": "Ada Lovelace",
        "org_id": 67890,
        "emails": [{"value": "ada@example.com"}, {"value": "a@home.example", "label": "home"}],
    }
    response = await emulator_client.post("/api/v2/persons", json=body)
    assert response.status_code == 200
    person = response.json()["data"]
    assert (person["first_name"], person["last_name"]) == ("Ada", "Lovelace")
    assert person["emails"] == [
        {"value": "ada@example.com", "primary": True, "label": "work"},
        {"value": "a@home.example", "primary": False, "label": "home"},
    ]
    fetched = await emulator_client.get(f"/api/v2/persons/{person['id']}")
    assert fetched.json()["data"] == person
    assert emulator.store.get("persons", person["id"]) is not None


async def test_patch_person_persists_and_moves_update_time(
    emulator_client: httpx.AsyncClient,
) -> None:
    before = (await emulator_client.get("/api/v2/persons/12345")).json()["data"]
    response = await emulator_client.patch("/api/v2/persons/12345", json={"name": "Johnny Doe"})
    assert response.status_code == 200
    updated = response.json()["data"]
    assert updated["name"] == "Johnny Doe"
    assert updated["first_name"] == "Johnny"
    assert updated["update_time"] > before["update_time"]
    assert updated["add_time"] == before["add_time"]
    again = (await emulator_client.get("/api/v2/persons/12345")).json()["data"]
    assert again == updated


async def test_patch_deal_status_and_stage(emulator_client: httpx.AsyncClient) -> None:
    won = (await emulator_client.patch("/api/v2/deals/54321", json={"status": "won"})).json()
    assert won["data"]["status"] == "won"
    assert won["data"]["won_time"] is not None
    assert won["data"]["close_time"] == won["data"]["won_time"]
    moved = await emulator_client.patch("/api/v2/deals/54321", json={"stage_id": 7})
    deal = moved.json()["data"]
    assert (deal["stage_id"], deal["pipeline_id"]) == (7, 2)
    assert deal["stage_change_time"] == deal["update_time"]


async def test_patch_missing_is_404(emulator_client: httpx.AsyncClient) -> None:
    response = await emulator_client.patch("/api/v2/deals/999999", json={"title": "x"})
    assert response.status_code == 404


async def test_post_and_put_note(emulator: Emulator, emulator_client: httpx.AsyncClient) -> None:
    body = {"content": "<p>Call back</p>", "deal_id": 54321, "pinned_to_deal_flag": 1}
    created = await emulator_client.post("/v1/notes", json=body)
    assert created.status_code == 200
    note = created.json()["data"]
    assert note["pinned_to_deal_flag"] is True
    assert note["deal"] == {"title": "Acme Corp - Enterprise License"}
    assert len(note["add_time"]) == 19
    assert note["add_time"][10] == " "
    put = await emulator_client.put(f"/api/v1/notes/{note['id']}", json={"content": "<p>Done</p>"})
    assert put.json()["data"]["content"] == "<p>Done</p>"
    fetched = (await emulator_client.get(f"/v1/notes/{note['id']}")).json()["data"]
    assert fetched["content"] == "<p>Done</p>"
    assert emulator.store.get("notes", note["id"]) is not None


async def test_note_without_target_is_400(emulator_client: httpx.AsyncClient) -> None:
    response = await emulator_client.post("/v1/notes", json={"content": "orphan"})
    assert response.status_code == 400


async def test_request_log_records_calls(
    emulator: Emulator, emulator_client: httpx.AsyncClient
) -> None:
    emulator.log.clear()
    await emulator_client.get("/api/v2/persons", params={"ids": "1,2", "limit": "5"})
    await emulator_client.patch("/api/v2/persons/1", json={"name": "New Name"})
    await emulator_client.get("/api/v2/persons/77777777")
    entries = emulator.log.entries
    assert [(e.method, e.path, e.status) for e in entries] == [
        ("GET", "/api/v2/persons", 200),
        ("PATCH", "/api/v2/persons/1", 200),
        ("GET", "/api/v2/persons/77777777", 404),
    ]
    assert entries[0].query == {"ids": "1,2", "limit": "5"}
    assert entries[0].body is None
    assert entries[1].body == {"name": "New Name"}
    assert entries[0].credential_id is not None
    assert "test-token" not in repr(entries)
    assert emulator.log.count("/api/v2/persons", method="GET") == 2


async def test_store_events_and_reset(
    emulator: Emulator, emulator_client: httpx.AsyncClient
) -> None:
    events: list[tuple[str, str, int, object]] = []
    emulator.store.subscribe(lambda a, e, i, d, p: events.append((a, e, i, p)))
    await emulator_client.patch("/api/v2/persons/12345", json={"name": "Jo Doe"})
    assert events == [
        (
            "change",
            "person",
            12345,
            {"name": "John Doe", "first_name": "John", "update_time": "2025-03-03T10:00:00Z"},
        )
    ]
    emulator.reset()
    assert emulator.store.get("persons", 12345)["name"] == "John Doe"  # type: ignore[index]
    assert emulator.log.entries == []
