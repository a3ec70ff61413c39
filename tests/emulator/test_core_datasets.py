"""Datasets: documented example ids, sizes and purpose-made datasets."""

from __future__ import annotations

import httpx
import pytest

from pipedrive_graphql.emulator import Dataset, Emulator, EmulatorConfig
from pipedrive_graphql.emulator.datasets import load_dataset
from pipedrive_graphql.emulator.store import Store

EXAMPLE_PATHS = [
    "/api/v2/persons/12345",
    "/api/v2/organizations/67890",
    "/api/v2/organizations/99999",
    "/api/v2/deals/54321",
    "/api/v2/pipelines/1",
    "/api/v2/stages/1",
    "/v1/notes/98765",
    "/v1/mailbox/mailMessages/11111",
]


@pytest.mark.parametrize("path", EXAMPLE_PATHS)
async def test_documented_example_ids_exist(emulator_client: httpx.AsyncClient, path: str) -> None:
    response = await emulator_client.get(path)
    assert response.status_code == 200
    assert str(response.json()["data"]["id"]) == path.rsplit("/", 1)[1]


async def test_example_records_fit_the_docs(emulator_client: httpx.AsyncClient) -> None:
    person = (await emulator_client.get("/api/v2/persons/12345")).json()["data"]
    assert person["name"] == "John Doe"
    assert person["org_id"] == 67890
    assert "john@acme.com" in [e["value"] for e in person["emails"]]
    deal = (await emulator_client.get("/api/v2/deals/54321")).json()["data"]
    assert "Enterprise License" in deal["title"]
    assert (deal["person_id"], deal["org_id"], deal["stage_id"]) == (12345, 67890, 1)


def test_demo_is_believable() -> None:
    store = Store(load_dataset("demo").records)
    deals = list(store.all("deals"))
    assert 140 <= len(deals) <= 200
    assert {d["status"] for d in deals} == {"open", "won", "lost"}
    assert {d["currency"] for d in deals} >= {"USD", "EUR", "GBP"}
    assert any(d["lost_reason"] for d in deals)
    assert len({d["pipeline_id"] for d in deals}) == 2
    assert any(s["is_deal_rot_enabled"] for s in store.all("stages"))
    assert any(len(p["emails"]) > 1 for p in store.all("persons"))
    notes = list(store.all("notes"))
    assert any(n["pinned_to_deal_flag"] for n in notes)
    assert any(not n["pinned_to_deal_flag"] for n in notes)
    assert {a["done"] for a in store.all("activities")} == {True, False}


def test_target_sizes() -> None:
    store = Store(load_dataset("target").records)
    counts = {
        t: store.count(t)
        for t in ("deals", "persons", "organizations", "activities", "stages", "users")
    }
    assert counts == {
        "deals": 120,
        "persons": 60,
        "organizations": 15,
        "activities": 150,
        "stages": 8,
        "users": 3,
    }


def test_same_seed_same_data() -> None:
    assert load_dataset("demo") == load_dataset("demo")


async def test_purpose_made_dataset() -> None:
    dataset = Dataset(name="tiny", records={"persons": [{"id": 5, "name": "Only One"}]})
    emulator = Emulator(EmulatorConfig(dataset=dataset))
    emulator.store.insert("persons", {"id": 9, "name": "Second Person"})
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://e") as client:
        response = await client.get("/api/v2/persons", headers={"x-api-token": "t"})
    assert [(p["id"], p["last_name"]) for p in response.json()["data"]] == [
        (5, "One"),
        (9, "Person"),
    ]


def test_large_dataset_has_its_documented_size() -> None:
    # Its build time is a benchmark figure (BENCHMARKS.md), not a test bound: timed tests fail
    # on a loaded machine.
    store = Store(load_dataset("large").records)
    counts = {t: store.count(t) for t in ("persons", "deals", "activities", "notes")}
    assert counts == {"persons": 10_000, "deals": 20_000, "activities": 50_000, "notes": 20_000}
