"""v2 search through HTTP: term length, matching by email/name/title, exact_match, item shapes."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize("term", ["", "j"])
async def test_short_term_is_400(emulator_client: httpx.AsyncClient, term: str) -> None:
    response = await emulator_client.get("/api/v2/persons/search", params={"term": term})
    assert response.status_code == 400
    assert response.json()["success"] is False


async def test_one_char_term_allowed_with_exact_match(emulator_client: httpx.AsyncClient) -> None:
    params = {"term": "j", "exact_match": "true"}
    response = await emulator_client.get("/api/v2/persons/search", params=params)
    assert response.status_code == 200
    assert response.json()["data"]["items"] == []


async def test_match_by_email(emulator_client: httpx.AsyncClient) -> None:
    params = {"term": "john@acme.com", "fields": "email"}
    body = (await emulator_client.get("/api/v2/persons/search", params=params)).json()
    items = body["data"]["items"]
    assert [i["item"]["id"] for i in items] == [12345]
    item = items[0]["item"]
    assert item["emails"][0] == "john@acme.com"
    assert all(isinstance(e, str) for e in item["emails"] + item["phones"])
    assert item["organization"] == {
        "id": 67890,
        "name": "Acme Corp",
        "address": "1 Market Street, San Francisco",
    }
    assert item["owner"] == {"id": 1}
    assert isinstance(items[0]["result_score"], float)
    assert body["additional_data"] == {"next_cursor": None}


async def test_match_by_name_substring_case_insensitive(
    emulator_client: httpx.AsyncClient,
) -> None:
    params = {"term": "OHN DO", "fields": "name"}
    body = (await emulator_client.get("/api/v2/persons/search", params=params)).json()
    names = [i["item"]["name"] for i in body["data"]["items"]]
    assert "John Doe" in names
    assert all("ohn do" in n.lower() for n in names)


async def test_exact_match_needs_whole_value(emulator_client: httpx.AsyncClient) -> None:
    partial = {"term": "john do", "exact_match": "true", "fields": "name"}
    body = (await emulator_client.get("/api/v2/persons/search", params=partial)).json()
    assert body["data"]["items"] == []
    whole = {"term": "JOHN DOE", "exact_match": "true", "fields": "name"}
    body = (await emulator_client.get("/api/v2/persons/search", params=whole)).json()
    assert [i["item"]["id"] for i in body["data"]["items"]] == [12345]


async def test_deal_search_by_title_with_filters(emulator_client: httpx.AsyncClient) -> None:
    params = {"term": "Enterprise License", "person_id": "12345", "organization_id": "67890"}
    body = (await emulator_client.get("/api/v2/deals/search", params=params)).json()
    items = body["data"]["items"]
    assert [i["item"]["id"] for i in items] == [54321]
    assert items[0]["item"]["stage"] == {"id": 1, "name": "Lead In"}
    assert items[0]["item"]["person"] == {"id": 12345, "name": "John Doe"}


async def test_search_cursor_walk(emulator_client: httpx.AsyncClient) -> None:
    params = {"term": "example", "fields": "email", "limit": "10"}
    everything = (await emulator_client.get("/api/v2/persons/search", params=params)).json()
    first_page = [i["item"]["id"] for i in everything["data"]["items"]]
    assert len(first_page) == 10
    seen: list[int] = []
    cursor: str | None = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = (await emulator_client.get("/api/v2/persons/search", params=query)).json()
        seen += [i["item"]["id"] for i in body["data"]["items"]]
        cursor = body["additional_data"]["next_cursor"]
        if cursor is None:
            break
    assert seen[:10] == first_page
    assert len(seen) == len(set(seen)) > 10


async def test_organization_search(emulator_client: httpx.AsyncClient) -> None:
    body = (
        await emulator_client.get("/api/v2/organizations/search", params={"term": "acme"})
    ).json()
    assert 67890 in [i["item"]["id"] for i in body["data"]["items"]]
