"""v2 lists through HTTP: ids batches, filters, cursor walks."""

from __future__ import annotations

from typing import Any

import httpx

from pipedrive_graphql.emulator import Emulator


async def test_ids_drops_missing_and_returns_sort_order(
    emulator_client: httpx.AsyncClient,
) -> None:
    response = await emulator_client.get("/api/v2/persons", params={"ids": "12345,3,999999,1"})
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["data"]] == [1, 3, 12345]
    assert body["additional_data"] == {"next_cursor": None}


async def test_ids_descending_sort(emulator_client: httpx.AsyncClient) -> None:
    params = {"ids": "2,54321,5", "sort_direction": "desc"}
    response = await emulator_client.get("/api/v2/deals", params=params)
    assert [d["id"] for d in response.json()["data"]] == [54321, 5, 2]


async def test_more_than_100_ids_is_400(emulator_client: httpx.AsyncClient) -> None:
    ids = ",".join(str(i) for i in range(1, 102))
    response = await emulator_client.get("/api/v2/persons", params={"ids": ids})
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert "ids" in body["error"] + body["error_info"]


async def test_exactly_100_ids_is_allowed(emulator_client: httpx.AsyncClient) -> None:
    ids = ",".join(str(i) for i in range(1, 101))
    response = await emulator_client.get("/api/v2/persons", params={"ids": ids})
    assert response.status_code == 200
    assert len(response.json()["data"]) == 100


async def test_cursor_walk_visits_every_person_once(
    emulator: Emulator, emulator_client: httpx.AsyncClient
) -> None:
    expected = sorted(p["id"] for p in emulator.store.all("persons") if not p["is_deleted"])
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": "7", **({"cursor": cursor} if cursor else {})}
        response = await emulator_client.get("/api/v2/persons", params=params)
        assert response.status_code == 200
        body = response.json()
        assert len(body["data"]) <= 7
        seen += [p["id"] for p in body["data"]]
        pages += 1
        cursor = body["additional_data"]["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    assert pages == -(-len(expected) // 7)


async def test_cursor_walk_by_update_time_desc(
    emulator: Emulator, emulator_client: httpx.AsyncClient
) -> None:
    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"limit": "50", "sort_by": "update_time", "sort_direction": "desc"}
        if cursor:
            params["cursor"] = cursor
        body = (await emulator_client.get("/api/v2/deals", params=params)).json()
        seen += body["data"]
        cursor = body["additional_data"]["next_cursor"]
        if cursor is None:
            break
    # `/deals` lists neither deleted nor archived deals
    visible = [
        d for d in emulator.store.all("deals") if not d["is_deleted"] and not d["is_archived"]
    ]
    assert sorted(d["id"] for d in seen) == sorted(d["id"] for d in visible)
    times = [str(d["update_time"]) for d in seen]
    assert times == sorted(times, reverse=True)


async def test_filters_select_matching_rows(
    emulator: Emulator, emulator_client: httpx.AsyncClient
) -> None:
    response = await emulator_client.get("/api/v2/deals", params={"person_id": 12345})
    assert [d["id"] for d in response.json()["data"]] == [54321]
    won = (await emulator_client.get("/api/v2/deals", params={"status": "won"})).json()
    assert won["data"]
    assert {d["status"] for d in won["data"]} == {"won"}
    assert all(d["won_time"] and d["close_time"] for d in won["data"])
    expected = sum(
        1
        for d in emulator.store.all("deals")
        if d["status"] == "won" and not d["is_deleted"] and not d["is_archived"]
    )
    assert len(won["data"]) == min(expected, 100)
    undone = await emulator_client.get(
        "/api/v2/activities", params={"person_id": 12345, "done": "false"}
    )
    rows = undone.json()["data"]
    assert len(rows) >= 1
    assert all(a["person_id"] == 12345 and a["done"] is False for a in rows)


async def test_limit_above_500_is_400(emulator_client: httpx.AsyncClient) -> None:
    response = await emulator_client.get("/api/v2/deals", params={"limit": "501"})
    assert response.status_code == 400
    assert response.json()["success"] is False


async def test_stages_filter_by_pipeline_and_sort_by_order(
    emulator_client: httpx.AsyncClient,
) -> None:
    params = {"pipeline_id": "1", "sort_by": "order_nr", "sort_direction": "desc"}
    body = (await emulator_client.get("/api/v2/stages", params=params)).json()
    orders = [s["order_nr"] for s in body["data"]]
    assert orders == sorted(orders, reverse=True)
    assert {s["pipeline_id"] for s in body["data"]} == {1}
    stage = (await emulator_client.get("/api/v2/stages/1")).json()["data"]
    assert stage["pipeline_id"] == 1
