"""The emulator's custom fields: definition endpoints, `custom_fields=` and write validation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig

TOKEN = {"x-api-token": "custom-fields-test-token"}
TYPES = {"varchar", "varchar_auto", "text", "double", "monetary", "enum", "set", "date",
         "daterange", "time", "timerange", "address", "phone", "user", "org", "people"}  # fmt: skip


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(EmulatorConfig(dataset="demo", strict=True))


@pytest.fixture
async def api(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://e", headers=TOKEN) as http:
        yield http


async def _keys(api: httpx.AsyncClient, entity: str) -> dict[str, dict[str, Any]]:
    body = (await api.get(f"/api/v2/{entity}Fields")).json()
    return {f["field_name"]: f for f in body["data"] if f["is_custom_field"]}


async def test_v2_definitions_page_and_hold_every_type(api: httpx.AsyncClient) -> None:
    first = (await api.get("/api/v2/dealFields?limit=10")).json()
    assert len(first["data"]) == 10
    cursor = first["additional_data"]["next_cursor"]
    rest = (await api.get(f"/api/v2/dealFields?limit=10&cursor={cursor}")).json()
    assert rest["additional_data"]["next_cursor"] is None
    fields = first["data"] + rest["data"]
    assert [f["field_code"] for f in fields[:2]] == ["title", "value"]  # built-in first
    custom = [f for f in fields if f["is_custom_field"]]
    assert {f["field_type"] for f in custom} == TYPES
    assert all(len(f["field_code"]) == 40 for f in custom)
    lead = next(f for f in custom if f["field_name"] == "Lead source")
    # the deleted option is gone from v2's options
    assert [(o["id"], o["label"]) for o in lead["options"]] == [
        (1, "Web"), (2, "Referral"), (3, "Partner"),
    ]  # fmt: skip
    budget = next(f for f in custom if f["field_name"] == "Budget")
    assert [s["field_code"] for s in budget["subfields"]] == ["value", "currency"]


async def test_v1_definitions_list_deleted_options(api: httpx.AsyncClient) -> None:
    body = (await api.get("/v1/dealFields?start=0&limit=100")).json()
    lead = next(f for f in body["data"] if f["name"] == "Lead source")
    assert lead["options_deleted"] == [{"id": 4, "label": "Trade show"}]
    assert body["additional_data"]["pagination"]["more_items_in_collection"] is False
    persons = (await api.get("/api/v1/personFields")).json()["data"]
    assert [f["name"] for f in persons] == [
        "Region", "Persona", "Languages", "Birthday", "Direct line",
    ]  # fmt: skip
    activities = (await api.get("/api/v2/activityFields")).json()["data"]
    assert [f["field_name"] for f in activities if f["is_custom_field"]] == ["Outcome", "Agenda"]


async def test_datasets_have_values_some_records_none_and_distinct_keys(
    emulator: Emulator,
) -> None:
    deals = list(emulator.store.all("deals"))
    assert all(not d["custom_fields"] for d in deals if d["id"] % 10 == 0)
    valued = [d for d in deals if d["custom_fields"]]
    assert len(valued) > len(deals) // 2
    target = Emulator(EmulatorConfig(dataset="target"))
    demo_keys = {d["field_code"] for d in emulator.store.all("field_definitions")}
    target_keys = {d["field_code"] for d in target.store.all("field_definitions")}
    assert demo_keys.isdisjoint(target_keys)
    assert any(d["custom_fields"] for d in target.store.all("deals"))


async def test_custom_fields_parameter_selects_values(api: httpx.AsyncClient) -> None:
    fields = await _keys(api, "deal")
    wanted = [fields["Region"]["field_code"], fields["Budget"]["field_code"]]
    body = (
        await api.get("/api/v2/deals", params={"ids": "54321", "custom_fields": ",".join(wanted)})
    ).json()
    assert set(body["data"][0]["custom_fields"]) == set(wanted)
    too_many = ",".join(f["field_code"] for f in list(fields.values())[:16])
    response = await api.get("/api/v2/deals", params={"custom_fields": too_many})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Tags", []),
        ("Tags", [99]),
        ("Lead source", 4),
        ("Lead source", "Web"),
        ("Seats", "12"),
        ("Budget", 100),
        ("Budget", {"value": 100, "currency": "eur"}),
        ("Contract end", "2025-02-30"),
        ("Trial period", {"value": "2025-03-01", "until": "2025-02-01"}),
        ("Kick-off time", {"value": "9am"}),
        ("Technical contact", 999999),
        ("Region", "x" * 256),
        ("Delivery address", {"street_number": "1"}),
    ],
)
async def test_writes_refused_like_pipedrive_store_nothing(
    api: httpx.AsyncClient, emulator: Emulator, name: str, value: object
) -> None:
    key = (await _keys(api, "deal"))[name]["field_code"]
    before = dict(emulator.store.get("deals", 54321) or {})
    response = await api.patch("/api/v2/deals/54321", json={"custom_fields": {key: value}})
    assert response.status_code == 400
    assert key in response.json()["error_info"]
    assert emulator.store.get("deals", 54321) == before


async def test_writes_merge_and_null_clears(api: httpx.AsyncClient, emulator: Emulator) -> None:
    fields = await _keys(api, "deal")
    tags, region = fields["Tags"]["field_code"], fields["Region"]["field_code"]
    before = dict((emulator.store.get("deals", 54321) or {})["custom_fields"])
    response = await api.patch(
        "/api/v2/deals/54321", json={"custom_fields": {tags: None, region: "Nordics"}}
    )
    assert response.status_code == 200
    after = response.json()["data"]["custom_fields"]
    assert tags not in after
    assert after[region] == "Nordics"
    assert {k: v for k, v in after.items() if k != region} == {
        k: v for k, v in before.items() if k not in (tags, region)
    }
    unknown = await api.patch("/api/v2/deals/54321", json={"custom_fields": {"0" * 40: 1}})
    assert unknown.status_code == 400


async def test_search_lists_matched_custom_values(
    api: httpx.AsyncClient, emulator: Emulator
) -> None:
    region = (await _keys(api, "deal"))["Region"]["field_code"]
    emulator.store.update("deals", 54321, {"custom_fields": {region: "Nordics"}})
    body = (await api.get("/api/v2/deals/search", params={"term": "nordics"})).json()
    items = body["data"]["items"]
    assert [(i["item"]["id"], i["item"]["custom_fields"]) for i in items] == [(54321, ["Nordics"])]
    only_titles = await api.get(
        "/api/v2/deals/search", params={"term": "nordics", "fields": "title"}
    )
    assert only_titles.json()["data"]["items"] == []
