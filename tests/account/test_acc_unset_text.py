"""Activity fields Pipedrive sends as "" when not set: the emulator answers "" (never null), the
server turns "" into null, and set values come through as sent."""

from __future__ import annotations

import httpx

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.emulator.clock import utc_now
from tests.account.test_acc_nulls import upstream_get
from tests.conftest import GraphQLCall

FIELDS = ("due_date", "due_time", "duration", "note", "public_description")


async def test_unset_activity_text_is_empty_upstream_and_null_in_graphql(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql("{ activities(limit: 7) { results { id note dueDate dueTime duration } } }")
    assert result.errors == []
    rows = {r["id"]: r for r in result.data["activities"]["results"]}
    # 1: a timed call without a note; 5: a timed call with a note; 7: an all-day task
    assert rows[1] == {
        "id": 1, "note": None, "dueDate": "2025-01-13", "dueTime": "15:00:00",
        "duration": "00:30:00",
    }  # fmt: skip
    assert rows[5] == {
        "id": 5, "note": "<p>Agenda for activity 5.</p>", "dueDate": "2024-08-23",
        "dueTime": "16:00:00", "duration": "00:30:00",
    }  # fmt: skip
    assert rows[7] == {
        "id": 7, "note": None, "dueDate": "2025-02-28", "dueTime": None, "duration": None,
    }  # fmt: skip
    assert [(e.method, e.path, e.query.get("limit")) for e in upstream.log.entries] == [
        ("GET", "/api/v2/activities", "7")
    ]
    raw = await upstream_get(upstream, "/api/v2/activities/7")
    assert {k: raw[k] for k in FIELDS} == {
        "due_date": "2025-02-28", "due_time": "", "duration": "", "note": "",
        "public_description": "",
    }  # fmt: skip
    assert raw["location"]["value"] is None
    assert raw["location"]["country"] == ""


async def test_a_new_activity_without_time_or_note(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(
        'mutation { createActivity(subject: "Undated", type: "task") '
        "{ id note dueDate dueTime duration } }"
    )
    assert result.errors == []
    created = result.data["createActivity"]
    today = utc_now().strftime("%Y-%m-%d")
    assert {k: v for k, v in created.items() if k != "id"} == {
        "note": None, "dueDate": today, "dueTime": None, "duration": None,
    }  # fmt: skip
    raw = await upstream_get(upstream, f"/api/v2/activities/{created['id']}")
    assert {k: raw[k] for k in FIELDS} == {
        "due_date": today, "due_time": "", "duration": "", "note": "", "public_description": "",
    }  # fmt: skip
    assert [(e.method, e.path) for e in upstream.log.entries] == [
        ("POST", "/api/v2/activities"),
        ("GET", f"/api/v2/activities/{created['id']}"),
    ]


async def test_clearing_a_note_or_location_stores_the_unset_value(upstream: Emulator) -> None:
    """The strict emulator refuses null as the spec's request body does; the lenient one (strict
    mode off) stores the unset value Pipedrive answers, so it never answers null either."""
    lenient = Emulator(EmulatorConfig(dataset="demo"))
    cleared = {"note": None, "due_time": None, "location": None}
    for emulator, status in ((upstream, 400), (lenient, 200)):
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
            response = await http.patch(
                "/api/v2/activities/5", json=cleared, headers={"x-api-token": "t"}
            )
        assert response.status_code == status, response.text
    data = response.json()["data"]
    assert (data["note"], data["due_time"], data["duration"]) == ("", "", "00:30:00")
    assert data["location"]["value"] is None
    assert data["location"]["route"] == ""
