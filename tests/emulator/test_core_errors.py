"""401, 404 and 400 bodies through HTTP."""

from __future__ import annotations

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig

UNAUTHORIZED = {
    "success": False,
    "error": "unauthorized access",
    "errorCode": 401,
    "error_info": "Please check developers.pipedrive.com",
}


def _client(emulator: Emulator, headers: dict[str, str]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=emulator.app)
    return httpx.AsyncClient(transport=transport, base_url="http://emulator", headers=headers)


@pytest.mark.parametrize("path", ["/api/v2/persons", "/v1/notes", "/api/v2/unknown/path"])
async def test_no_credential_is_401(emulator: Emulator, path: str) -> None:
    async with _client(emulator, {}) as client:
        response = await client.get(path)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert emulator.log.entries[-1].status == 401


async def test_configured_token_accepts_only_itself() -> None:
    emulator = Emulator(EmulatorConfig(dataset="empty", token="right"))
    async with _client(emulator, {"x-api-token": "wrong"}) as client:
        wrong = await client.get("/api/v2/pipelines")
    assert wrong.status_code == 401
    assert wrong.json() == UNAUTHORIZED
    async with _client(emulator, {"authorization": "Bearer right"}) as client:
        assert (await client.get("/api/v2/pipelines")).status_code == 200
    async with _client(emulator, {}) as client:
        legacy = await client.get("/api/v2/pipelines", params={"api_token": "right"})
    assert legacy.status_code == 200
    assert "right" not in repr(emulator.log.entries)


async def test_v2_404_body(emulator_client: httpx.AsyncClient) -> None:
    response = await emulator_client.get("/api/v2/persons/424242")
    assert response.status_code == 404
    assert response.json() == {
        "success": False,
        "error": "Entity was not found",
        "error_info": "Object was not found.",
        "data": None,
        "additional_data": None,
    }


@pytest.mark.parametrize("prefix", ["/v1", "/api/v1"])
async def test_v1_404_body(emulator_client: httpx.AsyncClient, prefix: str) -> None:
    response = await emulator_client.get(f"{prefix}/notes/424242")
    assert response.status_code == 404
    assert response.json() == {
        "success": False,
        "error": "requested note not found",
        "error_info": "Object was not found.",
        "data": None,
        "additional_data": None,
    }


async def test_unknown_path_is_json_404(emulator_client: httpx.AsyncClient) -> None:
    response = await emulator_client.get("/api/v2/nothing-here")
    assert response.status_code == 404
    assert response.json()["success"] is False


async def test_v2_only_under_api_v2(emulator_client: httpx.AsyncClient) -> None:
    assert (await emulator_client.get("/v2/persons")).status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"name": "X", "owner_id": "1"}, {"name": "X", "org_id": True}, {"owner_id": 1}],
)
async def test_bad_person_body_is_400(
    emulator: Emulator, emulator_client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    before = emulator.store.count("persons")
    response = await emulator_client.post("/api/v2/persons", json=body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["success"] is False
    assert isinstance(payload["error"], str)
    assert emulator.store.count("persons") == before


async def test_lenient_mode_still_rejects_string_numbers() -> None:
    emulator = Emulator(EmulatorConfig(dataset="empty", strict=False))
    async with _client(emulator, {"x-api-token": "t"}) as client:
        response = await client.post("/api/v2/deals", json={"title": "T", "value": "100"})
        flag = await client.post("/api/v2/deals", json={"title": "T", "is_archived": 1})
    assert response.status_code == 400
    assert flag.status_code == 400
    assert response.json()["error_info"] == '"value" must be a number'
