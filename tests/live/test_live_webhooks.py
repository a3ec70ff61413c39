"""The webhook endpoint: Basic auth, duplicates across replicas, companies kept apart."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import httpx
import orjson
import pytest
from starlette.types import Message

from pipedrive_graphql.datasources.pipedrive.upstream import credential_key
from pipedrive_graphql.live.events import InvalidWebhookError, parse_webhook
from pipedrive_graphql.settings import Secret
from tests.live.live_support import (
    COMPANY_B,
    HOOK_PASSWORD,
    HOOK_USER,
    TOKEN_A,
    TOKEN_B,
    Companies,
    Replica,
    basic,
    replicas,
    subscriber,
)

TITLES = "subscription { dealChanged { action id deal { title } } }"
COMPANY_A = 5550001


def deal_change(company_id: int, deal_id: int = 1, title: str = "Changed") -> dict[str, Any]:
    """A v2 `change` webhook body for one deal, as Pipedrive sends it (ids in meta are strings)."""
    return {
        "meta": {
            "action": "change",
            "entity": "deal",
            "entity_id": str(deal_id),
            "company_id": str(company_id),
            "correlation_id": str(uuid.uuid4()),
            "id": str(uuid.uuid4()),
            "is_bulk_edit": False,
            "timestamp": "2026-11-30T12:00:00.000Z",
            "type": "general",
            "user_id": "1",
            "version": "2.0",
            "webhook_id": "1",
            "webhook_owner_id": "1",
            "change_source": "app",
            "attempt": 1,
            "host": "company.pipedrive.com",
            "permitted_user_ids": ["1"],
        },
        "data": {"id": deal_id, "title": title, "pipeline_id": 1, "owner_id": 1},
        "previous": {"title": "Before"},
    }


async def post(replica: Replica, body: object, auth: str | None) -> httpx.Response:
    headers = {} if auth is None else {"authorization": auth}
    async with httpx.AsyncClient() as http:
        return await http.post(replica.hook_url, json=body, headers=headers)


GOOD = basic(HOOK_USER, HOOK_PASSWORD)


async def test_a_delivery_repeated_on_two_replicas_and_retried_produces_one_event(
    redis_url: str,
) -> None:
    async with replicas(Companies(), redis_url) as (first, second), subscriber(first) as client:
        await client.subscribe(TITLES)
        await asyncio.sleep(0.1)
        body = deal_change(COMPANY_A)
        answers = [await post(first, body, GOOD), await post(second, body, GOOD)]
        retry = {**body, "meta": {**body["meta"], "attempt": 2}}
        answers.append(await post(second, retry, GOOD))
        event = await client.receive()
        silent = await client.nothing_within(0.5)

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["status"] for a in answers] == ["accepted", "duplicate", "duplicate"]
    assert event["payload"]["data"]["dealChanged"]["id"] == 1
    assert silent


async def test_a_webhook_without_the_right_basic_auth_is_refused_and_changes_nothing(
    redis_url: str,
) -> None:
    wrong = [
        None,
        basic(HOOK_USER, "wrong-password"),
        basic("someone-else", HOOK_PASSWORD),
        basic(HOOK_USER, HOOK_PASSWORD + "x"),
        "Bearer " + HOOK_PASSWORD,
        "Basic not-base64!",
        "Basic " + "dXNlcg==",  # "user" without a colon
    ]
    async with replicas(Companies(), redis_url, count=1) as (only,), subscriber(only) as client:
        await client.subscribe(TITLES)
        await asyncio.sleep(0.1)
        answers = [await post(only, deal_change(COMPANY_A), auth) for auth in wrong]
        silent = await client.nothing_within(0.5)
        # the same body with the right pair goes through, so the refusals were the auth's
        accepted = await post(only, deal_change(COMPANY_A), GOOD)
        event = await client.receive()

    assert [a.status_code for a in answers] == [401] * len(wrong)
    assert all(a.headers["www-authenticate"].startswith("Basic") for a in answers)
    assert silent
    assert accepted.status_code == 200
    assert event["payload"]["data"]["dealChanged"]["deal"] == {"title": "Onboarding #1"}


async def test_without_configured_webhook_credentials_every_delivery_is_refused() -> None:
    async with replicas(
        Companies(), None, count=1, webhook_username=None, webhook_password=None
    ) as (only,):
        answers = [await post(only, deal_change(COMPANY_A), auth) for auth in (GOOD, None)]
    assert [a.status_code for a in answers] == [401, 401]


async def test_a_client_of_another_company_receives_nothing_of_this_one(redis_url: str) -> None:
    async with (
        replicas(Companies(), redis_url) as (first, second),
        subscriber(first, {"X-Pipedrive-Api-Token": TOKEN_B}) as other,
        subscriber(first) as own,
    ):
        await other.subscribe(TITLES)
        await own.subscribe(TITLES)
        await asyncio.sleep(0.1)
        assert (await post(second, deal_change(COMPANY_A), GOOD)).status_code == 200
        own_event = await own.receive()
        other_silent = await other.nothing_within(0.5)
        # company B's own change reaches its client, with its own record
        assert (await post(second, deal_change(COMPANY_B, 2), GOOD)).status_code == 200
        other_event = await other.receive()
        own_silent = await own.nothing_within(0.5)

    assert own_event["payload"]["data"]["dealChanged"]["id"] == 1
    assert other_silent
    assert other_event["payload"]["data"]["dealChanged"]["id"] == 2
    assert own_silent


async def test_a_user_pipedrive_does_not_permit_receives_nothing(redis_url: str) -> None:
    async with replicas(Companies(), redis_url, count=1) as (only,), subscriber(only) as client:
        await client.subscribe(TITLES)
        await asyncio.sleep(0.1)
        hidden = deal_change(COMPANY_A)
        hidden["meta"]["permitted_user_ids"] = ["2", "3"]  # the credential is user 1
        assert (await post(only, hidden, GOOD)).status_code == 200
        silent = await client.nothing_within(0.5)
    assert silent


async def test_an_event_whose_id_does_not_fit_a_graphql_int_is_not_delivered(
    redis_url: str,
) -> None:
    async with replicas(Companies(), redis_url, count=1) as (only,), subscriber(only) as client:
        await client.subscribe(TITLES)
        await asyncio.sleep(0.1)
        assert (await post(only, deal_change(COMPANY_A, deal_id=2**31), GOOD)).status_code == 200
        silent = await client.nothing_within(0.5)
        assert (await post(only, deal_change(COMPANY_A, deal_id=2), GOOD)).status_code == 200
        event = await client.receive()
    assert silent
    changed = event["payload"]["data"]["dealChanged"]
    assert (changed["action"], changed["id"]) == ("changed", 2)


async def test_malformed_and_v1_bodies_are_refused_with_a_reason() -> None:
    v1: dict[str, object] = {
        "v": 1,
        "current": {"id": 1},
        "previous": None,
        "meta": {"action": "updated"},
    }
    no_id = deal_change(COMPANY_A)
    del no_id["meta"]["id"]
    async with replicas(Companies(), None, count=1) as (only,):
        bodies: list[object] = [[], v1, no_id]
        answers = [await post(only, body, GOOD) for body in bodies]
        async with httpx.AsyncClient() as http:
            not_json = await http.post(only.hook_url, content=b"{", headers={"authorization": GOOD})
    assert [a.status_code for a in [*answers, not_json]] == [400, 400, 400, 400]
    assert [a.json()["error"] for a in [*answers, not_json]] == [
        "not a Pipedrive v2 webhook: no meta object",
        "meta.action must be create, change or delete",
        "meta.id is missing",
        "body is not JSON",
    ]


def test_the_credential_key_is_what_the_memory_uses() -> None:
    assert credential_key(Secret(TOKEN_A)) != credential_key(Secret(TOKEN_B))


async def test_a_sender_that_leaves_mid_body_is_counted_not_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = orjson.dumps(deal_change(COMPANY_A))
    messages: list[Message] = [
        {"type": "http.request", "body": body[:40], "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return messages.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/webhooks/pipedrive",
        "raw_path": b"/webhooks/pipedrive",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"authorization", GOOD.encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    async with replicas(Companies(), None, count=1) as (only,):
        caplog.set_level(logging.INFO, logger="pipedrive_graphql")
        await only.app(scope, receive, send)
        stats = only.app.state.live.stats
        counts = (stats.disconnected, stats.received, stats.published, stats.invalid)
        async with httpx.AsyncClient() as http:
            metrics = (await http.get(only.url + "/metrics")).text
    assert counts == (1, 0, 0, 0)  # counted, nothing processed
    assert [r.levelno for r in caplog.records if "disconnected" in r.getMessage()] == [logging.INFO]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert 'pipedrive_graphql_webhooks_rejected_total{reason="disconnected"} 1.0' in metrics


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("entity_id", "\u0663"),  # ARABIC-INDIC DIGIT THREE: int() reads it as 3
        ("company_id", "\uff15\uff15\uff15"),  # FULLWIDTH FIVES
        ("attempt", "\u00b2"),  # SUPERSCRIPT TWO: isdigit() says yes, int() raises
        ("permitted_user_ids", ["\u0661"]),
    ],
)
def test_ids_in_a_webhook_are_ascii_digits(field: str, value: object) -> None:
    body = deal_change(COMPANY_A, deal_id=3)
    body["meta"][field] = value
    with pytest.raises(InvalidWebhookError, match=f"meta.{field} must be"):
        parse_webhook(body)


def test_record_ids_in_a_webhook_are_read_from_ascii_digits_only() -> None:
    body = deal_change(COMPANY_A, deal_id=3)
    body["data"]["pipeline_id"] = "\u0663"
    body["previous"] = {"pipeline_id": "7"}
    event = parse_webhook(body)
    assert event.ids("pipeline_id") == {7}
