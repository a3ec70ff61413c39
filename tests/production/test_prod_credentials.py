"""Per-request credentials: they win over the server token, never leak, can be forbidden; CORS."""

from __future__ import annotations

import asyncio

import httpx

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.conftest import TEST_TOKEN, GraphQLCall, make_settings
from tests.production.prod_support import emulator_credential_id, serve

TOKEN_A = "request-token-aaaaaaaaaaaa"
TOKEN_B = "request-token-bbbbbbbbbbbb"
PERSON = "{ person(personId: 12345) { id name } }"
PIPELINES = "{ pipelines { results { id name } } }"


async def test_request_token_wins_over_the_server_token(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(PERSON, headers={"X-Pipedrive-Api-Token": TOKEN_A})
    assert result.data == {"person": {"id": 12345, "name": "John Doe"}}
    ids = {entry.credential_id for entry in upstream.log.entries}
    assert ids == {emulator_credential_id(TOKEN_A)}

    result = await gql(PERSON)  # the next request, without a header, is the server's again
    assert {e.credential_id for e in upstream.log.entries} == {emulator_credential_id(TEST_TOKEN)}


async def test_bearer_token_travels_as_bearer(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(PERSON, headers={"Authorization": f"Bearer {TOKEN_B}"})
    assert result.errors == []
    assert {e.credential_id for e in upstream.log.entries} == {emulator_credential_id(TOKEN_B)}


async def test_concurrent_requests_never_borrow_each_others_credential() -> None:
    # The upstream accepts only TOKEN_A: a request with TOKEN_B succeeds only if it leaked.
    upstream = Emulator(EmulatorConfig(dataset="demo", strict=True, token=TOKEN_A))
    async with serve(make_settings(), upstream) as http:

        async def one(token: str) -> httpx.Response:
            body = {"query": "{ pipelines { results { id } } person(personId: 12345) { name } }"}
            return await http.post("/graphql", json=body, headers={"X-Pipedrive-Api-Token": token})

        tokens = [TOKEN_A, TOKEN_B] * 20
        responses = await asyncio.gather(*(one(t) for t in tokens))
    for token, response in zip(tokens, responses, strict=True):
        body = response.json()
        if token == TOKEN_A:
            assert body["data"]["person"] == {"name": "John Doe"}
            assert "errors" not in body
        else:
            assert body["data"] is None or body["data"]["person"] is None
            assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}
    seen = {e.credential_id for e in upstream.log.entries}
    assert seen == {emulator_credential_id(TOKEN_A), emulator_credential_id(TOKEN_B)}


async def test_reference_cache_is_partitioned_by_credential(upstream: Emulator) -> None:
    async with serve(make_settings(), upstream) as http:

        async def pipelines(token: str) -> list[str]:
            upstream.log.clear()
            headers = {"X-Pipedrive-Api-Token": token}
            response = await http.post("/graphql", json={"query": PIPELINES}, headers=headers)
            return [p["name"] for p in response.json()["data"]["pipelines"]["results"]]

        before = await pipelines(TOKEN_A)
        assert len(upstream.log.entries) == 1
        assert await pipelines(TOKEN_A) == before
        assert upstream.log.entries == []  # A's second read came from A's cache

        upstream.store.update("pipelines", 1, {"name": "Renamed for B"})
        seen_by_b = await pipelines(TOKEN_B)
        assert "Renamed for B" in seen_by_b  # B did not get A's cached list
        assert [e.credential_id for e in upstream.log.entries] == [emulator_credential_id(TOKEN_B)]

        assert await pipelines(TOKEN_A) == before  # and A still reads its own cache
        assert upstream.log.entries == []


async def test_forbidden_per_request_credentials_answer_forbidden(upstream: Emulator) -> None:
    async with serve(make_settings(allow_request_credentials=False), upstream) as http:
        for headers in ({"X-Pipedrive-Api-Token": TOKEN_A}, {"Authorization": f"Bearer {TOKEN_A}"}):
            response = await http.post("/graphql", json={"query": PERSON}, headers=headers)
            assert response.status_code == 403
            assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            assert TOKEN_A not in response.text
        ok = await http.post("/graphql", json={"query": PERSON})
        assert ok.json()["data"]["person"]["id"] == 12345
    assert {e.credential_id for e in upstream.log.entries} == {emulator_credential_id(TEST_TOKEN)}


async def test_no_credential_and_no_server_token_is_unauthenticated(upstream: Emulator) -> None:
    async with serve(make_settings(api_token=None), upstream) as http:
        response = await http.post("/graphql", json={"query": PERSON})
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        with_token = await http.post(
            "/graphql", json={"query": PERSON}, headers={"X-Pipedrive-Api-Token": TOKEN_A}
        )
        assert with_token.json()["data"]["person"]["id"] == 12345
    assert [e.credential_id for e in upstream.log.entries] == [emulator_credential_id(TOKEN_A)]


async def test_cors_preflight_allows_configured_origins_only(upstream: Emulator) -> None:
    origin = "https://crm-dashboard.example"
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-pipedrive-api-token",
    }
    async with serve(make_settings(cors_origins=(origin,)), upstream) as http:
        allowed = await http.options("/graphql", headers={"Origin": origin, **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == origin
        assert "x-pipedrive-api-token" in allowed.headers["access-control-allow-headers"].lower()
        other = await http.options(
            "/graphql", headers={"Origin": "https://evil.example", **preflight}
        )
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers
        simple = await http.post("/graphql", json={"query": PERSON}, headers={"Origin": origin})
        assert simple.headers["access-control-allow-origin"] == origin
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
    async with serve(make_settings(), upstream) as http:  # off by default
        off = await http.options("/graphql", headers={"Origin": origin, **preflight})
        assert "access-control-allow-origin" not in off.headers
        assert off.status_code == 405
