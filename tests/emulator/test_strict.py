"""Strict mode answers 400 with Pipedrive's error body to requests the spec does not allow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from pipedrive_graphql.emulator.strict import ERROR_INFO, StrictValidationMiddleware
from tests.emulator.traffic_support import Echo, TrafficConfig, TrafficState, as_state


@pytest.fixture
def echo() -> Echo:
    return Echo()


@pytest.fixture
async def client(echo: Echo) -> AsyncIterator[httpx.AsyncClient]:
    state = TrafficState(config=TrafficConfig(strict=True))
    app = StrictValidationMiddleware(echo.app, as_state(state))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        yield http


def assert_rejected(response: httpx.Response, *words: str) -> None:
    assert response.status_code == 400
    body: dict[str, Any] = response.json()
    assert set(body) == {"success", "error", "error_info", "data", "additional_data"}
    assert (body["success"], body["error_info"], body["data"]) == (False, ERROR_INFO, None)
    for word in words:
        assert word in body["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/persons?limit=5&owner_id=1&sort_by=update_time&sort_direction=desc",
        "/api/v2/persons?ids=1,2,3",
        "/api/v2/persons/search?term=john&fields=email&exact_match=true",
        "/api/v2/activities?done=false&updated_since=2025-01-01T10:20:00Z",
        "/api/v1/notes?deal_id=3&sort=add_time%20DESC&start=0&limit=10&pinned_to_deal_flag=1",
        "/v1/mailbox/mailMessages/11111?include_body=1",
        "/api/v2/persons?api_token=legacy-query-credential",
        "/api/v2/deals?status=won,lost",  # documented comma list, one enum value in the spec
        "/api/v2/unknown-path?anything=1",  # not in the spec: left to the routes (404)
    ],
)
async def test_allowed_requests_reach_the_routes(
    client: httpx.AsyncClient, echo: Echo, url: str
) -> None:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    assert len(echo.received) == 1


@pytest.mark.parametrize(
    ("url", "word"),
    [
        ("/api/v2/persons?bogus=1", "bogus"),  # undeclared
        ("/api/v2/persons?start=0", "start"),  # a v1 parameter on v2
        ("/api/v2/persons?limit=ten", "limit"),  # not an integer
        ("/api/v2/persons?limit=1&limit=2", "limit"),  # repeated
        ("/api/v2/activities?done=1", "done"),  # v2 booleans are true/false
        ("/api/v2/persons?sort_direction=up", "sort_direction"),  # not in the enum
        ("/api/v2/deals?status=won,closed", "status"),  # every part of a comma list is checked
        ("/api/v2/persons/search?fields=email", "term"),  # required parameter missing
        ("/api/v2/persons/abc", "id"),  # path parameter not an integer
        ("/api/v1/notes?pinned_to_deal_flag=true", "pinned_to_deal_flag"),  # v1 uses 0/1
        ("/api/v1/notes?updated_since=yesterday", "updated_since"),  # not a date-time
    ],
)
async def test_disallowed_query_is_rejected(
    client: httpx.AsyncClient, echo: Echo, url: str, word: str
) -> None:
    assert_rejected(await client.get(url), word)
    assert echo.received == []


async def test_valid_body_is_passed_on_unchanged(client: httpx.AsyncClient, echo: Echo) -> None:
    body = {"name": "Ann", "emails": [{"value": "ann@x.io", "primary": True, "label": "work"}]}
    response = await client.post("/api/v2/persons", json=body)
    assert response.status_code == 200
    assert echo.received == [
        ("POST", "/api/v2/persons", httpx.Request("POST", "/", json=body).content)
    ]


@pytest.mark.parametrize(
    ("method", "url", "body", "word"),
    [
        ("POST", "/api/v2/persons", {"name": "Ann", "nickname": "A"}, "nickname"),
        ("POST", "/api/v2/persons", {"emails": [{"value": "a@b.c", "kind": "x"}]}, "emails.0.kind"),
        ("PATCH", "/api/v2/deals/1", {"value": "100"}, "value"),  # v2 numbers do not coerce
        ("PATCH", "/api/v2/deals/1", {"visible_to": "3"}, "visible_to"),
        ("POST", "/api/v2/deals", {"value": 5}, "title"),  # required field missing
        ("POST", "/api/v1/notes", {"content": "x", "pinned_to_deal_flag": True}, "pinned"),
        ("PUT", "/v1/notes/3", {"content": 5}, "content"),
    ],
)
async def test_disallowed_body_is_rejected(
    client: httpx.AsyncClient, echo: Echo, method: str, url: str, body: Any, word: str
) -> None:
    assert_rejected(await client.request(method, url, json=body), word)
    assert echo.received == []


async def test_non_json_body_is_rejected(client: httpx.AsyncClient, echo: Echo) -> None:
    response = await client.post("/api/v2/persons", content=b"name=Ann")
    assert_rejected(response, "application/json")
    broken = await client.post(
        "/api/v2/persons", content=b"{", headers={"content-type": "application/json"}
    )
    assert_rejected(broken, "JSON")
    assert echo.received == []


async def test_strict_off_lets_everything_through(echo: Echo) -> None:
    app = StrictValidationMiddleware(echo.app, as_state(TrafficState()))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        response = await http.get("/api/v2/persons?bogus=1")
    assert response.status_code == 200
