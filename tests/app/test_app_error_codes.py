"""Error codes the app layer produces, each beside whatever data still resolved."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping

import httpx
import orjson
import pytest

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig, FaultRule
from pipedrive_graphql.settings import Secret, Settings
from tests.conftest import TEST_TOKEN, UPSTREAM_URL, make_settings


async def _post(
    app_settings: Settings,
    transport: httpx.AsyncBaseTransport,
    body: Mapping[str, object],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    app = create_app(app_settings, upstream_transport=transport, upstream_base_url=UPSTREAM_URL)
    async with app.router.lifespan_context(app):
        client_transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=client_transport, base_url="http://s") as client:
            return await client.post("/graphql", json=body, headers=headers or {})


async def test_no_credential_anywhere_is_unauthenticated() -> None:
    emulator = Emulator(EmulatorConfig(dataset="demo"))
    settings = Settings(api_token=None, base_url=UPSTREAM_URL)
    transport = httpx.ASGITransport(app=emulator.app)
    response = await _post(settings, transport, {"query": "{ pipelines { results { id } } }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert emulator.log.entries == []
    ok = await _post(
        settings,
        transport,
        {"query": "{ pipelines { results { id } } }"},
        {"X-Pipedrive-Api-Token": "a-users-own-token"},
    )
    assert ok.json()["data"]["pipelines"]["results"]


async def test_refused_credential_is_unauthenticated_beside_partial_data() -> None:
    emulator = Emulator(EmulatorConfig(dataset="demo", token="the-only-good-token"))
    body = {"query": "{ __typename person(personId: 12345) { id } }"}
    response = await _post(make_settings(), httpx.ASGITransport(app=emulator.app), body)
    payload = response.json()
    assert payload["data"] == {"__typename": "Query", "person": None}
    assert [e["extensions"]["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"]
    assert TEST_TOKEN not in response.text


async def test_unexpected_failure_is_masked_internal_server_error() -> None:
    def odd_upstream(request: httpx.Request) -> httpx.Response:
        # valid JSON, but not a person: the parser's surprise must not reach the client
        body = {"success": True, "data": {"id": "not-a-number", "name": ["?"]}}
        return httpx.Response(200, content=orjson.dumps(body))

    body = {"query": "{ __typename person(personId: 7) { id name } }"}
    response = await _post(make_settings(), httpx.MockTransport(odd_upstream), body)
    payload = response.json()
    assert payload["data"]["__typename"] == "Query"
    assert payload["data"]["person"] is None
    error = payload["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert error["message"] == "Internal server error"


@pytest.fixture
def settings() -> Settings:
    """A short overall deadline."""
    return make_settings(request_deadline=0.3)


@pytest.fixture
async def hanging(upstream: Emulator) -> AsyncIterator[Emulator]:
    """Every persons call hangs."""
    upstream.faults.add(FaultRule(path="/api/v2/persons", kind="hang"))
    yield upstream
    upstream.faults.clear()


async def test_request_deadline_answers_upstream_unavailable(
    http: httpx.AsyncClient, hanging: Emulator
) -> None:
    started = asyncio.get_running_loop().time()
    response = await http.post("/graphql", json={"query": "{ person(personId: 12345) { id } }"})
    elapsed = asyncio.get_running_loop().time() - started
    assert response.json()["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert "deadline" in response.json()["errors"][0]["message"]
    # the hang never ends: any answer before the 5 s read timeout was cut by the 0.3 s deadline
    assert elapsed < 4.0
    assert Secret(TEST_TOKEN).reveal() not in response.text
