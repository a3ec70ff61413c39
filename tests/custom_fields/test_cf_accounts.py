"""Two accounts with different custom fields behind one server: definitions never cross over."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.conftest import UPSTREAM_URL, make_settings

TOKEN_A = "account-a-token-0123456789"
TOKEN_B = "account-b-token-0123456789"
QUERY = """{ deals(limit: 20) { results { id
  customFields { key name text value } budget: customField(name: "Budget") { text } } } }"""
QUERY_B = """{ deals(limit: 20) { results { id customFields { key name text value }
  budget: customField(name: "Deal budget") { text } } } }"""


class ByCredential(httpx.AsyncBaseTransport):
    """Sends each upstream request to the emulated account its credential belongs to."""

    def __init__(self, accounts: dict[str, Emulator]) -> None:
        self._transports = {t: httpx.ASGITransport(app=e.app) for t, e in accounts.items()}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transports[request.headers["x-api-token"]].handle_async_request(request)


@pytest.fixture
def accounts() -> dict[str, Emulator]:
    return {
        TOKEN_A: Emulator(EmulatorConfig(dataset="demo", strict=True)),
        TOKEN_B: Emulator(EmulatorConfig(dataset="target", strict=True)),
    }


@pytest.fixture
async def server(accounts: dict[str, Emulator]) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        make_settings(), upstream_transport=ByCredential(accounts), upstream_base_url=UPSTREAM_URL
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://server.test") as http:
            yield http


async def _ask(http: httpx.AsyncClient, token: str, query: str) -> dict[str, object]:
    response = await http.post(
        "/graphql", json={"query": query}, headers={"X-Pipedrive-Api-Token": token}
    )
    body: dict[str, object] = response.json()
    return body


def _seen(body: dict[str, object]) -> tuple[set[str], set[str]]:
    data = body["data"]
    assert isinstance(data, dict)
    fields = [f for d in data["deals"]["results"] for f in d["customFields"]]
    return {f["key"] for f in fields}, {f["name"] for f in fields}


def _values(body: dict[str, object]) -> dict[int, dict[str, object]]:
    data = body["data"]
    assert isinstance(data, dict)
    return {
        d["id"]: {f["key"]: f["value"] for f in d["customFields"]} for d in data["deals"]["results"]
    }


async def test_two_accounts_never_see_each_others_fields(
    server: httpx.AsyncClient, accounts: dict[str, Emulator]
) -> None:
    # interleaved, so that a shared cache would hand one account's definitions to the other
    a1 = await _ask(server, TOKEN_A, QUERY)
    b1 = await _ask(server, TOKEN_B, QUERY_B)
    a2 = await _ask(server, TOKEN_A, QUERY)
    b2 = await _ask(server, TOKEN_B, QUERY_B)
    for body in (a1, b1, a2, b2):
        assert "errors" not in body
    keys_a, names_a = _seen(a2)
    keys_b, names_b = _seen(b2)
    assert _seen(a1) == _seen(a2)
    assert _seen(b1) == _seen(b2)
    assert keys_a
    assert keys_b
    assert keys_a.isdisjoint(keys_b)
    assert "Budget" in names_a
    assert "Budget" not in names_b
    assert "Deal budget" in names_b
    assert "Deal budget" not in names_a
    # each account's values are exactly its own records' values
    for token, body in ((TOKEN_A, a2), (TOKEN_B, b2)):
        for deal_id, values in _values(body).items():
            stored = accounts[token].store.get("deals", deal_id)
            assert stored is not None
            assert values == stored["custom_fields"]
    # each account fetched its own definitions once
    for emulator in accounts.values():
        assert [e.path for e in emulator.log.entries].count("/api/v2/dealFields") == 1
    # a name of the other account is unknown here
    wrong = await _ask(server, TOKEN_A, '{ deal(dealId: 1) { customField(name: "Territory") '
                                        "{ text } } }")  # fmt: skip
    errors = wrong["errors"]
    assert isinstance(errors, list)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Territory" not in str(errors[0]["extensions"]["suggestions"])
