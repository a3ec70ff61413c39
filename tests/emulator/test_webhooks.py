"""Store writes reach webhook subscribers as Pipedrive v2 payloads, with auth and retries."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipedrive_graphql.emulator import Emulator, EmulatorConfig

TOKEN = {"x-api-token": "webhook-test-token"}
HOOK_URL = "http://receiver.test/hook"


class Receiver:
    """A tiny webhook receiver that records posts and answers with scripted statuses."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        """Answer with `statuses` in turn, then 200."""
        self.statuses = list(statuses or [])
        self.posts: list[tuple[dict[str, Any], str | None]] = []
        self.app = Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])

    async def hook(self, request: Request) -> Response:
        """Record one delivery."""
        self.posts.append((await request.json(), request.headers.get("authorization")))
        return Response(status_code=self.statuses.pop(0) if self.statuses else 200)


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
async def emulator(receiver: Receiver) -> AsyncIterator[Emulator]:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    transport = httpx.ASGITransport(app=receiver.app)
    async with httpx.AsyncClient(transport=transport) as hook_client:
        emu.webhooks.client = hook_client
        yield emu


@pytest.fixture
async def api(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://emulator", headers=TOKEN
    ) as http:
        yield http


async def test_create_and_change_are_delivered_with_diff_and_basic_auth(
    emulator: Emulator, api: httpx.AsyncClient, receiver: Receiver
) -> None:
    emulator.webhooks.subscribe(HOOK_URL, "*", "person", "hook-user", "hook-pass")
    created = await api.post("/api/v2/persons", json={"name": "Webhook Person"})
    assert created.status_code == 200
    person = created.json()["data"]
    changed = await api.patch(f"/api/v2/persons/{person['id']}", json={"name": "Renamed"})
    assert changed.status_code == 200
    await api.post("/api/v2/deals", json={"title": "Not a person event"})
    await emulator.webhooks.drain()

    assert [post["meta"]["action"] for post, _ in receiver.posts] == ["create", "change"]
    expected_auth = "Basic " + base64.b64encode(b"hook-user:hook-pass").decode()
    assert {auth for _, auth in receiver.posts} == {expected_auth}
    create, change = (post for post, _ in receiver.posts)
    meta = create["meta"]
    assert meta["entity"] == "person"
    assert meta["entity_id"] == str(person["id"])
    assert (meta["version"], meta["type"], meta["change_source"], meta["attempt"]) == (
        "2.0",
        "general",
        "api",
        1,
    )
    for key in ("company_id", "user_id", "webhook_id", "webhook_owner_id", "id", "correlation_id"):
        assert isinstance(meta[key], str), key
    assert meta["permitted_user_ids"]
    assert meta["is_bulk_edit"] is False
    assert create["data"]["name"] == "Webhook Person"
    assert create["previous"] is None
    assert change["data"]["name"] == "Renamed"
    assert change["previous"]["name"] == "Webhook Person"
    assert set(change["previous"]) <= {"name", "first_name", "last_name", "update_time"}


async def test_filters_by_action_and_failed_deliveries_are_retried(
    emulator: Emulator, api: httpx.AsyncClient
) -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    receiver = Receiver(statuses=[500, 503])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=receiver.app)) as client:
        emulator.webhooks.client = client
        emulator.webhooks.sleep = fake_sleep
        emulator.webhooks.retry_delay_factor = 0.5
        emulator.webhooks.subscribe(HOOK_URL, event_action="change", event_object="deal")
        created = await api.post("/api/v2/deals", json={"title": "Retry me"})
        deal_id = created.json()["data"]["id"]
        await api.patch(f"/api/v2/deals/{deal_id}", json={"title": "Retried"})
        await emulator.webhooks.drain()
    assert [post["meta"]["attempt"] for post, _ in receiver.posts] == [1, 2, 3]
    assert {post["meta"]["action"] for post, _ in receiver.posts} == {"change"}
    assert slept == [1.5, 15.0]
    assert [d.status for d in emulator.webhooks.deliveries] == [500, 503, 200]
    assert receiver.posts[0][1] is None  # no basic auth configured


async def test_v1_webhook_routes_add_list_and_delete(api: httpx.AsyncClient) -> None:
    body = {
        "subscription_url": HOOK_URL,
        "event_action": "*",
        "event_object": "deal",
        "name": "deals",
        "http_auth_user": "u",
        "http_auth_password": "secret-password",
    }
    added = await api.post("/v1/webhooks", json=body)
    assert added.status_code == 201
    payload = added.json()
    assert (payload["status"], payload["success"]) == ("ok", True)
    assert payload["data"]["subscription_url"] == HOOK_URL
    assert "secret-password" not in added.text
    listed = await api.get("/api/v1/webhooks")
    assert [hook["id"] for hook in listed.json()["data"]] == [payload["data"]["id"]]
    deleted = await api.delete(f"/v1/webhooks/{payload['data']['id']}")
    assert deleted.json() == {"status": "ok", "success": True}
    assert (await api.get("/v1/webhooks")).json()["data"] == []
    assert (await api.delete("/v1/webhooks/999")).status_code == 404


async def test_v1_webhook_add_rejects_bad_input(api: httpx.AsyncClient) -> None:
    bad = {"subscription_url": "ftp://x", "event_action": "*", "event_object": "deal", "name": "x"}
    response = await api.post("/v1/webhooks", json=bad)
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "success": False,
        "errors": {"subscription_url": ["invalid or non-reachable URL"]},
    }
